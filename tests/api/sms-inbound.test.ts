import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHall } from '../../server/halls/service.js';
import { erasePersonalData } from '../../server/privacy/retention.js';
import { buildTestHall, type Client, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall } from '../helpers.js';

/** 短信预约: texts the gateway received — 预约, 取消, 查询 — signed, acted on once, answered by text. */
const SECRET = 'a-secret-of-the-gateway-0123456789';
const HALL_NUMBER = '106900001234';
const CITIZEN = '13812345678';
let t: TestHall;
let manager: Client;
let sent = 0;

beforeEach(async () => {
  t = await buildTestHall({ config: { smsWebhook: { url: 'http://127.0.0.1:9/sms', secret: SECRET } } });
  manager = await t.as('manager');
  expectStatus(await manager.patch(hallUrl(t), { settings: { smsNumber: HALL_NUMBER } }), 200);
});
afterEach(async () => t.close());

function post(payload: unknown, options: { secret?: string; timestamp?: number; raw?: string } = {}) {
  const body = options.raw ?? JSON.stringify(payload);
  const timestamp = String(options.timestamp ?? t.clock.now());
  const signature = crypto.createHmac('sha256', options.secret ?? SECRET).update(`${timestamp}.${body}`).digest('hex');
  return t.app.inject({
    method: 'POST', url: '/api/v1/sms/inbound', payload: body,
    headers: { 'content-type': 'application/json', 'x-hall-timestamp': timestamp, 'x-hall-signature': `sha256=${signature}` },
  });
}
const text = (body: string, from = CITIZEN) => post({ id: `msg-${++sent}`, from, to: HALL_NUMBER, text: body });
const replies = async () => (await t.db.selectFrom('notifications').select(['phone', 'text']).where('kind', '=', 'reply').orderBy('id').execute());

