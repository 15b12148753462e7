import { StaffingAdvice, StaffingQuery } from './staffing.js';
import { WindowScreenView } from './window-screen.js';
import { CallerAnswer, CallerKeyBody, LedQuery } from './caller.js';
import { z } from 'zod';
import {
  AppointmentListQuery, AppointmentParams, AppointmentView, BookBody, PhoneCodeBody, PhoneCodeSent, Booked, BookingInfo, CheckedIn, CheckInBody, CodeParams, PublicAppointment,
  PublicHall, SlotsAnswer, SlotsParams, StaffBookBody, StaffBooked,
} from './appointments.js';
import { AuditEntry, AuditQuery, ChangePasswordBody, LoginBody, RecoveryCodes, SessionView, TotpConfirmBody, TotpDisableBody, RecoveryCodesBody, TotpSetup } from './auth.js';
import { CalendarYear, CalendarYearBody, YearParams } from './calendar.js';
import { DeviceParams, HallParams, Ok, ServiceParams, StaffParams, TicketParams, WindowParams } from './common.js';
import { CreateDeviceBody, DeviceSelf, DeviceSoundBody, DeviceView, DeviceWithToken } from './devices.js';
import {
  AdvanceCaseBody, AppealBody, AppealDecisionBody, AssignCaseBody, CaseListQuery, CaseParams, CaseView, ComplaintBody, EvaluationListQuery,
  EvaluationParams, EvaluationView, EvaluatorCurrent, EvaluatorRateBody, PhoneRateBody,
} from './evaluations.js';
import { EventsPage, EventsQuery } from './events.js';
import { FeedListQuery, FeedRecordView } from './feed.js';
import { ArrivalBody, EntranceArrivalBody, EntranceView, OnlineQueueBody, OnlineQueued, OnlineQueueInfo } from './online.js';
import { EvaluationReport, ReportIndex, ReportParams } from './reports.js';
import { InboundSmsAnswer, InboundSmsBody, InboundSmsView, NotificationListQuery, NotificationView } from './notifications.js';
import { CreateHallBody, HallView, TreeLive, TreeStats, UpdateHallBody } from './halls.js';
import { QueueSnapshot } from './queue.js';
import { CreateServiceBody, ServiceView, UpdateServiceBody } from './services.js';
import { CreateStaffBody, ResetPasswordAnswer, ResetPasswordBody, StaffSkill, StaffSkillsBody, StaffView, StaffWithPassword, UpdateStaffBody } from './staff.js';
import { CsvQuery, LiveStats, StatsQuery, StatsReport } from './stats.js';
import {
  CallSpecificBody, CurrentTicketGuard, FinishBody, HoldBody, IssuedTicket, IssueTicketBody, PublicTicket, TicketDetail, TicketIdBody,
  TicketListQuery, TicketPhoneBody, TicketView, TokenParams, TransferBody, TransferResult, WindowActionResult,
} from './tickets.js';
import { CreateWindowBody, PauseBody, UpdateWindowBody, WindowView } from './windows.js';

/**
 * What each HTTP route under /api/v1 takes and answers, in Fastify's schema shape, keyed by
 * "METHOD /path". The server's routes spread their entry into their schema (a test checks every
 * route is here, with these very objects); the pages' client (`ui-shared/api.ts`) takes its
 * types from here and, in development and tests, checks every answer against it.
 */
export interface RouteContract {
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  response?: Record<number, z.ZodType>;
}

const current = CurrentTicketGuard.nullish();
const single = { 200: WindowActionResult };

