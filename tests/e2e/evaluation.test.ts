/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, hallUrl, issue, windowUrl } from '../helpers.js';
import { browserAndHall, type E2EHall, haveChromium, screenshot } from './helpers.js';

let browser: Browser;
let h: E2EHall;

describe.skipIf(!haveChromium)('好差评 in a real browser', { timeout: 60_000 }, () => {
  const env = browserAndHall();
  beforeEach(() => {
    browser = env.browser();
    h = env.hall();
  });

  it('the window\'s evaluator shows the clerk, then takes one rating; a 差评 opens a case', async () => {
    const manager = await h.t.as('manager');
    const device = expectStatus(await manager.post(hallUrl(h.t, '/devices'), { kind: 'evaluator', name: '1号窗评价器', windowId: h.t.demo.windowIds['1'] }), 201);
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    const ctx = await browser.newContext({ viewport: { width: 1024, height: 600 } });
    const page = await ctx.newPage();
    await page.goto(`${h.base}/evaluator#token=${device.token}`);
    await page.waitForSelector('[data-testid=phase-idle]');
    expect(await page.textContent('.name')).toBe('张敏');

    const ticket = await issue(h.t, 'social_security');
    await clerk.post(windowUrl(h.t, '1', 'call-next'));
    await page.waitForSelector('[data-testid=phase-serving]');
    expect(await page.textContent('.ticket')).toBe('A001');
    await screenshot(page, 'evaluator-serving');
    await clerk.post(windowUrl(h.t, '1', 'start'));
    await clerk.post(windowUrl(h.t, '1', 'finish'));

    await page.waitForSelector('[data-testid=phase-rating]');
    await page.click('[data-testid=level-dissatisfied]');
    await page.click('.tag >> text=等候时间长');
    await screenshot(page, 'evaluator-rating');
    await page.click('[data-testid=rate-submit]');
    await page.waitForSelector('[data-testid=phase-thanks]');

    const [evaluation] = expectStatus(await manager.get(hallUrl(h.t, '/evaluations')), 200);
    expect(evaluation).toMatchObject({ ticketId: ticket.id, level: 'dissatisfied', tags: ['等候时间长'], source: 'evaluator' });
    const [c] = expectStatus(await manager.get(hallUrl(h.t, '/cases')), 200);
    expect(c).toMatchObject({ evaluationId: evaluation.id, state: 'open' });
    await ctx.close();
  });

  it('the citizen rates from the phone page after leaving', async () => {
    const clerk = await clerkAt(h.t, 'clerk02', '2');
    const ticket = await issue(h.t, 'tax');
    await clerk.post(windowUrl(h.t, '2', 'call-next'));
    await clerk.post(windowUrl(h.t, '2', 'start'));
    await clerk.post(windowUrl(h.t, '2', 'finish'));
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await ctx.newPage();
    await phone.goto(`${h.base}/t/${ticket.token}`);
    await phone.waitForSelector('[data-testid=rate]');
    await phone.click('[data-testid=level-very_satisfied]');
    await phone.fill('.rating textarea', '很专业，一次办成');
    await screenshot(phone, 'phone-rate');
    await phone.click('[data-testid=rate-submit]');
    await expect.poll(() => phone.textContent('[data-testid=rated]')).toContain('非常满意');
    expect(await phone.locator('[data-testid=rate]').count()).toBe(0);
    const [evaluation] = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/evaluations')), 200);
    expect(evaluation).toMatchObject({ level: 'very_satisfied', comment: '很专业，一次办成', source: 'phone' });
    await ctx.close();
  });
});
