import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { maskContact } from '../../protocol/masking.js';
import type { InboundSmsBody, InboundSmsView } from '../../protocol/notifications.js';
import { clockTime } from '../../protocol/clock-time.js';
import { book, cancelByCode, slotsOf } from '../appointments/service.js';
import { findByCode, upcomingOfPhone } from '../appointments/repository.js';
import type { Database, SmsInboundRow, SmsInboundTable } from '../db/schema.js';
import type { WriteDeps } from '../db/write.js';
import { system } from '../domain/actor.js';
import { businessDay } from '../domain/business-day.js';
import { parseSmsCommand, servicesNamed } from '../domain/sms-command.js';
import { AppError, BadRequestError, ConflictError, UnauthorizedError } from '../errors.js';
import { listHalls } from '../halls/repository.js';
import { type Hall, toHall } from '../halls/service.js';
import { servicesOfHall } from '../services/service.js';
import { serviceRows } from '../tickets/estimates.js';
import { estimateFor } from '../tickets/queries.js';
import { insertOnce } from './repository.js';

/** How far the gateway's clock may be from ours: a captured delivery cannot be replayed later. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/**
 * Checks the gateway's signature over `timestamp.body` (the raw bytes it sent), as the hall signs
 * what it sends the gateway; refuses a missing, wrong or stale one.
 */
export function verifyGatewaySignature(secret: string, rawBody: string, timestamp: string | undefined, signature: string | undefined, now: number): void {
  const at = Number(timestamp);
  if (!timestamp || !Number.isFinite(at) || Math.abs(now - at) > SIGNATURE_WINDOW_MS) {
    throw new UnauthorizedError('SMS_SIGNATURE_INVALID', 'x-hall-timestamp is missing or more than 5 minutes from the hall\'s clock.');
  }
  const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature ?? '');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('SMS_SIGNATURE_INVALID', 'x-hall-signature does not match the body.');
  }
}

/** How long a text may stay claimed but unanswered before a redelivery takes it over. */
const STALE_CLAIM_MS = 2 * 60_000;

/** The hall whose 短信服务号码 a text was sent to. */
async function hallOfNumber(db: Kysely<Database>, number: string): Promise<Hall> {
  const halls = (await listHalls(db, null)).map(toHall).filter((h) => h.settings.smsNumber === number);
  if (halls.length === 0) throw new BadRequestError('SMS_NUMBER_UNKNOWN', `No hall takes texts at ${number}.`, { field: 'body.to' });
  if (halls.length > 1) throw new ConflictError('SMS_NUMBER_AMBIGUOUS', `Several halls have ${number} as their SMS number; set it in one.`, { field: 'body.to' });
  return halls[0]!;
}

const monthDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

type Outcome = { action: Exclude<SmsInboundTable['action'], 'pending'>; reply: string; appointmentId?: number };

/**
 * 短信预约: a text received by the gateway. It is claimed by its message id first (a text
 * delivered twice is acted on once and answered the same), then read as a command and acted on
 * in the hall that owns the number texted; the answer goes to the outbox to be texted back.
 */
export async function receiveText(deps: WriteDeps, body: InboundSmsBody): Promise<{ action: SmsInboundTable['action']; reply: string | null }> {
  const hall = await hallOfNumber(deps.db, body.to);
  const now = deps.clock.now();
  const claimed = await deps.db.insertInto('sms_inbound').values({
    hall_id: hall.id, message_id: body.id, phone: body.from, text: body.text, received_at: now, action: 'pending', appointment_id: null, reply: null,
  }).onConflict((oc) => oc.column('message_id').doNothing()).executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) {
    const seen = await deps.db.selectFrom('sms_inbound').select(['action', 'reply', 'received_at']).where('message_id', '=', body.id).executeTakeFirstOrThrow();
    // Claimed by a process that died before it answered: after a while a redelivery takes it
    // over (one booking per service, day and number keeps a repeat from booking twice).
    const stale = seen.action === 'pending' && now - seen.received_at > STALE_CLAIM_MS;
    const taken = stale && Number((await deps.db.updateTable('sms_inbound').set({ received_at: now })
      .where('message_id', '=', body.id).where('action', '=', 'pending').where('received_at', '=', seen.received_at).executeTakeFirst()).numUpdatedRows) === 1;
    if (!taken) return { action: seen.action, reply: seen.reply };
  }
  const outcome = await act(deps, hall, body.from, body.text, now);
  const reply = `【${hall.name}】${outcome.reply}`;
  await deps.db.updateTable('sms_inbound').set({ action: outcome.action, reply, appointment_id: outcome.appointmentId ?? null }).where('message_id', '=', body.id).execute();
  await insertOnce(deps.db, {
    hall_id: hall.id, ticket_id: null, appointment_id: null, kind: 'reply', phone: body.from, text: reply,
    status: 'pending', next_attempt_at: now, last_error: null, created_at: now, sent_at: null,
  });
  return { action: outcome.action, reply };
}

const HELP = '短信预约：回复“预约 事项 日期 上午/下午”，如“预约 社保 明天 上午”；取消回复“取消 签到码”；查询回复“查询”。';

