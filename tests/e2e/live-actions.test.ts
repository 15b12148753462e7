/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, hallUrl, issue } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn, signInAtCounter, stubSpeechAndPrint } from './helpers.js';

const { browser, hall } = browserAndHall();

describe.skipIf(!haveChromium)('the manager\'s day: pauses with a reason, windows from afar, the hall notice', { timeout: 90_000 }, () => {
  it('a clerk pauses with a reason; the manager sees it, resumes, pauses and closes the window from the live view; the display shows why', async () => {
    const h = hall();
    const ctx = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    await stubSpeechAndPrint(ctx);
    const counter = await ctx.newPage();
    await signInAtCounter(counter, h.base, 'clerk01', h.password('clerk01'), '1');
    await counter.keyboard.press('F8');
    await counter.waitForSelector('[data-testid=pause-dialog]');
    expect(await axeViolations(counter)).toEqual([]);
    await screenshot(counter, 'counter-pause-why');
    await counter.click('[data-testid=pause-lunch]');
    await expect.poll(() => counter.textContent('[data-testid=none]')).toContain('窗口已暂停（午休）');

    const display = await ctx.newPage();
    await display.setViewportSize({ width: 1920, height: 1080 });
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    await expect.poll(() => display.locator('.windows .win.paused').textContent()).toContain('暂停·午休');

    const managerCtx = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    const manager = await managerCtx.newPage();
    await signIn(manager, `${h.base}/manager`, 'manager', h.password('manager'));
    await expect.poll(() => manager.textContent('[data-testid=paused-1]')).toMatch(/午休 · \d\d:\d\d 起/);
    expect(await axeViolations(manager)).toEqual([]);
    await screenshot(manager, 'manager-live-actions');
    await manager.click('[data-testid=resume-1]');
    await expect.poll(() => counter.textContent('.desk')).not.toContain('窗口已暂停');
    await manager.selectOption('[data-testid=win-actions-1] select', 'consulting');
    await manager.click('[data-testid=pause-1]');
    await expect.poll(() => counter.textContent('[data-testid=none]')).toContain('窗口已暂停（业务咨询）');
    // Closing asks twice, naming the clerk.
    await manager.click('[data-testid=close-1]');
    expect(await manager.textContent('[data-testid=close-confirm-1]')).toContain('张敏');
    await manager.click('[data-testid=close-confirm-1]');
    await expect.poll(async () => expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, `/windows/${h.t.demo.windowIds['1']}`)), 200).state).toBe('closed');
    const log = await h.t.db.selectFrom('audit_log').select('action').where('action', 'like', 'window.%').orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual(['window.resumed', 'window.paused', 'window.closed']);
    await ctx.close();
    await managerCtx.close();
  });

  it('a notice with an end time scrolls on every display of the hall and leaves when it ends', async () => {
    const h = hall();
    const ctx = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    await stubSpeechAndPrint(ctx);
    const display = await ctx.newPage();
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    await display.waitForSelector('.display[data-live]');
    const manager = await ctx.newPage();
    await signIn(manager, `${h.base}/manager`, 'manager', h.password('manager'));
    await manager.fill('[data-testid=hall-notice] input[name=notice]', '今日下午系统升级，社保业务暂停办理');
    await manager.fill('[data-testid=hall-notice] input[name=until]', '2026-11-25T17:00');
    await manager.click('[data-testid=hall-notice] button[type=submit]');
    await expect.poll(() => manager.textContent('[data-testid=notice-current]')).toContain('至 2026-11-25 17:00');
    await expect.poll(() => display.textContent('.notice')).toContain('社保业务暂停办理');
    const saved = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t)), 200).settings;
    expect(saved.displayNoticeUntil).toBe(Date.parse('2026-11-25T09:00:00Z')); // 17:00 in Shanghai
    expect(await axeViolations(manager, '[data-testid=hall-notice]')).toEqual([]);
    // An end time already past: the displays drop the line.
    await manager.fill('[data-testid=hall-notice] input[name=until]', '2026-11-25T08:00');
    await manager.click('[data-testid=hall-notice] button[type=submit]');
    await expect.poll(() => display.locator('.notice').count(), { timeout: 10_000 }).toBe(0);
    const log = await h.t.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'hall.changed').execute();
    expect(log.map((l) => JSON.parse(l.detail!).settings.displayNotice)).toEqual(['今日下午系统升级，社保业务暂停办理', '今日下午系统升级，社保业务暂停办理']);
    // A notice ending a few seconds from now leaves at its end, not at the next minute's redraw.
    expectStatus(await (await h.t.as('manager')).patch(hallUrl(h.t), { settings: { displayNotice: '即将结束的通知', displayNoticeUntil: h.t.clock.now() + 4000 } }), 200);
    await expect.poll(() => display.textContent('.notice')).toContain('即将结束的通知');
    await expect.poll(() => display.locator('.notice').count(), { timeout: 10_000 }).toBe(0);
    await ctx.close();
  });

  it('排班提示: with ten waiting and one window open the live view advises four more, with the figures, and says the windows hold once they open', async () => {
    const h = hall();
    for (let i = 0; i < 10; i++) await issue(h.t, 'social_security');
    await clerkAt(h.t, 'clerk01', '1');
    const ctx = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    const hint = page.locator('[data-testid=staffing-hint-comprehensive]');
    await expect.poll(() => hint.textContent()).toContain('建议再开 4 个无差别综合窗口');
    const text = await hint.textContent();
    expect(text).toContain('现在等候 10 人');
    expect(text).toContain('现在取号约等 100 分钟');
    expect(text).toContain('开 5 个：现在约等 20 分钟');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'manager-staffing-hint');
    // Four clerks sign in: the live view follows the hall's events and the hint turns quiet.
    for (const [who, window] of [['clerk02', '2'], ['clerk03', '3'], ['clerk04', '4'], ['clerk05', '5']]) await clerkAt(h.t, who!, window!);
    await expect.poll(() => hint.textContent()).toContain('无差别综合窗口：现开 5 个，够用');
    await page.click('.lang-switch');
    await expect.poll(() => hint.textContent()).toContain('Comprehensive: 5 open, enough');
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });
});
