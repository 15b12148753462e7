import { z } from 'zod';
import { Id } from './common.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const StatsQuery = z.object({ from: Day, to: Day });
export const statsTables = ['service', 'window', 'staff', 'hour', 'weekday', 'day'] as const;
export const StatsTable = z.enum(statsTables);
export const CsvQuery = StatsQuery.extend({ table: StatsTable });

const Minutes = z.number().nullable();
const Rate = z.number().nullable();

export const StatsRow = z.object({
  key: z.union([z.number(), z.string()]),
  label: z.string(),
  issued: z.number().int(),
  served: z.number().int(),
  noShow: z.number().int(),
  cancelled: z.number().int(),
  transferred: z.number().int(),
  expired: z.number().int(),
  waitAvg: Minutes,
  waitMedian: Minutes,
  waitP90: Minutes,
  handlingAvg: Minutes,
  handlingP90: Minutes,
  /** Share of called citizens who waited no longer than the hall's SLA target. */
  slaPercent: Rate,
  noShowRate: Rate,
  rated: z.number().int(),
  goodRate: Rate,
});
export type StatsRow = z.infer<typeof StatsRow>;

export const StatsReport = z.object({
  hallId: Id,
  from: z.string(),
  to: z.string(),
  slaTargetMinutes: z.number(),
  totals: StatsRow,
  byService: z.array(StatsRow),
  byWindow: z.array(StatsRow),
  byStaff: z.array(StatsRow),
  byHour: z.array(StatsRow),
  byWeekday: z.array(StatsRow),
  byDay: z.array(StatsRow),
  indicators: z.object({
    goodRate: Rate,
    activeGoodRate: Rate,
    unratedRate: Rate,
    badReplyRate: Rate,
    rectifyRate: Rate,
    rectifySatisfactionRate: Rate,
  }),
  evaluations: z.object({ rated: z.number().int(), bad: z.number().int(), voided: z.number().int() }),
  cases: z.object({ opened: z.number().int(), closed: z.number().int(), overdue: z.number().int() }),
});
export type StatsReport = z.infer<typeof StatsReport>;

export const LiveStats = z.object({
  hallId: Id,
  businessDay: z.string(),
  issuedToday: z.number().int(),
  servedToday: z.number().int(),
  waiting: z.number().int(),
  longestWaitMinutes: Minutes,
  averageWaitTodayMinutes: Minutes,
  slaTargetMinutes: z.number(),
  windowsOpen: z.number().int(),
  windowsPaused: z.number().int(),
  windowsServing: z.number().int(),
});
export type LiveStats = z.infer<typeof LiveStats>;
