/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, hallUrl, issue, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn } from './helpers.js';

/** 虚拟呼叫器: a window's keypad on a phone, paired from the manager's device page. */
describe.skipIf(!haveChromium)('the keypad page', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('is paired from the device page, acts for the clerk at its window key by key, follows the window live, and passes axe in both languages', async () => {
    const h = env.hall();
    // The manager adds a keypad for window 1: the link pairs it.
    const managerCtx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const manager = await managerCtx.newPage();
    await signIn(manager, `${h.base}/manager`, 'manager', h.password('manager'));
    await manager.click('[data-testid=tab-config]');
    await manager.click('[data-testid=cfg-devices]');
    await manager.selectOption('.cfg-form select[name=kind]', 'caller');
    await manager.fill('.cfg-form input[name=name]', '1号窗呼叫器');
    await manager.selectOption('.cfg-form select[name=windowId]', String(h.t.demo.windowIds['1']));
    await manager.click('.cfg-form button[type=submit]');
    const link = (await manager.textContent('[data-testid=pairing]'))!;
    expect(link).toMatch(new RegExp(`^${h.base}/caller#token=[A-Za-z0-9_-]{43}$`));
    // An LED strip's "link" is the text address its controller polls.
    await manager.selectOption('.cfg-form select[name=kind]', 'led');
    await manager.fill('.cfg-form input[name=name]', '大门条屏');
    await manager.selectOption('.cfg-form select[name=windowId]', '');
    expect(await axeViolations(manager), 'device form for an LED strip').toEqual([]);
    await manager.click('.cfg-form button[type=submit]');
    await expect.poll(() => manager.textContent('[data-testid=pairing]')).toMatch(new RegExp(`^${h.base}/api/v1/led/text\\?token=[A-Za-z0-9_-]{43}$`));
    const led = await (await fetch((await manager.textContent('[data-testid=pairing]'))!)).text();
    expect(led).toBe('示例区政务服务中心 欢迎您\r\n');
    await managerCtx.close();

    const ctx = await env.browser().newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await ctx.newPage();
    await phone.goto(link);
    const lcd = async () => [await phone.textContent('[data-testid=lcd-1]'), await phone.textContent('[data-testid=lcd-2]')];
    await expect.poll(lcd).toEqual(['窗口未开放', '等候 0 人']);
    // Nobody at the window: the key is refused, and the display says why.
    await phone.click('[data-testid=key-call]');
    await expect.poll(lcd).toEqual(['无人登录', '请先登录窗口']);
    expect(await axeViolations(phone), 'keypad refused').toEqual([]);

    // The clerk signs in at the counter and a citizen takes a number: the display follows by itself.
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    const a1 = await issue(h.t, 'social_security');
    await expect.poll(lcd).toEqual(['空闲', '等候 1 人']);
    await phone.click('[data-testid=key-call]');
    await expect.poll(lcd).toEqual([`请${a1.displayNumber}号`, '等候 0 人']);
    await phone.click('[data-testid=key-start]');
    await expect.poll(lcd).toEqual([`办理中 ${a1.displayNumber}`, '等候 0 人']);
    await screenshot(phone, 'caller-serving');
    // Every key is a large target.
    for (const box of await phone.locator('.keys .key').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(box).toBeGreaterThanOrEqual(72);
    await phone.click('[data-testid=key-finish]');
    await expect.poll(lcd).toEqual(['空闲', '等候 0 人']);
    const ticket = expectStatus(await clerk.get(hallUrl(h.t, `/tickets/${a1.id}`)), 200);
    expect(ticket.ticket.status).toBe('done');

    // 转移 asks for the window number.
    const a2 = await issue(h.t, 'social_security');
    await phone.click('[data-testid=key-call]');
    await expect.poll(lcd).toEqual([`请${a2.displayNumber}号`, '等候 0 人']);
    await phone.click('[data-testid=key-start]');
    await phone.click('[data-testid=key-transfer]');
    await phone.fill('[data-testid=transfer] input[name=windowNumber]', '2');
    expect(await axeViolations(phone), 'keypad transfer dialog').toEqual([]);
    await phone.click('[data-testid=transfer] button[type=submit]');
    await expect.poll(lcd).toEqual(['空闲', '等候 0 人']);
    // 暂停 turns into 恢复 while paused.
    await phone.click('[data-testid=key-pause]');
    await expect.poll(() => phone.textContent('[data-testid=key-pause]')).toBe('恢复');
    expect((await lcd())[0]).toBe('暂停服务');
    expect(expectStatus(await clerk.get(windowUrl(h.t, '1')), 200)).toMatchObject({ state: 'paused', pauseReason: 'away' });
    await phone.click('.lang-switch');
    await expect.poll(() => phone.textContent('[data-testid=key-pause]')).toBe('Resume');
    expect(await axeViolations(phone), 'keypad in English').toEqual([]);
    await screenshot(phone, 'caller-paused-en');
    await ctx.close();
  });
});
