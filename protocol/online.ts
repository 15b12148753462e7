import { z } from 'zod';
import { CalendarDay, EpochMs, Id, MobilePhone } from './common.js';
import { PhoneCode } from './appointments.js';
import { IssuedTicket } from './tickets.js';

/**
 * 在线排队: today's number from the citizen's phone (the booking page's 「现在排队」, or a 一网通办
 * portal through the public API), after proving the phone number with the one-time code of
 * bookings. The ticket is not in the hall until its arrival is confirmed: the hall's entrance
 * code (a QR code at the entrance, new every day) on the phone page, the ticket's 8-digit
 * arrival code at the kiosk, or a helper.
 */

/** The ticket's own code, typed or scanned at the kiosk or read to a helper. */
export const ArrivalCode = z.string().trim().regex(/^\d{8}$/, 'the 8-digit arrival code');
/** The hall's code of the day, under the QR code at its entrance. */
export const EntranceCode = z.string().trim().regex(/^\d{6}$/, "the 6-digit entrance code of the day");

export const OnlineQueueService = z.object({
  serviceId: Id,
  nameZh: z.string(),
  nameEn: z.string(),
  prefix: z.string(),
  /** Numbers are being issued for it now (the hall's and the service's hours). */
  issuing: z.boolean(),
  nextOpening: EpochMs.nullable(),
  /** Online numbers the service gives each clock hour, and what is left of this hour's. */
  perHour: z.number().int(),
  leftThisHour: z.number().int(),
  waiting: z.number().int(),
  estimatedWaitMinutes: z.number().int().nullable(),
  materials: z.array(z.string()),
  conditions: z.string(),
});

export const OnlineQueueInfo = z.object({
  /** The hall takes numbers online (switched on, and it can send the code that proves a number). */
  open: z.boolean(),
  /** How long a citizen not yet in the hall is passed over, keeping the place, once their turn comes. */
  graceMinutes: z.number().int(),
  services: z.array(OnlineQueueService),
});
export type OnlineQueueInfo = z.infer<typeof OnlineQueueInfo>;

export const OnlineQueueBody = z.object({ serviceId: Id, phone: MobilePhone, code: PhoneCode });

/** The number, its token (the phone page's key: only here) and its arrival code. */
export const OnlineQueued = IssuedTicket.extend({ arrivalCode: ArrivalCode });

export const EntranceArrivalBody = z.object({ code: EntranceCode });
export const ArrivalBody = z.object({ code: ArrivalCode });

/** Today's entrance code and the address its QR code opens. */
export const EntranceView = z.object({ day: CalendarDay, code: EntranceCode, path: z.string() });
