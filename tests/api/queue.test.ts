import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, clerkAt, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl, STORE } from '../helpers.js';

let t: TestHall;
beforeEach(async () => {
  t = await buildTestHall();
});
afterEach(async () => t.close());

describe('queue snapshot', () => {
  it('shows waiting per service, today\'s issued count, longest wait and each window\'s citizen', async () => {
    await issue(t, 'social_security');
    t.clock.advance(4 * MINUTE);
    await issue(t, 'social_security');
    await issue(t, 'tax');
    const clerk = await clerkAt(t, 'clerk01', '1');
    const called = expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket;
    t.clock.advance(2 * MINUTE);

    const snap = expectStatus(await t.device('display').get(hallUrl(t, '/queue')), 200);
    expect(snap).toMatchObject({ hallId: t.demo.hallId, businessDay: '2026-11-25', at: t.clock.now() });
    const social = snap.services.find((s: any) => s.code === 'social_security');
    expect(social).toMatchObject({ waiting: 1, issuedToday: 2, longestWaitMs: 2 * MINUTE, prefix: 'A' });
    const tax = snap.services.find((s: any) => s.code === 'tax');
    expect(tax).toMatchObject({ waiting: 1, issuedToday: 1, longestWaitMs: 2 * MINUTE });
    expect(snap.services.find((s: any) => s.code === 'household')).toMatchObject({ waiting: 0, issuedToday: 0, longestWaitMs: null });
    const w1 = snap.windows.find((w: any) => w.number === '1');
    expect(w1).toMatchObject({ state: 'open', staffName: '张敏', current: { id: called.id, status: 'called' }, held: [] });
    expect(snap.windows.find((w: any) => w.number === '2')).toMatchObject({ state: 'closed', current: null });
    // The snapshot names the last event it includes, so a realtime client can continue after it.
    expect(snap.lastSeq).toBe(t.published.at(-1)!.seq);
  });

  it('estimates use open windows that serve the service and its handling average', async () => {
    for (let i = 0; i < 6; i++) await issue(t, 'real_estate'); // 20 min each
    await clerkAt(t, 'clerk01', '1');
    await clerkAt(t, 'clerk02', '9'); // domain window: real estate in tier 1
    await clerkAt(t, 'clerk03', '11'); // complaint window: does not serve real estate
    const snap = expectStatus(await t.device('kiosk').get(hallUrl(t, '/queue')), 200);
    const estate = snap.services.find((s: any) => s.code === 'real_estate');
    // Two free windows take two of the six; the next comes after (6 − 2 + 1) turns of 20 min ÷ 2 windows.
    expect(estate.estimate).toEqual({ peopleAhead: 6, servingWindows: 2, meanHandlingMinutes: 20, estimatedWaitMinutes: 50 });
    const complaint = snap.services.find((s: any) => s.code === 'complaint');
    expect(complaint.estimate.servingWindows).toBe(2); // window 1 (comprehensive) and window 11
    const tax = snap.services.find((s: any) => s.code === 'tax');
    expect(tax.estimate.servingWindows).toBe(2); // window 1 and window 9 (tier 2)
  });

  it('with no window able to serve, the estimate says so instead of inventing a figure', async () => {
    const snap = expectStatus(await t.device('kiosk').get(hallUrl(t, '/queue')), 200);
    expect(snap.services[0].estimate).toMatchObject({ servingWindows: 0, estimatedWaitMinutes: null });
  });
});

describe('the phone page', () => {
  it('follows a ticket from waiting (with people ahead) to called at a window', async () => {
    await clerkAt(t, 'clerk01', '1');
    const first = await issue(t, 'social_security');
    const mine = await issue(t, 'social_security');
    const url = `/api/v1/public/tickets/${mine.token}`;
    let view = expectStatus(await t.app.inject({ method: 'GET', url }), 200);
    expect(view).toMatchObject({
      displayNumber: 'A002', serviceNameZh: '社会保险', serviceNameEn: 'Social security', status: 'waiting',
      windowNumber: null, hallName: '示例区政务服务中心', estimate: { peopleAhead: 1, servingWindows: 1, estimatedWaitMinutes: 10 },
    });
    // A green-channel citizen arriving later goes ahead of me.
    await issue(t, 'social_security', { priorityClass: 'priority', priorityCategory: 'elderly' });
    view = expectStatus(await t.app.inject({ method: 'GET', url }), 200);
    expect(view.estimate.peopleAhead).toBe(2);

    const clerk = await t.as('clerk01');
    await clerk.post(windowUrl(t, '1', 'call-next')); // priority
    await clerk.post(windowUrl(t, '1', 'no-show'));
    await clerk.post(windowUrl(t, '1', 'call-next')); // first
    expect(first.status).toBe('waiting');
    await clerk.post(windowUrl(t, '1', 'no-show'));
    await clerk.post(windowUrl(t, '1', 'call-next')); // mine
    view = expectStatus(await t.app.inject({ method: 'GET', url }), 200);
    expect(view).toMatchObject({ status: 'called', windowNumber: '1', calledAt: t.clock.now(), estimate: null });
  });

  it('a staff view of a waiting ticket carries its estimate and full history', async () => {
    const a = await issue(t, 'tax');
    const manager = await t.as('manager');
    const d = expectStatus(await manager.get(hallUrl(t, `/tickets/${a.id}`)), 200);
    expect(d.estimate).toMatchObject({ peopleAhead: 0 });
    const listed = expectStatus(await manager.get(hallUrl(t, `/tickets?status=waiting&serviceId=${t.demo.serviceIds.tax}`)), 200);
    expect(listed.map((x: any) => x.id)).toEqual([a.id]);
  });
});

