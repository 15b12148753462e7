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

/**
 * 排班提示, live: per pool, whether the windows open now hold the wait target through the coming
 * hour, from the queue now and the hour's expected arrivals (the same weekday of past weeks).
 */
export const StaffingNowPool = z.object({
  pool: StaffingPool,
  /** Citizens waiting now whose service this pool handles first. */
  waiting: z.number().int(),
  /** Expected arrivals in the next 60 minutes. */
  arrivalsNextHour: z.number(),
  handlingMinutes: z.number(),
  /** Windows of the pool open now (calling or serving; paused ones not counted) and those closed that could open. */
  open: z.number().int(),
  closed: z.number().int(),
  /** The fewest windows that hold the target through the hour (≥ open means none to add). */
  advised: z.number().int(),
  /** With the windows open now and as advised: the wait of whoever takes a number now and in an hour (minutes; null when no window is open), and the 达标率 (%) of the hour's arrivals. */
  waitNow: z.number().nullable(),
  waitInHour: z.number().nullable(),
  level: z.number().nullable(),
  waitNowAdvised: z.number().nullable(),
  waitInHourAdvised: z.number().nullable(),
  levelAdvised: z.number().nullable(),
});
export type StaffingNowPool = z.infer<typeof StaffingNowPool>;

export const StaffingNow = z.object({
  targetMinutes: z.number().int(),
  goalPercent: z.number().int(),
  pools: z.array(StaffingNowPool),
});
export type StaffingNow = z.infer<typeof StaffingNow>;

