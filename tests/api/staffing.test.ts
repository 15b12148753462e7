import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillHistory } from '../../server/seed/history.js';
import { buildTestHall, clerkAt, type Client, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall } from '../helpers.js';

/** 排班建议: how many windows to open, from the hall's own history. */
let t: TestHall;
let manager: Client;
beforeEach(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
});
afterEach(async () => t.close());

describe('staffing advice', () => {
  it('learns from the same weekday of past weeks (a holiday left out) and advises per hour the fewest windows that hold the target', async () => {
    // Eight weeks of a busy hall (~400 citizens on a weekday) before today, Wednesday 2026-11-25.
    await fillHistory(t.db, { hallId: t.demo.hallId, days: 56, perDay: 400, now: t.clock.now(), seed: 7 });
    expectStatus(await manager.request('PUT', hallUrl(t, '/calendar/2026'), { days: [{ day: '2026-11-04', kind: 'holiday', name: '测试假日' }] }), 200);
    const advice = expectStatus(await manager.get(hallUrl(t, '/stats/staffing?day=2026-12-02&weeks=6')), 200);
    expect(advice).toMatchObject({ day: '2026-12-02', targetMinutes: 20, goalPercent: 80 });
    // Six Wednesdays back: today (2026-11-25) has no finished history yet, 11-04 is a holiday.
    expect(advice.comparableDays).toEqual(['2026-11-18', '2026-11-11', '2026-10-28', '2026-10-21']);
    const comprehensive = advice.hours.filter((h: { pool: string }) => h.pool === 'comprehensive');
    // The demo hall's weekday hours, one row an hour.
    expect(comprehensive.map((h: { hour: string }) => h.hour)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    for (const h of comprehensive) expect(h.levelAdvised).toBeGreaterThanOrEqual(80);
    // Over the day the windows advised do the day's work (an hour may hand some of its queue on to the next).
    const work = comprehensive.reduce((s: number, h: { arrivals: number; handlingMinutes: number }) => s + (h.arrivals * h.handlingMinutes) / 60, 0);
    expect(comprehensive.reduce((s: number, h: { advised: number }) => s + h.advised, 0)).toBeGreaterThanOrEqual(work);
    // The lunch dip needs fewer windows than the morning peak.
    const at = (hour: string) => comprehensive.find((h: { hour: string }) => h.hour === hour);
    expect(at('12:00').arrivals).toBeLessThan(at('10:00').arrivals);
    expect(at('12:00').advised).toBeLessThan(at('10:00').advised);
    expect(at('10:00').handlingMinutes).toBeGreaterThan(1);
  });

  it('refuses a bad day or weeks, and non-managers', async () => {
    expect(expectError(await manager.get(hallUrl(t, '/stats/staffing?day=2026-02-30')), 400, 'VALIDATION_FAILED').details[0].field).toBe('querystring.day');
    expect(expectError(await manager.get(hallUrl(t, '/stats/staffing?day=2026-12-02&weeks=99')), 400, 'VALIDATION_FAILED').details[0].field).toBe('querystring.weeks');
    expectError(await (await t.as('clerk01')).get(hallUrl(t, '/stats/staffing?day=2026-12-02')), 403, 'ROLE_FORBIDDEN');
    // Without history the advice is there, with nothing learnt from.
    expect(expectStatus(await manager.get(hallUrl(t, '/stats/staffing?day=2026-12-02')), 200).comparableDays).toEqual([]);
  });

  it('live: the queue now and the hour ahead say how many more windows to open (建议再开), with the figures behind it', async () => {
    // No history: nobody is expected, a citizen takes 10 minutes (the default), the target is 20 minutes.
    for (let i = 0; i < 10; i++) await issue(t, 'social_security');
    await clerkAt(t, 'clerk01', '1');
    const live = expectStatus(await manager.get(hallUrl(t, '/stats/live')), 200);
    expect(live.staffing.targetMinutes).toBe(20);
    expect(live.staffing.pools).toEqual([{
      pool: 'comprehensive', waiting: 10, arrivalsNextHour: 0, handlingMinutes: 10, open: 1, closed: 7, advised: 5,
      // One window: whoever takes a number now waits 10 × 10 min; in an hour 4 are still ahead of them.
      waitNow: 100, waitInHour: 40, level: 100,
      // Five: 100 min of work over five windows is the 20-minute target.
      waitNowAdvised: 20, waitInHourAdvised: 0, levelAdvised: 100,
    }]);
    // Four more clerks sign in: the windows hold.
    for (const [who, window] of [['clerk02', '2'], ['clerk03', '3'], ['clerk04', '4'], ['clerk05', '5']]) await clerkAt(t, who!, window!);
    const enough = expectStatus(await manager.get(hallUrl(t, '/stats/live')), 200).staffing.pools[0];
    expect(enough).toMatchObject({ open: 5, advised: 5, waitNow: 20 });
    // Paused windows do not call: they do not count as open.
    expectStatus(await (await t.as('manager')).post(hallUrl(t, `/windows/${t.demo.windowIds['5']}/pause`), { reason: 'meeting' }), 200);
    expect(expectStatus(await manager.get(hallUrl(t, '/stats/live')), 200).staffing.pools[0]).toMatchObject({ open: 4, advised: 5 });
    expectError(await (await t.as('clerk01')).get(hallUrl(t, '/stats/live')), 403, 'ROLE_FORBIDDEN');
  });

  it('live: the hour\'s expected arrivals come from the same weekday of past weeks', async () => {
    await fillHistory(t.db, { hallId: t.demo.hallId, days: 56, perDay: 400, now: t.clock.now(), seed: 7 });
    t.clock.advance(60 * MINUTE); // 10:00, the morning peak
    manager = await t.as('manager');
    await clerkAt(t, 'clerk01', '1');
    const [pool] = expectStatus(await manager.get(hallUrl(t, '/stats/live')), 200).staffing.pools;
    const advice = expectStatus(await manager.get(hallUrl(t, '/stats/staffing?day=2026-11-25')), 200);
    const tenOClock = advice.hours.find((h: { hour: string; pool: string }) => h.hour === '10:00' && h.pool === 'comprehensive');
    expect(pool).toMatchObject({ pool: 'comprehensive', waiting: 0, open: 1, arrivalsNextHour: tenOClock.arrivals, handlingMinutes: tenOClock.handlingMinutes });
    expect(pool.arrivalsNextHour).toBeGreaterThan(10);
    // Nobody waits yet, but one window cannot keep up with the hour's arrivals: more are advised, at least the hour's plan.
    expect(pool.advised).toBeGreaterThanOrEqual(tenOClock.advised);
    expect(pool.advised).toBeGreaterThan(1);
    expect(pool.levelAdvised).toBeGreaterThanOrEqual(80);
  });

  it('a week after citizens handled in no time (开始 and 完成 together), the advice and the live hint still answer', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    for (let i = 0; i < 3; i++) {
      await issue(t, 'social_security');
      for (const step of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(hallUrl(t, `/windows/${t.demo.windowIds['1']}/${step}`)), 200);
    }
    t.clock.advance(7 * 86_400_000);
    manager = await t.as('manager');
    const advice = expectStatus(await manager.get(hallUrl(t, '/stats/staffing?day=2026-12-02')), 200);
    expect(advice.comparableDays).toEqual(['2026-11-25']);
    expect(advice.hours.find((h: { hour: string }) => h.hour === '09:00')).toMatchObject({ arrivals: 3, handlingMinutes: 0.5, advised: 1 });
    expectStatus(await manager.get(hallUrl(t, '/stats/live')), 200);
  });
});
