import { z } from 'zod';
import { StatsRow } from './stats.js';
import { EpochMs, Id, LineText, patchBody, ShortText } from './common.js';
import { defaultSmsTemplates, SmsTemplates } from './notifications.js';

export { OpeningHours } from './hours.js';
import { OpeningHours } from './hours.js';

/** The longest a spoken call may be, filled in with the longest number (A1000) and window number. */
export const ANNOUNCEMENT_MAX = 60;
function announcementLength(template: string): number {
  return template.replaceAll('{number}', 'A 一 零 零 零').replaceAll('{window}', 'W2345678').length;
}

/**
 * 显示分区: a set of windows (一楼A区, 不动产专区) and the displays that show them. A display in a
 * zone shows and speaks only the calls of the zone's windows; a display in no zone, the whole hall.
 */
export const DisplayZone = z.object({
  name: ShortText(40),
  windowIds: z.array(Id).min(1).max(100),
  displayIds: z.array(Id).max(100),
}).strict();
export type DisplayZone = z.infer<typeof DisplayZone>;

export const HallSettings = z.object({
  slaTargetWaitMinutes: z.number().int().min(1).max(600),
  /** 等候达标率 the staffing advice holds: this share of citizens waits at most slaTargetWaitMinutes. */
  staffingGoalPercent: z.number().int().min(50).max(99),
  recallLimit: z.number().int().min(0).max(10),
  agingMinutes: z.number().int().min(1).max(600),
  /** At most ANNOUNCEMENT_MAX characters once filled in: a call is one sentence, not a speech. */
  announcementTemplate: ShortText(200).refine((t) => announcementLength(t) <= ANNOUNCEMENT_MAX, `at most ${ANNOUNCEMENT_MAX} characters once {number} and {window} are filled in`),
  /** How many times the sentence is spoken after the chime; 0: the chime only. */
  announcementRepeat: z.number().int().min(0).max(5),
  /** 静音叫号: no chime and no voice; calls are shown on the display and the citizen's phone only. */
  silentCalls: z.boolean(),
  /** A line of notice scrolled on the hall display; empty for none. */
  displayNotice: LineText(200),
  /** 通知公告: when the notice line leaves the displays by itself (null: shown until taken down). */
  displayNoticeUntil: EpochMs.nullable(),
  /** 差评 follow-up: working days to verify (回访核实) and to rectify (整改); localities use 5, 7 or 15. */
  verifyWorkingDays: z.number().int().min(1).max(30),
  rectifyWorkingDays: z.number().int().min(1).max(60),
  /** How long after service a citizen may still rate from the phone page (GB/T 39734 allows later rating). */
  evaluationPeriodDays: z.number().int().min(1).max(30),
  /** How long the window's evaluator offers the rating screen after a ticket is finished. */
  evaluatorTimeoutSeconds: z.number().int().min(10).max(600),
  /** Managers (and admins) must sign in with a second factor (TOTP); 等保 expects it for administrators. */
  requireTwoFactor: z.boolean(),
  /** 预约: a checked-in appointment is called ahead from this many minutes before its slot to this many after; later, it queues as normal. */
  appointmentEarlyMinutes: z.number().int().min(0).max(120),
  appointmentLateMinutes: z.number().int().min(0).max(120),
  /** Upcoming bookings one phone number may hold in the hall at once. */
  bookingsPerPhone: z.number().int().min(1).max(10),
  /** SMS: the texts of each notice (Chinese, {placeholders}); "N people ahead" is sent once at this many (0: never). */
  smsTemplates: SmsTemplates,
  smsAheadAt: z.number().int().min(0).max(50),
  /** SMS: a booking's reminder goes this many minutes before its slot. */
  smsReminderMinutes: z.number().int().min(10).max(24 * 60),
  /**
   * 网上预约 with no SMS gateway to prove the citizen's number: `staff_only` takes bookings by
   * phone (电话预约, entered by staff) only; `hold_unconfirmed` takes them online but holds them
   * unconfirmed until check-in, at most `unconfirmedPerSlot` such places in a slot. With a gateway
   * every online booking proves its number with a one-time SMS code.
   */
  unverifiedBooking: z.enum(['staff_only', 'hold_unconfirmed']),
  unconfirmedPerSlot: z.number().int().min(0).max(50),
  /** 个人信息保护法: citizens' names and phone numbers are erased this many days after the visit (statistics stay). */
  personalDataRetentionDays: z.number().int().min(30).max(3650),
  displayZones: z.array(DisplayZone).max(30),
  /**
   * The kiosk's 绿色通道: `self` — the citizen says who it is for and takes a priority number;
   * `helper` — priority is confirmed by staff: the kiosk sends the citizen to the 导办台, where a
   * helper issues it with the reason.
   */
  kioskGreenChannel: z.enum(['self', 'helper']),
  /**
   * 短信预约: the hall's SMS service number (the number citizens text). Texts the gateway receives
   * for it book, cancel and query in this hall; null: the hall takes no SMS bookings.
   */
  smsNumber: z.string().trim().regex(/^\d{5,20}$/, '5–20 digits').nullable(),
  /** 在线排队: citizens may take today's number from their phone (services say how many an hour). */
  onlineQueue: z.boolean(),
  /** A citizen who took a number online and is not in the hall when their turn comes keeps the place this long. */
  onlineGraceMinutes: z.number().int().min(1).max(120),
});
export type HallSettings = z.infer<typeof HallSettings>;

