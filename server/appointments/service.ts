import type { Kysely } from 'kysely';
import type { AppointmentSource, AppointmentView, BookBody, BookingVerification, PublicAppointment, SlotsAnswer } from '../../protocol/appointments.js';
import type { z } from 'zod';
import { contactFor } from '../access/policies.js';
import { maskContact, maskName } from '../../protocol/masking.js';
import { upcomingExceptions } from '../calendar/service.js';
import type { AppointmentRow, Database } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { inHall } from '../changes/hall-change.js';
import { type ServiceConfig, serviceOf } from '../changes/hall-config.js';
import type { Actor } from '../domain/actor.js';
import { checkInClass, type CheckInRule, priorityWindow, slotsOn } from '../domain/booking.js';
import { businessDay } from '../domain/business-day.js';
import { addDays, type DutyWindow, type Exceptions, hoursWithDuty, type Interval } from '../domain/calendar.js';
import { randomDigits } from '../domain/secrets.js';
import { BadRequestError, ConflictError, NotFoundError, TooManyRequestsError } from '../errors.js';
import { type Hall, loadHall } from '../halls/service.js';
import { loadService, materialsOf, servicesOfHall } from '../services/service.js';
import { findTicket } from '../tickets/repository.js';
import { type IssueResult, issueIn } from '../tickets/service.js';
import { windowsOfHall } from '../windows/service.js';
import {
  bookedSince, codeTaken, findAppointment, findByCode, insertAppointment, markMissedBefore, onlineOfClient, takenBySlot, unconfirmedInSlot, updateAppointment, upcomingOfPhone,
} from './repository.js';
import { DAY_MS } from '../../protocol/constants.js';

/** Bookings one proven phone number may make in a day, in every hall together (cancelled ones count): stops a script filling slots. */
const BOOKINGS_PER_PHONE_PER_DAY = 6;
/**
 * Online bookings one address (IPv6 per /64) may make: in a day, in every hall (cancelled ones
 * count), and upcoming for one service on one day (a family at home books for a few people).
 */
const ONLINE_PER_ADDRESS_PER_DAY = 10;
const ONLINE_PER_ADDRESS_SERVICE_DAY = 3;

/**
 * What stands behind a booking's phone number: proven (a one-time code, or staff who spoke to
 * the citizen) or not (an online booking in a hall without an SMS gateway: held unconfirmed).
 * `clientKey` is the online booker's address key.
 */
export interface Proof {
  verified: boolean;
  clientKey: string | null;
}

/** How the hall's online bookings prove their numbers (the booking page asks for a code, or not). */
export function bookingVerification(smsGateway: boolean, hall: Hall): BookingVerification {
  if (smsGateway) return 'sms';
  return hall.settings.unverifiedBooking === 'staff_only' ? 'staff_only' : 'unconfirmed';
}

const bookable = (s: ServiceConfig) => s.active === 1 && s.booking_days_ahead > 0;

/** The services citizens may book in a hall. */
export async function bookableServices(db: Kysely<Database>, hallId: number) {
  return (await servicesOfHall(db, hallId)).filter(bookable).map((s) => ({
    serviceId: s.id, nameZh: s.name_zh, nameEn: s.name_en, prefix: s.prefix, daysAhead: s.booking_days_ahead, slotMinutes: s.slot_minutes,
    materials: materialsOf(s), conditions: s.conditions,
  }));
}

/**
 * The slots a service offers: each day from today to its last bookable day, the slots that have
 * not begun. The booking page lists these and a booking must be one of them.
 */
function offeredSlots(hall: Hall, exceptions: Exceptions, windows: readonly DutyWindow[], service: ServiceConfig, now: number): { day: string; slots: Interval[] }[] {
  if (!bookable(service)) throw notBookable(service);
  const today = businessDay(now, hall.timezone);
  return Array.from({ length: service.booking_days_ahead + 1 }, (_, i) => addDays(today, i)).map((day) => ({
    day,
    slots: slotsOn(day, hoursWithDuty(hall.openingHours, windows, service.id), exceptions, hall.timezone, service.slot_minutes, service.issue_cutoff_minutes)
      .filter((s) => s.start > now),
  }));
}

