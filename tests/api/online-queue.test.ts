import { describe, expect, it } from 'vitest';
import { lapseOverdue } from '../../server/tickets/service.js';
import { buildTestHall, clerkAt, expectError, expectStatus, hallUrl, issue, MINUTE, openAllDay, scratch, type TestHall, windowUrl } from '../helpers.js';

/**
 * 在线排队: today's number from the phone with a proven number; not in the hall until the
 * arrival is confirmed (entrance code on the phone page, arrival code at the kiosk, staff);
 * passed over, keeping the place, for the hall's grace period; then a no-show. Caps per service
 * and hour, limits per number and address, the channel switched off; statistics count it.
 */
const { keep } = scratch('online-queue');
const GATEWAY = { url: 'http://127.0.0.1:9/sms', secret: 'a-secret-of-the-gateway-0123456789' };
const pub = (t: TestHall, path: string) => `/api/v1/public/halls/${t.demo.hallId}${path}`;
const post = (t: TestHall, url: string, payload: object, ip = '203.0.113.10') => t.app.inject({ method: 'POST', url, payload, remoteAddress: ip });

async function hall(config: object = {}): Promise<TestHall> {
  const t = keep(await buildTestHall({ config: { smsWebhook: GATEWAY, ...config } }));
  await openAllDay(t);
  return t;
}

/** Proves the number with the SMS code, as the booking page does. */
async function proven(t: TestHall, phone: string, ip = '203.0.113.10'): Promise<string> {
  expectStatus(await post(t, pub(t, '/phone-codes'), { phone }, ip), 202);
  const row = await t.db.selectFrom('notifications').select('text').where('kind', '=', 'verification').where('phone', '=', phone).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /验证码是 (\d{6})/.exec(row.text)![1]!;
}

async function queue(t: TestHall, phone: string, service = 'social_security', ip = '203.0.113.10') {
  const code = await proven(t, phone, ip);
  return post(t, pub(t, '/queue'), { serviceId: t.demo.serviceIds[service], phone, code }, ip);
}

const phonePage = async (t: TestHall, token: string) => expectStatus(await t.app.inject({ url: `/api/v1/public/tickets/${token}` }), 200);

