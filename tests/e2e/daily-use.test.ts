/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, issue, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, type E2EHall, haveChromium, screenshot } from './helpers.js';

let browser: Browser;
let h: E2EHall;

/** What citizens, clerks and managers ran into in daily use, each kept fixed here. */
describe.skipIf(!haveChromium)('the pages in daily use', { timeout: 60_000 }, () => {
  const env = browserAndHall();
  beforeEach(() => {
    browser = env.browser();
    h = env.hall();
  });

  it('phone: an unknown ticket says so at once; a no-show is told what to do; English survives a reload', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await ctx.newPage();
    await phone.goto(`${h.base}/t/AAAAAAAAAAAAAAAAAAAAAA`);
    // Well before the page's 20 s refresh: the first look does not wait for the live connection.
    await phone.waitForSelector('[data-testid=not-found]', { timeout: 5000 });
    expect(await phone.textContent('[data-testid=not-found]')).toContain('未找到该号票');
    expect(await axeViolations(phone)).toEqual([]);

    const ticket = await issue(h.t, 'social_security');
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    expectStatus(await clerk.post(windowUrl(h.t, '1', 'call-next')), 200);
    expectStatus(await clerk.post(windowUrl(h.t, '1', 'no-show')), 200);
    await phone.goto(`${h.base}/t/${ticket.token}`);
    await expect.poll(() => phone.textContent('[data-testid=what-now]')).toContain('导办台');
    expect(await axeViolations(phone)).toEqual([]);
    await screenshot(phone, 'phone-no-show');

    await phone.click('.lang-switch');
    await phone.reload();
    await phone.waitForSelector('[data-testid=what-now]');
    expect(await phone.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await phone.textContent('[data-testid=what-now]')).toContain('guide desk');
    expect(await axeViolations(phone)).toEqual([]);
    await ctx.close();
  });
});