/** The offered slots of a service with the places left. */
export async function slotsOf(db: Kysely<Database>, hall: Hall, serviceId: number, now: number): Promise<z.infer<typeof SlotsAnswer>> {
  const service = await loadService(db, hall.id, serviceId);
  const [exceptions, windows] = await Promise.all([upcomingExceptions(db, hall, now), windowsOfHall(db, hall.id)]);
  const offered = offeredSlots(hall, exceptions, windows, service, now);
  const all = offered.flatMap((d) => d.slots);
  const taken = all.length ? await takenBySlot(db, hall.id, service.id, all[0]!.start, all.at(-1)!.end) : new Map<number, number>();
  return {
    days: offered.map(({ day, slots }) => ({
      day,
      slots: slots.map((s) => ({ start: s.start, end: s.end, capacity: service.slot_capacity, left: Math.max(0, service.slot_capacity - (taken.get(s.start) ?? 0)) })),
    })),
  };
}

function notBookable(service: ServiceConfig): ConflictError {
  return new ConflictError('SERVICE_NOT_BOOKABLE', `${service.name_zh} does not take appointments.`, { field: 'body.serviceId' });
}

/** A fresh 8-digit check-in code no booking has used. */
async function newCode(db: Kysely<Database>): Promise<string> {
  for (;;) {
    const code = randomDigits(8);
    if (!(await codeTaken(db, code))) return code;
  }
}

export interface BookingResult {
  code: string;
  row: AppointmentRow;
}

/**
 * Books a slot. The checks and the insert are one transaction, which the store runs one at a
 * time per database, so two citizens racing for the last place cannot both get it.
 */
export async function book(deps: WriteDeps, hallId: number, body: BookBody, source: AppointmentSource, actor: Actor, proof: Proof): Promise<BookingResult> {
  return inHall(deps, hallId, async (change) => {
    const { trx, now, hall, calendar } = change;
    const service = serviceOf(change, body.serviceId);
    const day = businessDay(body.slotStart, hall.timezone);
    const slot = offeredSlots(hall, calendar, change.windows, service, now).find((d) => d.day === day)?.slots.find((s) => s.start === body.slotStart);
    if (!slot) throw new BadRequestError('SLOT_NOT_OFFERED', 'No bookable slot of this service starts at that time.', { field: 'body.slotStart' });

    // Limits per phone number count proven numbers only: nobody can use up a stranger's number.
    if (proof.verified) {
      if ((await bookedSince(trx, body.phone, now - DAY_MS)) >= BOOKINGS_PER_PHONE_PER_DAY) {
        throw new TooManyRequestsError('BOOKING_RATE_LIMITED', 'Too many bookings with this phone number today; call the hall instead.', { field: 'body.phone' });
      }
      const upcoming = await upcomingOfPhone(trx, hallId, body.phone, now);
      if (upcoming.some((a) => a.service_id === service.id && a.day === day)) {
        throw new ConflictError('ALREADY_BOOKED', 'This phone number already has a booking for this service on that day.', { field: 'body.phone' });
      }
      if (upcoming.length >= hall.settings.bookingsPerPhone) {
        throw new ConflictError('TOO_MANY_BOOKINGS', `One phone number may hold ${hall.settings.bookingsPerPhone} upcoming bookings in this hall.`, {
          field: 'body.phone', limit: hall.settings.bookingsPerPhone,
        });
      }
    }
    if (proof.clientKey !== null) {
      const byClient = await onlineOfClient(trx, proof.clientKey, now - DAY_MS);
      if (byClient.length >= ONLINE_PER_ADDRESS_PER_DAY) {
        throw new TooManyRequestsError('BOOKING_RATE_LIMITED', 'Too many bookings from this network today; call the hall instead.');
      }
      const sameServiceDay = byClient.filter((a) => a.status === 'booked' && a.hall_id === hallId && a.service_id === service.id && a.day === day);
      if (sameServiceDay.length >= ONLINE_PER_ADDRESS_SERVICE_DAY) {
        throw new ConflictError('ALREADY_BOOKED', `At most ${ONLINE_PER_ADDRESS_SERVICE_DAY} bookings of one service on one day from one network.`, { field: 'body.slotStart' });
      }
    }
    const taken = (await takenBySlot(trx, hallId, service.id, slot.start, slot.start + 1)).get(slot.start) ?? 0;
    if (taken >= service.slot_capacity) throw new ConflictError('SLOT_FULL', 'That slot is fully booked; choose another.', { field: 'body.slotStart' });
    if (!proof.verified && (await unconfirmedInSlot(trx, hallId, service.id, slot.start)) >= hall.settings.unconfirmedPerSlot) {
      throw new ConflictError('UNCONFIRMED_FULL', 'The places this slot keeps for online bookings are taken; choose another slot, or book by phone with the hall.', { field: 'body.slotStart' });
    }

    const code = await newCode(trx);
    const row = await insertAppointment(trx, {
      hall_id: hallId, service_id: service.id, day, slot_start: slot.start, slot_end: slot.end,
      citizen_name: body.name, phone: body.phone, code, source, status: 'booked', late: null, ticket_id: null,
      created_by_staff_id: actor.staffId, created_at: now, checked_in_at: null, cancelled_at: null,
      phone_verified: proof.verified ? 1 : 0, client_key: proof.clientKey,
    });
    return { code, row };
  });
}

