/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Client } from '../helpers.js';
import { expectStatus, hallUrl, issue, login, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, type E2EHall, haveChromium, screenshot, signIn, stubSpeechAndPrint } from './helpers.js';

const { browser, hall } = browserAndHall();
type Spoken = { __spoken: string[]; __chimes: number; __endSentence: () => boolean };
const spoken = (page: Page) => page.evaluate(() => (window as unknown as Spoken).__spoken);
const sentence = (n: string, w: string) => `请${n.replace(/\d/g, (d) => '零一二三四五六七八九'[Number(d)]!)}号到${w}号窗口办理`;

/** Twelve comprehensive windows (the demo's eight and 12–15), each with a clerk signed in. */
async function twelveWindows(h: E2EHall): Promise<{ numbers: string[]; clerks: Client[] }> {
  const manager = await h.t.as('manager');
  const numbers = ['1', '2', '3', '4', '5', '6', '7', '8'];
  for (const n of ['12', '13', '14', '15']) {
    const w = expectStatus(await manager.post(hallUrl(h.t, '/windows'), { number: n, kind: 'comprehensive', specialPurpose: null, tiers: [], active: true }), 201);
    h.t.demo.windowIds[n] = w.id;
    numbers.push(n);
  }
  const clerks: Client[] = [];
  for (let i = 0; i < 12; i++) {
    const username = i < 6 ? `clerk0${i + 1}` : `extra${i}`;
    const password = i < 6 ? h.password(username)
      : expectStatus(await manager.post(hallUrl(h.t, '/staff'), { username, displayName: `临时${i}`, role: 'clerk' }), 201).password;
    const clerk = await login(h.t.app, username, password);
    expectStatus(await clerk.post(windowUrl(h.t, numbers[i]!, 'sign-in')), 200);
    clerks.push(clerk);
  }
  return { numbers, clerks };
}

/** Each current call's number: its glyph box height in px, newest first as the display orders them. */
const callHeights = (page: Page) => page.locator('.call-number').evaluateAll((els) => els.map((e) => ({ text: e.textContent, h: e.getBoundingClientRect().height })));

