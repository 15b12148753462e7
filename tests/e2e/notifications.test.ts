/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { openAllDay } from '../helpers.js';
import crypto from 'node:crypto';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn, startHall, stubSpeechAndPrint } from './helpers.js';

/** SMS in the browser: a number left at the kiosk, templates previewed and saved, the outbox read. */
describe.skipIf(!haveChromium)('SMS notices in the browser', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('the citizen leaves a number at the kiosk; the manager previews a template, saves it, and reads the outbox', async () => {
    const h = env.hall();
    await openAllDay(h.t);
    const ctx = await env.browser().newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    await stubSpeechAndPrint(ctx);
    const kiosk = await ctx.newPage();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.click('[data-testid=service-tax]');
    await kiosk.waitForSelector('[data-testid=issued]');
    await kiosk.click('[data-testid=sms]');
    await kiosk.waitForSelector('[data-testid=sms-entry]');
    for (const d of '13812345678') await kiosk.click(`[data-testid=key-${d}]`);
    expect(await axeViolations(kiosk), 'kiosk number entry').toEqual([]);
    await screenshot(kiosk, 'kiosk-sms-entry');
    await kiosk.click('[data-testid=pad-submit]');
    await expect.poll(() => kiosk.textContent('[data-testid=sms-saved]')).toContain('已登记');
    expect(await kiosk.locator('[data-testid=sms]').count()).toBe(0);

    // This hall has no SMS gateway: the message is kept, and the manager is told it went nowhere.
    await h.t.app.notifier.idle;
    await h.t.app.notifier.deliverDue();
    const page = await (await env.browser().newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-sms]');
    await expect.poll(() => page.textContent('[data-testid=outbox]')).toContain('138****5678');
    expect(await page.textContent('[data-testid=outbox]')).toContain('您已取号 G001');
    expect(await page.textContent('[data-testid=outbox]')).toContain('未发送（未配置短信网关）');
    expect(await page.textContent('[data-testid=outbox]')).not.toContain('已发送');
    expect(await page.textContent('[data-testid=no-gateway]')).toContain('未配置短信网关');
    // The preview follows the typing; a wrong placeholder is said at its field; nothing is saved until 保存.
    await page.fill('textarea[name=called]', '{number} 请到 {window} 号窗口，过号请重新取号');
    expect(await page.textContent('[data-testid=preview-called]')).toContain('A023 请到 5 号窗口，过号请重新取号');
    await page.fill('textarea[name=ahead]', '还有 {people} 人');
    await page.click('.cfg-form.sms button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-ahead]')).toBeTruthy();
    expect(await axeViolations(page), 'sms settings with an error').toEqual([]);
    await page.fill('textarea[name=ahead]', '还有 {ahead} 人');
    await page.click('.cfg-form.sms button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=notice]')).toBe('已保存');
    const hall = (await (await h.t.as('manager')).get(`/api/v1/halls/${h.t.demo.hallId}`)).json();
    expect(hall.settings.smsTemplates).toMatchObject({ called: '{number} 请到 {window} 号窗口，过号请重新取号', ahead: '还有 {ahead} 人' });
    await screenshot(page, 'manager-sms');
    await ctx.close();
  });

  it('短信预约: the manager sets the hall\'s SMS number; a text booking comes in through the gateway and is listed with its reply', async () => {
    const secret = 'a-secret-of-the-gateway-0123456789';
    const h = await startHall({ config: { smsWebhook: { url: 'http://127.0.0.1:9/sms', secret } } });
    try {
      const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
      const page = await ctx.newPage();
      await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
      await page.click('[data-testid=tab-config]');
      await page.click('[data-testid=cfg-sms]');
      await page.fill('input[name=smsNumber]', '10690001');
      await page.click('.cfg-form.sms button[type=submit]');
      await expect.poll(() => page.textContent('[data-testid=notice]')).toBe('已保存');
      // The gateway posts a text, signed.
      const body = JSON.stringify({ id: 'gw-1', from: '13812345678', to: '10690001', text: '预约 不动产 明天 下午' });
      const timestamp = String(h.t.clock.now());
      const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      const res = await fetch(`${h.base}/api/v1/sms/inbound`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hall-timestamp': timestamp, 'x-hall-signature': `sha256=${signature}` },
      });
      expect(res.status).toBe(200);
      expect((await res.json()).action).toBe('booked');
      await page.click('[data-testid=cfg-calendar]');
      await page.click('[data-testid=cfg-sms]');
      const inbound = page.locator('[data-testid=inbound]');
      await expect.poll(() => inbound.textContent()).toContain('预约 不动产 明天 下午');
      expect(await inbound.textContent()).toContain('138****5678');
      expect(await inbound.textContent()).toMatch(/已预约.*您已预约不动产登记 11月26日 12:00/);
      expect(await axeViolations(page), 'sms page with texts received').toEqual([]);
      await screenshot(page, 'manager-sms-inbound');
      await ctx.close();
    } finally {
      await h.t.close();
    }
  });
});
