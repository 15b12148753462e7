import { z } from 'zod';
import { CalendarDay, EpochMs, Id } from './common.js';
import { Channel } from './enums.js';

/**
 * The 好差评 feed to the provincial platform: one record per rating, appeal decision and case
 * step, POSTed as JSON (signed like the SMS webhook: x-hall-timestamp, x-hall-signature =
 * sha256=HMAC(secret, `timestamp.body`)). `recordId` is stable: a redelivery after a timeout
 * carries the same one, so the platform keeps each record once. No citizen's name or phone.
 * The fields follow GB/T 39734-2020 (政务服务评价工作指南): the hall, the matter (事项), the
 * window and the clerk's number (工号), the level of five, the channel, the time, the tags and
 * the comment, and for 差评 the state of its follow-up (整改).
 */

/** GB/T 39734's five levels, as the platform names them. */
export const LEVEL_NAMES_ZH = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const;

export const FeedRating = z.object({
  evaluationId: Id,
  /** 1 非常满意 … 5 非常不满意. */
  level: z.number().int().min(1).max(5),
  levelName: z.string(),
  /** Where the citizen rated: the window's evaluator (现场) or their phone page (移动端). */
  ratingChannel: z.enum(['evaluator', 'phone']),
  ratedAt: EpochMs,
  tags: z.array(z.string()),
  comment: z.string().nullable(),
  service: z.object({ id: Id, code: z.string(), name: z.string() }),
  window: z.object({ id: Id, number: z.string() }).nullable(),
  /** 工号 of the clerk who served (null when the hall has not given one), and the name as publicly shown (工作人员公示). */
  staffNumber: z.string().nullable(),
  staffName: z.string().nullable(),
  /** The number the citizen was served on, and how they took it. */
  ticket: z.object({ displayNumber: z.string(), businessDay: CalendarDay, channel: Channel }),
});

export const FeedCaseStep = z.object({
  caseId: Id,
  /** The 差评 the case follows up, or the complaint from another channel. */
  evaluationId: Id.nullable(),
  complaintId: Id.nullable(),
  fromState: z.string().nullable(),
  state: z.enum(['open', 'verified', 'rectified', 'replied', 'closed']),
  note: z.string(),
  at: EpochMs,
  /** 回访: whether the citizen was satisfied with the rectification (set when closed). */
  citizenSatisfied: z.boolean().nullable(),
});

export const FeedAppeal = z.object({
  evaluationId: Id,
  /** upheld: the rating stands; voided: removed from the figures (an appeal the manager granted). */
  decision: z.enum(['upheld', 'voided']),
  decidedAt: EpochMs,
});

export const FeedRecord = z.object({
  recordId: z.string(),
  type: z.enum(['rating', 'appeal', 'case_step']),
  version: z.literal(1),
  hall: z.object({ id: Id, name: z.string() }),
  /** When it happened in the hall. */
  at: EpochMs,
  rating: FeedRating.nullable(),
  appeal: FeedAppeal.nullable(),
  caseStep: FeedCaseStep.nullable(),
});
export type FeedRecord = z.infer<typeof FeedRecord>;

/** A record as the manager sees it: with its delivery state. */
export const FeedRecordView = z.object({
  id: Id,
  recordId: z.string(),
  type: FeedRecord.shape.type,
  /** kept: no feed is configured (EVALUATION_FEED_URL); the record is made and shown, never sent. */
  status: z.enum(['pending', 'sent', 'failed', 'kept']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: EpochMs,
  sentAt: EpochMs.nullable(),
  record: FeedRecord,
});
export type FeedRecordView = z.infer<typeof FeedRecordView>;

export const FeedListQuery = z.object({
  status: FeedRecordView.shape.status.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
