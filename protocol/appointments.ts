import { z } from 'zod';
import { CalendarDay, EpochMs, HallParams, Id, IdParam, MobilePhone, ShortText } from './common.js';
import { IssuedTicket } from './tickets.js';

/**
 * 预约: a citizen books a slot of a service (online, by phone through an operator, or at the
 * hall), gets an 8-digit check-in code, and checks in at the kiosk on the day: the booking becomes
 * a ticket called ahead of the queue inside a window around the slot.
 */

export const AppointmentStatus = z.enum(['booked', 'checked_in', 'cancelled', 'missed']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;
/** 网上预约 (booking page or a 一网通办 portal), 电话预约 (an operator enters it), 现场预约 (at the hall). */
export const AppointmentSource = z.enum(['online', 'phone', 'onsite', 'sms']);
export type AppointmentSource = z.infer<typeof AppointmentSource>;

export const CheckInCode = z.string().trim().regex(/^\d{8}$/, 'the 8-digit check-in code');

export const CodeParams = z.object({ code: CheckInCode });
export const AppointmentParams = HallParams.extend({ appointmentId: IdParam });
export const SlotsParams = HallParams.extend({ serviceId: IdParam });

export const PublicHall = z.object({ id: Id, name: z.string(), timezone: z.string() });
export type PublicHall = z.infer<typeof PublicHall>;

export const BookableService = z.object({
  serviceId: Id,
  nameZh: z.string(),
  nameEn: z.string(),
  prefix: z.string(),
  daysAhead: z.number().int(),
  slotMinutes: z.number().int(),
  /** 请携带: what to bring to the appointment (办事指南), and the conditions. */
  materials: z.array(z.string()),
  conditions: z.string(),
});

/**
 * How an online booking proves its phone number: `sms` a one-time code sent to it (the hall has an
 * SMS gateway); `unconfirmed` none, the booking is held unconfirmed until check-in (a few places a
 * slot); `staff_only` online booking is off, citizens book by phone with staff.
 */
export const BookingVerification = z.enum(['sms', 'unconfirmed', 'staff_only']);
export type BookingVerification = z.infer<typeof BookingVerification>;

export const BookingInfo = z.object({ hall: PublicHall, services: z.array(BookableService), verification: BookingVerification });

/** A one-time code to the number, proving it for an online booking. */
export const PhoneCodeBody = z.object({ phone: MobilePhone });
export const PhoneCodeSent = z.object({
  /** The code works until then. */
  expiresAt: EpochMs,
  /** Another code may be asked for from then on. */
  resendAfter: EpochMs,
});
export const PhoneCode = z.string().trim().regex(/^\d{6}$/, 'the 6-digit code sent by SMS');

export const BookingSlot = z.object({
  start: EpochMs,
  end: EpochMs,
  capacity: z.number().int(),
  /** Places still free; 0 when full. */
  left: z.number().int(),
});
export const BookingDay = z.object({ day: CalendarDay, slots: z.array(BookingSlot) });
export const SlotsAnswer = z.object({ days: z.array(BookingDay) });

const BookingFields = z.object({
  serviceId: Id,
  slotStart: EpochMs,
  name: ShortText(40),
  phone: MobilePhone,
});
/** 网上预约: with the code sent to the phone, where the hall proves numbers by SMS (BookingInfo.verification). */
export const BookBody = BookingFields.extend({ code: PhoneCode.optional() });
export type BookBody = z.infer<typeof BookingFields>;

/** An operator entering a booking taken by phone, or staff booking at the hall. */
export const StaffBookBody = BookingFields.extend({ source: z.enum(['phone', 'onsite']) });

/** What the citizen (or anyone holding the code) sees: the name and phone masked. */
export const PublicAppointment = z.object({
  hallName: z.string(),
  serviceNameZh: z.string(),
  serviceNameEn: z.string(),
  day: CalendarDay,
  slotStart: EpochMs,
  slotEnd: EpochMs,
  /** Checked in between these, the citizen is called ahead of the queue (the hall's early and late minutes around the slot). */
  priorityFrom: EpochMs,
  priorityUntil: EpochMs,
  name: z.string(),
  phone: z.string(),
  status: AppointmentStatus,
  /** false: booked online without a proven number, held unconfirmed until check-in. */
  confirmed: z.boolean(),
  /** Checked in after the priority window: queued as a normal ticket. */
  late: z.boolean().nullable(),
  /** The ticket number once checked in. */
  ticketNumber: z.string().nullable(),
  /** 请携带: the service's materials list and conditions (办事指南). */
  materials: z.array(z.string()),
  conditions: z.string(),
});
export type PublicAppointment = z.infer<typeof PublicAppointment>;

/** The code leaves the server only here: in the answer to the one who booked. */
export const Booked = z.object({ code: CheckInCode, appointment: PublicAppointment });

/** A booking as staff see it: the phone in full for managers, masked for others. */
export const AppointmentView = z.object({
  id: Id,
  hallId: Id,
  serviceId: Id,
  day: CalendarDay,
  slotStart: EpochMs,
  slotEnd: EpochMs,
  name: z.string(),
  phone: z.string(),
  source: AppointmentSource,
  status: AppointmentStatus,
  /** false: booked online without a proven number, held unconfirmed until check-in. */
  confirmed: z.boolean(),
  late: z.boolean().nullable(),
  ticketId: Id.nullable(),
  createdAt: EpochMs,
  checkedInAt: EpochMs.nullable(),
});
export type AppointmentView = z.infer<typeof AppointmentView>;

export const AppointmentListQuery = z.object({
  day: CalendarDay,
  serviceId: IdParam.optional(),
  status: AppointmentStatus.optional(),
});

export const StaffBooked = z.object({ code: CheckInCode, appointment: AppointmentView });

export const CheckInBody = z.object({ code: CheckInCode });
export const CheckedIn = IssuedTicket.extend({ appointment: PublicAppointment });
