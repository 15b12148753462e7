import { z } from 'zod';
import { EpochMs, HallParams, Id } from './common.js';
import { HallLevel } from './halls.js';

/**
 * 好差评 report, published: each month's figures of a hall (and of the halls below it), without
 * any personal data. A published month is frozen and kept; the current month is provisional.
 */
export const Month = z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
export const ReportParams = HallParams.extend({ month: Month });

const Rate = z.number().nullable();
/** GB/T 39734's headline figures: 好评率, 差评, 差评整改率, 回访满意率 (percent; null with nothing to count). */
export const ReportFigures = z.object({
  served: z.number().int(),
  rated: z.number().int(),
  goodRate: Rate,
  bad: z.number().int(),
  badReplyRate: Rate,
  rectifyRate: Rate,
  rectifySatisfactionRate: Rate,
});
export type ReportFigures = z.infer<typeof ReportFigures>;

export const EvaluationReport = z.object({
  hallId: Id,
  hallName: z.string(),
  level: HallLevel,
  month: Month,
  /** The month is not over, or not yet published: the figures may still change. */
  provisional: z.boolean(),
  publishedAt: EpochMs.nullable(),
  totals: ReportFigures,
  byService: z.array(z.object({ label: z.string(), served: z.number().int(), rated: z.number().int(), goodRate: Rate })),
  /** The halls below (街道, 社区), each with its figures. */
  byHall: z.array(ReportFigures.extend({ hallId: Id, name: z.string(), level: HallLevel })),
});
export type EvaluationReport = z.infer<typeof EvaluationReport>;

export const ReportIndex = z.object({
  hallId: Id,
  hallName: z.string(),
  /** The month now (shown provisional). */
  current: Month,
  published: z.array(z.object({ month: Month, publishedAt: EpochMs })),
});
export type ReportIndex = z.infer<typeof ReportIndex>;
