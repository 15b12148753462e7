import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import {
  buildTestHall, clerkAt, Client, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl, stubWebhook } from '../helpers.js';

let t: TestHall;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function outbox(hall: TestHall) {
  await hall.app.notifier.idle;
  return expectStatus(await (await hall.as('manager')).get(hallUrl(hall, '/notifications?limit=500')), 200) as
    { kind: string; to: string; text: string; status: string; attempts: number; lastError: string | null; ticketId: number | null }[];
}

/** The stand-in SMS gateway, closed after the test. */
async function gateway(statuses: number[]) {
  const stub = await stubWebhook(statuses, '/sms');
  closers.push(stub.close);
  return stub;
}

describe('SMS notices', () => {
  it('a citizen who left a number is told: issued, N ahead, called, then the rating link; others get nothing; the outbox keeps every message', async () => {
    t = await buildTestHall({ config: { publicUrl: 'http://hall.example' } });
    closers.push(() => t.close());
    const clerk = await clerkAt(t, 'clerk01', '1');
    for (let i = 0; i < 4; i++) await issue(t, 'social_security');
    const mine = await issue(t, 'social_security', { phone: '13812345678' });
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, phone: '12345' }), 400, 'VALIDATION_FAILED');

    let messages = await outbox(t);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'issued', to: '138****5678', status: 'pending' });
    // Staff read the message without the citizen's key; the citizen's SMS carries it (below, at the gateway).
    expect(messages[0]!.text).toBe('【示例区政务服务中心】您已取号 A005（社会保险），前面还有 4 人。进度：http://hall.example/t/…');
    const stored = await t.db.selectFrom('notifications').select('text').where('kind', '=', 'issued').executeTakeFirstOrThrow();
    expect(stored.text).toContain(`http://hall.example/t/${mine.token}`);

    // The queue moves: at 3 ahead (the hall's setting) the citizen is told, once.
    for (let i = 0; i < 3; i++) {
      for (const a of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(windowUrl(t, '1', a)), 200);
    }
    for (const a of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(windowUrl(t, '1', a)), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'recall')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200);
    messages = await outbox(t);
    expect(messages.map((m) => m.kind).reverse()).toEqual(['issued', 'ahead', 'called', 'rate']);
    expect(messages.find((m) => m.kind === 'ahead')!.text).toBe('【示例区政务服务中心】您的号码 A005 前面还有 3 人，请回到大厅留意叫号。');
    expect(messages.find((m) => m.kind === 'called')!.text).toBe('【示例区政务服务中心】请 A005 号到 1 号窗口办理。');
    expect(messages.find((m) => m.kind === 'rate')!.text).toContain('http://hall.example/t/…');
    expect(JSON.stringify(messages)).not.toContain(mine.token);

    // No gateway (the default): kept in the outbox and said to be unsent, never 'sent'; not tried again.
    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 0, kept: 4 });
    expect((await outbox(t)).every((m) => m.status === 'kept' && m.attempts === 1)).toBe(true);
    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 0, kept: 0 });
    // Events, the queue and the ticket views never carry the number.
    expect(JSON.stringify(t.published)).not.toContain('13812345678');
    const detail = expectStatus(await clerk.get(hallUrl(t, `/tickets/${mine.id}`)), 200);
    expect(JSON.stringify(detail)).not.toContain('13812345678');
    expectError(await clerk.get(hallUrl(t, '/notifications')), 403, 'ROLE_FORBIDDEN');
  });

  it('a number left on the phone page after taking the ticket; the manager\'s templates are used; a booking is reminded once', async () => {
    t = await buildTestHall();
    closers.push(() => t.close());
    const ticket = await issue(t, 'tax');
    const citizen = new Client(t.app, null);
    expectError(await citizen.post(`/api/v1/public/tickets/${ticket.token}/phone`, { phone: 'abc' }), 400, 'VALIDATION_FAILED');
    expectStatus(await citizen.post(`/api/v1/public/tickets/${ticket.token}/phone`, { phone: '13912345678' }), 200);
    expect((await outbox(t)).map((m) => [m.kind, m.to])).toEqual([['issued', '139****5678']]);

    // The manager changes the called text; an unknown placeholder is refused by name.
    const manager = await t.as('manager');
    const hall = expectStatus(await manager.get(hallUrl(t)), 200);
    const templates = { ...hall.settings.smsTemplates, called: '{number} 请到 {window} 号窗口' };
    const bad = expectError(await manager.patch(hallUrl(t), { settings: { smsTemplates: { ...templates, called: '{numbr} 请到' } } }), 400, 'VALIDATION_FAILED');
    expect(bad.details[0].field).toBe('body.settings.smsTemplates.called');
    expectStatus(await manager.patch(hallUrl(t), { settings: { smsTemplates: templates } }), 200);
    const clerk = await clerkAt(t, 'clerk02', '2');
    expectStatus(await clerk.post(windowUrl(t, '2', 'call-next')), 200);
    expect((await outbox(t)).find((m) => m.kind === 'called')!.text).toBe(`${ticket.displayNumber} 请到 2 号窗口`);

    // 预约 (a proven number: taken by phone): a reminder the hall's 120 minutes before the slot, once.
    const slot = instantOf('2026-11-25', '15:00', 'Asia/Shanghai');
    expectStatus(await manager.post(hallUrl(t, '/appointments'), { serviceId: t.demo.serviceIds.social_security, slotStart: slot, name: '王五', phone: '13700001111', source: 'phone' }), 201);
    expect(await t.app.notifier.remind(t.demo.hallId)).toBe(0);
    t.clock.advance(slot - 119 * MINUTE - t.clock.now());
    expect(await t.app.notifier.remind(t.demo.hallId)).toBe(1);
    expect(await t.app.notifier.remind(t.demo.hallId)).toBe(0);
    const reminder = (await outbox(t)).find((m) => m.kind === 'reminder')!;
    expect(reminder).toMatchObject({ to: '137****1111' });
    expect(reminder.text).toBe('【示例区政务服务中心】您预约了 2026-11-25 15:00 办理社会保险，请按时到大厅取号机签到。');
  });

  it('never follows a gateway\'s redirect with the signed message, and warns at start about plain HTTP to another host', async () => {
    const elsewhere = await gateway([]);
    const redirecting = http.createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: elsewhere.url }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => redirecting.close(() => resolve())));
    const lines: string[] = [];
    t = await buildTestHall({
      config: { logLevel: 'warn', smsWebhook: { url: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/sms`, secret: 'a-secret-of-the-gateway-0123456789' } },
      logStream: { write: (line) => void lines.push(line) },
    });
    closers.push(() => t.close());
    await issue(t, 'tax', { phone: '13812345678' });
    await t.app.notifier.idle;
    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 1, kept: 0 });
    expect(elsewhere.received).toEqual([]);
    expect((await outbox(t))[0]!.lastError).toMatch(/307.*not followed/);
    // Loopback over HTTP is fine (a gateway on the same machine); another host over HTTP is warned about.
    expect(lines.join('')).not.toMatch(/plain http/);
    const remote: string[] = [];
    const other = await buildTestHall({
      config: { logLevel: 'warn', smsWebhook: { url: 'http://sms-gateway.example:8080/send', secret: 'a-secret-of-the-gateway-0123456789' } },
      logStream: { write: (line) => void remote.push(line) },
    });
    closers.push(() => other.close());
    expect(remote.some((l) => JSON.parse(l).level === 40 && /plain http:\/\/ to sms-gateway\.example/.test(l))).toBe(true);
  });

  it('sends each message once, however many senders run at the same time (two rounds on each server process)', async () => {
    const gw = await gateway([]);
    t = await buildTestHall({ config: { smsWebhook: { url: gw.url, secret: 'a-secret-of-the-gateway-0123456789' } } });
    closers.push(() => t.close());
    for (let i = 0; i < 6; i++) await issue(t, 'tax', { phone: `1381234567${i}` });
    for (const app of t.apps) await app.notifier.idle;
    const rounds = await Promise.all(t.apps.flatMap((app) => [app.notifier.deliverDue(), app.notifier.deliverDue()]));
    expect(rounds.reduce((n, r) => n + r.sent, 0)).toBe(6);
    const ids = gw.received.map((r) => JSON.parse(r.body).id as number);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect((await outbox(t)).map((m) => m.status)).toEqual(Array(6).fill('sent'));
  });

  it('delivers through an HTTP gateway, signed; retries failures with backoff and records them; gives up after the last try; the queue never waits', async () => {
    const gw = await gateway([500, 503]);
    const secret = 'a-secret-of-the-gateway-0123456789';
    t = await buildTestHall({ config: { smsWebhook: { url: gw.url, secret } } });
    closers.push(() => t.close());
    await issue(t, 'tax', { phone: '13812345678' });
    await t.app.notifier.idle;

    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 1, kept: 0 });
    let [message] = await outbox(t);
    expect(message).toMatchObject({ status: 'pending', attempts: 1, lastError: 'gateway answered 500' });
    // Not due again before its backoff: 30 s, then 60 s.
    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 0, kept: 0 });
    t.clock.advance(30_000);
    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 1, kept: 0 });
    t.clock.advance(59_000);
    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 0, kept: 0 });
    t.clock.advance(1_000);
    expect(await t.app.notifier.deliverDue()).toEqual({ sent: 1, failed: 0, kept: 0 });
    [message] = await outbox(t);
    expect(message).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(gw.received).toHaveLength(3);
    const last = gw.received.at(-1)!;
    const body = JSON.parse(last.body);
    expect(body).toMatchObject({ to: '13812345678' });
    expect(body.text).toContain('G001');
    const expected = crypto.createHmac('sha256', secret).update(`${last.headers['x-hall-timestamp']}.${last.body}`).digest('hex');
    expect(last.headers['x-hall-signature']).toBe(`sha256=${expected}`);

    // A gateway that never answers well: after 6 tries the message is failed, with the last error.
    const down = await gateway(Array(10).fill(502));
    const other = await buildTestHall({ config: { smsWebhook: { url: down.url, secret } } });
    closers.push(() => other.close());
    const before = Date.now();
    await issue(other, 'tax', { phone: '13812345678' });
    expect(Date.now() - before).toBeLessThan(2000); // issuing did not wait for the gateway
    await other.app.notifier.idle;
    for (let i = 0; i < 6; i++) {
      await other.app.notifier.deliverDue();
      other.clock.advance(3600_000);
    }
    const [failed] = await outbox(other);
    expect(failed).toMatchObject({ status: 'failed', attempts: 6, lastError: 'gateway answered 502' });
    expect(down.received).toHaveLength(6);
    expect(await other.app.notifier.deliverDue()).toEqual({ sent: 0, failed: 0, kept: 0 });
  });
});
