import { z } from 'zod';
import { CalendarDay, EpochMs, HallParams, Id, IdParam, ShortText, FreeText } from './common.js';
import { complaintSources, evaluationLevels } from './constants.js';

export { evaluationLevels, isBadLevel, levelNumber } from './constants.js';
export const EvaluationLevel = z.enum(evaluationLevels);
export type EvaluationLevel = z.infer<typeof EvaluationLevel>;

export const levelOf = (n: number): EvaluationLevel => evaluationLevels[n - 1]!;
export const EvaluationParams = HallParams.extend({ evaluationId: IdParam });
export const CaseParams = HallParams.extend({ caseId: IdParam });


export const EvaluationSource = z.enum(['evaluator', 'phone']);
export type EvaluationSource = z.infer<typeof EvaluationSource>;

export const RateBody = z.object({
  level: EvaluationLevel,
  tags: z.array(ShortText(20)).max(10).default([]),
  comment: FreeText(500).optional(),
});
export type RateBody = z.infer<typeof RateBody>;

/** The phone page may leave a number for the call-back (回访); shown in full only to managers. */
export const PhoneRateBody = RateBody.extend({
  contact: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'a phone number').optional(),
});
export type PhoneRateBody = z.infer<typeof PhoneRateBody>;

export const EvaluatorRateBody = RateBody.extend({ ticketId: Id });

export const AppealState = z.enum(['none', 'pending', 'upheld', 'voided']);

export const EvaluationView = z.object({
  id: Id,
  hallId: Id,
  ticketId: Id,
  displayNumber: z.string(),
  serviceId: Id,
  windowId: Id.nullable(),
  staffId: Id.nullable(),
  level: EvaluationLevel,
  tags: z.array(z.string()),
  comment: z.string().nullable(),
  /** Masked (138****5678) for everyone but managers. */
  contact: z.string().nullable(),
  source: EvaluationSource,
  createdAt: EpochMs,
  appealState: AppealState,
  appealReason: z.string().nullable(),
  decisionReason: z.string().nullable(),
  caseId: Id.nullable(),
});
export type EvaluationView = z.infer<typeof EvaluationView>;

export const EvaluationListQuery = z.object({
  from: CalendarDay.optional(),
  to: CalendarDay.optional(),
  level: EvaluationLevel.optional(),
  appealState: AppealState.optional(),
  serviceId: IdParam.optional(),
  windowId: IdParam.optional(),
  /** The clerk rated (managers; a clerk always sees their own only). */
  staffId: IdParam.optional(),
  /** A printed number (A023): the ratings of that number (on any day in the range). */
  displayNumber: z.string().trim().toUpperCase().regex(/^[A-Z]\d{3,4}$/, 'a ticket number such as A023').optional(),
  /** Paging: ratings older than this id (the last one of the previous page). */
  before: IdParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AppealBody = z.object({ reason: ShortText(500) });
export const AppealDecisionBody = z.object({ decision: z.enum(['uphold', 'void']), reason: ShortText(500) });

/** 差评整改 closed loop: open → verified (回访核实) → rectified (整改) → replied (答复群众) → closed. */
export const caseStates = ['open', 'verified', 'rectified', 'replied', 'closed'] as const;
export const CaseState = z.enum(caseStates);
export type CaseState = z.infer<typeof CaseState>;

export const CaseStep = z.object({
  fromState: CaseState.nullable(),
  toState: CaseState,
  note: z.string(),
  staffId: Id.nullable(),
  at: EpochMs,
});

export const ComplaintSource = z.enum(complaintSources);
export type ComplaintSource = z.infer<typeof ComplaintSource>;
/** How a complaint's channel is named in its case's first step. */
export const COMPLAINT_SOURCE_ZH: Record<ComplaintSource, string> = {
  comment_book: '意见簿', hotline_12345: '12345 热线', phone_call: '来电投诉', other: '其他渠道',
};
/** What a case is about: a rating (差评), or a complaint from one of the other channels. */
export const CaseSource = z.enum(['rating', ...complaintSources]);
export type CaseSource = z.infer<typeof CaseSource>;

/**
 * A complaint from another channel, as entered: about a ticket (by its number and day: its service,
 * window and clerk follow) or about a window.
 */
export const ComplaintBody = z.object({
  source: ComplaintSource,
  content: ShortText(1000),
  /** The ticket complained about (A023) and its day (the day received when absent). */
  displayNumber: z.string().trim().toUpperCase().regex(/^[A-Z]\d{3,4}$/, 'a ticket number such as A023').optional(),
  businessDay: CalendarDay.optional(),
  /** The window complained about, when there is no ticket. */
  windowId: Id.optional(),
  contact: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'a phone number').optional(),
  /** The channel's own reference: the 12345 工单号, the 意见簿 page. */
  reference: ShortText(40).optional(),
  /** When it reached the hall (now when absent; never in the future, nor before 2000). */
  receivedAt: EpochMs.pipe(z.number().min(946_684_800_000, 'a time after 2000-01-01')).optional(),
});
export type ComplaintBody = z.infer<typeof ComplaintBody>;

export const ComplaintView = z.object({
  id: Id,
  source: ComplaintSource,
  ticketId: Id.nullable(),
  displayNumber: z.string().nullable(),
  serviceId: Id.nullable(),
  windowId: Id.nullable(),
  staffId: Id.nullable(),
  content: z.string(),
  /** Masked (138****5678) for everyone but managers. */
  contact: z.string().nullable(),
  reference: z.string().nullable(),
  receivedAt: EpochMs,
  enteredBy: Id,
});
export type ComplaintView = z.infer<typeof ComplaintView>;

export const CaseView = z.object({
  id: Id,
  hallId: Id,
  source: CaseSource,
  evaluationId: Id.nullable(),
  state: CaseState,
  ownerStaffId: Id.nullable(),
  verifyDueAt: EpochMs,
  rectifyDueAt: EpochMs,
  overdue: z.boolean(),
  citizenSatisfied: z.boolean().nullable(),
  createdAt: EpochMs,
  closedAt: EpochMs.nullable(),
  /** The rating, for a 差评 case; null for a complaint's. */
  evaluation: EvaluationView.nullable(),
  complaint: ComplaintView.nullable(),
  steps: z.array(CaseStep),
});
export type CaseView = z.infer<typeof CaseView>;

export const CaseListQuery = z.object({
  state: CaseState.optional(),
  source: CaseSource.optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** The window, or the clerk, the rated service was given at. */
  windowId: IdParam.optional(),
  staffId: IdParam.optional(),
  /** Paging: cases older than this id (the last one of the previous page). */
  before: IdParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AssignCaseBody = z.object({ ownerStaffId: Id });
export const AdvanceCaseBody = z.object({
  to: CaseState.exclude(['open']),
  note: ShortText(1000),
  /** Required when closing: did the citizen accept the outcome at the return visit (回访满意)? */
  citizenSatisfied: z.boolean().optional(),
});

export const EvaluatorCurrent = z.object({
  window: z.object({ id: Id, number: z.string(), state: z.string(), staffName: z.string().nullable(), staffId: Id.nullable() }),
  phase: z.enum(['idle', 'serving', 'rating']),
  ticket: z.object({ id: Id, displayNumber: z.string() }).nullable(),
  /** Until when the rating screen stays (rating phase). */
  ratingUntil: EpochMs.nullable(),
});
export type EvaluatorCurrent = z.infer<typeof EvaluatorCurrent>;
