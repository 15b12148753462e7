/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import { expectStatus, hallUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn, stubSpeechAndPrint } from './helpers.js';

/** The hall's hours as citizens meet them at the kiosk, and as a manager keeps the holiday list. */
const { browser, hall } = browserAndHall();
const at = (day: string, hhmm: string) => instantOf(day, hhmm, 'Asia/Shanghai');

describe.skipIf(!haveChromium)('opening hours in the browser', { timeout: 60_000 }, () => {
  it('the kiosk says it is closed and when it opens, then takes numbers again when the hall opens', async () => {
    const h = hall();
    h.t.clock.advance(at('2026-11-25', '20:32') - h.t.clock.now());
    const ctx = await browser().newContext();
    await stubSpeechAndPrint(ctx);
    const kiosk = await ctx.newPage();
    const passing = new Set<Promise<unknown>>();
    let held = false;
    await kiosk.route(/\/queue(\?|$)/, async (route) => {
      if (held) return; // never answered: the kiosk keeps what it last read
      const answered = route.fetch().then((res) => route.fulfill({ response: res }));
      passing.add(answered);
      await answered.finally(() => passing.delete(answered));
    });
    const holdQueueReads = async () => {
      held = true;
      await Promise.allSettled([...passing]);
    };
    await kiosk.setViewportSize({ width: 1080, height: 1920 });
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=hall-closed]');
    expect(await kiosk.textContent('[data-testid=hall-closed]')).toMatch(/下次开放：.*11月26日.*09:00/);
    expect(await kiosk.isDisabled('[data-testid=service-social_security]')).toBe(true);
    await screenshot(kiosk, 'kiosk-closed');
    expect(await axeViolations(kiosk, 'main')).toEqual([]);

    // Morning: the hall opens (any hall event makes the kiosk look again; a timer does otherwise).
    h.t.clock.advance(at('2026-11-26', '09:00') - h.t.clock.now());
    const manager = await h.t.as('manager');
    expectStatus(await manager.patch(hallUrl(h.t), { settings: { displayNotice: '欢迎' } }), 200);
    await kiosk.waitForSelector('[data-testid=hall-closed]', { state: 'detached' });
    await kiosk.click('[data-testid=service-social_security]');
    await expect.poll(() => kiosk.textContent('[data-testid=issued-number]')).toBe('A001');

    // 不动产 stops at 16:30; a tap after that (before the kiosk looked again) is answered in words.
    // The kiosk reads the queue again after every event: hold its reads from here on, and let the
    // ones already on their way finish before the clock moves, so it still shows the morning's grid.
    await kiosk.click('.issued-actions .primary');
    await holdQueueReads();
    h.t.clock.advance(at('2026-11-26', '16:31') - h.t.clock.now());
    await kiosk.click('[data-testid=service-real_estate]');
    await expect.poll(() => kiosk.textContent('[role=alert]')).toContain('该业务今日已停止取号，下次开放：2026-11-27 09:00');
    await ctx.close();
  });

  it('a manager imports the year\'s holidays; the list is stored as typed', async () => {
    const h = hall();
    const page = await browser().newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${h.base}/manager#config`);
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', h.password('manager'));
    await page.click('button[type=submit]');
    await page.click('[data-testid=cfg-calendar]');
    await page.fill('textarea[name=calendar]', '2026-10-01 holiday 国庆节\n2026-10-02 holiday 国庆节\n2026-10-10 workday 国庆调休 1');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=notice]')).toContain('节假日已保存');
    await screenshot(page, 'manager-calendar');
    expect(await axeViolations(page, '.cfg-form')).toEqual([]);
    const year = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/calendar/2026')), 200);
    expect(year.days).toEqual([
      { day: '2026-10-01', kind: 'holiday', name: '国庆节', hoursOfWeekday: null },
      { day: '2026-10-02', kind: 'holiday', name: '国庆节', hoursOfWeekday: null },
      { day: '2026-10-10', kind: 'workday', name: '国庆调休', hoursOfWeekday: 1 },
    ]);
    await page.close();
  });

  it('a manager keeps window 9 open after hours (值班窗口); the kiosk then says which window is on duty and takes only what it serves', async () => {
    const h = hall();
    h.t.clock.advance(at('2026-11-25', '17:20') - h.t.clock.now()); // Wednesday, the hall closed at 17:00
    const ctx = await browser().newContext({ viewport: { width: 1440, height: 1000 } });
    await stubSpeechAndPrint(ctx);
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-windows]');
    await page.click('button[aria-label="编辑 9"]');
    // A weekday that does not exist is refused at the field, and nothing is saved.
    await page.fill('textarea[name=dutyHours]', '9 17:00-19:00');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-dutyHours]')).toBeTruthy();
    await page.fill('textarea[name=dutyHours]', '3 17:00-19:00\n6 12:00-17:00');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=notice]')).toBeTruthy();
    await expect.poll(() => page.locator('tr', { hasText: '周三 17:00–19:00' }).count()).toBe(1);
    expect(await axeViolations(page, '.cfg-form')).toEqual([]);
    await screenshot(page, 'manager-duty-hours');
    const manager = await h.t.as('manager');
    expect(expectStatus(await manager.get(hallUrl(h.t, `/windows/${h.t.demo.windowIds['9']}`)), 200).dutyHours)
      .toEqual([{ weekday: 3, open: '17:00', close: '19:00' }, { weekday: 6, open: '12:00', close: '17:00' }]);

    const kiosk = await ctx.newPage();
    await kiosk.setViewportSize({ width: 1080, height: 1920 });
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=duty-hours]');
    expect(await kiosk.textContent('[data-testid=duty-hours]')).toMatch(/值班时间（9 号值班窗口）.*11月26日.*09:00 起恢复全部事项/);
    expect(await kiosk.locator('[data-testid=hall-closed]').count()).toBe(0);
    expect(await kiosk.isDisabled('[data-testid=service-social_security]')).toBe(true);
    expect(await kiosk.textContent('[data-testid=service-social_security]')).toMatch(/值班时间不办理，.*11月26日.*09:00 起可取/);
    expect(await kiosk.isDisabled('[data-testid=service-tax]')).toBe(false);
    await screenshot(kiosk, 'kiosk-duty-hours');
    expect(await axeViolations(kiosk, 'main')).toEqual([]);
    await kiosk.click('[data-testid=service-tax]');
    await expect.poll(() => kiosk.textContent('[data-testid=issued-number]')).toBe('G001');
    await kiosk.click('.issued-actions .primary');
    await kiosk.click('.lang-switch');
    await expect.poll(() => kiosk.textContent('[data-testid=duty-hours]')).toMatch(/Duty hours \(window 9\)/);
    expect(await axeViolations(kiosk, 'main')).toEqual([]);
    await ctx.close();
  });
});
