import { z } from 'zod';
import { MobilePhone, ShortText } from './common.js';
import { EpochMs, Id } from './common.js';

/**
 * SMS notices to a citizen who left a mobile number: the number is issued, N people are ahead,
 * it is called (to which window), a booking's reminder, and the rating link after service.
 */
/** `verification`: a one-time code that proves a booking's phone number (its text is fixed, not a template). */
/** reply: the answer to a citizen's text (短信预约). */
export const NotificationKind = z.enum(['issued', 'ahead', 'called', 'reminder', 'rate', 'verification', 'reply']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** The placeholders a template may use, filled in when the message is made. */
export const TEMPLATE_FIELDS = ['hall', 'number', 'service', 'ahead', 'window', 'time', 'link'] as const;
type Field = (typeof TEMPLATE_FIELDS)[number];

/** An SMS, filled in with the longest values a hall can have, stays within this (a long SMS of at most 8 parts). */
export const SMS_MAX = 500;
const LONGEST: Record<Field, string> = {
  hall: '政'.repeat(100), number: 'A1000', service: '务'.repeat(60), ahead: '999', window: 'W2345678', time: '2026-12-31 23:59', link: `https://${'h'.repeat(60)}/t/${'x'.repeat(22)}`,
};
const Template = ShortText(200)
  .refine((s) => fill(s, LONGEST).length <= SMS_MAX, `at most ${SMS_MAX} characters once filled in with the longest hall name, service name and link`)
  .refine((s) => [...s.matchAll(/\{(\w+)\}/g)].every((m) => (TEMPLATE_FIELDS as readonly string[]).includes(m[1]!)), `placeholders: ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(' ')}`);

export const SmsTemplates = z.object({
  issued: Template,
  ahead: Template,
  called: Template,
  reminder: Template,
  rate: Template,
});
export type SmsTemplates = z.infer<typeof SmsTemplates>;

export const defaultSmsTemplates: SmsTemplates = {
  issued: '【{hall}】您已取号 {number}（{service}），前面还有 {ahead} 人。进度：{link}',
  ahead: '【{hall}】您的号码 {number} 前面还有 {ahead} 人，请回到大厅留意叫号。',
  called: '【{hall}】请 {number} 号到 {window} 号窗口办理。',
  reminder: '【{hall}】您预约了 {time} 办理{service}，请按时到大厅取号机签到。',
  rate: '【{hall}】{number} 已办理完毕，欢迎对本次服务进行评价：{link}',
};

/** A template with its placeholders filled in (unknown or missing ones are left empty). */
export function renderTemplate(template: string, values: Partial<Record<Field, string | number>>): string {
  return fill(template, values).slice(0, SMS_MAX);
}

function fill(template: string, values: Partial<Record<Field, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => String(values[name as Field] ?? ''));
}

/** Sample values for the manager's preview. */
export const SAMPLE_VALUES: Record<Field, string> = {
  hall: '示例区政务服务中心', number: 'A023', service: '社会保险', ahead: '3', window: '5', time: '11月26日 10:00', link: 'http://大厅地址/t/…',
};

export const NotificationView = z.object({
  id: Id,
  kind: NotificationKind,
  /** Masked: 138****5678. */
  to: z.string(),
  text: z.string(),
  /** kept: done with but never sent (no SMS gateway is configured). */
  status: z.enum(['pending', 'sent', 'failed', 'kept']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: EpochMs,
  sentAt: EpochMs.nullable(),
  ticketId: Id.nullable(),
  appointmentId: Id.nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationListQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed', 'kept']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * 短信预约: a text the SMS gateway received, posted to `POST /api/v1/sms/inbound` signed as the
 * outgoing messages are (HMAC-SHA256 of `timestamp.body` with the gateway's secret, headers
 * x-hall-timestamp in epoch ms and x-hall-signature: sha256=<hex>).
 */
export const InboundSmsBody = z.object({
  /** The gateway's id of the message: delivered twice, it is acted on once. */
  id: z.string().trim().min(1).max(100),
  /** The citizen's mobile number. */
  from: MobilePhone,
  /** The number the citizen texted: the hall whose 短信服务号码 it is. */
  to: z.string().trim().regex(/^\d{5,20}$/, '5–20 digits'),
  text: z.string().max(500),
});
export type InboundSmsBody = z.infer<typeof InboundSmsBody>;

export const InboundSmsAction = z.enum(['pending', 'booked', 'cancelled', 'queried', 'help', 'refused']);
/** What was done, and the answer texted back (also in the outbox, kind reply). */
export const InboundSmsAnswer = z.object({ action: InboundSmsAction, reply: z.string().nullable() });

/** A received text as the manager sees it: the number masked, the text erased after the retention period. */
export const InboundSmsView = z.object({
  id: Id,
  from: z.string().nullable(),
  text: z.string().nullable(),
  receivedAt: EpochMs,
  action: InboundSmsAction,
  appointmentId: Id.nullable(),
  reply: z.string().nullable(),
});
export type InboundSmsView = z.infer<typeof InboundSmsView>;