export const defaultHallSettings: HallSettings = {
  slaTargetWaitMinutes: 20,
  staffingGoalPercent: 80,
  recallLimit: 2,
  agingMinutes: 30,
  announcementTemplate: '请{number}号到{window}号窗口办理',
  announcementRepeat: 2,
  silentCalls: false,
  displayNotice: '',
  displayNoticeUntil: null,
  verifyWorkingDays: 1,
  rectifyWorkingDays: 5,
  evaluationPeriodDays: 7,
  evaluatorTimeoutSeconds: 90,
  requireTwoFactor: false,
  appointmentEarlyMinutes: 15,
  appointmentLateMinutes: 15,
  bookingsPerPhone: 3,
  smsTemplates: defaultSmsTemplates,
  smsNumber: null,
  smsAheadAt: 3,
  smsReminderMinutes: 120,
  unverifiedBooking: 'hold_unconfirmed',
  unconfirmedPerSlot: 1,
  personalDataRetentionDays: 180,
  displayZones: [],
  kioskGreenChannel: 'self',
  onlineQueue: true,
  onlineGraceMinutes: 15,
};

export const Timezone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false; // Intl throws RangeError for an unknown zone: that is the answer, not an error.
  }
}, 'unknown IANA timezone');

/** 区级中心 → 街道 → 社区: a hall's children are at a deeper level. */
export const HallLevel = z.enum(['district', 'street', 'community']);
export type HallLevel = z.infer<typeof HallLevel>;

export const HallView = z.object({
  id: Id,
  name: z.string(),
  parentId: Id.nullable(),
  level: HallLevel,
  timezone: z.string(),
  openingHours: OpeningHours,
  settings: HallSettings,
  businessDay: z.string(),
  createdAt: EpochMs,
});
export type HallView = z.infer<typeof HallView>;

export const CreateHallBody = z.object({
  name: ShortText(100),
  parentId: Id.nullable().default(null),
  level: HallLevel.default('district'),
  timezone: Timezone.default('Asia/Shanghai'),
  openingHours: OpeningHours.default([]),
  settings: HallSettings.partial().default({}),
  /**
   * Start from another hall's configuration: its services, windows with their tiers, opening
   * hours (unless given here) and settings (those given here win; display zones and the notice
   * are not copied). Staff, devices and tickets are never copied.
   */
  copyFrom: Id.optional(),
});
export type CreateHallBody = z.infer<typeof CreateHallBody>;

export const UpdateHallBody = patchBody({
  name: ShortText(100).optional(),
  /** Admin only: where the hall sits in the tree. */
  parentId: Id.nullable().optional(),
  level: HallLevel.optional(),
  timezone: Timezone.optional(),
  openingHours: OpeningHours.optional(),
  settings: HallSettings.partial().optional(),
});
export type UpdateHallBody = z.infer<typeof UpdateHallBody>;

/** One hall's figures in its district's overview. */
const TreeHall = z.object({ hallId: Id, name: z.string(), level: HallLevel, parentId: Id.nullable(), depth: z.number().int() });

export const TreeLiveRow = z.object({
  waiting: z.number().int(),
  longestWaitMinutes: z.number().nullable(),
  windowsOpen: z.number().int(),
  issuedToday: z.number().int(),
  servedToday: z.number().int(),
});
/** The hall and every hall below it, now: per hall and summed (the longest wait is the longest anywhere). */
export const TreeLive = z.object({ halls: z.array(TreeHall.extend(TreeLiveRow.shape)), total: TreeLiveRow });

/** The hall and every hall below it over a period: per hall and summed (averages weighted by citizens). */
export const TreeStats = z.object({
  from: z.string(),
  to: z.string(),
  halls: z.array(TreeHall.extend({ totals: StatsRow, casesOpened: z.number().int(), casesOverdue: z.number().int() })),
  total: z.object({ totals: StatsRow, casesOpened: z.number().int(), casesOverdue: z.number().int() }),
});