describe('短信预约 (texts received by the SMS gateway)', () => {
  it('books by text in the hall that owns the number, answers with the code, cancels and answers 查询', async () => {
    const booked = expectStatus(await text('预约 社保 明天 上午'), 200);
    expect(booked.action).toBe('booked');
    const code = /签到码 (\d{8})/.exec(booked.reply)![1]!;
    expect(booked.reply).toMatch(/^【示例区政务服务中心】您已预约社会保险 11月26日 09:00–09:30，签到码 \d{8}/);
    const appointment = await t.db.selectFrom('appointments').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
    expect(appointment).toMatchObject({ source: 'sms', phone: CITIZEN, phone_verified: 1, status: 'booked', day: '2026-11-26' });
    // The answer is texted back through the outbox.
    expect(await replies()).toEqual([{ phone: CITIZEN, text: booked.reply }]);

    // 查询: the booking, and today's number with its place.
    expectStatus(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax }), 201);
    const mine = await issue(t, 'tax');
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${mine.token}/phone`, payload: { phone: CITIZEN } }), 200);
    const queried = expectStatus(await text('查询'), 200);
    expect(queried).toMatchObject({ action: 'queried' });
    expect(queried.reply).toContain(`社会保险 11月26日 09:00，签到码 ${code}`);
    expect(queried.reply).toContain(`今日号码 ${mine.displayNumber}，前面还有 1 人`);

    // Someone else's number cannot cancel it; the one who booked can.
    expect(expectStatus(await text(`取消 ${code}`, '13900000000'), 200)).toMatchObject({ action: 'refused' });
    const cancelled = expectStatus(await text(`取消${code}`), 200);
    expect(cancelled).toMatchObject({ action: 'cancelled' });
    expect((await t.db.selectFrom('appointments').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status).toBe('cancelled');

    // The manager sees what came in (numbers masked) and what was done.
    const inbound = expectStatus(await manager.get(hallUrl(t, '/sms/inbound')), 200);
    expect(inbound.map((m: { action: string }) => m.action)).toEqual(['cancelled', 'refused', 'queried', 'booked']);
    expect(inbound[3]).toMatchObject({ from: '138****5678', text: '预约 社保 明天 上午', reply: booked.reply });
    expectError(await (await t.as('clerk01')).get(hallUrl(t, '/sms/inbound')), 403, 'ROLE_FORBIDDEN');

    // After the retention period the number, the words and the answer (its code) are erased; what was done stays.
    const hall = await loadHall(t.db, t.demo.hallId);
    t.clock.advance((hall.settings.personalDataRetentionDays + 1) * 86_400_000);
    expect((await erasePersonalData({ db: t.db, clock: t.clock, bus: t.bus }, hall)).texts).toBe(4);
    expect(await t.db.selectFrom('sms_inbound').select(['phone', 'text', 'reply', 'action']).orderBy('id').execute())
      .toEqual(['booked', 'queried', 'refused', 'cancelled'].map((action) => ({ phone: null, text: null, reply: null, action })));
  });

  it('a text delivered twice is acted on once and answered the same; the booking rules hold', async () => {
    const once = { id: 'gateway-42', from: CITIZEN, to: HALL_NUMBER, text: '预约 不动产 11月27日 10:00' };
    const first = expectStatus(await post(once), 200);
    t.clock.advance(MINUTE);
    expect(expectStatus(await post(once), 200)).toEqual(first);
    expect(first.reply).toContain('不动产登记 11月27日 10:00–10:30');
    expect(await t.db.selectFrom('appointments').select('id').execute()).toHaveLength(1);
    expect(await replies()).toHaveLength(1);
    // A text claimed by a process that died before answering: its redelivery, a while later, is acted on.
    await t.db.insertInto('sms_inbound').values({
      hall_id: t.demo.hallId, message_id: 'gateway-43', phone: CITIZEN, text: '查询', received_at: t.clock.now(), action: 'pending', appointment_id: null, reply: null,
    }).execute();
    const redelivered = { id: 'gateway-43', from: CITIZEN, to: HALL_NUMBER, text: '查询' };
    expect(expectStatus(await post(redelivered), 200)).toEqual({ action: 'pending', reply: null });
    t.clock.advance(3 * MINUTE);
    expect(expectStatus(await post(redelivered), 200)).toMatchObject({ action: 'queried', reply: expect.stringContaining('不动产登记 11月27日 10:00') });
    // The same service on the same day again: the usual rule, in words.
    expect(expectStatus(await text('预约 不动产 11月27日 下午'), 200)).toMatchObject({ action: 'refused', reply: expect.stringContaining('当天已预约该事项') });
    // Words the hall does not know, a service it does not book, a day with nothing left.
    expect(expectStatus(await text('你好'), 200)).toMatchObject({ action: 'help', reply: expect.stringContaining('预约 社保 明天 上午') });
    expect(expectStatus(await text('预约 税务'), 200)).toMatchObject({ action: 'refused', reply: expect.stringContaining('可预约：社会保险、不动产登记') });
    expect(expectStatus(await text('预约 社保 11月29日'), 200)).toMatchObject({ action: 'refused', reply: expect.stringContaining('没有可预约的时段') });
    expect(await t.db.selectFrom('appointments').select('id').execute()).toHaveLength(1);
  });

  it('refuses what is not from the gateway, naming why, and acts on nothing', async () => {
    const body = { id: 'm1', from: CITIZEN, to: HALL_NUMBER, text: '预约 社保 明天' };
    expectError(await post(body, { secret: 'someone-elses-secret-0123456789' }), 401, 'SMS_SIGNATURE_INVALID');
    expectError(await post(body, { timestamp: t.clock.now() - 6 * MINUTE }), 401, 'SMS_SIGNATURE_INVALID');
    const unsigned = await t.app.inject({ method: 'POST', url: '/api/v1/sms/inbound', payload: body });
    expectError(unsigned, 401, 'SMS_SIGNATURE_INVALID');
    expectError(await post(null, { raw: '{"id":' }), 400, 'INVALID_JSON');
    expect(expectError(await post({ ...body, from: '123' }), 400, 'VALIDATION_FAILED').details[0].field).toBe('body.from');
    expect(expectError(await post({ ...body, to: '10690000' }), 400, 'SMS_NUMBER_UNKNOWN').details).toEqual({ field: 'body.to' });
    expect(await t.db.selectFrom('sms_inbound').select('id').execute()).toHaveLength(0);
    expect(await t.db.selectFrom('appointments').select('id').execute()).toHaveLength(0);
    // Without a gateway configured, texts are not taken at all.
    const bare = await buildTestHall();
    try {
      expectError(await bare.app.inject({ method: 'POST', url: '/api/v1/sms/inbound', payload: body }), 503, 'SMS_GATEWAY_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });
});
