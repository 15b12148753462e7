import type { Kysely } from 'kysely';
import type { OnlineQueueInfo } from '../../protocol/online.js';
import { DAY_MS } from '../../protocol/constants.js';
import { hit, peek } from '../access/throttle.js';
import type { Database, TicketRow } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { citizen, type Actor } from '../domain/actor.js';
import { zoneOffset } from '../domain/business-day.js';
import { entranceCode, randomDigits } from '../domain/secrets.js';
import { inHall, openHallChange } from '../changes/hall-change.js';
import { serviceOf } from '../changes/hall-config.js';
import { BadRequestError, ConflictError, NotFoundError, TooManyRequestsError } from '../errors.js';
import type { Hall } from '../halls/service.js';
import { serviceRows } from '../tickets/estimates.js';
import { queueSnapshot } from '../tickets/queries.js';
import {
  arrivalCodeTaken, findByArrivalCode, findLiveByToken, findTicket, onlineInHourOf, onlineOfPhone,
} from '../tickets/repository.js';
import { arriveIn, type IssueResult, issueIn } from '../tickets/service.js';

/**
 * 在线排队: today's number from the citizen's phone, without a slot, after proving the number
 * with the same one-time code as bookings. The ticket waits like any other but is not in the
 * hall until its arrival is confirmed (the hall's entrance code on the phone page, its arrival
 * code at the kiosk, or a helper); calling passes it over until then (tickets/service.ts).
 */

/** Online numbers one proven phone may take in a day, in every hall together. */
const ONLINE_PER_PHONE_PER_DAY = 3;
/** Online numbers one address (IPv6 per /64) may take in a day: a family at home queues for a few. */
const ONLINE_PER_ADDRESS_PER_DAY = 10;
/** Wrong entrance codes one ticket may send before it must confirm at the kiosk or with a helper. */
const ENTRANCE_TRIES = 5;
const HOUR_MS = 3600_000;

/** The start of the clock hour `now` is in, in the hall's time zone: caps count per such hour. */
export function hourStart(now: number, timeZone: string): number {
  const offset = zoneOffset(now, timeZone);
  return Math.floor((now + offset) / HOUR_MS) * HOUR_MS - offset;
}

/** A fresh 8-digit arrival code no ticket of the hall has today. */
async function newArrivalCode(db: Kysely<Database>, hallId: number, day: string): Promise<string> {
  for (;;) {
    const code = randomDigits(8);
    if (!(await arrivalCodeTaken(db, hallId, day, code))) return code;
  }
}

export interface OnlineResult extends IssueResult {
  arrivalCode: string;
}

/**
 * Takes today's number for a service from afar. Refused when the hall has switched the channel
 * off, the service is not offered online or is not issuing now, this hour's online numbers of
 * the service are taken, or the number or the address has taken its share.
 */
export async function queueOnline(deps: WriteDeps, hallId: number, body: { serviceId: number; phone: string }, clientKey: string): Promise<OnlineResult> {
  return inHall(deps, hallId, async (w) => {
    if (!w.hall.settings.onlineQueue) throw new ConflictError('ONLINE_QUEUE_OFF', 'This hall takes no numbers online now: take one at the kiosk.');
    const service = serviceOf(w, body.serviceId);
    if (service.online_per_hour === 0) {
      throw new ConflictError('SERVICE_NOT_ONLINE', `${service.name_zh} gives no numbers online: take one at the kiosk.`, { field: 'body.serviceId' });
    }
    const mine = await onlineOfPhone(w.trx, body.phone, w.now - DAY_MS);
    const open = mine.find((t) => t.hall_id === hallId && t.business_day === w.day && (t.status === 'waiting' || t.status === 'called' || t.status === 'serving' || t.status === 'on_hold'));
    if (open) throw new ConflictError('ALREADY_QUEUED', `This phone number already holds ${open.display_number} in this hall today.`, { field: 'body.phone', ticketNumber: open.display_number });
    if (mine.length >= ONLINE_PER_PHONE_PER_DAY) {
      throw new TooManyRequestsError('QUEUE_RATE_LIMITED', 'Too many numbers taken online with this phone number today; take one at the kiosk.', { field: 'body.phone' });
    }
    if ((await hit(w.trx, `queue:address-day:${clientKey}`, w.now, DAY_MS)) > ONLINE_PER_ADDRESS_PER_DAY) {
      throw new TooManyRequestsError('QUEUE_RATE_LIMITED', 'Too many numbers taken online from this network today; take one at the kiosk.');
    }
    const arrivalCode = await newArrivalCode(w.trx, hallId, w.day);
    const issued = await issueIn(w, { serviceId: service.id, channel: 'online', priorityClass: 'normal', phone: body.phone, arrivalCode }, citizen);
    // Counted after the number is taken: the service's counter row is locked from the take to the
    // commit, so two citizens racing for the hour's last online number cannot both get it.
    if ((await onlineInHourOf(w.trx, hallId, service.id, hourStart(w.now, w.hall.timezone))) > service.online_per_hour) {
      throw new ConflictError('ONLINE_HOUR_FULL', `This hour's ${service.online_per_hour} online numbers for ${service.name_zh} are taken; try after the hour, or take one at the kiosk.`, {
        field: 'body.serviceId', perHour: service.online_per_hour,
      });
    }
    return { ...issued, arrivalCode };
  }, { lockFirst: false });
}