describe('在线排队', () => {
  it('takes today\'s number with a proven phone; the ticket waits but is not in the hall; only the citizen gets its token and code', async () => {
    const t = await hall();
    const info = expectStatus(await t.app.inject({ url: pub(t, '/queue') }), 200);
    expect(info.open).toBe(true);
    expect(info.graceMinutes).toBe(15);
    expect(info.services.find((s: any) => s.serviceId === t.demo.serviceIds.social_security)).toMatchObject({ perHour: 10, leftThisHour: 10, issuing: true, waiting: 0 });
    // Services not offered online are not listed.
    expect(info.services.some((s: any) => s.serviceId === t.demo.serviceIds.real_estate)).toBe(false);

    await issue(t, 'social_security');
    const res = expectStatus(await queue(t, '13812345678'), 201);
    expect(res.ticket).toMatchObject({ displayNumber: 'A002', channel: 'online', status: 'waiting', arrivedAt: null, passedAt: null });
    expect(res.ticket.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.arrivalCode).toMatch(/^\d{8}$/);
    expect(res.estimate.peopleAhead).toBe(1);
    expect(expectStatus(await t.app.inject({ url: pub(t, '/queue') }), 200).services[0]).toMatchObject({ leftThisHour: 9, waiting: 2 });

    const page = await phonePage(t, res.ticket.token);
    expect(page.online).toEqual({ arrived: false, arrivalCode: res.arrivalCode, graceUntil: null, timeZone: 'Asia/Shanghai' });
    // The SMS tells how to arrive, with the code for the kiosk.
    await t.app.notifier.idle;
    const issued = await t.db.selectFrom('notifications').select('text').where('kind', '=', 'issued').where('ticket_id', '=', res.ticket.id).executeTakeFirstOrThrow();
    expect(issued.text).toContain(`到厅码 ${res.arrivalCode}`);
    // Events reach displays and kiosks: neither the token, the phone nor the arrival code.
    const told = JSON.stringify(t.published);
    for (const secret of [res.ticket.token, '13812345678', res.arrivalCode]) expect(told).not.toContain(secret);
  });

  it('calling passes over a citizen not in the hall, keeping the place for the grace period; arrived, they are next; after it, a no-show', async () => {
    const t = await hall();
    const online = expectStatus(await queue(t, '13812345678'), 201);
    const second = expectStatus(await queue(t, '13912345678', 'social_security', '203.0.113.11'), 201);
    const a3 = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    const call = async () => expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket;
    const finish = async () => {
      expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
      expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200);
    };

    // Neither A001 nor A002 is in the hall: A003 is called; both are passed over, once.
    expect((await call()).displayNumber).toBe('A003');
    expect(t.published.filter((e) => e.type === 'ticket:passed_over').map((e: any) => e.payload.ticket.displayNumber)).toEqual(['A001', 'A002']);
    const page = await phonePage(t, online.ticket.token);
    expect(page.online.graceUntil).toBe(t.clock.now() + 15 * MINUTE);
    // 选叫 refuses a citizen who is not here.
    await finish();
    expectError(await clerk.post(windowUrl(t, '1', 'call'), { ticketId: online.ticket.id, reason: '试' }), 409, 'NOT_ARRIVED');

    // A001 arrives with the hall's entrance code of the day, shown by the kiosk.
    const entrance = expectStatus(await t.device('kiosk').get(hallUrl(t, '/entrance')), 200);
    expect(entrance).toMatchObject({ day: '2026-11-25', code: expect.stringMatching(/^\d{6}$/), path: `/arrive/${t.demo.hallId}#${entrance.code}` });
    const wrong = entrance.code === '000000' ? '111111' : '000000';
    const arriveUrl = `/api/v1/public/tickets/${online.ticket.token}/arrive`;
    expect(expectError(await post(t, arriveUrl, { code: wrong }), 400, 'ENTRANCE_CODE_INVALID').details).toMatchObject({ field: 'body.code', triesLeft: 4 });
    t.clock.advance(5 * MINUTE);
    const arrived = expectStatus(await post(t, arriveUrl, { code: entrance.code }), 200);
    expect(arrived.online).toMatchObject({ arrived: true, arrivalCode: null, graceUntil: null });
    // Confirming twice is not an error.
    expectStatus(await post(t, arriveUrl, { code: entrance.code }), 200);
    // Another issued later stays behind: A001 kept its place.
    await issue(t, 'social_security');
    expect((await call()).displayNumber).toBe('A001');
    await finish();

    // A002 never came: past the grace period the next call makes it a no-show, and calls A004.
    t.clock.advance(11 * MINUTE);
    expect((await call()).displayNumber).toBe('A004');
    const lapsed = await t.db.selectFrom('tickets').select(['status', 'arrived_at']).where('id', '=', second.ticket.id).executeTakeFirstOrThrow();
    expect(lapsed).toEqual({ status: 'no_show', arrived_at: null });
    expect((await phonePage(t, second.ticket.token)).status).toBe('no_show');
    // 过号重排 as for anyone: staff who see the citizen put them back, in the hall now.
    await finish();
    const back = expectStatus(await clerk.post(windowUrl(t, '1', 'requeue'), { ticketId: second.ticket.id }), 200);
    expect(back.ticket ?? back).toMatchObject({ status: 'waiting' });
    expect((await call()).displayNumber).toBe('A002');
    expect(a3.displayNumber).toBe('A003');
  });

  it('the kiosk or a helper confirms with the arrival code; the day sweep lapses those whose grace ended; wrong entrance codes run out', async () => {
    const t = await hall();
    const first = expectStatus(await queue(t, '13812345678'), 201);
    const kiosk = t.device('kiosk');
    expectError(await kiosk.post(hallUrl(t, '/tickets/arrive'), { code: '00000000' }), 404, 'ARRIVAL_CODE_NOT_FOUND');
    expectError(await kiosk.post(hallUrl(t, '/tickets/arrive'), { code: '12ab' }), 400, 'VALIDATION_FAILED');
    const byKiosk = expectStatus(await kiosk.post(hallUrl(t, '/tickets/arrive'), { code: first.arrivalCode }), 200);
    expect(byKiosk).toMatchObject({ displayNumber: 'A001', arrivedAt: t.clock.now() });
    expect(t.published.filter((e) => e.type === 'ticket:arrived')).toHaveLength(1);

    const helper = await t.as('helper01');
    const second = expectStatus(await queue(t, '13912345678', 'medical_insurance', '203.0.113.11'), 201);
    expect(expectStatus(await helper.post(hallUrl(t, `/tickets/${second.ticket.id}/arrive`)), 200).arrivedAt).toBe(t.clock.now());

    // Five wrong entrance codes, then even the right one is refused: confirm at the kiosk.
    const third = expectStatus(await queue(t, '13712345678', 'housing_fund', '203.0.113.12'), 201);
    const { code } = expectStatus(await kiosk.get(hallUrl(t, '/entrance')), 200);
    const wrong = code === '000000' ? '111111' : '000000';
    const url = `/api/v1/public/tickets/${third.ticket.token}/arrive`;
    for (let left = 4; left >= 0; left--) {
      const res = await post(t, url, { code: wrong });
      if (left > 0) expect(expectError(res, 400, 'ENTRANCE_CODE_INVALID').details.triesLeft).toBe(left);
      else expectError(res, 429, 'ENTRANCE_CODE_LOCKED');
    }
    expectError(await post(t, url, { code }), 429, 'ENTRANCE_CODE_LOCKED');
    expectError(await post(t, url, { code: '12345' }), 400, 'VALIDATION_FAILED');
    // The entrance code is the kiosk's and the managers', not a clerk's.
    expectError(await (await t.as('clerk02')).get(hallUrl(t, '/entrance')), 403, 'ROLE_FORBIDDEN');

    // Passed over, never came: the minute sweep makes it a no-show once the grace period is over.
    const clerk = await clerkAt(t, 'clerk01', '1');
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket.displayNumber).toBe('A001');
    const all = await clerkAt(t, 'clerk02', '2');
    expectStatus(await all.post(windowUrl(t, '2', 'call-next')), 200);
    await clerkAt(t, 'clerk03', '3');
    expectStatus(await (await t.as('clerk03')).post(windowUrl(t, '3', 'call-next')), 200);
    const passed = await t.db.selectFrom('tickets').select('passed_at').where('id', '=', third.ticket.id).executeTakeFirstOrThrow();
    expect(passed.passed_at).toBe(t.clock.now());
    expect(await lapseOverdue({ db: t.db, clock: t.clock, bus: t.bus }, t.demo.hallId)).toBe(0);
    t.clock.advance(15 * MINUTE);
    expect(await lapseOverdue({ db: t.db, clock: t.clock, bus: t.bus }, t.demo.hallId)).toBe(1);
    expect((await phonePage(t, third.ticket.token)).status).toBe('no_show');
  });

  it('caps per service and hour, one open number per phone, three a day, the channel switched off; refusals name the field', async () => {
    const t = await hall();
    const manager = await t.as('manager');
    const service = t.demo.serviceIds.social_security;
    expectStatus(await manager.patch(hallUrl(t, `/services/${service}`), { onlinePerHour: 1 }), 200);
    expectStatus(await queue(t, '13812345678'), 201);
    expect(expectError(await queue(t, '13912345678', 'social_security', '203.0.113.11'), 409, 'ONLINE_HOUR_FULL').details).toMatchObject({ field: 'body.serviceId', perHour: 1 });
    // The refused number took nothing: the next hour it is given.
    t.clock.advance(60 * MINUTE);
    expect(expectStatus(await queue(t, '13912345678', 'social_security', '203.0.113.11'), 201).ticket.displayNumber).toBe('A002');

    // One open number per phone in the hall; after it ends, another (three a day in all halls).
    expect(expectError(await queue(t, '13812345678', 'medical_insurance'), 409, 'ALREADY_QUEUED').details).toMatchObject({ field: 'body.phone', ticketNumber: 'A001' });
    const mine = await t.db.selectFrom('tickets').select(['id', 'token']).where('display_number', '=', 'A001').executeTakeFirstOrThrow();
    for (const service of ['medical_insurance', 'housing_fund']) {
      expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${mine.token}/cancel` }), 200);
      t.clock.advance(MINUTE);
      const next = expectStatus(await queue(t, '13812345678', service), 201);
      mine.token = next.ticket.token;
    }
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${mine.token}/cancel` }), 200);
    t.clock.advance(MINUTE);
    expect(expectError(await queue(t, '13812345678', 'household'), 429, 'QUEUE_RATE_LIMITED').details).toMatchObject({ field: 'body.phone' });

    expectError(await queue(t, '13712345678', 'real_estate', '203.0.113.12'), 409, 'SERVICE_NOT_ONLINE');
    const code = await proven(t, '13612345678', '203.0.113.13');
    expectError(await post(t, pub(t, '/queue'), { serviceId: service, phone: '13612345678', code: code === '000000' ? '111111' : '000000' }, '203.0.113.13'), 400, 'PHONE_CODE_INVALID');
    for (const [body, field] of [[{ serviceId: service, phone: '12345', code }, 'body.phone'], [{ serviceId: service, phone: '13612345678' }, 'body.code'], [{ serviceId: 'x', phone: '13612345678', code }, 'body.serviceId']] as const) {
      expect(JSON.stringify(expectError(await post(t, pub(t, '/queue'), body, '203.0.113.13'), 400, 'VALIDATION_FAILED').details)).toContain(field);
    }
    expectStatus(await manager.patch(hallUrl(t), { settings: { onlineQueue: false } }), 200);
    expect(expectStatus(await t.app.inject({ url: pub(t, '/queue') }), 200).open).toBe(false);
    expectError(await post(t, pub(t, '/queue'), { serviceId: service, phone: '13612345678', code }, '203.0.113.13'), 409, 'ONLINE_QUEUE_OFF');
  });

  it('needs the SMS gateway to prove numbers: without one the channel is closed', async () => {
    const t = keep(await buildTestHall());
    await openAllDay(t);
    expect(expectStatus(await t.app.inject({ url: pub(t, '/queue') }), 200).open).toBe(false);
    expectError(await post(t, pub(t, '/queue'), { serviceId: t.demo.serviceIds.social_security, phone: '13812345678', code: '123456' }), 409, 'SMS_NOT_AVAILABLE');
  });

  it('statistics count the channel 在线排队 with its no-show rate', async () => {
    const t = await hall();
    const online = expectStatus(await queue(t, '13812345678'), 201);
    expectStatus(await queue(t, '13912345678', 'social_security', '203.0.113.11'), 201);
    expectStatus(await t.device('kiosk').post(hallUrl(t, '/tickets/arrive'), { code: online.arrivalCode }), 200);
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200); // passes A002 over
    t.clock.advance(16 * MINUTE);
    expect(await lapseOverdue({ db: t.db, clock: t.clock, bus: t.bus }, t.demo.hallId)).toBe(1);
    const report = expectStatus(await (await t.as('manager')).get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(report.byChannel.find((c: any) => c.label === '在线排队')).toMatchObject({ issued: 2, served: 1, noShow: 1, noShowRate: 50 });
  });
});
