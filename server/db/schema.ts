import type { Generated, Insertable, Selectable } from 'kysely';
import type {
  Channel, DeviceKind, PriorityClass, SpecialPurpose, StaffRole, TicketStatus, WindowKind, WindowState,
} from '../../protocol/enums.js';

/** Every table as it is now. Booleans are 0/1 integers, times epoch ms, JSON columns text. */
export interface Database {
  halls: HallsTable;
  hall_event_counters: { hall_id: number; last_seq: number; /** Raised by triggers on every write to the hall's configuration (migration 0015). */ config_version: Generated<number> };
  events: EventsTable;
  services: ServicesTable;
  staff: StaffTable;
  windows: WindowsTable;
  window_services: { window_id: number; service_id: number; tier: number };
  sessions: SessionsTable;
  devices: DevicesTable;
  window_pauses: WindowPausesTable;
  ticket_counters: { hall_id: number; service_id: number; business_day: string; last_number: number };
  tickets: TicketsTable;
  /** Waiting tickets per hall, business day and service, not sent to one window (the live queue's size). */
  queue_counts: { hall_id: number; business_day: string; service_id: number; waiting: number };
  ticket_transitions: TicketTransitionsTable;
  evaluations: EvaluationsTable;
  evaluation_cases: EvaluationCasesTable;
  complaints: ComplaintsTable;
  staff_photos: StaffPhotosTable;
  staff_skills: StaffSkillsTable;
  case_steps: CaseStepsTable;
  stat_rollups: StatRollupsTable;
  /** Whole closed months summed from stat_rollups (month: YYYY-MM). */
  stat_rollups_monthly: Omit<StatRollupsTable, 'business_day'> & { month: string };
  recovery_codes: { staff_id: number; code_hash: string; used_at: number | null };
  audit_log: AuditLogTable;
  hall_calendar: HallCalendarTable;
  appointments: AppointmentsTable;
  notifications: NotificationsTable;
  feed_records: FeedRecordsTable;
  sms_inbound: SmsInboundTable;
  /** 好差评 reports as published: month YYYY-MM, body the EvaluationReport as JSON. */
  published_reports: { hall_id: number; month: string; body: string; published_at: number; published_by: number | null };
  throttles: ThrottlesTable;
  sign_in_addresses: SignInAddressesTable;
  phone_codes: PhoneCodesTable;
  key_checks: KeyChecksTable;
}

export interface KeyChecksTable {
  name: string;
  value: string;
}

/** A counter over a fixed window (failures, requests), increased atomically; see access/throttle.ts. */
export interface ThrottlesTable {
  key: string;
  name: string | null;
  count: number;
  window_start: number;
  blocked_until: number | null;
}

export interface SignInAddressesTable {
  staff_id: number;
  /** The address key (IPv6 per /64) an account signed in from. */
  address: string;
  last_at: number;
}

