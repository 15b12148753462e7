/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import { fillHistory } from '../../server/seed/history.js';
import { clerkAt, expectError, expectStatus, hallUrl, issue, openAllDay, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, type E2EHall, haveChromium, screenshot, signIn, signInAtCounter, stubSpeechAndPrint } from './helpers.js';

let browser: Browser;
let h: E2EHall;

/** At the counter: call the next citizen (F1), start (F3), open 转办 (F6) and choose a service. */
async function openTransferTo(page: Page, serviceId: number): Promise<void> {
  // A key pressed while the previous action is still finishing is dropped on purpose (one action at a time).
  await expect.poll(() => page.isEnabled('[data-testid=act-call-next]')).toBe(true);
  await page.keyboard.press('F1');
  await page.waitForSelector('[data-testid=current]');
  await page.keyboard.press('F3');
  await expect.poll(() => page.isEnabled('[data-testid=act-transfer]')).toBe(true);
  await page.keyboard.press('F6');
  await page.selectOption('[data-testid=transfer-service]', String(serviceId));
}

/** What citizens, clerks and managers ran into in daily use, each kept fixed here. */
describe.skipIf(!haveChromium)('the pages in daily use', { timeout: 120_000 }, () => {
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

  it('counter: the transfer dialog keeps focus, Esc closes it; a refused F6 says why; the picker signs out and switches language', async () => {
    await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/counter`, 'clerk03', h.password('clerk03'));
    await page.waitForSelector('[data-testid=window-3]');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('.lang-switch');
    await expect.poll(() => page.textContent('.picker h1')).not.toContain('窗口');
    await page.click('.lang-switch');
    await page.click('[data-testid=picker-logout]');
    await page.waitForSelector('input[name=username]');

    await signInAtCounter(page, h.base, 'clerk03', h.password('clerk03'), '3');
    await page.keyboard.press('F1');
    await page.waitForSelector('[data-testid=current]');
    // Called, not yet serving: F6 is refused, in words.
    await page.keyboard.press('F6');
    await expect.poll(() => page.textContent('[data-testid=notice]')).toContain('请先按 F3 开始办理');
    expect(await page.locator('[data-testid=transfer-dialog]').count()).toBe(0);
    await page.keyboard.press('F3');
    await expect.poll(() => page.isEnabled('[data-testid=act-transfer]')).toBe(true);
    await page.keyboard.press('F6');
    await page.waitForSelector('[data-testid=transfer-dialog]');
    // Tab twenty times: focus never leaves the dialog.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=transfer-dialog]'))).toBe(true);
    }
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'counter-transfer-dialog');
    // Focus is plain to see (WCAG 2.4.11): a ring at least 2 px thick around the focused control.
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { width: parseFloat(style.outlineWidth), style: style.outlineStyle };
    });
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=transfer-dialog]').count()).toBe(0);
    // Focus is back on the page, on the button that opened the dialog or the body, not lost behind an overlay.
    expect(await page.evaluate(() => document.querySelectorAll('[inert]').length)).toBe(0);
    await ctx.close();
  });

  it('counter: a key pressed while the previous action is on its way is not done, and the clerk is told so', async () => {
    await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signInAtCounter(page, h.base, 'clerk01', h.password('clerk01'), '1');
    // The call is held on its way to the server until F3 has been pressed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/call-next', async (route) => {
      await held;
      await route.continue();
    });
    const calling = page.waitForRequest('**/call-next');
    await page.keyboard.press('F1');
    await calling;
    await page.keyboard.press('F3');
    await expect.poll(() => page.textContent('[data-testid=notice]')).toBe('上一步还在处理，「开始办理」没有执行，请稍后再按。');
    release();
    await page.waitForSelector('[data-testid=current]');
    // Only the call was done: the ticket is called, not being served.
    const queue = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/queue')), 200);
    expect(queue.windows.find((w: any) => w.number === '1').current).toMatchObject({ displayNumber: 'A001', status: 'called' });
    await ctx.close();
  });

  it('counter: a transferred citizen is not called back here; the dialog says when only this window serves the service', async () => {
    await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signInAtCounter(page, h.base, 'clerk01', h.password('clerk01'), '1');
    await openTransferTo(page, h.t.demo.serviceIds.tax!);
    expect(await page.locator('[data-testid=only-here]').count()).toBe(0);
    await page.click('[data-testid=transfer-dialog] button[type=submit]');
    await page.waitForSelector('.none');
    await expect.poll(() => page.isEnabled('[data-testid=act-call-next]')).toBe(true);
    await page.keyboard.press('F1');
    await expect.poll(() => page.textContent('.none')).toBe('当前无办理对象，请点击「叫号」');
    expect(await page.locator('[data-testid=current]').count()).toBe(0);

    // With every other window out of use, the dialog warns that the citizen will come back here.
    const manager = await h.t.as('manager');
    for (const n of Object.keys(h.t.demo.windowIds)) {
      if (n !== '1') expectStatus(await manager.patch(windowUrl(h.t, n), { active: false }), 200);
    }
    await issue(h.t, 'social_security');
    await openTransferTo(page, h.t.demo.serviceIds.tax!);
    await page.waitForSelector('[data-testid=only-here]');
    await screenshot(page, 'counter-transfer-only-here');
    await ctx.close();
  });

  it('counter: the recall limit says the citizen became a no-show; 重排, 选叫 and 申诉 work from the page', async () => {
    const first = await issue(h.t, 'social_security');
    await issue(h.t, 'social_security');
    const third = await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signInAtCounter(page, h.base, 'clerk01', h.password('clerk01'), '1');
    await page.keyboard.press('F1');
    await page.waitForSelector('[data-testid=current]');
    const limit = 2; // the demo hall's recallLimit
    for (let i = 0; i < limit; i++) {
      await expect.poll(() => page.isEnabled('[data-testid=act-recall]')).toBe(true);
      await page.keyboard.press('F2');
      await expect.poll(() => page.textContent('[data-testid=current]')).toContain(`已重呼 ${i + 1} 次`);
    }
    await page.keyboard.press('F2');
    await expect.poll(() => page.textContent('[data-testid=notice]')).toContain(`${first.displayNumber} 已重呼到上限仍未到窗口，已按过号处理`);
    await screenshot(page, 'counter-recall-limit');

    // 重排: the no-show is back in the queue.
    await page.click(`[data-testid=requeue-${first.displayNumber}]`);
    await page.waitForSelector(`[data-testid=pick-${first.displayNumber}]`);

    // 选叫 the third citizen out of turn, with a reason.
    await page.click(`[data-testid=pick-${third.displayNumber}]`);
    await page.waitForSelector('[data-testid=pick-dialog]');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('[data-testid=pick-dialog] input[name=reason]', '老年人，行动不便');
    await page.click('[data-testid=pick-dialog] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=current] .ticket-number')).toBe(third.displayNumber);
    const manager = await h.t.as('manager');
    const detail = expectStatus(await manager.get(hallUrl(h.t, `/tickets/${third.id}`)), 200);
    expect(detail.transitions.at(-1)).toMatchObject({ action: 'call_specific', reason: '老年人，行动不便' });

    // 申诉: the clerk appeals a 差评 of their own service.
    await page.keyboard.press('F3');
    await expect.poll(() => page.isEnabled('[data-testid=act-finish]')).toBe(true);
    await page.keyboard.press('F4');
    await page.waitForSelector('.none');
    const phone = await ctx.newPage();
    await phone.goto(`${h.base}/t/${third.token}`);
    await phone.click('[data-testid=level-very_dissatisfied]');
    await phone.click('[data-testid=rate-submit]');
    await phone.waitForSelector('[data-testid=rated]');
    await page.click('[data-testid=my-ratings]');
    await page.waitForSelector('[data-testid=ratings-dialog] button');
    await page.click('[data-testid=ratings-dialog] button >> text=申诉');
    await page.fill('[data-testid=appeal-dialog] input[name=reason]', '群众对政策本身不满，非服务问题');
    await page.click('[data-testid=appeal-dialog] button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=ratings-dialog]')).toContain('待裁定');
    const [rating] = expectStatus(await manager.get(hallUrl(h.t, '/evaluations')), 200);
    expect(rating).toMatchObject({ appealState: 'pending', appealReason: '群众对政策本身不满，非服务问题' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'counter-my-ratings');
    await ctx.close();
  });

  it('kiosk: every service reachable in 大字 and English, 绿色通道 in one step, a clean start for the next citizen, a one-page 80 mm slip', async () => {
    await openAllDay(h.t);
    const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    await stubSpeechAndPrint(ctx);
    const kiosk = await ctx.newPage();
    await kiosk.clock.install();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=service-social_security]');
    expect(await axeViolations(kiosk)).toEqual([]); // includes meta-viewport: zoom is not forbidden

    /** Each service is on screen, or a cue says more are below and scrolling brings the last one above the footer. */
    const reachable = async (mode: string) => {
      const footerTop = await kiosk.locator('footer.tools').evaluate((e) => e.getBoundingClientRect().top);
      const last = kiosk.locator('.service').last();
      const lastBottom = await last.evaluate((e) => e.getBoundingClientRect().bottom);
      if (lastBottom > footerTop) {
        expect(await kiosk.locator('[data-testid=more]').isVisible(), `${mode}: a cue says more services are below`).toBe(true);
        await kiosk.locator('.services').evaluate((e) => e.scrollTo(0, e.scrollHeight));
        await expect.poll(() => kiosk.locator('[data-testid=more]').count()).toBe(0);
      }
      const box = await last.evaluate((e) => e.getBoundingClientRect().bottom);
      expect(box, `${mode}: the last service is above the footer`).toBeLessThanOrEqual(footerTop);
      // No card spills over the next: each holds its own text.
      const spills = await kiosk.locator('.service').evaluateAll((els) => els.filter((e) => e.scrollHeight > e.clientHeight + 1).length);
      expect(spills, `${mode}: cards hold their text`).toBe(0);
    };
    await kiosk.click('[data-testid=large]');
    // 大字: two columns of large cards; at least six services on screen without a swipe, each a large target.
    await expect.poll(() => kiosk.locator('.services').evaluate((e) => getComputedStyle(e).gridTemplateColumns.split(' ').length)).toBe(2);
    const cards = await kiosk.locator('.service').evaluateAll((els) => {
      const box = els[0]!.parentElement!.getBoundingClientRect();
      return els.map((e) => {
        const r = e.getBoundingClientRect();
        return { inView: r.top >= box.top - 1 && r.bottom <= box.bottom + 1, w: r.width, h: r.height, name: parseFloat(getComputedStyle(e.querySelector('.service-name')!).fontSize) };
      });
    });
    expect(cards.filter((c) => c.inView).length, '大字: services on screen').toBeGreaterThanOrEqual(Math.min(6, cards.length));
    for (const c of cards) {
      expect(Math.min(c.w, c.h)).toBeGreaterThanOrEqual(64);
      expect(c.name, '大字: the service name is large').toBeGreaterThanOrEqual(40);
    }
    await reachable('大字');
    expect(await axeViolations(kiosk)).toEqual([]);
    await screenshot(kiosk, 'kiosk-large');
    await kiosk.click('[data-testid=large]');
    await kiosk.click('.lang-switch');
    await reachable('English');
    expect(await axeViolations(kiosk)).toEqual([]);
    await screenshot(kiosk, 'kiosk-english');

    // Left alone in English with an error on screen: the next citizen finds Chinese and no message.
    await kiosk.route('**/api/v1/halls/*/tickets', (route) => route.abort());
    await kiosk.locator('.services').evaluate((e) => e.scrollTo(0, 0));
    await kiosk.click('[data-testid=service-social_security]');
    await kiosk.waitForSelector('.error-banner[role=alert]');
    await kiosk.unroute('**/api/v1/halls/*/tickets');
    await kiosk.clock.fastForward(21_000);
    await expect.poll(() => kiosk.locator('.error-banner[role=alert]').count()).toBe(0);
    expect(await kiosk.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await kiosk.textContent('.pick')).toContain('请');

    // 绿色通道: who it is for (large buttons), the state is plain, then the service.
    await kiosk.click('[data-testid=green]');
    await kiosk.waitForSelector('[data-testid=green-choose]');
    const choices = await kiosk.locator('.green-options button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    expect(Math.min(...choices)).toBeGreaterThanOrEqual(64);
    // Until they say, no service card can be tapped (it would take a normal number).
    expect(await kiosk.locator('[data-testid^=service-]').count()).toBe(0);
    expect(await axeViolations(kiosk)).toEqual([]);
    await screenshot(kiosk, 'kiosk-green-who');
    await kiosk.click('[data-testid=green-elderly]');
    expect(await kiosk.textContent('[data-testid=green-on]')).toContain('老年人');
    expect(await axeViolations(kiosk)).toEqual([]);
    await screenshot(kiosk, 'kiosk-green');
    await kiosk.click('[data-testid=service-social_security]');
    await expect.poll(() => kiosk.textContent('[data-testid=issued]')).toContain('绿色通道');
    const manager = await h.t.as('manager');
    const [ticket] = expectStatus(await manager.get(hallUrl(h.t, '/tickets')), 200);
    expect(ticket.priorityClass).toBe('priority');
    expect(expectStatus(await manager.get(hallUrl(h.t, `/tickets/${ticket.id}`)), 200).priorityReason).toBe('老年人');

    // The slip: one page, 80 mm wide, as long as its content.
    await expect.poll(() => kiosk.evaluate(() => (window as any).__printed)).toBe(1);
    await kiosk.emulateMedia({ media: 'print' });
    await screenshot(kiosk, 'kiosk-slip');
    const pdf = (await kiosk.pdf({ preferCSSPageSize: true })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    const [, width, height] = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/.exec(pdf)!;
    expect(Number(width) / 72 * 25.4).toBeCloseTo(80, 0);
    expect(Number(height) / 72 * 25.4).toBeLessThan(200);

    // A hall that confirms priority at the 导办台: the kiosk sends the citizen there and grants nothing.
    await kiosk.emulateMedia({ media: 'screen' });
    expectStatus(await manager.patch(hallUrl(h.t), { settings: { kioskGreenChannel: 'helper' } }), 200);
    await kiosk.reload();
    await kiosk.click('[data-testid=green]');
    expect(await kiosk.textContent('[data-testid=green-at-helper]')).toContain('导办台');
    expect(await kiosk.locator('.services.for-green').count()).toBe(0);
    expect(await axeViolations(kiosk)).toEqual([]);
    await ctx.close();
  });

  it('manager: errors at the field in the page language, rows by keyboard, cases filtered with names, ratings with window and clerk, live calling apart from serving, axe clean in both languages', async () => {
    // Data: a 差评 with a case, a window calling and one serving.
    const one = await clerkAt(h.t, 'clerk01', '1');
    const two = await clerkAt(h.t, 'clerk02', '2');
    const rated = await issue(h.t, 'social_security');
    await issue(h.t, 'social_security');
    for (const a of ['call-next', 'start', 'finish']) expectStatus(await one.post(windowUrl(h.t, '1', a)), 200);
    expectStatus(await one.request('POST', `/api/v1/public/tickets/${rated.token}/evaluation`, { level: 'very_dissatisfied', tags: ['未一次性告知'], comment: '等太久', contact: '13812345678' }), 201);
    expectStatus(await two.post(windowUrl(h.t, '2', 'call-next')), 200);
    // Enough further 差评 for more than one page of cases (50 a page).
    const three = await clerkAt(h.t, 'clerk03', '3');
    for (let i = 0; i < 50; i++) {
      const x = await issue(h.t, 'tax');
      for (const a of ['call-next', 'start', 'finish']) expectStatus(await three.post(windowUrl(h.t, '3', a)), 200);
      expectStatus(await three.request('POST', `/api/v1/public/tickets/${x.token}/evaluation`, { level: 'dissatisfied', tags: [] }), 201);
    }

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.waitForSelector('[data-testid=tab-live]');
    await expect.poll(() => page.textContent('.cards')).toContain('叫号中 1 · 办理中 0');

    // Ratings: service, window and clerk named; 51 ratings, 50 a page; found by number; filtered by level.
    await page.click('[data-testid=tab-evaluations]');
    await expect.poll(() => page.locator('[data-testid=evaluations] tbody tr').count()).toBe(50);
    await page.click('[data-testid=ratings-more]');
    await expect.poll(() => page.locator('[data-testid=evaluations] tbody tr').count()).toBe(51);
    await page.fill('[data-testid=rating-search]', 'a001');
    await page.press('[data-testid=rating-search]', 'Enter');
    await expect.poll(() => page.locator('[data-testid=evaluations] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid=evaluations] tbody tr').textContent()).toMatch(/A001.*非常不满意.*社会保险.*1.*张敏.*未一次性告知：等太久/);
    await page.fill('[data-testid=rating-search]', '');
    await page.press('[data-testid=rating-search]', 'Enter');
    await page.selectOption('[data-testid=rating-filter-level]', 'very_dissatisfied');
    await expect.poll(() => page.locator('[data-testid=evaluations] tbody tr').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'manager-ratings-filtered');

    // Cases: filtered; opened by keyboard; the owner named in the log.
    await page.click('[data-testid=tab-cases]');
    await page.waitForSelector('[data-testid=cases]');
    // 51 cases: the first page shows 50, 更早 the last one.
    await expect.poll(() => page.locator('[data-testid=cases] tbody tr').count()).toBe(50);
    await page.click('[data-testid=cases-more]');
    await expect.poll(() => page.locator('[data-testid=cases] tbody tr').count()).toBe(51);
    expect(await page.locator('[data-testid=cases-more]').count()).toBe(0);
    await page.selectOption('[data-testid=case-filter-state]', 'closed');
    await expect.poll(() => page.locator('[data-testid=cases]').count()).toBe(0);
    await page.selectOption('[data-testid=case-filter-state]', '');
    await page.waitForSelector('[data-testid=cases]');
    // A001's case says what the citizen complained about, how to reach them, who served them where, and the appeal.
    const [a001] = expectStatus(await (await h.t.as('manager')).get(hallUrl(h.t, '/evaluations?displayNumber=A001')), 200);
    await page.selectOption('[data-testid=case-filter-window]', { label: '1' });
    await expect.poll(() => page.locator('[data-testid=cases] tbody tr').count()).toBe(1);
    await page.focus(`[data-testid=case-open-${a001.caseId}]`);
    await page.keyboard.press('Enter');
    const facts = page.locator('.case-detail [data-testid=rating-facts]');
    expect(await facts.locator('[data-testid=facts-tags]').textContent()).toBe('未一次性告知');
    expect(await facts.locator('[data-testid=facts-comment]').textContent()).toBe('等太久');
    expect(await facts.locator('[data-testid=facts-contact]').textContent()).toBe('13812345678');
    expect(await facts.locator('[data-testid=facts-appeal]').textContent()).toBe('未申诉');
    expect(await facts.textContent()).toMatch(/社会保险.*1.*张敏/);
    await page.selectOption('.case-actions select', { label: '李强' });
    await expect.poll(() => page.textContent('.case-detail ol')).toContain('指定责任人：李强');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'manager-cases');

    // Configuration: a row opens by keyboard; refusals are said at the field, in Chinese, and leave once fixed.
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-services]');
    await page.focus('.row-open');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.inputValue('input[name=prefix]')).toBe('A');
    await page.fill('input[name=prefix]', 'B');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-prefix]')).toBe('该号头已被其他事项使用。');
    await page.click('[data-testid=cfg-settings]');
    await page.fill('input[name=recallLimit]', '99');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-recallLimit]')).toBe('此项填写有误，请检查。');
    expect(await page.textContent('[role=alert]')).toBe('填写内容有误，请检查后再提交。 （有误的项：重呼次数上限）');
    await screenshot(page, 'manager-field-error');
    await page.fill('input[name=recallLimit]', '3');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.locator('[role=alert], .field-error').count()).toBe(0);
    // An evaluator without its window: said at the window field.
    await page.click('[data-testid=cfg-devices]');
    await page.selectOption('.cfg-form select[name=kind]', 'evaluator');
    await page.fill('.cfg-form input[name=name]', '5号窗评价器');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-windowId]')).toBe('评价器和呼叫器要绑定一个窗口，请选择窗口。');
    expect(await page.getAttribute('.cfg-form select[name=windowId]', 'aria-invalid')).toBe('true');
    // Every field of every configuration form carries the API's name, so its refusal lands on it.
    for (const section of ['settings', 'services', 'windows', 'staff', 'devices', 'calendar', 'sms']) {
      await page.click(`[data-testid=cfg-${section}]`);
      await page.waitForSelector('.cfg-form');
      expect(await page.$$eval('.cfg-form .field', (els) => els.filter((e) => !e.querySelector('[name]')).map((e) => e.textContent)), section).toEqual([]);
    }

    // History: a range the wrong way round is said at the date, and no figures of another range stay.
    await page.click('[data-testid=tab-history]');
    await page.waitForSelector('[data-testid=h-issued]');
    const cards = await page.textContent('.cards');
    expect(cards).toMatch(/平均等候[\d.]+ 分钟/);
    expect(cards).toContain('%');
    await page.fill('[data-testid=from]', '2026-11-20');
    await page.fill('[data-testid=to]', '2026-11-10');
    await page.click('.range button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-from]')).toBe('日期范围不对：开始日期不能晚于结束日期，且一次最多查询 800 天。');
    expect(await page.locator('.cards').count()).toBe(0);
    await screenshot(page, 'manager-history-range-error');
    await page.fill('[data-testid=to]', '2026-11-30');
    await page.click('.range button[type=submit]');
    await page.waitForSelector('[data-testid=h-issued]');
    expect(await page.locator('.field-error, [role=alert]').count()).toBe(0);

    // Every tab, both languages: no WCAG 2.2 A/AA violation.
    for (const language of ['zh', 'en']) {
      if (language === 'en') await page.click('.lang-switch');
      for (const tab of ['live', 'history', 'evaluations', 'cases', 'appointments', 'account']) {
        await page.click(`[data-testid=tab-${tab}]`);
        await page.waitForSelector(`[data-testid=tab-${tab}].on`);
        expect(await axeViolations(page), `${language} ${tab}`).toEqual([]);
      }
      await page.click('[data-testid=tab-config]');
      for (const section of ['settings', 'services', 'windows', 'staff', 'devices', 'calendar', 'sms']) {
        await page.click(`[data-testid=cfg-${section}]`);
        await page.waitForSelector('.cfg-form');
        expect(await axeViolations(page), `${language} config ${section}`).toEqual([]);
      }
    }
    await ctx.close();
  });

  it('manager: a 12345 complaint entered in the page opens a case with its facts; a wrong number is said at the field; statistics count it by channel', async () => {
    const one = await clerkAt(h.t, 'clerk01', '1');
    const served = await issue(h.t, 'social_security');
    for (const a of ['call-next', 'start', 'finish']) expectStatus(await one.post(windowUrl(h.t, '1', a)), 200);
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-cases]');
    await page.click('[data-testid=complaint-new]');
    const form = page.locator('[data-testid=complaint-form]');
    await form.locator('select[name=source]').selectOption('hotline_12345');
    await form.locator('input[name=displayNumber]').fill('Z999');
    await form.locator('input[name=reference]').fill('GD-0042');
    await form.locator('input[name=contact]').fill('13812345678');
    await form.locator('textarea[name=content]').fill('未一次性告知，跑了两趟');
    expect(await axeViolations(page), 'complaint form').toEqual([]);
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[role=alert]').textContent()).toBe('本大厅那一天没有这个号码，请核对号码和日期。');
    expect(await form.locator('input[name=displayNumber]').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'manager-complaint-error');
    await form.locator('input[name=displayNumber]').fill(served.displayNumber.toLowerCase());
    await form.locator('button[type=submit]').click();
    // The new case opens with the complaint's facts: channel, reference, the number's service, window and clerk.
    const facts = page.locator('.case-detail [data-testid=complaint-facts]');
    await expect.poll(() => facts.count()).toBe(1);
    expect(await facts.textContent()).toMatch(/12345 热线 · GD-0042.*A001.*社会保险.*1.*张敏.*未一次性告知，跑了两趟.*13812345678/);
    expect(await page.locator('[data-testid=cases] tbody tr').first().textContent()).toMatch(/A001.*12345 热线.*未一次性告知，跑了两趟/);
    expect(await page.textContent('.case-detail ol')).toContain('12345 热线投诉登记（GD-0042）');
    await page.selectOption('[data-testid=case-filter-source]', 'rating');
    await expect.poll(() => page.locator('[data-testid=cases]').count()).toBe(0);
    await page.selectOption('[data-testid=case-filter-source]', 'hotline_12345');
    await expect.poll(() => page.locator('[data-testid=cases] tbody tr:not(.detail)').count()).toBe(1);
    expect(await axeViolations(page), 'complaint case').toEqual([]);
    await screenshot(page, 'manager-complaint-case');
    // In English: the case with the complaint's facts, and the form.
    await page.click('.lang-switch');
    await expect.poll(() => facts.textContent()).toContain('12345 hotline');
    expect(await axeViolations(page), 'complaint case in English').toEqual([]);
    await page.click('[data-testid=complaint-new]');
    await page.waitForSelector('[data-testid=complaint-form]');
    expect(await axeViolations(page), 'complaint form in English').toEqual([]);
    await page.click('[data-testid=complaint-form] button[type=button]');
    await page.click('.lang-switch');
    await page.click('[data-testid=tab-history]');
    await expect.poll(() => page.textContent('[data-testid=complaints-hotline_12345]')).toMatch(/12345 热线\s*1\s*0\s*0\s*0\s*0/);
    // What each clerk served, per service.
    expect(await page.textContent('[data-testid=staff-service]')).toMatch(/张敏\s*A 社会保险\s*1/);
    await ctx.close();
  });

  it('manager: a window\'s service tiers are chosen in a table, one tier a service, with no mini-language', async () => {
    const manager = await h.t.as('manager');
    const ids = h.t.demo.serviceIds;
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-windows]');
    await page.click('button[aria-label="编辑 9"]');
    const editor = page.locator('[data-testid=tier-editor]');
    // Window 9 as seeded: 不动产 first, then 税务 and 公积金.
    const chosen = async (code: string) => editor.locator(`[data-testid=tier-row-${code}] input:checked`).getAttribute('value');
    await expect.poll(() => chosen('real_estate')).toBe('0');
    expect(await chosen('tax')).toBe('1');
    expect(await chosen('housing_fund')).toBe('1');
    expect(await chosen('social_security')).toBe('-1');
    expect(await axeViolations(page), 'tier editor').toEqual([]);
    await screenshot(page, 'manager-tier-editor');
    await page.click('.lang-switch');
    await expect.poll(() => editor.locator('legend').textContent()).toBe('Service tiers');
    expect(await axeViolations(page), 'tier editor in English').toEqual([]);
    await page.click('.lang-switch');
    await expect.poll(() => editor.locator('legend').textContent()).toBe('业务层级');
    // 税务 to a third tier (a column is always free), 社保 into the first.
    await editor.locator('[data-testid=tier-row-tax] input[value="2"]').check();
    await editor.locator('[data-testid=tier-row-social_security] input[value="0"]').check();
    await page.click('.cfg-form button[type=submit]');
    // (Within a tier the order does not matter: the oldest ticket of the tier is called.)
    const sorted = (tiers: number[][]) => tiers.map((tier) => [...tier].sort((a, b) => a - b));
    await expect.poll(async () => sorted(expectStatus(await manager.get(hallUrl(h.t, `/windows/${h.t.demo.windowIds['9']}`)), 200).tiers))
      .toEqual(sorted([[ids.real_estate!, ids.social_security!], [ids.housing_fund!], [ids.tax!]]));
    // A domain window with no service at all is refused at the table (once the saved form has
    // emptied itself for the next window).
    await expect.poll(() => page.inputValue('.cfg-form input[name=number]')).toBe('');
    await expect.poll(() => editor.count()).toBe(0);
    await page.fill('.cfg-form input[name=number]', '12');
    await page.selectOption('.cfg-form select[name=kind]', 'domain');
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-tiers]')).toBe('业务窗口和专窗至少要办理一个事项：请在业务层级表中为事项选择层级。');
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    await editor.locator('[data-testid=tier-row-tax] input[value="0"]').check();
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(async () => expectStatus(await manager.get(hallUrl(h.t, '/windows')), 200).find((w: { number: string }) => w.number === '12')?.tiers).toEqual([[ids.tax]]);
    await ctx.close();
  });

  it('manager: 授权事项 set per person in a table; the counter\'s transfer dialog offers only windows whose clerk handles the service', async () => {
    const s = h.t.demo.serviceIds;
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-staff]');
    await page.click('[data-testid=skills-clerk01]');
    const dialog = page.locator('[data-testid=skills-dialog]');
    await dialog.locator(`[data-testid=skill-row-tax] input[value=lead]`).check();
    await dialog.locator(`[data-testid=skill-row-housing_fund] input[value=assist]`).check();
    expect(await axeViolations(page), 'skills dialog').toEqual([]);
    await screenshot(page, 'manager-skills');
    await page.click('[data-testid=skills-save]');
    await expect.poll(() => page.textContent('[data-testid=skills-clerk01]')).toBe('授权事项 (2)');
    const manager = await h.t.as('manager');
    expect(expectStatus(await manager.get(hallUrl(h.t, '/staff')), 200).find((x: { username: string }) => x.username === 'clerk01').skills)
      .toEqual([{ serviceId: s.housing_fund, level: 'assist' }, { serviceId: s.tax, level: 'lead' }].sort((a, b) => a.serviceId! - b.serviceId!));
    await ctx.close();

    await clerkAt(h.t, 'clerk01', '1');
    await issue(h.t, 'social_security');
    const counterCtx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const counter = await counterCtx.newPage();
    await signInAtCounter(counter, h.base, 'clerk02', h.password('clerk02'), '2');
    await expect.poll(() => counter.isEnabled('[data-testid=act-call-next]')).toBe(true);
    await counter.keyboard.press('F1');
    await counter.waitForSelector('[data-testid=current]');
    await counter.keyboard.press('F3');
    await expect.poll(() => counter.isEnabled('[data-testid=act-transfer]')).toBe(true);
    await counter.keyboard.press('F6');
    const windowsOffered = () => counter.locator('[data-testid=transfer-dialog] select').nth(1).locator('option').allTextContents();
    // Sent on as 社会保险: window 1's clerk does not handle it, so window 1 is not offered; as 税务 it is.
    expect(await windowsOffered()).not.toContain('1号窗口');
    await counter.selectOption('[data-testid=transfer-service]', String(s.tax));
    await expect.poll(windowsOffered).toContain('1号窗口');
    await counterCtx.close();
  });

  it('manager: 排班建议 per hour from the same weekday of past weeks, with a chart and a what-if that shows one window fewer missing the target', async () => {
    await fillHistory(h.t.db, { hallId: h.t.demo.hallId, days: 28, perDay: 400, now: h.t.clock.now(), seed: 11 });
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-history]');
    await page.fill('[data-testid=staffing-day]', '2026-12-02');
    await expect.poll(() => page.textContent('[data-testid=staffing-basis]')).toContain('过去 4 个同一星期几');
    const row = page.locator('[data-testid="staffing-10:00"]');
    await expect.poll(() => row.count()).toBe(1);
    const advised = Number(await row.locator('td').nth(4).textContent());
    expect(advised).toBeGreaterThan(1);
    const level = async () => parseFloat((await page.textContent('[data-testid="staffing-level-10:00"]'))!);
    expect(await level()).toBeGreaterThanOrEqual(80);
    // What if one window fewer opens at 10:00: the share within the target falls below the goal.
    await row.locator('input').fill(String(advised - 1));
    await expect.poll(level).toBeLessThan(80);
    expect(await page.getAttribute('[data-testid="staffing-level-10:00"]', 'class')).toContain('bad');
    expect(await page.locator('[data-testid=chart-staffing] canvas').count()).toBeGreaterThan(0);
    await page.locator('[data-testid=staffing]').scrollIntoViewIfNeeded();
    expect(await axeViolations(page), 'staffing advice').toEqual([]);
    await screenshot(page, 'manager-staffing');
    await page.click('.lang-switch');
    await expect.poll(() => page.textContent('[data-testid=staffing] h3')).toBe('Staffing advice');
    expect(await axeViolations(page), 'staffing advice in English').toEqual([]);
    await ctx.close();
  });

  it('every other page and state passes axe: home, sign-in, the evaluator idle/serving/rating, an unpaired display, a device page opened with another kind\'s token', async () => {
    const manager = await h.t.as('manager');
    const device = expectStatus(await manager.post(hallUrl(h.t, '/devices'), { kind: 'evaluator', name: '1号窗评价器', windowId: h.t.demo.windowIds['1'] }), 201);
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const found: Record<string, string[]> = {};
    await page.goto(`${h.base}/`);
    await page.waitForSelector('a[href="/counter"]');
    found.home = await axeViolations(page);
    await page.goto(`${h.base}/counter`);
    await page.waitForSelector('input[name=username]');
    found.signIn = await axeViolations(page);
    await page.goto(`${h.base}/evaluator#token=${device.token}`);
    await page.waitForSelector('[data-testid=phase-idle]');
    found.evaluatorIdle = await axeViolations(page);
    expectStatus(await clerk.post(windowUrl(h.t, '1', 'call-next')), 200);
    await page.waitForSelector('[data-testid=phase-serving]');
    found.evaluatorServing = await axeViolations(page);
    for (const a of ['start', 'finish']) expectStatus(await clerk.post(windowUrl(h.t, '1', a)), 200);
    await page.waitForSelector('[data-testid=phase-rating]');
    found.evaluatorRating = await axeViolations(page);
    const other = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const fresh = await other.newPage();
    await fresh.goto(`${h.base}/display`);
    await fresh.waitForSelector('[role=alert]');
    found.displayUnpaired = await axeViolations(fresh);
    // The pairing link typed into that open tab (only the fragment changes): the display starts, no reload needed.
    await fresh.goto(`${h.base}/display#token=${h.displayToken}`);
    await fresh.waitForSelector('[data-testid=waiting-tax]');
    expect(new URL(fresh.url()).hash).toBe('');
    // The display's link opened on the kiosk PC: it says whose token it is, instead of a kiosk that fails.
    const third = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    const wrong = await third.newPage();
    await wrong.goto(`${h.base}/kiosk#token=${h.displayToken}`);
    await expect.poll(() => wrong.textContent('[data-testid=wrong-kind]')).toContain('「叫号屏」');
    expect(await wrong.locator('[data-testid^=service-]').count()).toBe(0);
    found.wrongKind = await axeViolations(wrong);
    // …and the kiosk's own link typed into the same tab makes it the kiosk.
    await wrong.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await wrong.waitForSelector('[data-testid=service-tax]');
    expect(await wrong.locator('[data-testid=wrong-kind]').count()).toBe(0);
    await third.close();
    expect(found).toEqual({ home: [], signIn: [], evaluatorIdle: [], evaluatorServing: [], evaluatorRating: [], displayUnpaired: [], wrongKind: [] });
    await other.close();
    await ctx.close();
  });

  it('display: a display without a Chinese voice says so on the manager\'s device page; only displays report', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await stubSpeechAndPrint(ctx, { chineseVoice: false });
    const display = await ctx.newPage();
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    const manager = await h.t.as('manager');
    const listed = async () => expectStatus(await manager.get(hallUrl(h.t, '/devices')), 200).find((d: any) => d.kind === 'display');
    const displayId = (await listed()).id;
    await expect.poll(async () => (await listed()).sound, { timeout: 5000 })
      .toMatchObject({ allowed: true, chineseVoice: false });
    expectError(await h.t.device('kiosk').post('/api/v1/devices/me/sound', { allowed: true, chineseVoice: true }), 403, 'DEVICE_FORBIDDEN');
    expectError(await h.t.device('display').post('/api/v1/devices/me/sound', { allowed: true }), 400, 'VALIDATION_FAILED');

    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-devices]');
    await expect.poll(() => page.textContent(`[data-testid=sound-${displayId}]`)).toBe('无中文语音：只播放提示音并显示叫号');
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('display: where the browser blocks sound, the prompt sits in the top bar; one tap turns the voice on and the manager sees it', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await stubSpeechAndPrint(ctx, { soundBlocked: true });
    const display = await ctx.newPage();
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    await display.waitForSelector('.display[data-live]');
    const prompt = display.locator('[data-testid=unlock]');
    await prompt.waitFor();
    // The prompt is inside the header bar and covers neither the calls nor the window strip.
    const box = (selector: string) => display.locator(selector).first().boundingBox().then((b) => b!);
    const [bar, tip, stage, strip] = await Promise.all([box('.bar'), prompt.boundingBox().then((b) => b!), box('.stage'), box('.strip')]);
    expect(tip.y).toBeGreaterThanOrEqual(bar.y);
    expect(tip.y + tip.height).toBeLessThanOrEqual(bar.y + bar.height);
    expect(tip.y + tip.height).toBeLessThanOrEqual(stage.y);
    expect(tip.y + tip.height).toBeLessThanOrEqual(strip.y);
    await screenshot(display, 'display-sound-prompt');
    expect(await axeViolations(display)).toEqual([]);
    const manager = await h.t.as('manager');
    const sound = async () => expectStatus(await manager.get(hallUrl(h.t, '/devices')), 200).find((d: any) => d.kind === 'display').sound;
    await expect.poll(sound, { timeout: 5000 }).toMatchObject({ allowed: false });

    // A call before the tap is shown (the browser lets nothing play); the tap turns sound on.
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    await issue(h.t, 'social_security');
    expectStatus(await clerk.post(windowUrl(h.t, '1', 'call-next')), 200);
    await expect.poll(() => display.locator('.calls').textContent()).toContain('A001');
    expect(await display.evaluate(() => (window as any).__chimes as number)).toBe(0);
    await display.mouse.click(960, 540);
    await prompt.waitFor({ state: 'detached' });
    await expect.poll(sound, { timeout: 5000 }).toMatchObject({ allowed: true, chineseVoice: true });
    expectStatus(await clerk.post(windowUrl(h.t, '1', 'recall')), 200);
    await expect.poll(() => display.evaluate(() => (window as any).__spoken as string[])).toContain('请A零零一号到1号窗口办理');
    expect(await display.evaluate(() => (window as any).__chimes as number)).toBeGreaterThan(0);
    await ctx.close();
  });

  it('in English too: the counter desk, the display and the evaluator pass axe', async () => {
    const manager = await h.t.as('manager');
    const device = expectStatus(await manager.post(hallUrl(h.t, '/devices'), { kind: 'evaluator', name: 'Window 1 rating pad', windowId: h.t.demo.windowIds['1'] }), 201);
    await issue(h.t, 'social_security');
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await ctx.addInitScript(() => localStorage.setItem('hall.lang', 'en'));
    await stubSpeechAndPrint(ctx);
    const page = await ctx.newPage();
    await signInAtCounter(page, h.base, 'clerk01', h.password('clerk01'), '1');
    await page.keyboard.press('F1');
    await page.waitForSelector('[data-testid=current]');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    const evaluator = await ctx.newPage();
    await evaluator.goto(`${h.base}/evaluator#token=${device.token}`);
    await evaluator.waitForSelector('[data-testid=phase-serving]');
    expect(await axeViolations(evaluator)).toEqual([]);
    const other = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await other.addInitScript(() => localStorage.setItem('hall.lang', 'en'));
    const display = await other.newPage();
    await display.goto(`${h.base}/display#token=${h.displayToken}`);
    await display.waitForSelector('[data-testid=current-call]');
    expect(await axeViolations(display)).toEqual([]);
    await other.close();

    await ctx.close();
  });

  it('in English too: the kiosk\'s banners, the counter\'s dialogs and the phone\'s rating form pass axe', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    await ctx.addInitScript(() => localStorage.setItem('hall.lang', 'en'));
    await stubSpeechAndPrint(ctx);

    // Kiosk: the network-down notice, then closed for the night.
    const kiosk = await ctx.newPage();
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.waitForSelector('[data-testid=service-tax]');
    expect(await kiosk.evaluate(() => document.documentElement.lang)).toBe('en');
    await kiosk.route('**/socket.io/**', (route) => route.abort());
    h.t.app.io.engine.close();
    await kiosk.waitForSelector('.overlay');
    expect(await axeViolations(kiosk), 'kiosk offline').toEqual([]);
    await kiosk.unroute('**/socket.io/**');
    await kiosk.waitForSelector('.overlay', { state: 'detached', timeout: 15_000 });
    h.t.clock.advance(instantOf('2026-11-25', '20:32', 'Asia/Shanghai') - h.t.clock.now());
    await kiosk.reload();
    await kiosk.waitForSelector('[data-testid=hall-closed]');
    expect(await kiosk.textContent('[data-testid=hall-closed]')).toMatch(/[A-Za-z]/);
    expect(await axeViolations(kiosk), 'kiosk closed').toEqual([]);
    await openAllDay(h.t);

    // Counter: the transfer, 选叫, ratings and appeal dialogs.
    const served = await issue(h.t, 'social_security');
    const other = await issue(h.t, 'social_security');
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInAtCounter(page, h.base, 'clerk01', h.password('clerk01'), '1');
    await openTransferTo(page, h.t.demo.serviceIds.tax!);
    expect(await axeViolations(page), 'transfer dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=transfer-dialog]', { state: 'detached' });
    await expect.poll(() => page.isEnabled('[data-testid=act-finish]')).toBe(true);
    await page.keyboard.press('F4');
    await page.waitForSelector(`[data-testid=pick-${other.displayNumber}]`);
    await expect.poll(() => page.isEnabled(`[data-testid=pick-${other.displayNumber}]`)).toBe(true);
    await page.click(`[data-testid=pick-${other.displayNumber}]`);
    await page.waitForSelector('[data-testid=pick-dialog]');
    expect(await axeViolations(page), 'pick dialog').toEqual([]);
    await page.keyboard.press('Escape');

    // Phone: the rating form and the thanks, in English.
    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${h.base}/t/${served.token}`);
    await phone.waitForSelector('[data-testid=rate]');
    expect(await axeViolations(phone), 'phone rating form').toEqual([]);
    await phone.click('[data-testid=level-dissatisfied]');
    await phone.click('[data-testid=rate-submit]');
    await phone.waitForSelector('[data-testid=rated]');
    expect(await axeViolations(phone), 'phone rated').toEqual([]);

    await page.click('[data-testid=my-ratings]');
    await page.waitForSelector('[data-testid=ratings-dialog] button');
    expect(await axeViolations(page), 'ratings dialog').toEqual([]);
    await page.click('[data-testid=ratings-dialog] li button');
    await page.waitForSelector('[data-testid=appeal-dialog]');
    expect(await axeViolations(page), 'appeal dialog').toEqual([]);
    await screenshot(page, 'counter-appeal-dialog-en');
    await ctx.close();
  });
});
