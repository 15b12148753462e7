import { z } from 'zod';
import { EpochMs, Id, LineText, patchBody, ShortText } from './common.js';

/** 办事指南: the materials to bring, one a line with its note (「居民身份证 原件」, 「户口簿 复印件1份」), each once. */
export const Materials = z.array(ShortText(100)).max(40).superRefine((lines, ctx) => {
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (seen.has(line)) ctx.addIssue({ code: 'custom', path: [i], message: 'listed twice' });
    seen.add(line);
  });
});
/** 办理条件: who may apply and how, in one paragraph. */
export const Conditions = LineText(500);

export const Prefix = z.string().regex(/^[A-Z]$/, 'one capital letter A–Z');

export const ServiceView = z.object({
  id: Id,
  hallId: Id,
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  prefix: z.string(),
  expectedMinutes: z.number(),
  dailyQuota: z.number().int().nullable(),
  active: z.boolean(),
  sortOrder: z.number().int(),
  /** Stops issuing this many minutes before the hall's last closing of the day (不动产: 30). */
  issueCutoffMinutes: z.number().int(),
  /** 预约: bookable this many days ahead (0: not bookable), in slots of this length, each for this many citizens. */
  bookingDaysAhead: z.number().int(),
  slotMinutes: z.number().int(),
  slotCapacity: z.number().int(),
  /** 办事指南 · 一次性告知: what to bring, and the conditions; shown on the slip, the phone page and the booking. */
  materials: z.array(z.string()),
  conditions: z.string(),
  /** 在线排队: numbers given online each clock hour (0: not offered online). */
  onlinePerHour: z.number().int(),
  createdAt: EpochMs,
});
export type ServiceView = z.infer<typeof ServiceView>;

export const CreateServiceBody = z.object({
  code: z.string().trim().regex(/^[a-z0-9_-]{1,32}$/, 'lowercase letters, digits, _ or -, at most 32'),
  nameZh: ShortText(60),
  nameEn: ShortText(80),
  prefix: Prefix,
  expectedMinutes: z.number().positive().max(480),
  dailyQuota: z.number().int().min(1).max(999).nullable().default(null),
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(1000).default(0),
  issueCutoffMinutes: z.number().int().min(0).max(240).default(0),
  bookingDaysAhead: z.number().int().min(0).max(60).default(0),
  slotMinutes: z.number().int().min(5).max(240).default(30),
  slotCapacity: z.number().int().min(1).max(200).default(2),
  materials: Materials.default([]),
  conditions: Conditions.default(''),
  onlinePerHour: z.number().int().min(0).max(500).default(0),
});
export type CreateServiceBody = z.infer<typeof CreateServiceBody>;

// Written out rather than CreateServiceBody.partial(): zod applies defaults inside partial(),
// which would silently reset quota, active and order on every edit.
export const UpdateServiceBody = patchBody({
  code: CreateServiceBody.shape.code.optional(),
  nameZh: ShortText(60).optional(),
  nameEn: ShortText(80).optional(),
  prefix: Prefix.optional(),
  expectedMinutes: z.number().positive().max(480).optional(),
  dailyQuota: z.number().int().min(1).max(999).nullable().optional(),
  active: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(1000).optional(),
  issueCutoffMinutes: z.number().int().min(0).max(240).optional(),
  bookingDaysAhead: z.number().int().min(0).max(60).optional(),
  slotMinutes: z.number().int().min(5).max(240).optional(),
  slotCapacity: z.number().int().min(1).max(200).optional(),
  materials: Materials.optional(),
  conditions: Conditions.optional(),
  onlinePerHour: z.number().int().min(0).max(500).optional(),
});
export type UpdateServiceBody = z.infer<typeof UpdateServiceBody>;
