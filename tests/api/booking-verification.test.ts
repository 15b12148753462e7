import { describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import { buildTestHall, expectError, expectStatus, hallUrl, MINUTE, type TestHall, scratch } from '../helpers.js';

/**
 * Booking on the public internet, tried as a scalper (号贩子) and a stranger would: a booking is
 * confirmed only with a proven number; without an SMS gateway the hall chooses phone bookings
 * only or unconfirmed bookings capped per slot; limits count proven numbers only.
 */
const { keep } = scratch('booking-verification');
const GATEWAY = { url: 'http://127.0.0.1:9/sms', secret: 'a-secret-of-the-gateway-0123456789' };
const slotAt = (day: string, hhmm: string) => instantOf(day, hhmm, 'Asia/Shanghai');
const url = (t: TestHall, path: string) => `/api/v1/public/halls/${t.demo.hallId}${path}`;
const post = (t: TestHall, path: string, payload: object, ip = '203.0.113.10') => t.app.inject({ method: 'POST', url: url(t, path), payload, remoteAddress: ip });
const booking = (t: TestHall, phone: string, slotStart: number, extra: object = {}) => ({ serviceId: t.demo.serviceIds.social_security, slotStart, name: '王小明', phone, ...extra });

async function lastCode(t: TestHall, phone: string): Promise<string> {
  const row = await t.db.selectFrom('notifications').select('text').where('kind', '=', 'verification').where('phone', '=', phone).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /验证码是 (\d{6})/.exec(row.text)![1]!;
}

describe('with an SMS gateway, a booking proves its number', () => {
  it('with a one-time code: required, five tries, once a minute and five a day per number; staff never read it', async () => {
    const t = keep(await buildTestHall({ config: { smsWebhook: GATEWAY } }));
    expect(expectStatus(await t.app.inject({ url: url(t, '/booking') }), 200).verification).toBe('sms');
    const phone = '13812345678';
    const slot = slotAt('2026-11-26', '10:00');
    expectError(await post(t, '/appointments', booking(t, phone, slot)), 400, 'PHONE_CODE_REQUIRED');
    const sent = expectStatus(await post(t, '/phone-codes', { phone }), 202);
    expect(sent).toEqual({ expiresAt: t.clock.now() + 10 * MINUTE, resendAfter: t.clock.now() + MINUTE });
    expectError(await post(t, '/phone-codes', { phone }), 429, 'CODE_RATE_LIMITED');
    const code = await lastCode(t, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      expect(expectError(await post(t, '/appointments', booking(t, phone, slot, { code: wrong })), 400, 'PHONE_CODE_INVALID').details.triesLeft).toBe(left);
    }
    // The fifth wrong try uses the code up: even the right one no longer works.
    expectError(await post(t, '/appointments', booking(t, phone, slot, { code: wrong })), 400, 'PHONE_CODE_EXPIRED');
    expectError(await post(t, '/appointments', booking(t, phone, slot, { code })), 400, 'PHONE_CODE_EXPIRED');
    t.clock.advance(MINUTE);
    expectStatus(await post(t, '/phone-codes', { phone }), 202);
    const fresh = await lastCode(t, phone);
    const booked = expectStatus(await post(t, '/appointments', booking(t, phone, slot, { code: fresh })), 201);
    expect(booked.appointment.confirmed).toBe(true);
    // The proven number may book another slot with the same code while it lives.
    expectStatus(await post(t, '/appointments', booking(t, phone, slotAt('2026-11-27', '10:00'), { code: fresh })), 201);
    t.clock.advance(10 * MINUTE);
    expectError(await post(t, '/appointments', booking(t, phone, slotAt('2026-11-30', '10:00'), { code: fresh })), 400, 'PHONE_CODE_EXPIRED');
    // Five codes a day to one number, whoever asks.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(MINUTE);
      expectStatus(await post(t, '/phone-codes', { phone }, `198.51.100.${i}`), 202);
    }
    t.clock.advance(MINUTE);
    expectError(await post(t, '/phone-codes', { phone }, '198.51.100.9'), 429, 'CODE_RATE_LIMITED');
    // The manager's SMS outbox shows the message, never the code.
    const outbox = expectStatus(await (await t.as('manager')).get(hallUrl(t, '/notifications?limit=50')), 200) as { kind: string; text: string }[];
    const codes = outbox.filter((m) => m.kind === 'verification');
    expect(codes.length).toBeGreaterThan(0);
    for (const m of codes) expect(m.text).toContain('验证码是 ******');
    expect(JSON.stringify(outbox)).not.toContain(fresh);
  });

  it('an address asking for codes for many numbers is stopped', async () => {
    const t = keep(await buildTestHall({ config: { smsWebhook: GATEWAY } }));
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await post(t, '/phone-codes', { phone: `1370000${String(1000 + i)}` }, '2001:db8:5:5::1')).statusCode);
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(202));
    expect(codes.slice(20)).toEqual([429, 429]);
  });

  it('a stranger cannot use up a citizen\'s number: unproven bookings and cancels count against nothing', async () => {
    const t = keep(await buildTestHall());
    const victim = '13912345678';
    // No gateway here: a stranger books and cancels with the victim's number, held unconfirmed.
    for (let i = 0; i < 6; i++) {
      const res = expectStatus(await post(t, '/appointments', booking(t, victim, slotAt('2026-11-26', `1${i % 6}:00`)), `198.51.100.${i + 1}`), 201);
      expect(res.appointment.confirmed).toBe(false);
      expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/appointments/${res.code}/cancel`, remoteAddress: `198.51.100.${i + 1}` }), 200);
    }
    // The citizen phones the hall: staff book for the (proven) number as usual, up to its limits.
    const helper = await t.as('helper01');
    for (const day of ['2026-11-26', '2026-11-27', '2026-11-30']) {
      expectStatus(await helper.post(hallUrl(t, '/appointments'), { ...booking(t, victim, slotAt(day, '15:00')), source: 'phone' }), 201);
    }
    expectError(await helper.post(hallUrl(t, '/appointments'), { ...booking(t, victim, slotAt('2026-12-01', '15:00')), source: 'phone' }), 409, 'TOO_MANY_BOOKINGS');
  });
});

describe('without an SMS gateway', () => {
  it('unconfirmed bookings are capped per slot and per network, get no reminders, and a scalper cannot fill a day', async () => {
    const t = keep(await buildTestHall());
    expect(expectStatus(await t.app.inject({ url: url(t, '/booking') }), 200).verification).toBe('unconfirmed');
    const slot = slotAt('2026-11-26', '10:00');
    expectStatus(await post(t, '/appointments', booking(t, '13800000001', slot), '203.0.113.1'), 201);
    // The slot's online place is taken; the others stay for bookings by phone.
    expectError(await post(t, '/appointments', booking(t, '13800000002', slot), '203.0.113.2'), 409, 'UNCONFIRMED_FULL');
    const helper = await t.as('helper01');
    for (let i = 0; i < 3; i++) expectStatus(await helper.post(hallUrl(t, '/appointments'), { ...booking(t, `1380000010${i}`, slot), source: 'phone' }), 201);
    // One network books a few for a family, then no more that day.
    const scalper = '2001:db8:66:1::1';
    const answers: string[] = [];
    let n = 0;
    for (const day of ['2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02']) {
      for (const hhmm of ['09:00', '10:00', '11:00', '14:00']) {
        const res = await post(t, '/appointments', booking(t, `1390000${String(2000 + n++)}`, slotAt(day, hhmm)), scalper);
        answers.push((res.json() as { error?: { code: string } }).error?.code ?? 'booked');
      }
    }
    // 3 a service and day, 10 a day in all.
    expect(answers.filter((a) => a === 'booked')).toHaveLength(10);
    expect(new Set(answers.filter((a) => a !== 'booked'))).toEqual(new Set(['ALREADY_BOOKED', 'BOOKING_RATE_LIMITED']));
    // Reminders go to proven numbers only.
    t.clock.advance(slotAt('2026-11-26', '09:00') - t.clock.now());
    await t.app.notifier.remind(t.demo.hallId);
    const reminded = await t.db.selectFrom('notifications').select('phone').where('kind', '=', 'reminder').execute();
    expect(reminded.map((r) => r.phone).sort()).toEqual(['13800000100', '13800000101', '13800000102']);
  });

  it('a hall that chooses phone bookings only refuses online ones with a clear code', async () => {
    const t = keep(await buildTestHall());
    expectStatus(await (await t.as('manager')).patch(hallUrl(t), { settings: { unverifiedBooking: 'staff_only' } }), 200);
    expect(expectStatus(await t.app.inject({ url: url(t, '/booking') }), 200).verification).toBe('staff_only');
    expectError(await post(t, '/appointments', booking(t, '13800000001', slotAt('2026-11-26', '10:00'))), 409, 'ONLINE_BOOKING_OFF');
    expectError(await post(t, '/phone-codes', { phone: '13800000001' }), 409, 'SMS_NOT_AVAILABLE');
    expect(await t.db.selectFrom('appointments').select('id').execute()).toEqual([]);
  });
});