/** A one-time code sent by SMS to prove a phone number; only its hash is kept. */
export interface PhoneCodesTable {
  id: Generated<number>;
  hall_id: number;
  phone: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  attempts: Generated<number>;
  used_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  hall_id: number | null;
  at: number;
  actor_id: number | null;
  /** The username (or device name, or "system") as it was then. */
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

export interface HallCalendarTable {
  hall_id: number;
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
  /** A make-up working day follows the hours of this weekday (1 = Monday). */
  hours_of_weekday: number | null;
}

export type AuditRow = Selectable<AuditLogTable>;
export type CalendarRow = Selectable<HallCalendarTable>;

export interface StatRollupsTable {
  hall_id: number;
  business_day: string;
  dim: 'all' | 'service' | 'window' | 'staff' | 'hour' | 'channel';
  key: number;
  issued: number;
  served: number;
  no_show: number;
  cancelled: number;
  transferred: number;
  expired: number;
  wait_n: number;
  wait_sum: number;
  wait_sla: number;
  handle_n: number;
  handle_sum: number;
  rated: number;
  good: number;
  bad: number;
  phone_rated: number;
  phone_good: number;
  voided: number;
  /** Histogram buckets w_0…w_46 (waits) and h_0…h_46 (handling): see stats/rollup.ts. */
  [bucket: `w_${number}` | `h_${number}`]: number;
}

export interface EvaluationsTable {
  id: Generated<number>;
  hall_id: number;
  ticket_id: number;
  service_id: number;
  window_id: number | null;
  staff_id: number | null;
  level: number;
  tags: string;
  comment: string | null;
  contact: string | null;
  source: 'evaluator' | 'phone';
  business_day: string;
  created_at: number;
  appeal_state: 'none' | 'pending' | 'upheld' | 'voided';
  appeal_reason: string | null;
  appealed_by: number | null;
  appealed_at: number | null;
  decision_reason: string | null;
  decided_by: number | null;
  decided_at: number | null;
}

export interface EvaluationCasesTable {
  id: Generated<number>;
  hall_id: number;
  /** A case is about a rating (a 差评) or a complaint from another channel: exactly one is set. */
  evaluation_id: number | null;
  complaint_id: number | null;
  state: 'open' | 'verified' | 'rectified' | 'replied' | 'closed';
  owner_staff_id: number | null;
  verify_due_at: number;
  rectify_due_at: number;
  citizen_satisfied: number | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

/** A complaint from another channel (意见簿, 12345, a call), entered by a manager. */
export interface ComplaintsTable {
  id: Generated<number>;
  hall_id: number;
  source: 'comment_book' | 'hotline_12345' | 'phone_call' | 'other';
  ticket_id: number | null;
  service_id: number | null;
  window_id: number | null;
  staff_id: number | null;
  content: string;
  contact: string | null;
  /** The channel's own reference (the 12345 工单号). */
  reference: string | null;
  received_at: number;
  business_day: string;
  entered_by: number;
  created_at: number;
}

export interface CaseStepsTable {
  id: Generated<number>;
  case_id: number;
  from_state: string | null;
  to_state: string;
  note: string;
  staff_id: number | null;
  at: number;
}

/** 好差评 records for the provincial platform (the feed's outbox). */
export interface FeedRecordsTable {
  id: Generated<number>;
  hall_id: number;
  /** The platform's idempotency key: rating:{id}, appeal:{id}, case-step:{id}. */
  record_id: string;
  kind: 'rating' | 'appeal' | 'case_step';
  /** The record as sent (JSON). */
  payload: string;
  /** kept: no feed is configured; made and shown, never sent. */
  status: 'pending' | 'sent' | 'failed' | 'kept';
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}
export type FeedRecordRow = Selectable<FeedRecordsTable>;

export type EvaluationRow = Selectable<EvaluationsTable>;
export type CaseRow = Selectable<EvaluationCasesTable>;
export type ComplaintRow = Selectable<ComplaintsTable>;

export interface HallsTable {
  id: Generated<number>;
  name: string;
  timezone: string;
  opening_hours: string;
  settings: string;
  created_at: number;
  /** The hall above this one (a 社区 hall's 街道, a 街道's 区 centre); null at the top. */
  parent_id: Generated<number | null>;
  level: Generated<'district' | 'street' | 'community'>;
}

export interface EventsTable {
  hall_id: number;
  seq: number;
  type: string;
  window_id: number | null;
  /** The first entry of the citizen's ticket chain (never the token): names the phone page's room. */
  ticket_ref: number | null;
  payload: string;
  created_at: number;
}

export interface ServicesTable {
  id: Generated<number>;
  hall_id: number;
  code: string;
  name_zh: string;
  name_en: string;
  prefix: string;
  expected_minutes: number;
  daily_quota: number | null;
  active: number;
  sort_order: number;
  ewma_handling_ms: number;
  created_at: number;
  issue_cutoff_minutes: Generated<number>;
  /** 预约: bookable this many days ahead (0: not bookable), in slots of this length and capacity. */
  booking_days_ahead: Generated<number>;
  slot_minutes: Generated<number>;
  slot_capacity: Generated<number>;
  /** 办事指南: the materials to bring, a JSON array of lines (「居民身份证 原件」), and the conditions. */
  materials: Generated<string>;
  conditions: Generated<string>;
  /** 在线排队: numbers given online each clock hour (0: not offered online). */
  online_per_hour: Generated<number>;
}

export interface StaffTable {
  id: Generated<number>;
  hall_id: number | null;
  username: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  disabled: number;
  created_at: number;
  must_change_password: Generated<number>;
  totp_secret: string | null;
  totp_enabled_at: number | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  /** 工号: the staff number published beside the name (工作人员公示). */
  staff_number: Generated<string | null>;
}

/** 授权事项: a service a staff member may handle, as 主办 (lead) or 协办 (assist). */
export interface StaffSkillsTable {
  staff_id: number;
  service_id: number;
  level: 'lead' | 'assist';
}

/** A staff member's photo for the window screens' 工作人员公示. */
export interface StaffPhotosTable {
  staff_id: number;
  mime: string;
  data: Buffer;
  sha256: string;
  updated_at: number;
}

export interface WindowsTable {
  id: Generated<number>;
  hall_id: number;
  number: string;
  kind: WindowKind;
  special_purpose: SpecialPurpose | null;
  active: number;
  state: WindowState;
  staff_id: number | null;
  created_at: number;
  /** While paused: why (PauseReason) and since when. */
  pause_reason: Generated<string | null>;
  paused_at: Generated<number | null>;
  /** 评价 pressed on the window's keypad: the evaluator offers the rating again from then. */
  rating_invited_at: Generated<number | null>;
  /** 值班窗口: the window's own weekly hours beyond the hall's (OpeningHours as JSON; '[]' for none). */
  duty_hours: Generated<string>;
}

/** One pause of a window, for the statistics of paused minutes per window and reason. */
export interface WindowPausesTable {
  id: Generated<number>;
  hall_id: number;
  window_id: number;
  staff_id: number | null;
  reason: string;
  business_day: string;
  started_at: number;
  ended_at: number | null;
}

export interface SessionsTable {
  id: string;
  staff_id: number;
  csrf_token: string;
  window_id: number | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  last_seen_at: number;
}

export interface DevicesTable {
  id: Generated<number>;
  hall_id: number;
  kind: DeviceKind;
  name: string;
  window_id: number | null;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
  /** A display's last report: sound allowed without a tap, a zh-CN voice installed (1/0), and when. */
  sound_allowed: number | null;
  chinese_voice: number | null;
  sound_reported_at: number | null;
}

export interface TicketsTable {
  id: Generated<number>;
  hall_id: number;
  service_id: number;
  business_day: string;
  number: number;
  display_number: string;
  token: string;
  channel: Channel;
  priority_class: PriorityClass;
  status: TicketStatus;
  window_id: number | null;
  staff_id: number | null;
  target_window_id: number | null;
  parent_ticket_id: number | null;
  /** The window a transfer sent this citizen away from: its 叫号 passes them over. */
  avoid_window_id: number | null;
  recall_count: number;
  requeue_count: number;
  issued_at: number;
  queued_at: number;
  called_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  appointment_start: number | null;
  appointment_end: number | null;
  issued_by_staff_id: number | null;
  issued_by_device_id: number | null;
  updated_at: number;
  /** How the matter ended at the window (set when finished). */
  outcome: Generated<'done' | 'supplement' | 'rejected' | null>;
  /** 不予受理: why (shown to the citizen on the phone page). */
  outcome_reason: Generated<string | null>;
  /** 补正告知: the missing materials, a JSON array of strings (一次性告知). */
  missing_materials: Generated<string | null>;
  /** Back with the materials: the earlier ticket this visit continues. */
  follows_ticket_id: Generated<number | null>;
  /** 帮办: a note for the clerk from the helper who issued the ticket. */
  note: Generated<string | null>;
  /** Why a staff-issued ticket goes by the 绿色通道 (老年人, 残疾人, 孕妇…). */
  priority_reason: Generated<string | null>;
  /** 在线排队: when the citizen was confirmed in the hall (null: not yet); every other ticket at its issue. */
  arrived_at: number | null;
  /** When calling first passed the citizen over for not being in the hall: their grace period's start. */
  passed_at: number | null;
  /** 在线排队: the 8-digit code typed or scanned at the kiosk to confirm arrival. */
  arrival_code: string | null;
  /** The helper or manager who granted the 绿色通道 (null: the kiosk, or not priority). */
  priority_granted_by: Generated<number | null>;
  /** The citizen's mobile number for SMS notices, when they left one; never in any view or event. */
  phone: Generated<string | null>;
}

export interface TicketTransitionsTable {
  id: Generated<number>;
  ticket_id: number;
  hall_id: number;
  from_status: TicketStatus | null;
  to_status: TicketStatus;
  action: string;
  staff_id: number | null;
  device_id: number | null;
  window_id: number | null;
  reason: string | null;
  at: number;
}

export type HallRow = Selectable<HallsTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type StaffRow = Selectable<StaffTable>;
export type WindowRow = Selectable<WindowsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type TicketRow = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TransitionRow = Selectable<TicketTransitionsTable>;

export interface AppointmentsTable {
  id: Generated<number>;
  hall_id: number;
  service_id: number;
  /** The business day of the slot, in the hall's timezone. */
  day: string;
  slot_start: number;
  slot_end: number;
  citizen_name: string;
  /** In full: the SMS notices need it; every view masks it but the manager's. */
  phone: string;
  /** The check-in code (8 digits) on the citizen's confirmation and QR. */
  code: string;
  source: 'online' | 'phone' | 'onsite' | 'sms';
  status: 'booked' | 'checked_in' | 'cancelled' | 'missed';
  /** At check-in: 1 when the citizen came after the priority window and queued as normal. */
  late: number | null;
  ticket_id: number | null;
  created_by_staff_id: number | null;
  created_at: number;
  checked_in_at: number | null;
  cancelled_at: number | null;
  reminded_at: Generated<number | null>;
  /** 0: booked online without a proven number (a hall with no SMS gateway): held unconfirmed until check-in. */
  phone_verified: Generated<number>;
  /** The booker's address key (IPv6 per /64) for online bookings, counted per address. */
  client_key: string | null;
}
export type AppointmentRow = Selectable<AppointmentsTable>;

export interface NotificationsTable {
  id: Generated<number>;
  hall_id: number;
  ticket_id: number | null;
  appointment_id: number | null;
  kind: 'issued' | 'ahead' | 'called' | 'reminder' | 'rate' | 'verification' | 'reply';
  phone: string;
  text: string;
  /** pending: waiting for (another) attempt; sent: handed over; failed: given up after the last retry; kept: no gateway, never sent. */
  status: 'pending' | 'sent' | 'failed' | 'kept';
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}
export type NotificationRow = Selectable<NotificationsTable>;

/** 短信预约: a text the gateway received, what was done with it and the answer sent (in the outbox). */
export interface SmsInboundTable {
  id: Generated<number>;
  hall_id: number;
  /** The gateway's id of the message: a text delivered twice is acted on once. */
  message_id: string;
  /** Erased with the hall's retention period, as outgoing messages' numbers are. */
  phone: string | null;
  text: string | null;
  received_at: number;
  /** pending while being acted on; then booked, cancelled, queried, help or refused. */
  action: 'pending' | 'booked' | 'cancelled' | 'queried' | 'help' | 'refused';
  appointment_id: number | null;
  reply: string | null;
}
export type SmsInboundRow = Selectable<SmsInboundTable>;
