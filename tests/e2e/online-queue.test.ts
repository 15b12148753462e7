/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { clerkAt, expectStatus, hallUrl, issue, windowUrl } from '../helpers.js';
import { axeViolations, haveChromium, launch, screenshot, startHall, stubSpeechAndPrint } from './helpers.js';

const GATEWAY = { url: 'http://127.0.0.1:9/sms', secret: 'a-secret-of-the-gateway-0123456789' };

/**
 * 在线排队 in the browser, at phone size: 现在排队 on the booking page with the SMS code, the
 * phone page while not in the hall (passed over: until when), the hall's entrance QR code on the
 * kiosk opening the phone's page that confirms the arrival, and the kiosk's arrival-code keypad.
 */
describe.skipIf(!haveChromium)('online queueing in the browser', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => browser?.close());

  it('takes a number from the phone, is passed over while away, arrives by the entrance QR code; another arrives at the kiosk', async () => {
    const h = await startHall({ config: { smsWebhook: GATEWAY } });
    try {
      const ss = h.t.demo.serviceIds.social_security!;
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
      const phone = await ctx.newPage();
      await phone.goto(`${h.base}/book`);
      await phone.waitForSelector(`[data-testid=queue-service-${ss}]`);
      expect(await phone.textContent(`[data-testid=queue-service-${ss}]`)).toContain('本小时余 10 个');
      expect(await axeViolations(phone), 'booking page with 现在排队').toEqual([]);
      await screenshot(phone, 'online-queue-choice');
      await phone.click(`[data-testid=queue-service-${ss}]`);
      await phone.fill('input[name=phone]', '13812345678');
      await phone.click('[data-testid=queue-send-code]');
      await expect.poll(async () => (await h.t.db.selectFrom('notifications').select('id').where('kind', '=', 'verification').execute()).length).toBe(1);
      const sms = await h.t.db.selectFrom('notifications').select('text').where('kind', '=', 'verification').executeTakeFirstOrThrow();
      await phone.fill('input[name=code]', /验证码是 (\d{6})/.exec(sms.text)![1]!);
      expect(await axeViolations(phone), 'queue form').toEqual([]);
      await screenshot(phone, 'online-queue-form');
      await phone.click('[data-testid=queue-submit]');

      // The phone page of the new number: not in the hall yet, with the arrival code for the kiosk.
      await phone.waitForURL(/\/t\/[A-Za-z0-9_-]{22}$/);
      await phone.waitForSelector('[data-testid=not-arrived]');
      expect(await phone.textContent('[data-testid=number]')).toBe('A001');
      expect(await phone.textContent('[data-testid=arrival-code]')).toMatch(/^\d{8}$/);
      expect(await phone.textContent('[data-testid=come-in]')).toContain('确认到厅');
      expect(await axeViolations(phone), 'phone page not in the hall').toEqual([]);
      await screenshot(phone, 'online-phone-away');

      // A citizen in the hall is called first; the phone says until when the place is kept.
      await issue(h.t, 'social_security');
      const clerk = await clerkAt(h.t, 'clerk01', '1');
      expect(expectStatus(await clerk.post(windowUrl(h.t, '1', 'call-next')), 200).ticket.displayNumber).toBe('A002');
      await expect.poll(() => phone.textContent('[data-testid=passed]').catch(() => null)).toContain('09:15');
      expect(await axeViolations(phone), 'phone page passed over').toEqual([]);
      await screenshot(phone, 'online-phone-passed');

      // The kiosk at the entrance shows the day's QR code; its address, opened on this phone, confirms the arrival.
      const kioskCtx = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
      await stubSpeechAndPrint(kioskCtx);
      const kiosk = await kioskCtx.newPage();
      await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
      // 「网上取号到厅」: the QR code for the phone, and the keypad for the arrival code.
      await kiosk.click('[data-testid=arrive]');
      await kiosk.waitForSelector('[data-testid=entrance-code] svg');
      const entrance = expectStatus(await h.t.device('kiosk').get(hallUrl(h.t, '/entrance')), 200);
      expect(await kiosk.textContent('[data-testid=entrance-code]')).toContain(entrance.code);
      expect(await axeViolations(kiosk), 'kiosk arrival screen with the entrance code').toEqual([]);
      await screenshot(kiosk, 'kiosk-entrance-code');
      const scanned = await ctx.newPage();
      await scanned.goto(`${h.base}${entrance.path}`);
      await scanned.waitForURL(/\/t\/[A-Za-z0-9_-]{22}$/);
      await scanned.waitForSelector('[data-testid=arrived-note]');
      expect(await scanned.$('[data-testid=not-arrived]')).toBeNull();
      await screenshot(scanned, 'online-phone-arrived');
      // In the hall now: the next call is theirs.
      expectStatus(await clerk.post(windowUrl(h.t, '1', 'start')), 200);
      expectStatus(await clerk.post(windowUrl(h.t, '1', 'finish')), 200);
      expect(expectStatus(await clerk.post(windowUrl(h.t, '1', 'call-next')), 200).ticket.displayNumber).toBe('A001');
      await expect.poll(() => scanned.textContent('[data-testid=called]').catch(() => null)).toContain('1');

      // A second citizen confirms at the kiosk with the arrival code on the keypad.
      const other = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const otherPage = await other.newPage();
      await otherPage.goto(`${h.base}${entrance.path}`);
      // This browser holds no number taken online: it says what to do instead.
      await expect.poll(() => otherPage.textContent('[data-testid=entrance]')).toContain(entrance.code);
      expect(await axeViolations(otherPage), 'entrance page without a number').toEqual([]);
      expectStatus(await h.t.app.inject({ method: 'POST', url: `/api/v1/public/halls/${h.t.demo.hallId}/phone-codes`, payload: { phone: '13912345678' }, remoteAddress: '203.0.113.20' }), 202);
      const code = /验证码是 (\d{6})/.exec((await h.t.db.selectFrom('notifications').select('text').where('phone', '=', '13912345678').where('kind', '=', 'verification').executeTakeFirstOrThrow()).text)![1]!;
      const second = expectStatus(await h.t.app.inject({
        method: 'POST', url: `/api/v1/public/halls/${h.t.demo.hallId}/queue`, payload: { serviceId: ss, phone: '13912345678', code }, remoteAddress: '203.0.113.20',
      }), 201);
      if (!(await kiosk.$('[data-testid=arrival]'))) await kiosk.click('[data-testid=arrive]');
      await kiosk.waitForSelector('[data-testid=arrival]');
      for (const d of second.arrivalCode as string) await kiosk.click(`[data-testid=key-${d}]`);
      expect(await axeViolations(kiosk), 'kiosk arrival keypad').toEqual([]);
      await kiosk.click('[data-testid=pad-submit]');
      await expect.poll(() => kiosk.textContent('[data-testid=arrived]').catch(() => null)).toContain(`${second.ticket.displayNumber} 已确认到厅`);
      expect(await axeViolations(kiosk), 'kiosk arrived').toEqual([]);
      await screenshot(kiosk, 'kiosk-arrived');
      const row = await h.t.db.selectFrom('tickets').select('arrived_at').where('id', '=', second.ticket.id).executeTakeFirstOrThrow();
      expect(row.arrived_at).toBe(h.t.clock.now());
      await Promise.all([ctx.close(), kioskCtx.close(), other.close()]);
    } finally {
      await h.t.close();
    }
  });
});
