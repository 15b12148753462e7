import { z } from 'zod';
import { CalendarDay } from './common.js';

/** The pools windows work in: comprehensive windows are one pool; domain and special windows their own. */
export const StaffingPool = z.enum(['comprehensive', 'domain', 'special']);
export type StaffingPool = z.infer<typeof StaffingPool>;

export const StaffingQuery = z.object({
  /** The day to staff (a coming day, or a past one to compare). */
  day: CalendarDay,
  /** How many past weeks of the same weekday to learn from. */
  weeks: z.coerce.number().int().min(1).max(26).default(8),
});

const Percent = z.number().nullable();
export const StaffingHour = z.object({
  /** The hour's start in the hall's time, "09:00". */
  hour: z.string(),
  pool: StaffingPool,
  /** Expected arrivals in the hour (mean over the comparable days). */
  arrivals: z.number(),
  /** Mean handling time of the pool, minutes. */
  handlingMinutes: z.number(),
  /** Windows the pool had calling in that hour on the comparable days (mean). */
  opened: z.number(),
  /** The fewest windows that hold the target. */
  advised: z.number().int(),
  /** 等候达标率 (%) and mean wait (minutes; null when the pool cannot keep up) with the windows opened, rounded, and as advised. */
  levelOpened: Percent,
  levelAdvised: Percent,
  waitOpened: z.number().nullable(),
  waitAdvised: z.number().nullable(),
});
export type StaffingHour = z.infer<typeof StaffingHour>;

export const StaffingAdvice = z.object({
  day: CalendarDay,
  /** The wait target (minutes) and the share of citizens to hold it for (%). */
  targetMinutes: z.number().int(),
  goalPercent: z.number().int(),
  /** The past days learnt from: the same weekday, holidays and make-up days left out. */
  comparableDays: z.array(CalendarDay),
  hours: z.array(StaffingHour),
});
export type StaffingAdvice = z.infer<typeof StaffingAdvice>;
