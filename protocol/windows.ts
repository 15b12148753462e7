import { z } from 'zod';
import { EpochMs, Id, patchBody, ShortText } from './common.js';
import { pauseReasons } from './constants.js';
import { SpecialPurpose, WindowKind, WindowState } from './enums.js';
import { OpeningHours } from './hours.js';

/** Ordered service tiers: tiers[0] is tier 1. A comprehensive window needs none (it serves all). */
export const Tiers = z.array(z.array(Id).min(1).max(50)).max(10);

/** 暂停 reasons: 午休, 临时离开, 业务咨询 (answering questions away from the counter), 会议/培训, 其他. */
export const PauseReason = z.enum(pauseReasons);
export type PauseReason = z.infer<typeof PauseReason>;
/** How a pause reason reads in text the server writes (an LED strip's line). */
export const PAUSE_REASON_ZH: Record<PauseReason, string> = { lunch: '午休', away: '临时离开', consulting: '业务咨询', meeting: '会议培训', other: '暂停' };
/** A pause says why; a pause without a body counts as 其他. */
export const PauseBody = z.object({ reason: PauseReason.default('other') }).strict();

export const WindowView = z.object({
  id: Id,
  hallId: Id,
  number: z.string(),
  kind: WindowKind,
  specialPurpose: SpecialPurpose.nullable(),
  active: z.boolean(),
  state: WindowState,
  staffId: Id.nullable(),
  staffName: z.string().nullable(),
  tiers: Tiers,
  createdAt: EpochMs,
  /** While paused: why, and since when. */
  pauseReason: PauseReason.nullable(),
  pausedAt: EpochMs.nullable(),
  /** 值班窗口: the window's own weekly hours beyond the hall's (through lunch, a Saturday morning); empty for none. */
  dutyHours: OpeningHours,
});
export type WindowView = z.infer<typeof WindowView>;

export const CreateWindowBody = z.object({
  number: z.string().trim().regex(/^[0-9A-Za-z]{1,8}$/, 'letters or digits, at most 8'),
  kind: WindowKind,
  specialPurpose: SpecialPurpose.nullable().default(null),
  tiers: Tiers.default([]),
  active: z.boolean().default(true),
  dutyHours: OpeningHours.default([]),
});
export type CreateWindowBody = z.infer<typeof CreateWindowBody>;

export const UpdateWindowBody = patchBody({
  number: CreateWindowBody.shape.number.optional(),
  kind: WindowKind.optional(),
  specialPurpose: SpecialPurpose.nullable().optional(),
  tiers: Tiers.optional(),
  active: z.boolean().optional(),
  dutyHours: OpeningHours.optional(),
});
export type UpdateWindowBody = z.infer<typeof UpdateWindowBody>;

export const Reason = ShortText(200);
