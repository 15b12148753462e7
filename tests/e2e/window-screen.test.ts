/// <reference lib="dom" />
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, hallUrl, issue, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn } from './helpers.js';

/** A small real PNG (a 4×5 blue picture), made here. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(5, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: 5 }, () => Buffer.from([0, ...Array.from({ length: 4 }, () => [30, 90, 200]).flat()])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** 窗口屏 in a real browser at the two shapes halls mount above windows. */
describe.skipIf(!haveChromium)('the window screen', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('the manager sets a clerk\'s 工号 and photo and pairs a window screen; it shows the window, the number called and the clerk on duty at 800×480 and 1280×400, readable and axe-clean', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-staff]');
    await page.fill('[data-testid=staff-number-clerk01]', 'SB-0103');
    await page.press('[data-testid=staff-number-clerk01]', 'Tab');
    await page.setInputFiles('[data-testid=photo-clerk01]', { name: 'zhangmin.png', mimeType: 'image/png', buffer: png() });
    await expect.poll(async () => expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/staff')), 200)
      .find((s: { username: string }) => s.username === 'clerk01')).toMatchObject({ staffNumber: 'SB-0103', hasPhoto: true });
    // A file that is not a picture is refused, in words.
    await page.setInputFiles('[data-testid=photo-clerk02]', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    await expect.poll(() => page.textContent('[role=alert]')).toBe('照片须为 JPEG、PNG 或 WebP 图片。');
    expect(await axeViolations(page), 'staff with 工号 and photos').toEqual([]);
    await page.click('[data-testid=cfg-devices]');
    await page.selectOption('.cfg-form select[name=kind]', 'window_screen');
    await page.fill('.cfg-form input[name=name]', '1号窗口屏');
    await page.selectOption('.cfg-form select[name=windowId]', String(h.t.demo.windowIds['1']));
    await page.click('.cfg-form button[type=submit]');
    const link = (await page.textContent('[data-testid=pairing]'))!;
    expect(link).toMatch(new RegExp(`^${h.base}/window-screen#token=[A-Za-z0-9_-]{43}$`));
    await ctx.close();

    const clerk = await clerkAt(h.t, 'clerk01', '1');
    const a = await issue(h.t, 'social_security');
    for (const [width, height] of [[800, 480], [1280, 400]] as const) {
      const screenCtx = await env.browser().newContext({ viewport: { width, height } });
      const screen = await screenCtx.newPage();
      await screen.goto(link);
      await expect.poll(() => screen.textContent('[data-testid=ws-name]')).toBe('张敏');
      expect(await screen.textContent('[data-testid=ws-window]')).toBe('1号窗口');
      expect(await screen.textContent('[data-testid=ws-staff-number]')).toBe('工号 SB-0103');
      expect(await screen.textContent('[data-testid=ws-good-rate]')).toBe('本月暂无评价');
      await expect.poll(() => screen.locator('[data-testid=ws-photo]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(4);
      if (width === 800) {
        expect(await screen.textContent('[data-testid=ws-state]')).toBe('空闲 · 请按叫号等候');
        expectStatus(await clerk.post(windowUrl(h.t, '1', 'call-next')), 200);
      }
      await expect.poll(() => screen.textContent('[data-testid=ws-ticket]')).toBe(a.displayNumber);
      // Readable from about 3 m: the number at least 60 px high, the name 28 px; everything on the screen.
      const size = async (sel: string) => screen.locator(sel).evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      expect(await size('[data-testid=ws-ticket]')).toBeGreaterThanOrEqual(60);
      expect(await size('[data-testid=ws-name]')).toBeGreaterThanOrEqual(28);
      expect(await size('[data-testid=ws-window]')).toBeGreaterThanOrEqual(40);
      for (const sel of ['[data-testid=ws-ticket]', '[data-testid=ws-name]', '[data-testid=ws-window]', '[data-testid=ws-good-rate]', '[data-testid=ws-photo]']) {
        const box = (await screen.locator(sel).boundingBox())!;
        expect(box.y + box.height, `${sel} at ${width}×${height}`).toBeLessThanOrEqual(height + 0.5);
        expect(box.x + box.width, `${sel} at ${width}×${height}`).toBeLessThanOrEqual(width + 0.5);
      }
      expect(await axeViolations(screen), `window screen ${width}×${height}`).toEqual([]);
      await screenshot(screen, `window-screen-${width}x${height}`);
      if (width === 1280) {
        await screen.click('body'); // nothing to tap: the language follows the device's setting
        await screen.evaluate(() => localStorage.setItem('hall.lang', 'en'));
        await screen.reload();
        await expect.poll(() => screen.textContent('[data-testid=ws-window]')).toBe('Window 1');
        expect(await axeViolations(screen), 'window screen in English').toEqual([]);
      }
      await screenCtx.close();
    }
    // Paused, with the reason.
    for (const x of ['start', 'finish']) expectStatus(await clerk.post(windowUrl(h.t, '1', x)), 200);
    expectStatus(await clerk.post(windowUrl(h.t, '1', 'pause'), { reason: 'lunch' }), 200);
    const last = await (await env.browser().newContext({ viewport: { width: 800, height: 480 } })).newPage();
    await last.goto(link);
    await expect.poll(() => last.textContent('[data-testid=ws-state]')).toBe('暂停服务（午休）');
    await screenshot(last, 'window-screen-paused');
  });
});
