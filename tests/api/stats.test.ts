import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicators } from '../../server/domain/indicators.js';
import { buildTestHall, type Client, clerkAt, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl } from '../helpers.js';

/**
 * A small fixed day, worked out by hand (SLA target 20 min):
 *   09:00 A001, A002 (社保), G001 (税务) issued
 *   09:05 w1 calls A001 (wait 5), serves 10 min      09:10 w2 calls A002 (wait 10): no-show
 *   09:12 w2 calls G001 (wait 12), serves 20 min     09:20 A003 issued and cancelled
 *   10:00 B001 (医保) issued; 10:30 w1 calls it (wait 30), transfers it to 税务 at 10:35;
 *   10:40 w2 calls the transferred entry (its wait is not counted twice), serves 10 min.
 *   Ratings from phones: A001 非常满意, G001 不满意 (a case), B001 满意.
 */
let t: TestHall;
let manager: Client;
const DAY = '2026-11-25';

beforeAll(async () => {
  t = await buildTestHall();
  const w1 = await clerkAt(t, 'clerk01', '1');
  const w2 = await clerkAt(t, 'clerk02', '2');
  const at = (hh: number, mm: number) => t.clock.set(Date.UTC(2026, 10, 25, hh - 8, mm));
  const act = async (c: Client, n: string, a: string, body?: object) => expectStatus(await c.post(windowUrl(t, n, a), body), 200);
  at(9, 0);
  const a1 = await issue(t, 'social_security');
  await issue(t, 'social_security');
  const g1 = await issue(t, 'tax');
  at(9, 5);
  await act(w1, '1', 'call-next');
  await act(w1, '1', 'start');
  at(9, 10);
  await act(w2, '2', 'call-next');
  await act(w2, '2', 'no-show');
  at(9, 12);
  await act(w2, '2', 'call-next');
  await act(w2, '2', 'start');
  at(9, 15);
  await act(w1, '1', 'finish');
  at(9, 20);
  const a3 = await issue(t, 'social_security');
  manager = await t.as('manager');
  expectStatus(await manager.post(hallUrl(t, `/tickets/${a3.id}/cancel`)), 200);
  at(9, 32);
  await act(w2, '2', 'finish');
  at(10, 0);
  const b1 = await issue(t, 'medical_insurance');
  at(10, 30);
  await act(w1, '1', 'call-next');
  await act(w1, '1', 'start');
  at(10, 35);
  await act(w1, '1', 'transfer', { serviceId: t.demo.serviceIds.tax });
  at(10, 40);
  await act(w2, '2', 'call-next');
  await act(w2, '2', 'start');
  at(10, 50);
  await act(w2, '2', 'finish');
  const rate = async (token: string, level: string) =>
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${token}/evaluation`, payload: { level } }), 201);
  await rate(a1.token, 'very_satisfied');
  await rate(g1.token, 'dissatisfied');
  await rate(b1.token, 'satisfied');
});
afterAll(async () => t.close());

const byKey = (rows: any[], label: string) => rows.find((r) => r.label === label);

function expectTheDay(r: any) {
  expect(r.totals).toMatchObject({
    issued: 5, served: 3, noShow: 1, cancelled: 1, transferred: 1, expired: 0,
    waitAvg: 14.3, waitMedian: 10.5, waitP90: 12.5, handlingAvg: 13.3, handlingP90: 10.5,
    slaPercent: 75, noShowRate: 25, rated: 3, goodRate: 66.7,
  });
  expect(byKey(r.byService, 'A 社会保险')).toMatchObject({ issued: 3, served: 1, noShow: 1, cancelled: 1, waitAvg: 7.5 });
  expect(byKey(r.byService, 'G 税务办理')).toMatchObject({ issued: 1, served: 2, waitAvg: 12, handlingAvg: 15 });
  expect(byKey(r.byService, 'B 医疗保障')).toMatchObject({ issued: 1, served: 0, transferred: 1, waitAvg: 30, slaPercent: 0 });
  expect(byKey(r.byWindow, '1号窗口')).toMatchObject({ served: 1, transferred: 1, waitAvg: 17.5, slaPercent: 50 });
  expect(byKey(r.byWindow, '2号窗口')).toMatchObject({ served: 2, noShow: 1, waitAvg: 11, handlingAvg: 15 });
  expect(byKey(r.byStaff, '张敏')).toMatchObject({ served: 1 });
  expect(byKey(r.byStaff, '李强')).toMatchObject({ served: 2, rated: 2, goodRate: 50 });
  // What each served, per service (the transferred 医疗保障 citizen was served as 税务).
  expect(r.byStaffService.map((x: any) => [x.label, x.serviceLabel, x.served])).toEqual([['李强', 'G 税务办理', 2], ['张敏', 'A 社会保险', 1]]);
  expect(r.byHour.map((h: any) => [h.label, h.issued])).toEqual([['09:00', 4], ['10:00', 1]]);
  // Ratings count in the hour the citizen took the number and the channel they took it by.
  expect(r.byHour.map((h: any) => [h.label, h.rated, h.goodRate])).toEqual([['09:00', 2, 50], ['10:00', 1, 100]]);
  expect(r.byChannel.map((c: any) => [c.label, c.rated, c.goodRate])).toEqual([['取号机', 3, 66.7]]);
  // Days without citizens are rows of zeros (charts show them as quiet days, not gaps).
  expect(r.byWeekday.filter((d: any) => d.issued > 0)).toEqual([expect.objectContaining({ label: '周三', issued: 5 })]);
  expect(r.byDay.filter((d: any) => d.issued > 0)).toEqual([expect.objectContaining({ label: DAY, served: 3 })]);
}

describe('history statistics', () => {
  it('today, summed live, matches the hand count', async () => {
    const r = expectStatus(await manager.get(hallUrl(t, `/stats?from=${DAY}&to=${DAY}`)), 200);
    expectTheDay(r);
    expect(r.indicators).toEqual({ goodRate: 66.7, activeGoodRate: 66.7, unratedRate: 0, badReplyRate: 0, rectifyRate: 0, rectifySatisfactionRate: null });
    expect(r.cases).toEqual({ opened: 1, closed: 0, overdue: 0 });
  });

  it('a closed day comes from its stored rollup with the same figures; follow-up steps move the indicators', async () => {
    t.clock.set(Date.UTC(2026, 10, 26, 1, 0)); // the next morning
    const mgr = await t.as('manager');
    const r = expectStatus(await mgr.get(hallUrl(t, `/stats?from=2026-11-20&to=2026-11-26`)), 200);
    expectTheDay(r);
    expect(await t.db.selectFrom('stat_rollups').select('dim').where('business_day', '=', DAY).execute()).not.toHaveLength(0);
    const [c] = expectStatus(await mgr.get(hallUrl(t, '/cases')), 200);
    for (const to of ['verified', 'rectified', 'replied']) expectStatus(await mgr.post(hallUrl(t, `/cases/${c.id}/advance`), { to, note: to }), 200);
    expectStatus(await mgr.post(hallUrl(t, `/cases/${c.id}/advance`), { to: 'closed', note: '回访', citizenSatisfied: false }), 200);
    const after = expectStatus(await mgr.get(hallUrl(t, `/stats?from=${DAY}&to=${DAY}`)), 200);
    expect(after.indicators).toMatchObject({ badReplyRate: 100, rectifyRate: 100, rectifySatisfactionRate: 0 });
    expect(after.cases).toEqual({ opened: 1, closed: 1, overdue: 0 });
    // Longer than a quarter the per-clerk, per-service table is not counted (it reads the tickets).
    expect(expectStatus(await mgr.get(hallUrl(t, '/stats?from=2026-06-01&to=2026-11-26')), 200).byStaffService).toBeNull();
  });

  it('managers asking for the same closed day at once (on two processes) each get it, rolled up once', async () => {
    t.clock.set(Date.UTC(2026, 10, 26, 1, 0)); // the next morning: the day is closed, not yet rolled up
    const mgr = await t.as('manager');
    const answers = await Promise.all(Array.from({ length: 6 }, () => mgr.get(hallUrl(t, `/stats?from=${DAY}&to=${DAY}`))));
    for (const res of answers) expectTheDay(expectStatus(res, 200));
    const rows = await t.db.selectFrom('stat_rollups').select(['dim', 'key']).where('business_day', '=', DAY).where('dim', '=', 'all').execute();
    expect(rows).toHaveLength(1);
  });

  it('exports each table as CSV', async () => {
    const mgr = await t.as('manager');
    const res = await mgr.get(hallUrl(t, `/stats.csv?from=${DAY}&to=${DAY}&table=service`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['项目', '取号', '办理完成']);
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('G 税务办理'))!.split(',').slice(1, 3)).toEqual(['1', '2']);
  });

  it('refuses bad ranges and non-managers', async () => {
    const mgr = await t.as('manager');
    expectError(await mgr.get(hallUrl(t, '/stats?from=2026-11-26&to=2026-11-01')), 400, 'INVALID_RANGE');
    expectError(await mgr.get(hallUrl(t, '/stats?from=2020-01-01&to=2026-11-01')), 400, 'INVALID_RANGE');
    expectError(await mgr.get(hallUrl(t, '/stats?from=yesterday&to=2026-11-01')), 400, 'VALIDATION_FAILED');
    expectError(await mgr.get(hallUrl(t, '/stats.csv?from=2026-11-01&to=2026-11-02&table=planets')), 400, 'VALIDATION_FAILED');
    const clerk = await t.as('clerk03');
    expectError(await clerk.get(hallUrl(t, `/stats?from=${DAY}&to=${DAY}`)), 403, 'ROLE_FORBIDDEN');
  });

  it('live: waiting, windows and today against the SLA', async () => {
    const mgr = await t.as('manager');
    await issue(t, 'tax');
    t.clock.advance(7 * MINUTE);
    const live = expectStatus(await mgr.get(hallUrl(t, '/stats/live')), 200);
    expect(live).toMatchObject({ businessDay: '2026-11-26', issuedToday: 1, servedToday: 0, waiting: 1, longestWaitMinutes: 7, averageWaitTodayMinutes: null, slaTargetMinutes: 20 });
  });
});

describe('indicators', () => {
  const base = { served: 0, rated: 0, good: 0, phoneRated: 0, phoneGood: 0, voided: 0, bad: 0, badReplied: 0, badRectified: 0, casesClosed: 0, casesClosedSatisfied: 0 };
  it('are null rather than invented when there is nothing to divide', () => {
    expect(indicators(base)).toEqual({ goodRate: null, activeGoodRate: null, unratedRate: null, badReplyRate: null, rectifyRate: null, rectifySatisfactionRate: null });
  });
  it('follow their definitions', () => {
    expect(indicators({ ...base, served: 200, voided: 2, rated: 118, good: 110, phoneRated: 20, phoneGood: 15, bad: 4, badReplied: 3, badRectified: 2, casesClosed: 2, casesClosedSatisfied: 1 }))
      .toEqual({ goodRate: 93.2, activeGoodRate: 75, unratedRate: 40.4, badReplyRate: 75, rectifyRate: 50, rectifySatisfactionRate: 50 });
  });
});
