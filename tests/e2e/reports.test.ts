/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, issue, MINUTE, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, SCREENSHOTS, signIn } from './helpers.js';
import { collectFeed } from '../../server/feed/service.js';

/** 定期发布"好差评"评价报告: the manager publishes last month; anyone reads it, on a phone or printed. */
describe.skipIf(!haveChromium)('the published 好差评 report in the browser', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('the manager publishes November; the public page shows it frozen, and December as provisional, in Chinese and English', async () => {
    const h = env.hall();
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    for (const level of ['very_satisfied', 'dissatisfied']) {
      const ticket = await issue(h.t, 'social_security');
      for (const step of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(windowUrl(h.t, '1', step)), 200);
      h.t.clock.advance(MINUTE);
      expectStatus(await h.t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload: { level } }), 201);
    }
    // The feed's records of these ratings (no platform configured: kept, and shown to the manager).
    expect(await collectFeed({ db: h.t.db, clock: h.t.clock, bus: h.t.bus }, null)).toBe(3);
    h.t.clock.advance(7 * 86_400_000); // 2 December
    const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-evaluations]');
    const panel = page.locator('[data-testid=report-publish]');
    await expect.poll(() => page.inputValue('input[name=reportMonth]')).toBe('2026-11');
    await panel.locator('button.primary').click();
    await expect.poll(() => panel.textContent()).toContain('2026-11 报告已发布');
    await expect.poll(() => panel.textContent()).toContain('已发布：2026-11');
    expect(await axeViolations(page, '[data-testid=report-publish]')).toEqual([]);
    const feed = page.locator('[data-testid=feed-panel]');
    await expect.poll(() => feed.textContent()).toContain('A002 · 不满意 · 1号窗口');
    expect(await feed.textContent()).toContain('仅保存');
    expect(await feed.textContent()).toContain('差评整改');
    expect(await axeViolations(page, '[data-testid=feed-panel]')).toEqual([]);
    await feed.screenshot({ path: `${SCREENSHOTS}/manager-feed.png` });

    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${h.base}/report/${h.t.demo.hallId}`);
    await expect.poll(() => phone.textContent('[data-testid=report-state]')).toContain('本报告已于');
    expect(await phone.inputValue('[data-testid=report-month]')).toBe('2026-11');
    const totals = (await phone.textContent('[data-testid=report-totals]'))!;
    expect(totals).toMatch(/办件量\s*2/);
    expect(totals).toMatch(/好评率\s*50%/);
    expect(totals).toMatch(/差评数\s*1/);
    expect(await phone.textContent('[data-testid=report-services]')).toMatch(/社会保险\s*2\s*2\s*50%/);
    expect(await axeViolations(phone)).toEqual([]);
    await screenshot(phone, 'report-published');
    await phone.selectOption('[data-testid=report-month]', '2026-12');
    await expect.poll(() => phone.textContent('[data-testid=report-state]')).toContain('本月尚未结束');
    await phone.click('.lang-switch');
    await expect.poll(() => phone.textContent('[data-testid=report-state]')).toContain('This month is not over');
    expect(await axeViolations(phone)).toEqual([]);
    await phone.emulateMedia({ media: 'print' });
    await screenshot(phone, 'report-print');
    await ctx.close();
  });
});
