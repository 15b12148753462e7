import { describe, expect, it } from 'vitest';
import { totpCode, totpStep } from '../../server/domain/totp.js';
import { expectStatus, hallUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot } from './helpers.js';

/** Account screens in a real browser: the first sign-in's own password, and the second factor. */
const { browser, hall } = browserAndHall();

describe.skipIf(!haveChromium)('staff accounts in the browser', () => {
  it('a new clerk chooses their own password at first sign-in, then reaches the window picker', async () => {
    const h = hall();
    const manager = await h.t.as('manager');
    const created = expectStatus(await manager.post(hallUrl(h.t, '/staff'), { username: 'clerk21', displayName: '吴静', role: 'clerk' }), 201);
    const page = await browser().newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${h.base}/counter`);
    await page.fill('input[name=username]', 'clerk21');
    await page.fill('input[name=password]', created.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=change-password]');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('input[name=current]', created.password);
    await page.fill('input[name=new]', '123456789012');
    await page.fill('input[name=repeat]', '123456789012');
    await page.click('[data-testid=change-password] button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('新密码不符合要求');
    await screenshot(page, 'counter-first-password');
    await page.fill('input[name=new]', 'Spring-rain-over-the-river');
    await page.fill('input[name=repeat]', 'Spring-rain-over-the-river');
    await page.click('[data-testid=change-password] button[type=submit]');
    await page.waitForSelector('[data-testid=window-3]');
    const row = await h.t.db.selectFrom('staff').select('must_change_password').where('username', '=', 'clerk21').executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(0);
    await page.close();
  });

  it('a manager sets up the authenticator app, keeps recovery codes, and signs in with a code', async () => {
    const h = hall();
    const page = await browser().newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${h.base}/manager`);
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', h.password('manager'));
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=tab-account]');
    await page.click('[data-testid=tab-account]');
    await page.click('[data-testid=two-factor] button.primary');
    await page.click('[data-testid=tfa-start]');
    const secret = (await page.textContent('[data-testid=tfa-secret]'))!.trim();
    expect(await page.locator('.tfa-qr svg').count()).toBe(1);
    await screenshot(page, 'manager-two-factor-setup');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('input[name=code]', totpCode(secret, totpStep(h.t.clock.now())));
    await page.click('[data-testid=two-factor] button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=recovery-codes] li').count()).toBe(10);
    await page.click('[data-testid=recovery-codes] button');
    await expect.poll(() => page.textContent('[data-testid=two-factor]')).toContain('剩余恢复码 10 个');

    // Sign out and in again: the code is asked for after the password.
    await page.click('text=退出登录');
    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', h.password('manager'));
    await page.click('button[type=submit]');
    await page.waitForSelector('input[name=otp]');
    await screenshot(page, 'manager-sign-in-code');
    expect(await axeViolations(page)).toEqual([]);
    h.t.clock.advance(30_000);
    await page.fill('input[name=otp]', totpCode(secret, totpStep(h.t.clock.now())));
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=tab-live]');
    await page.close();
  });
});