export const API = {
  // accounts
  'POST /auth/login': { body: LoginBody, response: { 200: SessionView } },
  'POST /auth/logout': { response: { 200: Ok } },
  'GET /auth/me': { response: { 200: SessionView } },
  'POST /auth/password': { body: ChangePasswordBody, response: { 200: SessionView } },
  'POST /auth/two-factor/setup': { response: { 200: TotpSetup } },
  'POST /auth/two-factor/confirm': { body: TotpConfirmBody, response: { 200: RecoveryCodes } },
  'POST /auth/two-factor/recovery-codes': { body: RecoveryCodesBody, response: { 200: RecoveryCodes } },
  'POST /auth/two-factor/disable': { body: TotpDisableBody, response: { 200: Ok } },
  'GET /audit': { querystring: AuditQuery, response: { 200: z.array(AuditEntry) } },

  // halls and their configuration
  'GET /halls': { response: { 200: z.array(HallView) } },
  'POST /halls': { body: CreateHallBody, response: { 201: HallView } },
  'GET /halls/:hallId': { params: HallParams, response: { 200: HallView } },
  'PATCH /halls/:hallId': { params: HallParams, body: UpdateHallBody, response: { 200: HallView } },
  'GET /halls/:hallId/queue': { params: HallParams, response: { 200: QueueSnapshot } },
  'GET /halls/:hallId/events': { params: HallParams, querystring: EventsQuery, response: { 200: EventsPage } },
  'POST /halls/:hallId/expire': { params: HallParams, response: { 200: z.object({ expired: z.number().int() }) } },
  'GET /halls/:hallId/calendar/:year': { params: YearParams, response: { 200: CalendarYear } },
  'PUT /halls/:hallId/calendar/:year': { params: YearParams, body: CalendarYearBody, response: { 200: Ok } },
  'GET /halls/:hallId/services': { params: HallParams, response: { 200: z.array(ServiceView) } },
  'POST /halls/:hallId/services': { params: HallParams, body: CreateServiceBody, response: { 201: ServiceView } },
  'PATCH /halls/:hallId/services/:serviceId': { params: ServiceParams, body: UpdateServiceBody, response: { 200: ServiceView } },
  'GET /halls/:hallId/staff': { params: HallParams, response: { 200: z.array(StaffView) } },
  'POST /halls/:hallId/staff': { params: HallParams, body: CreateStaffBody, response: { 201: StaffWithPassword } },
  'PATCH /halls/:hallId/staff/:staffId': { params: StaffParams, body: UpdateStaffBody, response: { 200: StaffView } },
  'PUT /halls/:hallId/staff/:staffId/skills': { params: StaffParams, body: StaffSkillsBody, response: { 200: z.array(StaffSkill) } },
  'PUT /halls/:hallId/staff/:staffId/photo': { params: StaffParams, response: { 200: Ok } },
  'GET /halls/:hallId/staff/:staffId/photo': { params: StaffParams },
  'DELETE /halls/:hallId/staff/:staffId/photo': { params: StaffParams, response: { 200: Ok } },
  'POST /halls/:hallId/staff/:staffId/reset-password': { params: StaffParams, body: ResetPasswordBody.nullish(), response: { 200: ResetPasswordAnswer } },
  'GET /devices/me': { response: { 200: DeviceSelf } },
  'POST /caller/keys': { body: CallerKeyBody, response: { 200: CallerAnswer } },
  'GET /caller/state': { response: { 200: CallerAnswer } },
  'GET /led/text': { querystring: LedQuery },
  'GET /window-screen/current': { response: { 200: WindowScreenView } },
  'POST /devices/me/sound': { body: DeviceSoundBody, response: { 200: Ok } },
  'GET /halls/:hallId/devices': { params: HallParams, response: { 200: z.array(DeviceView) } },
  'POST /halls/:hallId/devices': { params: HallParams, body: CreateDeviceBody, response: { 201: DeviceWithToken } },
  'POST /halls/:hallId/devices/:deviceId/revoke': { params: DeviceParams, response: { 200: DeviceView } },

  // windows and the clerk's actions
  'GET /halls/:hallId/windows': { params: HallParams, response: { 200: z.array(WindowView) } },
  'POST /halls/:hallId/windows': { params: HallParams, body: CreateWindowBody, response: { 201: WindowView } },
  'GET /halls/:hallId/windows/:windowId': { params: WindowParams, response: { 200: WindowView } },
  'PATCH /halls/:hallId/windows/:windowId': { params: WindowParams, body: UpdateWindowBody, response: { 200: WindowView } },
  'POST /halls/:hallId/windows/:windowId/sign-in': { params: WindowParams, response: { 200: WindowView } },
  'POST /halls/:hallId/windows/:windowId/sign-out': { params: WindowParams, response: { 200: WindowView } },
  'POST /halls/:hallId/windows/:windowId/pause': { params: WindowParams, body: PauseBody.nullish(), response: { 200: WindowView } },
  'POST /halls/:hallId/windows/:windowId/resume': { params: WindowParams, response: { 200: WindowView } },
  'POST /halls/:hallId/windows/:windowId/call-next': { params: WindowParams, response: { 200: z.object({ ticket: TicketView.nullable() }) } },
  'POST /halls/:hallId/windows/:windowId/call': { params: WindowParams, body: CallSpecificBody, response: single },
  'POST /halls/:hallId/windows/:windowId/recall': { params: WindowParams, body: current, response: single },
  'POST /halls/:hallId/windows/:windowId/start': { params: WindowParams, body: current, response: single },
  'POST /halls/:hallId/windows/:windowId/finish': { params: WindowParams, body: FinishBody.nullish(), response: single },
  'POST /halls/:hallId/windows/:windowId/no-show': { params: WindowParams, body: current, response: single },
  'POST /halls/:hallId/windows/:windowId/hold': { params: WindowParams, body: HoldBody.nullish(), response: single },
  'POST /halls/:hallId/windows/:windowId/call-back': { params: WindowParams, body: TicketIdBody, response: single },
  'POST /halls/:hallId/windows/:windowId/transfer': { params: WindowParams, body: TransferBody, response: { 200: TransferResult } },
  'POST /halls/:hallId/windows/:windowId/requeue': { params: WindowParams, body: TicketIdBody, response: single },

  // tickets
  'POST /halls/:hallId/tickets': { params: HallParams, body: IssueTicketBody, response: { 201: IssuedTicket } },
  'GET /halls/:hallId/tickets': { params: HallParams, querystring: TicketListQuery, response: { 200: z.array(TicketView) } },
  'GET /halls/:hallId/tickets/:ticketId': { params: TicketParams, response: { 200: TicketDetail } },
  'POST /halls/:hallId/tickets/:ticketId/cancel': { params: TicketParams, response: { 200: TicketView } },
  'GET /public/tickets/:token': { params: TokenParams, response: { 200: PublicTicket } },
  'POST /public/tickets/:token/cancel': { params: TokenParams, response: { 200: PublicTicket } },
  'POST /public/tickets/:token/evaluation': { params: TokenParams, body: PhoneRateBody, response: { 201: PublicTicket } },

  // 预约
  'GET /public/halls': { response: { 200: z.array(PublicHall) } },
  'GET /public/halls/:hallId/booking': { params: HallParams, response: { 200: BookingInfo } },
  'GET /public/halls/:hallId/services/:serviceId/slots': { params: SlotsParams, response: { 200: SlotsAnswer } },
  'POST /public/halls/:hallId/phone-codes': { params: HallParams, body: PhoneCodeBody, response: { 202: PhoneCodeSent } },
  'POST /public/halls/:hallId/appointments': { params: HallParams, body: BookBody, response: { 201: Booked } },
  'GET /public/appointments/:code': { params: CodeParams, response: { 200: PublicAppointment } },
  'POST /public/appointments/:code/cancel': { params: CodeParams, response: { 200: PublicAppointment } },
  'POST /halls/:hallId/appointments': { params: HallParams, body: StaffBookBody, response: { 201: StaffBooked } },
  'GET /halls/:hallId/appointments': { params: HallParams, querystring: AppointmentListQuery, response: { 200: z.array(AppointmentView) } },
  'POST /halls/:hallId/appointments/:appointmentId/cancel': { params: AppointmentParams, response: { 200: AppointmentView } },
  'POST /halls/:hallId/appointments/check-in': { params: HallParams, body: CheckInBody, response: { 201: CheckedIn } },

  // 在线排队
  'GET /public/halls/:hallId/queue': { params: HallParams, response: { 200: OnlineQueueInfo } },
  'POST /public/halls/:hallId/queue': { params: HallParams, body: OnlineQueueBody, response: { 201: OnlineQueued } },
  'POST /public/tickets/:token/arrive': { params: TokenParams, body: EntranceArrivalBody, response: { 200: PublicTicket } },
  'POST /halls/:hallId/tickets/arrive': { params: HallParams, body: ArrivalBody, response: { 200: TicketView } },
  'POST /halls/:hallId/tickets/:ticketId/arrive': { params: TicketParams, response: { 200: TicketView } },
  'GET /halls/:hallId/entrance': { params: HallParams, response: { 200: EntranceView } },

  // SMS
  'GET /halls/:hallId/notifications': { params: HallParams, querystring: NotificationListQuery, response: { 200: z.array(NotificationView) } },
  'GET /halls/:hallId/sms/inbound': { params: HallParams, querystring: NotificationListQuery.pick({ limit: true }), response: { 200: z.array(InboundSmsView) } },
  'POST /sms/inbound': { body: InboundSmsBody, response: { 200: InboundSmsAnswer } },
  'GET /halls/:hallId/evaluation-feed': { params: HallParams, querystring: FeedListQuery, response: { 200: z.array(FeedRecordView) } },
  'POST /halls/:hallId/evaluation-feed/retry': { params: HallParams, response: { 200: z.object({ retried: z.number().int() }) } },
  'GET /public/halls/:hallId/evaluation-reports': { params: HallParams, response: { 200: ReportIndex } },
  'GET /public/halls/:hallId/evaluation-reports/:month': { params: ReportParams, response: { 200: EvaluationReport } },
  'GET /public/halls/:hallId/evaluation-reports/:month/csv': { params: ReportParams },
  'POST /halls/:hallId/evaluation-reports/:month/publish': { params: ReportParams, response: { 201: EvaluationReport } },
  'POST /public/tickets/:token/phone': { params: TokenParams, body: TicketPhoneBody, response: { 200: PublicTicket } },

  // 好差评
  'GET /evaluator/current': { response: { 200: EvaluatorCurrent } },
  'POST /evaluator/evaluations': { body: EvaluatorRateBody, response: { 201: z.object({ id: z.number().int() }) } },
  'GET /halls/:hallId/evaluations': { params: HallParams, querystring: EvaluationListQuery, response: { 200: z.array(EvaluationView) } },
  'POST /halls/:hallId/evaluations/:evaluationId/appeal': { params: EvaluationParams, body: AppealBody, response: { 200: EvaluationView } },
  'POST /halls/:hallId/evaluations/:evaluationId/appeal-decision': { params: EvaluationParams, body: AppealDecisionBody, response: { 200: EvaluationView } },
  'GET /halls/:hallId/cases': { params: HallParams, querystring: CaseListQuery, response: { 200: z.array(CaseView) } },
  'GET /halls/:hallId/cases/:caseId': { params: CaseParams, response: { 200: CaseView } },
  'POST /halls/:hallId/complaints': { params: HallParams, body: ComplaintBody, response: { 201: CaseView } },
  'POST /halls/:hallId/cases/:caseId/assign': { params: CaseParams, body: AssignCaseBody, response: { 200: CaseView } },
  'POST /halls/:hallId/cases/:caseId/advance': { params: CaseParams, body: AdvanceCaseBody, response: { 200: CaseView } },

  // statistics (the CSV answers text, so it has no response schema)
  'GET /halls/:hallId/stats': { params: HallParams, querystring: StatsQuery, response: { 200: StatsReport } },
  'GET /halls/:hallId/stats/live': { params: HallParams, response: { 200: LiveStats } },
  'GET /halls/:hallId/stats/staffing': { params: HallParams, querystring: StaffingQuery, response: { 200: StaffingAdvice } },
  'GET /halls/:hallId/stats.csv': { params: HallParams, querystring: CsvQuery },
  'GET /halls/:hallId/tree/live': { params: HallParams, response: { 200: TreeLive } },
  'GET /halls/:hallId/tree/stats': { params: HallParams, querystring: StatsQuery, response: { 200: TreeStats } },
} as const satisfies Record<string, RouteContract>;

export type Api = typeof API;
export type RouteKey = keyof Api;