describe('the event log', () => {
  it('records every change with the hall\'s next seq, readable after any seq', async () => {
    const manager = await t.as('manager');
    const before = expectStatus(await manager.get(hallUrl(t, '/events')), 200).lastSeq;
    const a = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    await clerk.post(windowUrl(t, '1', 'recall'));
    const page = expectStatus(await manager.get(hallUrl(t, `/events?after=${before}`)), 200);
    expect(page.events.map((e: any) => e.type)).toEqual(['ticket:issued', 'window:opened', 'ticket:called', 'ticket:recalled']);
    expect(page.events.map((e: any) => e.seq)).toEqual([before + 1, before + 2, before + 3, before + 4]);
    const calledEvent = page.events[2];
    expect(calledEvent).toMatchObject({ windowId: t.demo.windowIds['1'], ticketRef: a.id });
    // Events name the ticket by its internal ref; the token (the citizen's key) is in none of them.
    expect(JSON.stringify(page)).not.toContain(a.token);
    expect(calledEvent.payload).toMatchObject({ action: 'call', ticket: { displayNumber: 'A001', status: 'called' }, window: { number: '1' } });
    // The bus saw the same events, in the same order, after they committed.
    expect(t.published.slice(-4).map((e) => e.seq)).toEqual(page.events.map((e: any) => e.seq));
    const limited = expectStatus(await manager.get(hallUrl(t, `/events?after=${before}&limit=2`)), 200);
    expect(limited.events).toHaveLength(2);
  });

  it('a refused change publishes nothing and consumes no seq', async () => {
    const manager = await t.as('manager');
    await manager.patch(hallUrl(t, `/services/${t.demo.serviceIds.tax}`), { dailyQuota: 1 });
    await issue(t, 'tax');
    const count = t.published.length;
    const lastSeq = t.published.at(-1)!.seq;
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax }), 409, 'QUOTA_EXHAUSTED');
    expect(t.published).toHaveLength(count);
    await issue(t, 'social_security');
    expect(t.published.at(-1)!.seq).toBe(lastSeq + 1);
  });

  it('halls have their own seq', async () => {
    const admin = await t.as('admin');
    const other = expectStatus(await admin.post('/api/v1/halls', { name: '另一个大厅' }), 201);
    expectStatus(await admin.post(`/api/v1/halls/${other.id}/services`, { code: 'x', nameZh: '综合', nameEn: 'General', prefix: 'A', expectedMinutes: 5 }), 201);
    const events = expectStatus(await admin.get(`/api/v1/halls/${other.id}/events`), 200);
    expect(events.events.map((e: any) => e.seq)).toEqual([1]);
  });
});

describe('health and docs', () => {
  it('health checks the database, and says how many server processes hear each other', async () => {
    // One process on SQLite; the postgres project runs two instances joined through Redis.
    expect(expectStatus(await t.app.inject({ method: 'GET', url: '/api/v1/health' }), 200)).toEqual({ status: 'ok', time: t.clock.now(), processes: STORE === 'postgres' ? 2 : 1 });
  });

  it('serves an OpenAPI document covering the API, and a browsable reference', async () => {
    const doc = expectStatus(await t.app.inject({ method: 'GET', url: '/api/docs/json' }), 200);
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining([
      '/api/v1/halls/{hallId}/tickets', '/api/v1/halls/{hallId}/windows/{windowId}/call-next',
      '/api/v1/halls/{hallId}/windows/{windowId}/transfer', '/api/v1/public/tickets/{token}', '/api/v1/auth/login',
    ]));
    expect(doc.paths['/api/v1/halls/{hallId}/tickets'].post.requestBody).toBeDefined();
    const html = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('swagger');
  });
});