/** Frees the booking's place: only a booking still ahead; cancelling twice is not an error. */
async function cancel(deps: WriteDeps, find: (db: Kysely<Database>) => Promise<AppointmentRow | undefined>): Promise<AppointmentRow> {
  return write(deps, async ({ trx, now }) => {
    const row = await find(trx);
    if (!row) throw appointmentNotFound();
    if (row.status === 'cancelled') return row;
    if (row.status !== 'booked') throw new ConflictError('APPOINTMENT_NOT_CANCELLABLE', `The booking is ${row.status.replace('_', ' ')}; it cannot be cancelled.`, { status: row.status });
    if (row.slot_end <= now) throw new ConflictError('APPOINTMENT_NOT_CANCELLABLE', 'The slot is over.', { status: row.status });
    return updateAppointment(trx, row.id, { status: 'cancelled', cancelled_at: now });
  });
}

/** The citizen cancels with the code. */
export function cancelByCode(deps: WriteDeps, code: string): Promise<AppointmentRow> {
  return cancel(deps, (db) => findByCode(db, code));
}

/** Staff cancel a booking of their hall (the citizen called). */
export function cancelAppointment(deps: WriteDeps, hallId: number, id: number): Promise<AppointmentRow> {
  return cancel(deps, (db) => findAppointment(db, hallId, id));
}

function appointmentNotFound(): NotFoundError {
  return new NotFoundError('APPOINTMENT_NOT_FOUND', 'No booking has this code.');
}

/** The hall's settings for calling checked-in bookings ahead. */
const checkInRule = (hall: Hall): CheckInRule => ({ earlyMinutes: hall.settings.appointmentEarlyMinutes, lateMinutes: hall.settings.appointmentLateMinutes });

export interface CheckInResult extends IssueResult {
  appointment: AppointmentRow;
}

/**
 * 签到 at the kiosk (or by staff): the booking of today becomes a ticket of class `appointment`,
 * called ahead inside its window; after that window it is a normal ticket (recorded as late).
 * A code of another hall is not found here: a kiosk learns nothing of other halls' bookings.
 */
