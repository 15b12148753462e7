import { z } from 'zod';
import { StaffingNow } from './staffing.js';
import { CalendarDay, Id } from './common.js';
import { Channel } from './enums.js';
import { PauseReason } from './windows.js';
import { ComplaintSource } from './evaluations.js';
import { DAY_MS } from './constants.js';

/** The longest history one request may sum: two years and a bit. */
export const MAX_STATS_DAYS = 800;
/** The longest range the per-clerk, per-service table is counted for (it reads the tickets themselves). */
export const STAFF_SERVICE_DAYS = 92;

export const StatsQuery = z.object({ from: CalendarDay, to: CalendarDay });

/** Days in an inclusive range of calendar days, by arithmetic (no list is built). */
export function daysInRange(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
}
export const statsTables = ['service', 'window', 'staff', 'hour', 'weekday', 'day', 'channel'] as const;
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
  /** Of those served: 办结 (done at once), 补正告知 (told what is missing), 不予受理 (refused with a reason). */
  completed: z.number().int(),
  supplement: z.number().int(),
  rejected: z.number().int(),
  /** 一次办结率: share of the served whose matter was done at this visit. */
  firstTimeRate: Rate,
});
export type StatsRow = z.infer<typeof StatsRow>;

/** 预约 of the period, by the day of their slot. */
export const AppointmentRow = z.object({
  key: z.union([z.number(), z.string()]),
  label: z.string(),
  booked: z.number().int(),
  cancelled: z.number().int(),
  checkedIn: z.number().int(),
  /** Of those checked in: after the priority window, queued as normal. */
  late: z.number().int(),
  /** Never checked in (爽约), once their day is over. */
  missed: z.number().int(),
});
export type AppointmentRow = z.infer<typeof AppointmentRow>;

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
  /** By how the citizen came: 取号机, 帮办, 预约, 手机, 在线排队 (with each one's no-show rate). */
  byChannel: z.array(StatsRow),
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
  /**
   * Complaints from the other channels (意见簿, 12345, calls) received in the period, per channel:
   * the same loop as a 差评's case, counted apart from the ratings' indicators.
   */
  complaints: z.array(z.object({
    source: ComplaintSource,
    received: z.number().int(),
    replied: z.number().int(),
    rectified: z.number().int(),
    closed: z.number().int(),
    overdue: z.number().int(),
    /** Reached 答复群众 / received; reached 整改 / received; satisfied at the return visit / closed (%). */
    replyRate: Rate,
    rectifyRate: Rate,
    satisfactionRate: Rate,
  })),
  appointments: z.object({
    totals: AppointmentRow,
    byService: z.array(AppointmentRow),
    byDay: z.array(AppointmentRow),
    /** Share of the citizens served who came by appointment (%). */
    servedShare: Rate,
  }),
  /**
   * What each clerk served, per service (授权事项 at work): counted from the tickets, for ranges of
   * up to STAFF_SERVICE_DAYS days; null for longer ones (the per-clerk table still covers them).
   */
  byStaffService: z.array(z.object({ staffId: Id, label: z.string(), serviceId: Id, serviceLabel: z.string(), served: z.number().int() })).nullable(),
  /**
   * 补正告知 per service: how many, and which materials were missing how often (the list a hall
   * uses to improve its 办事指南), most often first; for ranges of up to STAFF_SERVICE_DAYS days, null beyond.
   */
  missingMaterials: z.array(z.object({
    serviceId: Id, serviceLabel: z.string(), supplements: z.number().int(),
    materials: z.array(z.object({ material: z.string(), count: z.number().int(), inGuide: z.boolean() })),
  })).nullable(),
  /** 绿色通道 tickets of the period by who granted the priority (null: the citizen at the kiosk) and channel. */
  priorityGrants: z.array(z.object({ grantedBy: Id.nullable(), label: z.string(), channel: Channel, issued: z.number().int() })),
  /** 暂停 of the period per window and reason: how many pauses and their minutes (one still going counts until now). */
  pauses: z.array(z.object({ windowId: Id, label: z.string(), reason: PauseReason, count: z.number().int(), minutes: z.number().int() })),
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
  windowsCalling: z.number().int(),
  /** 排班提示: whether to open more windows now, per pool, with the figures behind it. */
  staffing: StaffingNow,
});
export type LiveStats = z.infer<typeof LiveStats>;
