import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, clerkAt, expectError, expectStatus, hallUrl, MINUTE, type TestHall, windowUrl } from '../helpers.js';

let t: TestHall;
beforeEach(async () => {
  t = await buildTestHall();
});
afterEach(async () => t.close());

describe('暂停 with a reason', () => {
  it('is shown on the window and in the queue, counted in statistics per window and reason, and a manager\'s pause from afar is on the record', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const two = await clerkAt(t, 'clerk02', '2');
    const manager = await t.as('manager');
    expect(expectError(await clerk.post(windowUrl(t, '1', 'pause'), { reason: 'smoking' }), 400, 'VALIDATION_FAILED').details[0].field).toBe('body.reason');

    const paused = expectStatus(await clerk.post(windowUrl(t, '1', 'pause'), { reason: 'lunch' }), 200);
    expect(paused).toMatchObject({ state: 'paused', pauseReason: 'lunch', pausedAt: t.clock.now() });
    const queue = expectStatus(await manager.get(hallUrl(t, '/queue')), 200);
    expect(queue.windows.find((w: { number: string }) => w.number === '1')).toMatchObject({ state: 'paused', pauseReason: 'lunch', pausedAt: t.clock.now() });
    // The event every display and live view hears carries it too.
    const event = t.published.filter((e) => e.type === 'window:paused').at(-1)!;
    expect((event.payload as { window: { pauseReason: string } }).window.pauseReason).toBe('lunch');

    t.clock.advance(45 * MINUTE);
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'resume')), 200)).toMatchObject({ state: 'open', pauseReason: null, pausedAt: null });
    // Without a body a pause is 其他; signing out ends it.
    expectStatus(await clerk.post(windowUrl(t, '1', 'pause')), 200);
    t.clock.advance(5 * MINUTE);
    expectStatus(await clerk.post(windowUrl(t, '1', 'sign-out')), 200);
    t.clock.advance(30 * MINUTE);

    // The manager pauses window 2 from the live view (业务咨询), and closes it: both logged with the clerk's name.
    expectStatus(await manager.post(windowUrl(t, '2', 'pause'), { reason: 'consulting' }), 200);
    t.clock.advance(10 * MINUTE);
    expectStatus(await manager.post(windowUrl(t, '2', 'sign-out')), 200);
    expect(expectStatus(await two.get(hallUrl(t, `/windows/${t.demo.windowIds['2']}`)), 200)).toMatchObject({ state: 'closed', pauseReason: null });
    const log = await t.db.selectFrom('audit_log').select(['action', 'actor', 'target', 'detail']).where('action', 'like', 'window.%').orderBy('id').execute();
    expect(log.map((l) => [l.action, l.actor, l.target, JSON.parse(l.detail!).clerk])).toEqual([
      ['window.paused', 'manager', 'window:2', '李强'],
      ['window.closed', 'manager', 'window:2', '李强'],
    ]);
    expect(JSON.parse(log[0]!.detail!).reason).toBe('consulting');

    const report = expectStatus(await manager.get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(report.pauses).toEqual([
      { windowId: t.demo.windowIds['1'], label: '1号窗口', reason: 'lunch', count: 1, minutes: 45 },
      { windowId: t.demo.windowIds['1'], label: '1号窗口', reason: 'other', count: 1, minutes: 5 },
      { windowId: t.demo.windowIds['2'], label: '2号窗口', reason: 'consulting', count: 1, minutes: 10 },
    ]);
  });
});