/** What the booking page and a portal show before a citizen queues online: each service offered, with what is left this hour. */
export async function onlineQueueInfo(db: Kysely<Database>, hall: Hall, now: number, smsGateway: boolean): Promise<OnlineQueueInfo> {
  const [services, snapshot] = await Promise.all([serviceRows(db, hall.id), queueSnapshot(db, hall.id, now)]);
  const from = hourStart(now, hall.timezone);
  const rows: OnlineQueueInfo['services'] = [];
  for (const s of snapshot.services) {
    const perHour = services.get(s.serviceId)!.online_per_hour;
    if (!s.active || perHour === 0) continue;
    const taken = await onlineInHourOf(db, hall.id, s.serviceId, from);
    rows.push({
      serviceId: s.serviceId, nameZh: s.nameZh, nameEn: s.nameEn, prefix: s.prefix, issuing: s.issuing, nextOpening: s.nextOpening,
      perHour, leftThisHour: Math.max(0, perHour - taken), waiting: s.waiting, estimatedWaitMinutes: s.estimate.estimatedWaitMinutes,
      materials: s.materials, conditions: services.get(s.serviceId)!.conditions,
    });
  }
  return { open: hall.settings.onlineQueue && smsGateway, graceMinutes: hall.settings.onlineGraceMinutes, services: rows };
}

/**
 * 到厅确认 from the phone page: the citizen scanned the hall's entrance QR code (or typed the
 * code under it), which changes every day. A wrong code is counted; after five the citizen
 * confirms at the kiosk or with a helper.
 */
export async function arriveByEntrance(deps: WriteDeps & { secretKey: Buffer }, token: string, code: string): Promise<TicketRow> {
  const outcome = await write(deps, async (w) => {
    const found = await findLiveByToken(w.trx, token);
    if (!found) throw new NotFoundError('TICKET_NOT_FOUND', 'No ticket has this token.');
    const change = await openHallChange(deps, w, found.hall_id);
    const key = `entrance:${found.id}`;
    // Used up: even the right code is not looked at, so guessing on gains nothing.
    if (Number((await peek(w.trx, [{ key, windowMs: DAY_MS }], w.now)).get(key)?.count ?? 0) >= ENTRANCE_TRIES) return { wrong: 0 };
    if (code !== entranceCode(deps.secretKey, found.hall_id, change.day)) {
      return { wrong: Math.max(0, ENTRANCE_TRIES - await hit(w.trx, key, w.now, DAY_MS)) };
    }
    const ticket = (await findTicket(w.trx, found.hall_id, found.id))!;
    return { ticket: await arriveIn(change, ticket, citizen) };
  });
  if (outcome.ticket) return outcome.ticket;
  if (outcome.wrong === 0) {
    throw new TooManyRequestsError('ENTRANCE_CODE_LOCKED', 'Too many wrong codes: confirm your arrival at the kiosk with your arrival code, or ask a helper.', { field: 'body.code' });
  }
  throw new BadRequestError('ENTRANCE_CODE_INVALID', `That is not today's entrance code of this hall (${outcome.wrong} tries left).`, { field: 'body.code', triesLeft: outcome.wrong });
}

/** 到厅确认 at the kiosk (the citizen types or scans their arrival code) or by a helper. */
export async function arriveByCode(deps: WriteDeps, hallId: number, code: string, actor: Actor): Promise<TicketRow> {
  return inHall(deps, hallId, async (w) => {
    const ticket = await findByArrivalCode(w.trx, hallId, w.day, code);
    if (!ticket) throw new NotFoundError('ARRIVAL_CODE_NOT_FOUND', 'No number taken online today has this arrival code.');
    return arriveIn(w, ticket, actor);
  });
}

/** Today's entrance code of a hall: shown as a QR code on the kiosk at the entrance (and to the manager). */
export function todaysEntranceCode(secretKey: Buffer, hallId: number, day: string): string {
  return entranceCode(secretKey, hallId, day);
}
