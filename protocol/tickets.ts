import { z } from 'zod';
import { CalendarDay, EpochMs, Id, IdParam, ShortText } from './common.js';
import { Channel, PriorityClass, TicketStatus } from './enums.js';

/**
 * 取号 at a kiosk or by staff. An appointment ticket (called ahead inside its slot) is never taken
 * here: only an appointment's check-in makes one, so a slot named here would jump the queue.
 */
export const IssueTicketBody = z
  .object({
    serviceId: Id,
    /** Defaults by issuer: a kiosk issues `kiosk`, staff issue `helper`. */
    channel: Channel.optional(),
    priorityClass: PriorityClass.default('normal'),
    appointmentStart: z.unknown().optional(),
    appointmentEnd: z.unknown().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.priorityClass === 'appointment') {
      ctx.addIssue({ code: 'custom', path: ['priorityClass'], message: 'appointment tickets are made only by checking in an appointment' });
    }
    if (body.channel === 'appointment') {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'appointment tickets are made only by checking in an appointment' });
    }
    for (const key of ['appointmentStart', 'appointmentEnd'] as const) {
      if (body[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'a slot comes only from an appointment\'s check-in' });
    }
  })
  .transform(({ appointmentStart: _s, appointmentEnd: _e, ...rest }) => rest);
export type IssueTicketBody = z.infer<typeof IssueTicketBody>;

/** What the engine issues: the plain body, or (from a check-in) an appointment with its slot. */
export interface IssueRequest {
  serviceId: number;
  channel: z.infer<typeof Channel>;
  priorityClass: z.infer<typeof PriorityClass>;
  appointmentStart?: number;
  appointmentEnd?: number;
}

export const WaitEstimate = z.object({
  peopleAhead: z.number().int(),
  servingWindows: z.number().int(),
  meanHandlingMinutes: z.number(),
  /** null when no window is able to serve the service at all. */
  estimatedWaitMinutes: z.number().int().nullable(),
});
export type WaitEstimate = z.infer<typeof WaitEstimate>;

export const TicketView = z.object({
  id: Id,
  hallId: Id,
  serviceId: Id,
  businessDay: z.string(),
  number: z.number().int(),
  displayNumber: z.string(),
  channel: Channel,
  priorityClass: PriorityClass,
  status: TicketStatus,
  windowId: Id.nullable(),
  targetWindowId: Id.nullable(),
  parentTicketId: Id.nullable(),
  recallCount: z.number().int(),
  requeueCount: z.number().int(),
  issuedAt: EpochMs,
  queuedAt: EpochMs,
  calledAt: EpochMs.nullable(),
  startedAt: EpochMs.nullable(),
  finishedAt: EpochMs.nullable(),
  appointmentStart: EpochMs.nullable(),
  appointmentEnd: EpochMs.nullable(),
});
export type TicketView = z.infer<typeof TicketView>;

/**
 * A ticket as staff, events and snapshots see it: never with its token, which is the citizen's
 * only key (follow, cancel, rate). The token leaves the server in one place: IssuedTicket.
 */
export const IssuedTicket = z.object({
  /** Only the kiosk or helper that issued the ticket receives the token, to print it on the slip. */
  ticket: TicketView.extend({ token: z.string() }),
  estimate: WaitEstimate,
});

export const TransitionView = z.object({
  fromStatus: TicketStatus.nullable(),
  toStatus: TicketStatus,
  action: z.string(),
  staffId: Id.nullable(),
  deviceId: Id.nullable(),
  windowId: Id.nullable(),
  reason: z.string().nullable(),
  at: EpochMs,
});

export const TicketDetail = z.object({
  ticket: TicketView,
  transitions: z.array(TransitionView),
  estimate: WaitEstimate.nullable(),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

export const TicketListQuery = z.object({
  status: TicketStatus.optional(),
  serviceId: IdParam.optional(),
  windowId: IdParam.optional(),
  businessDay: CalendarDay.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** What the phone page may know: nothing that identifies staff or other citizens. */
export const PublicTicket = z.object({
  displayNumber: z.string(),
  serviceNameZh: z.string(),
  serviceNameEn: z.string(),
  status: TicketStatus,
  windowNumber: z.string().nullable(),
  issuedAt: EpochMs,
  calledAt: EpochMs.nullable(),
  estimate: WaitEstimate.nullable(),
  hallName: z.string(),
  /** The citizen's rating, once given (一次一评). */
  evaluation: z.object({ level: z.string(), createdAt: EpochMs }).nullable(),
  /** Served, not yet rated, and still within the hall's rating period. */
  canEvaluate: z.boolean(),
});
export type PublicTicket = z.infer<typeof PublicTicket>;

export const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'ticket token') });

/* ---- window actions ---- */

/** Optional guard against a stale screen: the action applies only if this is still the ticket. */
export const CurrentTicketGuard = z.object({ ticketId: Id.optional() });

export const CallSpecificBody = z.object({ ticketId: Id, reason: ShortText(200) });
export const TicketIdBody = z.object({ ticketId: Id });
export const TransferBody = z
  .object({
    ticketId: Id.optional(),
    serviceId: Id.optional(),
    windowId: Id.optional(),
    reason: ShortText(200).optional(),
  })
  .refine((b) => b.serviceId !== undefined || b.windowId !== undefined, {
    path: ['serviceId'],
    message: 'give serviceId, windowId or both',
  });
export const HoldBody = z.object({ ticketId: Id.optional(), reason: ShortText(200).optional() });
export const NoShowBody = z.object({ ticketId: Id.optional() });

export const WindowActionResult = z.object({ ticket: TicketView });
export const TransferResult = z.object({ ticket: TicketView, transferredTo: TicketView });