async function act(deps: WriteDeps, hall: Hall, phone: string, text: string, now: number): Promise<Outcome> {
  const today = businessDay(now, hall.timezone);
  const command = parseSmsCommand(text, today);
  try {
    if (command.kind === 'help') return { action: 'help', reply: HELP };
    if (command.kind === 'query') return { action: 'queried', reply: await query(deps.db, hall, phone, now) };
    if (command.kind === 'cancel') {
      const row = command.code === null ? undefined : await findByCode(deps.db, command.code);
      // Only the number that booked may cancel by text: a code alone is not enough.
      if (!row || row.hall_id !== hall.id || row.phone !== phone) {
        return { action: 'refused', reply: `未找到本手机号的预约${command.code ? ` ${command.code}` : ''}。${HELP}` };
      }
      const cancelled = await cancelByCode(deps, row.code);
      const service = (await serviceRows(deps.db, hall.id)).get(cancelled.service_id);
      return { action: 'cancelled', appointmentId: cancelled.id, reply: `已取消预约：${service?.name_zh ?? ''} ${monthDay(cancelled.day)} ${clockTime(cancelled.slot_start, hall.timezone)}。` };
    }
    const bookable = (await servicesOfHall(deps.db, hall.id)).filter((s) => s.active === 1 && s.booking_days_ahead > 0);
    const named = servicesNamed(command.service, bookable.map((s) => ({ ...s, nameZh: s.name_zh })));
    if (named.length !== 1) {
      const list = bookable.map((s) => s.name_zh).join('、');
      return { action: 'refused', reply: `${named.length === 0 ? `未找到可预约的事项“${command.service}”` : `“${command.service}”可指${named.map((s) => s.name_zh).join('、')}，请写全称`}。可预约：${list}。` };
    }
    const service = named[0]!;
    const offered = (await slotsOf(deps.db, hall, service.id, now)).days
      .filter((d) => command.day === null || d.day === command.day)
      .flatMap((d) => d.slots.map((s) => ({ ...s, day: d.day })))
      .filter((s) => s.left > 0)
      .filter((s) => {
        const hhmm = clockTime(s.start, hall.timezone);
        if (command.at !== null) return hhmm === command.at;
        return command.period === null || (command.period === 'am') === (hhmm < '12:00');
      });
    const slot = offered[0];
    if (!slot) {
      const when = `${command.day ? monthDay(command.day) : ''}${command.at ?? (command.period === 'am' ? '上午' : command.period === 'pm' ? '下午' : '')}`;
      return { action: 'refused', reply: `${service.name_zh}${when ? ` ${when}` : ''}没有可预约的时段，请换一天或时段再试。` };
    }
    // The text came from this number: it is proven, as a code sent to it would prove it.
    const { code, row } = await book(deps, hall.id, { serviceId: service.id, slotStart: slot.start, name: '短信预约', phone }, 'sms', system, { verified: true, clientKey: null });
    return {
      action: 'booked', appointmentId: row.id,
      reply: `您已预约${service.name_zh} ${monthDay(slot.day)} ${clockTime(slot.start, hall.timezone)}–${clockTime(slot.end, hall.timezone)}，签到码 ${code}。请按时到大厅取号机签到。取消请回复“取消 ${code}”。`,
    };
  } catch (err) {
    // A refusal of the booking rules (one booking a service a day, the limits per number) in words.
    if (err instanceof AppError && err.statusCode < 500) return { action: 'refused', reply: refusalText(err.code) };
    throw err;
  }
}

function refusalText(code: string): string {
  switch (code) {
    case 'ALREADY_BOOKED': return '本手机号当天已预约该事项。回复“查询”可查看。';
    case 'TOO_MANY_BOOKINGS': return '本手机号的预约已达上限，请先取消不需要的预约。';
    case 'BOOKING_RATE_LIMITED': return '本手机号今天的预约次数已达上限，请明天再试或致电大厅。';
    case 'APPOINTMENT_NOT_CANCELLABLE': return '该预约已签到或已过期，不能取消。';
    default: return `暂时无法办理（${code}），请稍后再试或致电大厅。`;
  }
}

/** 查询: the number's next booking in the hall, and its place in today's queue. */
async function query(db: Kysely<Database>, hall: Hall, phone: string, now: number): Promise<string> {
  const services = await serviceRows(db, hall.id);
  const parts: string[] = [];
  const next = (await upcomingOfPhone(db, hall.id, phone, now)).sort((a, b) => a.slot_start - b.slot_start)[0];
  if (next) parts.push(`您的预约：${services.get(next.service_id)?.name_zh ?? ''} ${monthDay(next.day)} ${clockTime(next.slot_start, hall.timezone)}，签到码 ${next.code}。`);
  const waiting = await db.selectFrom('tickets').selectAll().where('hall_id', '=', hall.id).where('business_day', '=', businessDay(now, hall.timezone))
    .where('phone', '=', phone).where('status', 'in', ['waiting', 'called']).orderBy('id').execute();
  for (const t of waiting) {
    const service = services.get(t.service_id)!;
    const estimate = await estimateFor(db, t, hall, service, now);
    parts.push(t.status === 'called' ? `今日号码 ${t.display_number} 正在叫号，请到窗口办理。` : `今日号码 ${t.display_number}，前面还有 ${estimate?.peopleAhead ?? 0} 人。`);
  }
  return parts.length > 0 ? parts.join('') : '您暂无预约，今天也没有排队的号码。';
}

/** Received texts, newest first, as the manager sees them (numbers masked). */
export async function inboundTexts(db: Kysely<Database>, hallId: number, limit: number): Promise<InboundSmsView[]> {
  const rows: SmsInboundRow[] = await db.selectFrom('sms_inbound').selectAll().where('hall_id', '=', hallId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, from: r.phone === null ? null : maskContact(r.phone), text: r.text, receivedAt: r.received_at, action: r.action, appointmentId: r.appointment_id, reply: r.reply,
  }));
}
