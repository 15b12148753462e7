/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import { clerkAt, expectStatus, hallUrl, issue, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn, startHall, stubSpeechAndPrint } from './helpers.js';

const at = (day: string, hhmm: string) => instantOf(day, hhmm, 'Asia/Shanghai');

/** 预约 in the browser: a citizen books on the phone, checks in at the kiosk, and is called first. */
describe.skipIf(!haveChromium)('appointments in the browser', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('books a slot on the phone, finds it by code; checks in at the kiosk by keypad and is called ahead', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const phone = await ctx.newPage();
    await phone.goto(`${h.base}/book`);
    // One hall: straight to its services.
    await phone.click(`[data-testid=book-service-${h.t.demo.serviceIds.social_security}]`);
    await phone.waitForSelector('[data-testid=day-2026-11-25]');
    expect(await phone.getAttribute('[data-testid=day-2026-11-25]', 'aria-pressed')).toBe('true');
    expect(await phone.textContent('[data-testid=day-2026-11-29]')).toContain('不开放'); // Sunday
    expect(await axeViolations(phone), 'slots').toEqual([]);
    await screenshot(phone, 'booking-slots');
    await phone.click('[data-testid=slot-09\\:30]');
    await phone.waitForSelector('[data-testid=chosen-slot]');
    // A wrong phone number is refused by the server and said in words.
    await phone.fill('input[name=name]', '王小明');
    await phone.fill('input[name=phone]', '1381234');
    await phone.click('button[type=submit]');
    await expect.poll(() => phone.textContent('[data-testid=booking-error]')).toContain('手机号码');
    expect(await phone.getAttribute('input[name=phone]', 'aria-invalid')).toBe('true');
    expect(await axeViolations(phone), 'details with an error').toEqual([]);
    await phone.fill('input[name=phone]', '13812345678');
    // No SMS gateway in this hall: the page says the booking is confirmed at check-in.
    expect(await phone.textContent('[data-testid=unconfirmed-hint]')).toContain('签到时确认');
    await phone.click('button[type=submit]');
    await phone.waitForSelector('[data-testid=booked]');
    expect(await phone.textContent('[data-testid=booking-unconfirmed]')).toContain('未确认');
    const code = (await phone.textContent('[data-testid=code]'))!.replace(/\s/g, '');
    expect(code).toMatch(/^\d{8}$/);
    expect(await phone.textContent('[data-testid=how]')).toContain('09:15–09:45');
    expect(await phone.textContent('[data-testid=booked]')).toContain('138****5678');
    // 请携带: the service's materials list (the demo hall's for 社会保险).
    expect(await phone.locator('[data-testid=materials] li').allTextContents()).toEqual(['居民身份证 原件', '社会保障卡', '《社会保险参保登记表》 1份']);
    expect(await axeViolations(phone), 'booked').toEqual([]);
    await screenshot(phone, 'booking-done');

    // The QR's link opens the booking by its code.
    const again = await ctx.newPage();
    await again.goto(`${h.base}/book#code=${code}`);
    await expect.poll(() => again.textContent('[data-testid=booking-status]')).toBe('已预约');

    // At the hall: two citizens take numbers first, then the appointment checks in.
    await issue(h.t, 'social_security');
    await issue(h.t, 'social_security');
    const kioskCtx = await env.browser().newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    await stubSpeechAndPrint(kioskCtx);
    const kiosk = await kioskCtx.newPage();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.click('[data-testid=checkin]');
    await kiosk.waitForSelector('[data-testid=checkin]');
    // A wrong code first: said in words, the keypad stays.
    for (const d of '00000000') await kiosk.click(`[data-testid=key-${d}]`);
    await kiosk.click('[data-testid=pad-submit]');
    await expect.poll(() => kiosk.textContent('[role=alert]')).toContain('没有找到这个签到码');
    expect(await axeViolations(kiosk), 'kiosk check-in').toEqual([]);
    await screenshot(kiosk, 'kiosk-checkin');
    await kiosk.click('text=清空');
    for (const d of code) await kiosk.click(`[data-testid=key-${d}]`);
    await kiosk.click('[data-testid=pad-submit]');
    await expect.poll(() => kiosk.textContent('[data-testid=issued-number]')).toBe('A003');
    expect(await kiosk.textContent('[data-testid=checked-in]')).toBe('预约签到成功，将优先叫号');
    expect(await kiosk.textContent('.issued-service')).toContain('预约');
    await expect.poll(() => kiosk.evaluate(() => (window as any).__printed)).toBe(1);
    expect(await axeViolations(kiosk), 'kiosk checked in').toEqual([]);

    // Inside its window the appointment is called before the two who came earlier.
    h.t.clock.advance(at('2026-11-25', '09:20') - h.t.clock.now());
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    expect(expectStatus(await clerk.post(windowUrl(h.t, '1', 'call-next')), 200).ticket.displayNumber).toBe('A003');
    await expect.poll(() => again.reload().then(() => again.textContent('[data-testid=booking-status]'))).toBe('已签到');
    expect(await again.textContent('[data-testid=booked]')).toContain('A003');

    // Cancelling from the page frees the place.
    const manager = await h.t.as('manager');
    const [listed] = expectStatus(await manager.get(hallUrl(h.t, '/appointments?day=2026-11-25')), 200);
    expect(listed).toMatchObject({ status: 'checked_in', late: false });
    await ctx.close();
    await kioskCtx.close();
  });

  it("checks in with the kiosk's scanner (it types the booking QR's URL and Enter) or a code typed on a keyboard", async () => {
    const h = env.hall();
    const manager = await h.t.as('manager');
    const book = async (phone: string) => expectStatus(await manager.post(hallUrl(h.t, '/appointments'), {
      serviceId: h.t.demo.serviceIds.social_security, slotStart: at('2026-11-25', '09:30'), name: '扫码', phone, source: 'phone',
    }), 201).code as string;
    const [scanned, typed] = [await book('13900003001'), await book('13900003002')];
    const kioskCtx = await env.browser().newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    await stubSpeechAndPrint(kioskCtx);
    const kiosk = await kioskCtx.newPage();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.click('[data-testid=checkin]');
    await kiosk.waitForSelector('[data-testid=code-box]');
    // The scanner reads the QR on the booking page: its URL, digits of host and port included.
    await kiosk.keyboard.type(`http://192.168.1.20:3000/book#code=${scanned}`);
    await kiosk.keyboard.press('Enter');
    await expect.poll(() => kiosk.textContent('[data-testid=checked-in]')).toBe('预约签到成功，将优先叫号');
    await kiosk.click('[data-testid=issued] button.primary'); // back home
    await kiosk.click('[data-testid=checkin]');
    await kiosk.waitForSelector('[data-testid=code-box]');
    // Typed on a keyboard: the digits fill the boxes, Enter submits.
    await kiosk.keyboard.type(typed);
    expect((await kiosk.textContent('[data-testid=code-box]'))!.replace(/\s/g, '')).toBe(typed);
    await kiosk.keyboard.press('Enter');
    await expect.poll(() => kiosk.textContent('[data-testid=checked-in]')).toBe('预约签到成功，将优先叫号');
    const rows = expectStatus(await manager.get(hallUrl(h.t, '/appointments?day=2026-11-25')), 200);
    expect(rows.map((r: any) => r.status)).toEqual(['checked_in', 'checked_in']);
    await kioskCtx.close();
  });

  it('the citizen cancels a booking from the page, in English too', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 390, height: 844 } });
    await ctx.addInitScript(() => localStorage.setItem('hall.lang', 'en'));
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${h.base}/book?hall=${h.t.demo.hallId}`);
    await page.click(`[data-testid=book-service-${h.t.demo.serviceIds.real_estate}]`);
    await page.click('[data-testid=day-2026-11-26]');
    await page.click('[data-testid=slot-10\\:00]');
    await page.fill('input[name=name]', 'Li Lei');
    await page.fill('input[name=phone]', '13912345678');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=booked]');
    expect(await axeViolations(page), 'booked in English').toEqual([]);
    await page.click('[data-testid=cancel-booking]');
    await expect.poll(() => page.textContent('[data-testid=booking-status]')).toBe('Cancelled');
    const slots = expectStatus(await h.t.app.inject({ url: `/api/v1/public/halls/${h.t.demo.hallId}/services/${h.t.demo.serviceIds.real_estate}/slots` }), 200);
    const slot = slots.days.find((d: any) => d.day === '2026-11-26').slots.find((s: any) => s.start === at('2026-11-26', '10:00'));
    expect(slot.left).toBe(slot.capacity);
    await ctx.close();
  });

  it('a slot that fills while the citizen types: said in words, back to the places as they are, name and number kept', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    const serviceId = h.t.demo.serviceIds.real_estate;
    await page.goto(`${h.base}/book?hall=${h.t.demo.hallId}`);
    await page.click(`[data-testid=book-service-${serviceId}]`);
    await page.click('[data-testid=day-2026-11-27]');
    await page.click('[data-testid=slot-10\\:00]');
    await page.fill('input[name=name]', '王小明');
    await page.fill('input[name=phone]', '13812340000');
    // Meanwhile the hall takes every place of that slot by phone.
    const manager = await h.t.as('manager');
    const slotStart = at('2026-11-27', '10:00');
    const slots = async () => expectStatus(await h.t.app.inject({ url: `/api/v1/public/halls/${h.t.demo.hallId}/services/${serviceId}/slots` }), 200)
      .days.find((d: any) => d.day === '2026-11-27').slots.find((s: any) => s.start === slotStart);
    const capacity = (await slots()).capacity as number;
    for (let i = 0; i < capacity; i++) {
      expectStatus(await manager.post(hallUrl(h.t, '/appointments'), { serviceId, slotStart, name: `电话${i}`, phone: `1390000${2000 + i}`, source: 'phone' }), 201);
    }
    expect((await slots()).left).toBe(0);
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=booking-error]')).toContain('约满');
    // Back on the slots of the day chosen, with the full one shown full and not offered.
    await page.waitForSelector('[data-testid=slot-10\\:00]');
    expect(await page.getAttribute('[data-testid=day-2026-11-27]', 'aria-pressed')).toBe('true');
    expect(await page.isDisabled('[data-testid=slot-10\\:00]')).toBe(true);
    await page.click('[data-testid=slot-10\\:30]');
    expect(await page.inputValue('input[name=name]')).toBe('王小明');
    expect(await page.inputValue('input[name=phone]')).toBe('13812340000');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=booked]');
    expect(await page.textContent('[data-testid=booked]')).toContain('10:30');
    await ctx.close();
  });

  it('the manager enters a phone booking, sees the day\'s list, cancels one; the history shows the appointment figures', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-appointments]');
    await page.waitForSelector('[data-testid=appt-day]');
    await page.fill('[data-testid=appt-day]', '2026-11-26');
    await page.selectOption('.cfg-form select[name=serviceId]', String(h.t.demo.serviceIds.social_security));
    await expect.poll(() => page.locator('.cfg-form select[name=slotStart] option').count()).toBeGreaterThan(1);
    await page.selectOption('.cfg-form select[name=slotStart]', String(at('2026-11-26', '10:00')));
    await page.fill('.cfg-form input[name=name]', '赵大爷');
    await page.fill('.cfg-form input[name=phone]', '1390000');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-phone]')).toBeTruthy();
    await page.fill('.cfg-form input[name=phone]', '13900001111');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=appt-code]')).toMatch(/签到码 \d{8}/);
    await expect.poll(() => page.textContent('[data-testid=appointments]')).toContain('赵大爷');
    expect(await page.textContent('[data-testid=appointments]')).toContain('13900001111');
    expect(await page.textContent('[data-testid=appointments]')).toContain('电话');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'manager-appointments');
    await page.click('[data-testid=appointments] button');
    await expect.poll(() => page.textContent('[data-testid=appointments]')).toContain('已取消');

    await page.click('[data-testid=tab-history]');
    await expect.poll(() => page.textContent('[data-testid=appointment-stats]')).toContain('合计');
    await page.fill('[data-testid=to]', '2026-12-31');
    await page.click('.range button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=appointment-stats] tbody tr').count()).toBe(2);
    expect(await page.textContent('[data-testid=appointment-stats] tbody tr:first-child')).toContain('社会保险');
    await ctx.close();
  });

  it('where the hall has an SMS gateway, the citizen proves the number with the code sent to it', async () => {
    const h = await startHall({ config: { smsWebhook: { url: 'http://127.0.0.1:9/sms', secret: 'a-secret-of-the-gateway-0123456789' } } });
    try {
      const ctx = await env.browser().newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
      const phone = await ctx.newPage();
      await phone.goto(`${h.base}/book`);
      await phone.click(`[data-testid=book-service-${h.t.demo.serviceIds.social_security}]`);
      await phone.click('[data-testid=slot-10\\:00]');
      await phone.fill('input[name=name]', '王小明');
      expect(await phone.isDisabled('[data-testid=send-code]')).toBe(true); // no number yet
      await phone.fill('input[name=phone]', '13812345678');
      // The form does not go without the code.
      expect(await phone.getAttribute('input[name=code]', 'required')).not.toBeNull();
      await phone.click('[data-testid=send-code]');
      await expect.poll(() => phone.textContent('#code-hint')).toContain('138****5678');
      expect(await phone.textContent('[data-testid=send-code]')).toMatch(/秒后可重新获取/);
      const sms = await h.t.db.selectFrom('notifications').select('text').where('kind', '=', 'verification').executeTakeFirstOrThrow();
      await phone.fill('input[name=code]', /验证码是 (\d{6})/.exec(sms.text)![1]!);
      expect(await axeViolations(phone), 'details with the code').toEqual([]);
      await screenshot(phone, 'booking-sms-code');
      await phone.click('button[type=submit]');
      await phone.waitForSelector('[data-testid=booked]');
      expect(await phone.textContent('[data-testid=booking-status]')).toBe('已预约');
      expect(await phone.locator('[data-testid=booking-unconfirmed]').count()).toBe(0);
      await ctx.close();
    } finally {
      await h.t.close();
    }
  });
});