describe.skipIf(!haveChromium)('the hall display in a full hall', { timeout: 120_000 }, () => {
  it('with 1, 3, 6 and 12 windows calling, every call is large: ≥ 6 % of the screen height each, the newest ≥ 10 %', async () => {
    const h = hall();
    const { numbers, clerks } = await twelveWindows(h);
    const ctx = await browser().newContext({ viewport: { width: 1920, height: 1080 } });
    await stubSpeechAndPrint(ctx);
    const display = await ctx.newPage();
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    await display.waitForSelector('.display[data-live] .idle');

    let called = 0;
    for (const target of [1, 3, 6, 12]) {
      for (; called < target; called++) {
        h.t.clock.advance(1000);
        await issue(h.t, 'social_security');
        expectStatus(await clerks[called]!.post(windowUrl(h.t, numbers[called]!, 'call-next')), 200);
      }
      const newest = `A${String(target).padStart(3, '0')}`;
      await expect.poll(() => display.locator('[data-testid=current-call]').count()).toBe(target);
      await expect.poll(async () => (await callHeights(display))[0]?.text).toBe(newest);
      const heights = await callHeights(display);
      expect(heights[0]!.h, `${target} calls: the newest`).toBeGreaterThanOrEqual(0.10 * 1080);
      for (const { text, h: px } of heights) expect(px, `${target} calls: ${text}`).toBeGreaterThanOrEqual(0.06 * 1080);
      await screenshot(display, `display-${target}-calls`);
      // Every call fits in its box: its number and window inside it, nothing cut off or over the next.
      const spills = await display.locator('[data-testid=current-call]').evaluateAll((els) => els.filter((e) => {
        const box = e.getBoundingClientRect();
        return Array.from(e.children).some((c) => {
          const r = c.getBoundingClientRect();
          return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
        });
      }).map((e) => e.textContent));
      expect(spills, `${target} calls fit`).toEqual([]);
      // …and the calls stay above the strip of waiting counts and windows.
      const stripTop = await display.locator('.strip').evaluate((e) => e.getBoundingClientRect().top);
      const lowest = await display.locator('[data-testid=current-call]').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().bottom)));
      expect(lowest, `${target} calls above the strip`).toBeLessThanOrEqual(stripTop);
    }
    const chipSizes = await display.locator('.chip, .win').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(Math.min(...chipSizes)).toBeGreaterThanOrEqual(24);
    expect(await axeViolations(display)).toEqual([]);

    // 静音叫号: the next call is shown and flashed, not spoken.
    const before = (await spoken(display)).length;
    const manager = await h.t.as('manager');
    expectStatus(await manager.patch(hallUrl(h.t), { settings: { silentCalls: true } }), 200);
    await issue(h.t, 'social_security');
    expectStatus(await clerks[0]!.post(windowUrl(h.t, '1', 'no-show')), 200);
    expectStatus(await clerks[0]!.post(windowUrl(h.t, '1', 'call-next')), 200);
    await expect.poll(() => display.locator('.calls').textContent()).toContain('A013');
    await expect.poll(() => display.locator('.call.flash').count()).toBeGreaterThan(0);
    expect(await spoken(display)).toHaveLength(before);
    await ctx.close();
  });

  it('twelve calls at once: each is said once while others wait, only the last is repeated, and a citizen already at the window is not called aloud', async () => {
    const h = hall();
    const { numbers, clerks } = await twelveWindows(h);
    const ctx = await browser().newContext({ viewport: { width: 1920, height: 1080 } });
    await stubSpeechAndPrint(ctx, { holdSpeech: true });
    const display = await ctx.newPage();
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    await display.waitForSelector('.display[data-live] .idle');
    for (let i = 0; i < 12; i++) {
      h.t.clock.advance(1000);
      await issue(h.t, 'social_security');
      expectStatus(await clerks[i]!.post(windowUrl(h.t, numbers[i]!, 'call-next')), 200);
    }
    await expect.poll(() => display.locator('[data-testid=current-call]').count()).toBe(12);
    // A001's first sentence is still being said (a real voice takes seconds) while eleven more calls came in.
    expect(await spoken(display)).toEqual([sentence('A001', '1')]);
    // A005's citizen reaches window 5 before their turn to be called aloud.
    // (Events arrive in order: once the display counts the ticket issued after it, it has the start.)
    expectStatus(await clerks[4]!.post(windowUrl(h.t, '5', 'start')), 200);
    await issue(h.t, 'social_security');
    await expect.poll(() => display.textContent('[data-testid=waiting-social_security] em')).toBe('1');

    const expected = [sentence('A001', '1')];
    for (let i = 1; i < 12; i++) if (i !== 4) expected.push(sentence(`A${String(i + 1).padStart(3, '0')}`, numbers[i]!));
    expected.push(sentence('A012', '15')); // nobody behind the last one: its repeat is kept
    for (let said = 1; said < expected.length; said++) {
      await display.evaluate(() => (window as unknown as Spoken).__endSentence());
      await display.waitForFunction((n) => (window as unknown as Spoken).__spoken.length >= n, said + 1);
    }
    await display.evaluate(() => (window as unknown as Spoken).__endSentence());
    await expect.poll(() => display.evaluate(() => (window as unknown as Spoken).__chimes)).toBe(2 * expected.length);
    expect(await spoken(display)).toEqual(expected);
    await ctx.close();
  });

  it('a display in a zone shows and speaks only its windows; the manager sets zones up in the page', async () => {
    const h = hall();
    const manager = await h.t.as('manager');
    const second = expectStatus(await manager.post(hallUrl(h.t, '/devices'), { kind: 'display', name: '不动产专区屏' }), 201);
    const windows = expectStatus(await manager.get(hallUrl(h.t, '/windows')), 200) as { id: number; number: string }[];
    const first = (expectStatus(await manager.get(hallUrl(h.t, '/devices')), 200) as { id: number; kind: string }[]).find((d) => d.kind === 'display')!;

    // The manager: 一楼A区 is windows 1 and 2 on the demo's display; the second display is on window 3 alone.
    const page = await browser().newPage({ viewport: { width: 1440, height: 1000 } });
    await signIn(page, `${h.base}/manager#config`, 'manager', h.password('manager'));
    await page.click('[data-testid=cfg-zones]');
    await page.click('[data-testid=zone-add]');
    await page.fill('input[name=zone-0-name]', '一楼A区');
    await page.check('input[name=zone-0-window-1]');
    await page.check('input[name=zone-0-window-2]');
    await page.check(`input[name=zone-0-display-${first.id}]`);
    await page.click('[data-testid=zone-add]');
    await page.fill('input[name=zone-1-name]', '一楼A区');
    await page.check('input[name=zone-1-window-3]');
    await page.check(`input[name=zone-1-display-${second.device.id}]`);
    await page.click('.cfg-form.zones button[type=submit]');
    // Two zones of one name are refused in words, under the name, and nothing is saved.
    await expect.poll(() => page.textContent('[data-testid=field-error-zone-0-name], [data-testid=field-error-zone-1-name]')).toContain('同名');
    expect(await axeViolations(page, '.panel')).toEqual([]);
    await page.fill('input[name=zone-1-name]', '不动产专区');
    await page.click('.cfg-form.zones button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=notice]')).toContain('已保存');
    await screenshot(page, 'manager-zones');
    expect(await axeViolations(page, '.panel')).toEqual([]);
    const saved = expectStatus(await manager.get(hallUrl(h.t)), 200);
    const id = (n: string) => windows.find((w) => w.number === n)!.id;
    expect(saved.settings.displayZones).toEqual([
      { name: '一楼A区', windowIds: [id('1'), id('2')], displayIds: [first.id] },
      { name: '不动产专区', windowIds: [id('3')], displayIds: [second.device.id] },
    ]);
    await page.close();

    const ctx = await browser().newContext({ viewport: { width: 1920, height: 1080 } });
    await stubSpeechAndPrint(ctx);
    const zoneA = await ctx.newPage();
    await zoneA.goto(`${h.base}/display#token=${h.displayToken}`);
    await zoneA.waitForSelector('.display[data-live] .idle');
    expect(await zoneA.textContent('[data-testid=zone-name]')).toContain('一楼A区');
    const clerk1 = await login(h.t.app, 'clerk01', h.password('clerk01'));
    const clerk3 = await login(h.t.app, 'clerk03', h.password('clerk03'));
    expectStatus(await clerk1.post(windowUrl(h.t, '1', 'sign-in')), 200);
    expectStatus(await clerk3.post(windowUrl(h.t, '3', 'sign-in')), 200);
    await issue(h.t, 'social_security');
    await issue(h.t, 'social_security');
    expectStatus(await clerk3.post(windowUrl(h.t, '3', 'call-next')), 200); // A001 at window 3: another zone
    expectStatus(await clerk1.post(windowUrl(h.t, '1', 'call-next')), 200); // A002 at window 1: this zone
    await expect.poll(() => zoneA.locator('.calls').textContent()).toContain('A002');
    await expect.poll(() => spoken(zoneA)).toEqual([sentence('A002', '1'), sentence('A002', '1')]);
    expect(await zoneA.locator('[data-testid=current-call]').count()).toBe(1);
    expect(await zoneA.textContent('.stage')).not.toContain('A001');
    // Its window strip lists its own windows only.
    expect((await zoneA.locator('.windows .win').allTextContents()).map((w) => w.replace(/\D.*/, ''))).toEqual(['1', '2']);
    expect(await axeViolations(zoneA)).toEqual([]);
    await screenshot(zoneA, 'display-zone');

    // Moving window 3 into 一楼A区 reaches the open display at once (no reload): A001 appears.
    expectStatus(await manager.patch(hallUrl(h.t), { settings: { displayZones: [{ name: '一楼A区', windowIds: [id('1'), id('2'), id('3')], displayIds: [first.id] }] } }), 200);
    await expect.poll(() => zoneA.locator('.calls').textContent()).toContain('A001');
    await ctx.close();
  });
});
