/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { fillHistory } from '../../server/seed/history.js';
import { clerkAt, expectStatus, hallUrl, issue, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, type E2EHall, haveChromium, screenshot } from './helpers.js';

let browser: Browser;
let h: E2EHall;

async function signInAsManager(page: Page) {
  await page.goto(`${h.base}/manager`);
  await page.fill('input[name=username]', 'manager');
  await page.fill('input[name=password]', h.password('manager'));
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=live]');
}

describe.skipIf(!haveChromium)('the manager pages in a real browser', { timeout: 60_000 }, () => {
  const env = browserAndHall();
  beforeEach(() => {
    browser = env.browser();
    h = env.hall();
  });

  it('live hall updates by itself; history shows figures, charts and CSV', async () => {
    await fillHistory(h.t.db, { hallId: h.t.demo.hallId, days: 14, perDay: 420, now: h.t.clock.now(), seed: 7 });
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signInAsManager(page);
    expect(await page.textContent('[data-testid=live-waiting]')).toBe('0');
    await issue(h.t, 'social_security');
    await issue(h.t, 'tax');
    await expect.poll(() => page.textContent('[data-testid=live-waiting]')).toBe('2');
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    await clerk.post(windowUrl(h.t, '1', 'call-next'));
    await expect.poll(() => page.textContent('.windows-grid')).toContain('A001');
    await screenshot(page, 'manager-live');

    await page.click('[data-testid=tab-history]');
    await page.waitForSelector('[data-testid=chart-daily] canvas');
    const issued = Number(await page.textContent('[data-testid=h-issued]'));
    const report = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, `/stats?from=${await page.inputValue('[data-testid=from]')}&to=${await page.inputValue('[data-testid=to]')}`)), 200);
    expect(issued).toBe(report.totals.issued);
    expect(issued).toBeGreaterThan(1000);
    await expect.poll(() => page.textContent('[data-testid=ind-goodRate]')).toMatch(/\d+(\.\d)?%/);
    const csvHref = await page.getAttribute('[data-testid=csv]', 'href');
    const csv = await page.request.get(`${h.base}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toContain('项目');
    await screenshot(page, 'manager-history');
    await ctx.close();
  });

  it('follows a 差评 through the case workflow and registers a device', async () => {
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    const ticket = await issue(h.t, 'social_security');
    await clerk.post(windowUrl(h.t, '1', 'call-next'));
    await clerk.post(windowUrl(h.t, '1', 'start'));
    await clerk.post(windowUrl(h.t, '1', 'finish'));
    expectStatus(await h.t.app.inject({
      method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`,
      payload: { level: 'very_dissatisfied', comment: '材料要求没有一次性告知', contact: '13900001111', tags: ['未一次性告知'] },
    }), 201);
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signInAsManager(page);
    await page.click('[data-testid=tab-evaluations]');
    await expect.poll(() => page.textContent('[data-testid=evaluations]')).toContain('13900001111');
    await page.click('[data-testid=tab-cases]');
    await page.click('[data-testid=cases] tbody tr');
    await page.fill('[data-testid=case-note]', '已电话联系群众，核实情况属实');
    await page.click('[data-testid=case-next]');
    const [c] = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/cases')), 200);
    await expect.poll(() => page.textContent(`[data-testid=case-state-${c.id}]`)).toBe('已核实');
    await screenshot(page, 'manager-cases');

    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-devices]');
    await page.selectOption('.cfg-form select', 'display');
    await page.fill('.cfg-form input[name=name]', '二楼叫号屏');
    await page.click('.cfg-form button[type=submit]');
    const pairing = await page.textContent('[data-testid=pairing]');
    expect(pairing).toMatch(new RegExp(`^${h.base}/display#token=[A-Za-z0-9_-]{43}$`));
    expect(await page.locator('[data-testid=pairing-qr] svg').count()).toBe(1);
    await screenshot(page, 'manager-config-devices');
    // The link pairs a real display.
    const display = await ctx.newPage();
    await display.setViewportSize({ width: 1920, height: 1080 });
    await display.goto(pairing!);
    await display.waitForSelector('.calls, .idle');

    // Staff: a reset is offered for clerks and helpers, not for oneself or another manager.
    await page.click('[data-testid=cfg-staff]');
    const row = (name: string) => page.locator('tbody tr', { hasText: name });
    await expect.poll(() => row('clerk01').locator('button', { hasText: '重置密码' }).count()).toBe(1);
    expect(await row('manager').locator('button', { hasText: '重置密码' }).count()).toBe(0);
    expect(await axeViolations(page), 'staff').toEqual([]);

    await page.click('[data-testid=cfg-services]');
    await page.fill('input[name=code]', 'exit_entry');
    await page.fill('input[name=nameZh]', '出入境');
    await page.fill('input[name=nameEn]', 'Exit and entry');
    await page.fill('input[name=prefix]', 'j');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('table')).toContain('出入境');
    await page.fill('input[name=code]', 'dup');
    await page.fill('input[name=nameZh]', '重复');
    await page.fill('input[name=nameEn]', 'Dup');
    await page.fill('input[name=prefix]', 'A');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toBe('该号头已被其他事项使用。');
    await screenshot(page, 'manager-config-services');
    await ctx.close();
  });
});
