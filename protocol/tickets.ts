import { z } from 'zod';
import { CalendarDay, EpochMs, Id, IdParam, MobilePhone, ShortText } from './common.js';
import { Channel, PriorityClass, TicketStatus } from './enums.js';
import { greenCategories, TICKET_TOKEN } from './constants.js';

/** How a matter ended at the window: 办结, 补正告知 (一次性告知 of what is missing), 不予受理 (with the reason). */
export const Outcome = z.enum(['done', 'supplement', 'rejected']);
export type Outcome = z.infer<typeof Outcome>;

/** What the citizen was told at the window: the missing materials (补正) or the reason (不予受理). */
export const OutcomeDetail = z.object({
  outcome: Outcome,
  materials: z.array(z.string()),
  reason: z.string().nullable(),
});
export type OutcomeDetail = z.infer<typeof OutcomeDetail>;

/** Who a 绿色通道 is for, as the kiosk asks (老年人, 残疾人, 孕妇, 军人…). */
export const GreenCategory = z.enum(greenCategories);
export type GreenCategory = z.infer<typeof GreenCategory>;
/** How a category is recorded as the ticket's 绿色通道 reason (what the clerk reads). */
export const GREEN_CATEGORY_ZH: Record<GreenCategory, string> = {
  elderly: '老年人', disabled: '残疾人', pregnant: '孕妇', military: '军人、消防救援人员', other: '其他需要优先办理的群众',
};

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
    /** Staff only: the citizen is back with the materials a 补正告知 asked for; this visit continues that ticket. */
    followsTicketId: Id.optional(),
    /** Staff only: a note for the clerk (帮办), and why the ticket goes by the 绿色通道. */
    note: ShortText(200).optional(),
    priorityReason: ShortText(100).optional(),
    /** Who the 绿色通道 is for: a kiosk must say (the citizen chooses); staff may instead of a reason. */
    priorityCategory: GreenCategory.optional(),
    /** Optional: the citizen's mobile number for SMS notices (issued, N ahead, called, rating link). */
    phone: MobilePhone.optional(),
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
    for (const key of ['priorityReason', 'priorityCategory'] as const) {
      if (body[key] !== undefined && body.priorityClass !== 'priority') ctx.addIssue({ code: 'custom', path: [key], message: 'a reason goes with priorityClass priority' });
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
  followsTicketId?: number;
  note?: string;
  priorityReason?: string;
  phone?: string;
  /** 在线排队: the ticket's arrival code; such a ticket is not in the hall until it arrives. */
  arrivalCode?: string;
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
  /** Set once finished. The reason and the materials are in the ticket's detail (staff) and on the phone page. */
  outcome: Outcome.nullable(),
  /** Back with the materials: the earlier ticket this visit continues. */
  followsTicketId: Id.nullable(),
  /** 在线排队: when the citizen was confirmed in the hall (null: not yet; every other ticket at its issue). */
  arrivedAt: EpochMs.nullable(),
  /** When calling first passed the citizen over for not being in the hall (their grace period began). */
  passedAt: EpochMs.nullable(),
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
export type IssuedTicket = z.infer<typeof IssuedTicket>;

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
  outcome: OutcomeDetail.nullable(),
  /** From the helper who issued it (帮办), and why it goes by the 绿色通道. */
  note: z.string().nullable(),
  priorityReason: z.string().nullable(),
  /** The earlier visit's number, day and outcome, when this one continues it. */
  follows: z.object({ id: Id, displayNumber: z.string(), businessDay: z.string(), outcome: OutcomeDetail.nullable() }).nullable(),
  /**
   * Whether the reason, note and outcome details above are shown: only to managers, the clerk at
   * whose window the ticket is and a clerk who served it (otherwise they are null).
   */
  personalDetails: z.boolean(),
  transitions: z.array(TransitionView),
  estimate: WaitEstimate.nullable(),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

export const TicketListQuery = z.object({
  status: TicketStatus.optional(),
  serviceId: IdParam.optional(),
  windowId: IdParam.optional(),
  businessDay: CalendarDay.optional(),
  /** A printed number (A023): with `outcome=supplement`, finds a returning citizen's earlier visit. */
  displayNumber: z.string().trim().toUpperCase().regex(/^[A-Z]\d{3,4}$/, 'a ticket number such as A023').optional(),
  outcome: Outcome.optional(),
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
  outcome: OutcomeDetail.nullable(),
  /** 请携带: the service's materials list and conditions (办事指南), while the citizen is on their way. */
  materials: z.array(z.string()),
  conditions: z.string(),
  /**
   * 在线排队, until the citizen is in the hall: their arrival code (for the kiosk), and once their
   * turn has come, until when the place is kept (then it is a no-show). Null for other tickets.
   */
  online: z.object({
    arrived: z.boolean(),
    arrivalCode: z.string().nullable(),
    graceUntil: EpochMs.nullable(),
    timeZone: z.string(),
  }).nullable(),
});
export type PublicTicket = z.infer<typeof PublicTicket>;

/** The citizen leaves a mobile number for SMS notices after taking the number (kiosk, phone page). */
export const TicketPhoneBody = z.object({ phone: MobilePhone });

export const TokenParams = z.object({ token: z.string().regex(TICKET_TOKEN, 'ticket token') });

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
/** 办结 by default; 补正 lists the missing materials (at least one), 不予受理 gives the reason. */
export const FinishBody = z
  .object({
    ticketId: Id.optional(),
    outcome: Outcome.default('done'),
    materials: z.array(ShortText(100)).min(1).max(30).optional(),
    reason: ShortText(300).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.outcome === 'supplement' && !b.materials) ctx.addIssue({ code: 'custom', path: ['materials'], message: 'list the missing materials' });
    if (b.outcome !== 'supplement' && b.materials) ctx.addIssue({ code: 'custom', path: ['materials'], message: 'materials go with outcome supplement' });
    if (b.outcome === 'rejected' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'give the reason for not accepting' });
    if (b.outcome !== 'rejected' && b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a reason goes with outcome rejected' });
  });
export type FinishBody = z.infer<typeof FinishBody>;

export const HoldBody = z.object({ ticketId: Id.optional(), reason: ShortText(200).optional() });
export const NoShowBody = z.object({ ticketId: Id.optional() });

export const WindowActionResult = z.object({ ticket: TicketView });
export const TransferResult = z.object({ ticket: TicketView, transferredTo: TicketView });