export async function checkIn(deps: WriteDeps, hallId: number, code: string, actor: Actor): Promise<CheckInResult> {
  return inHall(deps, hallId, async (w) => {
    const row = await findByCode(w.trx, code);
    if (!row || row.hall_id !== hallId) throw appointmentNotFound();
    const hall = w.hall;
    if (row.status === 'checked_in') {
      const ticket = row.ticket_id === null ? undefined : await findTicket(w.trx, hallId, row.ticket_id);
      throw new ConflictError('APPOINTMENT_CHECKED_IN', 'This booking has already been checked in.', { ticketNumber: ticket?.display_number ?? null });
    }
    if (row.status === 'cancelled') throw new ConflictError('APPOINTMENT_CANCELLED', 'This booking was cancelled.');
    const today = w.day;
    if (row.status === 'missed' || row.day < today) throw new ConflictError('APPOINTMENT_MISSED', `This booking was for ${row.day}.`, { day: row.day });
    if (row.day > today) throw new ConflictError('APPOINTMENT_NOT_TODAY', `This booking is for ${row.day}; check in on that day.`, { day: row.day });

    const rule = checkInClass(w.now, row.slot_start, checkInRule(hall));
    const issued = await issueIn(w, {
      serviceId: row.service_id,
      channel: 'appointment',
      priorityClass: rule.priorityClass,
      ...(rule.appointmentStart !== null && rule.appointmentEnd !== null ? { appointmentStart: rule.appointmentStart, appointmentEnd: rule.appointmentEnd } : {}),
      // The booking's number gets the queue's SMS notices too, when it was proven.
      ...(row.phone_verified === 1 && row.phone !== '' ? { phone: row.phone } : {}),
    }, actor);
    const appointment = await updateAppointment(w.trx, row.id, { status: 'checked_in', late: rule.late ? 1 : 0, ticket_id: issued.ticket.id, checked_in_at: w.now });
    return { ...issued, appointment };
  });
}

/** Day-end: bookings of earlier days never checked in become missed (爽约). */
export async function markMissed(deps: WriteDeps, hallId: number): Promise<number> {
  return inHall(deps, hallId, ({ trx, day }) => markMissedBefore(trx, hallId, day));
}

/* ---- views ---- */

export async function publicAppointment(db: Kysely<Database>, row: AppointmentRow): Promise<PublicAppointment> {
  const [hall, service] = await Promise.all([loadHall(db, row.hall_id), loadService(db, row.hall_id, row.service_id)]);
  const ticket = row.ticket_id === null ? undefined : await findTicket(db, row.hall_id, row.ticket_id);
  const window = priorityWindow(row.slot_start, checkInRule(hall));
  return {
    hallName: hall.name, serviceNameZh: service.name_zh, serviceNameEn: service.name_en, day: row.day,
    slotStart: row.slot_start, slotEnd: row.slot_end,
    priorityFrom: window.start, priorityUntil: window.end,
    name: maskName(row.citizen_name), phone: maskContact(row.phone),
    status: row.status, confirmed: row.phone_verified === 1, late: row.late === null ? null : row.late === 1, ticketNumber: ticket?.display_number ?? null,
    materials: materialsOf(service), conditions: service.conditions,
  };
}

export async function publicByCode(db: Kysely<Database>, code: string): Promise<PublicAppointment> {
  const row = await findByCode(db, code);
  if (!row) throw appointmentNotFound();
  return publicAppointment(db, row);
}

/** Staff see the name; the phone in full only where the viewer may call the citizen (managers). */
export function appointmentView(row: AppointmentRow, viewer: { fullContact: boolean }): AppointmentView {
  return {
    id: row.id, hallId: row.hall_id, serviceId: row.service_id, day: row.day, slotStart: row.slot_start, slotEnd: row.slot_end,
    name: row.citizen_name, phone: contactFor(viewer, row.phone)!, source: row.source, status: row.status, confirmed: row.phone_verified === 1,
    late: row.late === null ? null : row.late === 1, ticketId: row.ticket_id, createdAt: row.created_at, checkedInAt: row.checked_in_at,
  };
}
