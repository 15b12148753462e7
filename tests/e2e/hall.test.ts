/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectStatus, hallUrl, issue } from '../helpers.js';
import { browserAndHall, type E2EHall, haveChromium, screenshot, signInAtCounter, stubSpeechAndPrint } from './helpers.js';

let browser: Browser;
let h: E2EHall;

describe.skipIf(!haveChromium)('the hall in a real browser', { timeout: 60_000 }, () => {
  const env = browserAndHall();
  beforeEach(() => {
    browser = env.browser();
    h = env.hall();
  });

  it('kiosk issues → counter calls → display shows and announces → phone shows called → counter finishes', async () => {
    const ctx = await browser.newContext();
    await stubSpeechAndPrint(ctx);

    // The display, allowed to speak without a tap (autoplay, as in the README's kiosk set-up).
    const display = await ctx.newPage();
    await display.setViewportSize({ width: 1920, height: 1080 });
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    await display.waitForSelector('.calls, .idle');
    await expect.poll(() => display.locator('[data-testid=unlock]').count()).toBe(0);

    // The kiosk.
    const kiosk = await ctx.newPage();
    await kiosk.setViewportSize({ width: 1080, height: 1920 });
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=service-social_security]');
    expect(new URL(kiosk.url()).hash).toBe(''); // the token left the address bar
    await screenshot(kiosk, 'kiosk-home-portrait');
    await kiosk.click('[data-testid=service-social_security]');
    await expect.poll(() => kiosk.textContent('[data-testid=issued-number]')).toBe('A001');
    await expect.poll(() => kiosk.evaluate(() => (window as any).__printed)).toBe(1);
    expect(await kiosk.locator('.issued-qr svg').count()).toBe(1);
    await screenshot(kiosk, 'kiosk-issued');
    const [ticket] = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/tickets')), 200);
    expect(ticket).toMatchObject({ displayNumber: 'A001', channel: 'kiosk' });
    expect(ticket).not.toHaveProperty('token'); // staff never see the citizen's key
    // The citizen scans the slip's QR code: the token reached only the kiosk that printed it.
    const { token } = await h.t.db.selectFrom('tickets').select('token').where('id', '=', ticket.id).executeTakeFirstOrThrow();

    // The citizen's phone.
    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${h.base}/t/${token}`);
    await expect.poll(() => phone.textContent('[data-testid=status]')).toBe('等候中');
    await screenshot(phone, 'phone-waiting');

    // The clerk calls.
    const counter = await ctx.newPage();
    await counter.setViewportSize({ width: 1440, height: 900 });
    await signInAtCounter(counter, h.base, 'clerk01', h.password('clerk01'), '1');
    await counter.click('[data-testid=act-call-next]');
    await expect.poll(() => counter.textContent('[data-testid=current] .ticket-number')).toBe('A001');

    // The display shows it and speaks the sentence from the hall template, digits one by one.
    await expect.poll(() => display.locator('[data-testid=current-call]').first().textContent()).toContain('A001');
    await expect.poll(() => display.evaluate(() => (window as any).__spoken)).toEqual(['请A零零一号到1号窗口办理', '请A零零一号到1号窗口办理']);
    await screenshot(display, 'display-called');

    // The phone turns prominent.
    await expect.poll(() => phone.textContent('[data-testid=called]'), { timeout: 10_000 }).toContain('请到 1 号窗口办理');
    await screenshot(phone, 'phone-called');

    await counter.click('[data-testid=act-start]');
    await expect.poll(() => counter.textContent('[data-testid=current] .badge')).toBe('办理中');
    await screenshot(counter, 'counter-serving');
    await counter.click('[data-testid=act-finish]');
    await counter.waitForSelector('.none');
    const done = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, `/tickets/${ticket.id}`)), 200);
    expect(done.ticket.status).toBe('done');
    await expect.poll(() => phone.textContent('[data-testid=status]')).toBe('已办结');
    await ctx.close();
  });

  it('kiosk large mode (适老) makes every target at least 64 px, and survives a reload', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    const kiosk = await ctx.newPage();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=service-tax]');
    const before = (await kiosk.locator('[data-testid=service-tax] .service-name').evaluate((e) => parseFloat(getComputedStyle(e).fontSize)));
    await kiosk.click('[data-testid=large]');
    await expect.poll(() => kiosk.evaluate(() => document.body.classList.contains('large'))).toBe(true);
    const after = await kiosk.locator('[data-testid=service-tax] .service-name').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(after).toBeGreaterThan(before * 1.3);
    for (const box of await Promise.all((await kiosk.locator('button').all()).map((b) => b.boundingBox()))) {
      expect(box!.height).toBeGreaterThanOrEqual(64);
    }
    await screenshot(kiosk, 'kiosk-large');
    await kiosk.reload();
    await kiosk.waitForSelector('[data-testid=service-tax]');
    expect(await kiosk.evaluate(() => document.body.classList.contains('large'))).toBe(true);

    // Landscape, and a service that is full shows so.
    const manager = await h.t.as('manager');
    await manager.patch(hallUrl(h.t, `/services/${h.t.demo.serviceIds.household}`), { dailyQuota: 1 });
    await issue(h.t, 'household');
    await manager.patch(hallUrl(h.t, `/services/${h.t.demo.serviceIds.housing_fund}`), { active: false });
    await kiosk.click('[data-testid=large]');
    await kiosk.setViewportSize({ width: 1920, height: 1080 });
    await expect.poll(() => kiosk.textContent('[data-testid=service-household]')).toContain('今日号已取完');
    await expect.poll(() => kiosk.textContent('[data-testid=service-housing_fund]')).toContain('暂停取号');
    expect(await kiosk.isDisabled('[data-testid=service-household]')).toBe(true);
    await screenshot(kiosk, 'kiosk-home-landscape');
    await ctx.close();
  });

  it('the display catches up after losing its connection, announcing only the calls still current and recent', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await stubSpeechAndPrint(ctx);
    const display = await ctx.newPage();
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    // This browser allows autoplay (as the README's kiosk set-up does): no tap is asked for.
    await display.waitForSelector('.calls, .idle');
    await expect.poll(() => display.locator('[data-testid=unlock]').count()).toBe(0);
    for (let i = 0; i < 3; i++) await issue(h.t, 'tax');
    await expect.poll(() => display.textContent('[data-testid=waiting-tax]')).toContain('3');

    // The TV's network goes: its connection drops and every attempt to come back fails.
    await display.route('**/socket.io/**', (route) => route.abort());
    h.t.app.io.engine.close();
    await display.waitForSelector('[data-testid=reconnecting]');
    const clerk = await h.t.as('clerk01');
    await clerk.post(`/api/v1/halls/${h.t.demo.hallId}/windows/${h.t.demo.windowIds['1']}/sign-in`);
    await clerk.post(`/api/v1/halls/${h.t.demo.hallId}/windows/${h.t.demo.windowIds['1']}/call-next`);
    await clerk.post(`/api/v1/halls/${h.t.demo.hallId}/windows/${h.t.demo.windowIds['1']}/no-show`);
    await clerk.post(`/api/v1/halls/${h.t.demo.hallId}/windows/${h.t.demo.windowIds['1']}/call-next`);
    await screenshot(display, 'display-reconnecting');

    // The network is back: the display catches up by itself.
    await display.unroute('**/socket.io/**');
    await display.waitForSelector('[data-testid=reconnecting]', { state: 'detached', timeout: 15_000 });
    await expect.poll(() => display.locator('[data-testid=current-call]').first().textContent()).toContain('G002');
    await expect.poll(() => display.textContent('.recent')).toContain('G001');
    // G002 was called while the display was away and is still at window 1: announced (twice, the
    // hall's repeat). G001 has already left the window: shown in the list, not announced.
    await expect.poll(() => display.evaluate(() => (window as any).__spoken)).toEqual(['请G零零二号到1号窗口办理', '请G零零二号到1号窗口办理']);

    // A call made now is announced.
    await clerk.post(`/api/v1/halls/${h.t.demo.hallId}/windows/${h.t.demo.windowIds['1']}/no-show`);
    await clerk.post(`/api/v1/halls/${h.t.demo.hallId}/windows/${h.t.demo.windowIds['1']}/call-next`);
    await expect.poll(() => display.evaluate(() => (window as any).__spoken.slice(2))).toEqual(['请G零零三号到1号窗口办理', '请G零零三号到1号窗口办理']);
    // 重呼 is announced again, after the first announcement, never over it.
    await clerk.post(`/api/v1/halls/${h.t.demo.hallId}/windows/${h.t.demo.windowIds['1']}/recall`);
    await expect.poll(() => display.evaluate(() => (window as any).__spoken.length)).toBe(6);
    await ctx.close();
  });

  it('the kiosk shows a notice while the network is down and recovers by itself', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    const kiosk = await ctx.newPage();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=service-tax]');
    await kiosk.route('**/socket.io/**', (route) => route.abort());
    h.t.app.io.engine.close();
    await kiosk.waitForSelector('.overlay');
    expect(await kiosk.textContent('.overlay')).toContain('网络连接中断');
    await screenshot(kiosk, 'kiosk-offline');
    await issue(h.t, 'tax');
    await kiosk.unroute('**/socket.io/**');
    await kiosk.waitForSelector('.overlay', { state: 'detached', timeout: 15_000 });
    await expect.poll(() => kiosk.textContent('[data-testid=service-tax]')).toContain('等候 1 人');
    await ctx.close();
  });

  it('a double click on 叫号 calls one citizen, not two', async () => {
    await issue(h.t, 'social_security');
    await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const counter = await ctx.newPage();
    await signInAtCounter(counter, h.base, 'clerk02', h.password('clerk02'), '2');
    const callsBefore = h.t.published.filter((e) => e.type === 'ticket:called').length;
    await counter.dblclick('[data-testid=act-call-next]');
    await expect.poll(() => counter.textContent('[data-testid=current] .ticket-number')).toBe('A001');
    await counter.keyboard.press('F1'); // the shortcut, too, is refused while someone is at the window
    const waiting = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/tickets?status=waiting')), 200);
    expect(waiting.map((x: any) => x.displayNumber)).toEqual(['A002']);
    expect(h.t.published.filter((e) => e.type === 'ticket:called').length - callsBefore).toBe(1);
    expect(await counter.locator('[data-testid=error]').count()).toBe(0);
    // Keyboard: F5 marks the no-show, F1 calls the next. (A key pressed while the call is still
    // finishing is dropped on purpose, one action at a time: wait until 过号 is offered.)
    await expect.poll(() => counter.isEnabled('[data-testid=act-no-show]')).toBe(true);
    await counter.keyboard.press('F5');
    await expect.poll(() => counter.textContent('.none')).toContain('叫号');
    await expect.poll(() => counter.isEnabled('[data-testid=act-call-next]')).toBe(true);
    await counter.keyboard.press('F1');
    await expect.poll(() => counter.textContent('[data-testid=current] .ticket-number')).toBe('A002');
    await ctx.close();
  });

  it('switches to English and back', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    const kiosk = await ctx.newPage();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=service-tax]');
    expect(await kiosk.textContent('h1')).toBe('请选择您要办理的业务');
    await kiosk.click('.lang-switch');
    await expect.poll(() => kiosk.textContent('h1')).toBe('Please choose your service');
    expect(await kiosk.textContent('[data-testid=service-tax]')).toContain('Tax services');
    await screenshot(kiosk, 'kiosk-english');
    // The choice is remembered by the browser.
    const counter = await ctx.newPage();
    await counter.setViewportSize({ width: 1440, height: 900 });
    await counter.goto(`${h.base}/counter`);
    await expect.poll(() => counter.textContent('h1')).toBe('Window staff sign in');
    await counter.click('.lang-switch');
    await expect.poll(() => counter.textContent('h1')).toBe('窗口工作人员登录');
    await screenshot(counter, 'counter-login');
    await ctx.close();
  });

  it('the counter shows errors in plain words and transfers with the dialog', async () => {
    await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const counter = await ctx.newPage();
    await counter.goto(`${h.base}/counter`);
    await counter.fill('input[name=username]', 'clerk03');
    await counter.fill('input[name=password]', 'wrong-password');
    await counter.click('button[type=submit]');
    await expect.poll(() => counter.textContent('[role=alert]')).toBe('用户名或密码不正确，或账号已停用。');
    await signInAtCounter(counter, h.base, 'clerk03', h.password('clerk03'), '3');
    await counter.click('[data-testid=act-call-next]');
    await counter.click('[data-testid=act-start]');
    await expect.poll(() => counter.isEnabled('[data-testid=act-transfer]')).toBe(true);
    await counter.click('[data-testid=act-transfer]');
    await counter.selectOption('[data-testid=transfer-service]', String(h.t.demo.serviceIds.tax));
    await screenshot(counter, 'counter-transfer');
    await counter.click('.dialog button[type=submit]');
    await counter.waitForSelector('.none');
    const [entry] = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/tickets?status=waiting')), 200);
    expect(entry).toMatchObject({ displayNumber: 'A001', serviceId: h.t.demo.serviceIds.tax });
    await expect.poll(() => counter.textContent(`[data-testid=q-tax]`)).toBe('1');
    await screenshot(counter, 'counter-idle');
    // The network goes: the action and the four reads after it all fail; the clerk reads it once.
    // Every text the error line ever shows is recorded (a later reload may replace it).
    await counter.evaluate(() => {
      const seen: string[] = ((window as any).__errors = []);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid=error]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    let aborted = 0;
    await counter.route('**/api/v1/**', (route) => {
      aborted += 1;
      return route.abort();
    });
    await counter.click('[data-testid=act-call-next]');
    await expect.poll(() => aborted).toBeGreaterThanOrEqual(5);
    await counter.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(new Set(await counter.evaluate(() => (window as any).__errors))).toEqual(new Set(['网络不通，请稍后再试。']));
    await counter.unroute('**/api/v1/**');
    await ctx.close();
  });
});
