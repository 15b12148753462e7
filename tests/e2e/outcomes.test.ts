/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectStatus, hallUrl } from '../helpers.js';
import { clerkAt, issue, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn, signInAtCounter, stubSpeechAndPrint } from './helpers.js';

/** How a matter ends at the window, from the clerk's keys to the citizen's phone. */
describe.skipIf(!haveChromium)('outcomes in the browser', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('补正告知 lists what is missing, prints it, and shows it on the phone; the returning citizen is recognised at the counter; 不予受理 says why', async () => {
    const h = env.hall();
    const first = await issue(h.t, 'household');
    const second = await issue(h.t, 'household');
    const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    await stubSpeechAndPrint(ctx);
    const page = await ctx.newPage();
    await signInAtCounter(page, h.base, 'clerk01', h.password('clerk01'), '1');
    await page.keyboard.press('F1');
    await page.waitForSelector('[data-testid=current]');
    await page.keyboard.press('F3');
    await expect.poll(() => page.isEnabled('[data-testid=act-outcome]')).toBe(true);
    await page.click('[data-testid=act-outcome]');
    await page.waitForSelector('[data-testid=outcome-dialog]');
    await page.fill('[data-testid=outcome-dialog] textarea[name=materials]', '户口簿原件\n近期一寸免冠照片 2 张\n');
    expect(await axeViolations(page), 'outcome dialog').toEqual([]);
    await screenshot(page, 'counter-outcome-dialog');
    await page.click('[data-testid=outcome-dialog] button[type=submit]');
    await page.waitForSelector('.none');
    await expect.poll(() => page.evaluate(() => (window as any).__printed)).toBe(1);
    // The 一次性告知单 carries the hall, the service, number, window, 经办人 with staff number, the date, and places to sign and stamp.
    const sheet = (await page.textContent('.print-sheet'))!;
    for (const part of ['示例区政务服务中心', '一次性告知单', '户籍办理', first.displayNumber, '1号窗口', '张敏（工号', '2026-11-25 09:00', '户口簿原件', '近期一寸免冠照片 2 张', '经办人签字', '申请人签字', '窗口盖章']) {
      expect(sheet, part).toContain(part);
    }
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'counter-supplement-sheet');
    await page.emulateMedia({ media: 'screen' });

    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${h.base}/t/${first.token}`);
    await expect.poll(() => phone.textContent('[data-testid=outcome]')).toContain('还需补齐以下材料');
    expect(await phone.locator('.materials li').allTextContents()).toEqual(['户口簿原件', '近期一寸免冠照片 2 张']);
    expect(await phone.textContent('[data-testid=status]')).toBe('待补正材料');
    expect(await axeViolations(phone), 'phone outcome').toEqual([]);
    await screenshot(phone, 'phone-supplement');

    // 不予受理 with the reason, by keyboard only.
    await page.keyboard.press('F1');
    await expect.poll(() => page.textContent('[data-testid=current] .ticket-number')).toBe(second.displayNumber);
    await page.keyboard.press('F3');
    await expect.poll(() => page.isEnabled('[data-testid=act-outcome]')).toBe(true);
    await page.focus('[data-testid=act-outcome]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=outcome-dialog]');
    await page.check('[data-testid=outcome-dialog] input[value=rejected]');
    await page.fill('[data-testid=outcome-dialog] textarea[name=reason]', '不属于本中心受理范围');
    await page.click('[data-testid=outcome-dialog] button[type=submit]');
    await page.waitForSelector('.none');
    await phone.goto(`${h.base}/t/${second.token}`);
    await expect.poll(() => phone.textContent('[data-testid=outcome]')).toBe('不予受理。原因：不属于本中心受理范围');

    // Back with the materials: the helper finds the earlier visit by its number and continues it.
    const helperCtx = await env.browser().newContext({ viewport: { width: 1024, height: 768 } });
    const tablet = await helperCtx.newPage();
    await signIn(tablet, `${h.base}/helper`, 'helper01', h.password('helper01'));
    await tablet.fill('input[name=earlierNumber]', first.displayNumber.toLowerCase());
    await tablet.click('text=查找');
    // The one visit found is chosen at once: the banner says so, the same matter's tile comes first,
    // and a tap on a service takes the linked number (no separate 接续 step to miss).
    await expect.poll(() => tablet.textContent('[data-testid=follows-banner]')).toContain(`接续上次 ${first.displayNumber}`);
    expect(await tablet.getAttribute('.service-grid .service >> nth=0', 'data-testid')).toBe('helper-service-household');
    expect(await tablet.textContent('[data-testid=helper-service-household]')).toContain('上次事项');
    expect(await axeViolations(tablet), 'helper with an earlier visit').toEqual([]);
    await screenshot(tablet, 'helper-follows');
    // 不接续 takes the link away; finding the number again brings it back.
    await tablet.click('text=不接续');
    expect(await tablet.locator('[data-testid=follows-banner]').count()).toBe(0);
    await tablet.click('text=查找');
    await tablet.waitForSelector('[data-testid=follows-banner]');
    await tablet.click('[data-testid=helper-service-household]');
    await expect.poll(() => tablet.textContent('[data-testid=handed-number]')).toBe('F003');
    expect(await tablet.textContent('[data-testid=print]')).toBe('打印号票（本平板连接的打印机）');
    await tablet.click('[data-testid=next-citizen]');
    expect(await tablet.locator('[data-testid=follows-banner]').count()).toBe(0);
    await helperCtx.close();
    await page.keyboard.press('F1');
    await expect.poll(() => page.textContent('[data-testid=follows]')).toContain(`补正后再次办理：上次 ${first.displayNumber}`);
    expect(await page.textContent('[data-testid=follows]')).toContain('户口簿原件、近期一寸免冠照片 2 张');
    expect(await axeViolations(page), 'counter with a returning citizen').toEqual([]);
    await ctx.close();
  });

  it('办事指南: the kiosk and the phone say what to bring; at the window the clerk ticks what is missing from the list and adds what is not on it', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    await stubSpeechAndPrint(ctx);
    const kiosk = await ctx.newPage();
    await kiosk.setViewportSize({ width: 1080, height: 1920 });
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.click('[data-testid=service-household]');
    await expect.poll(() => kiosk.textContent('[data-testid=issued-number]')).toBe('F001');
    // The demo hall's list for 户籍办理, on the screen and on the slip.
    expect(await kiosk.locator('[data-testid=materials] li').allTextContents()).toEqual(['居民户口簿 原件', '居民身份证 原件']);
    expect(await kiosk.locator('.slip-materials li').allTextContents()).toEqual(['居民户口簿 原件', '居民身份证 原件']);
    expect(await axeViolations(kiosk, 'main')).toEqual([]);
    await screenshot(kiosk, 'kiosk-materials');
    const manager = await h.t.as('manager');
    const [ticket] = expectStatus(await manager.get(hallUrl(h.t, '/tickets?status=waiting')), 200);
    const token = (await h.t.db.selectFrom('tickets').select('token').where('id', '=', ticket.id).executeTakeFirstOrThrow()).token;
    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${h.base}/t/${token}`);
    await expect.poll(() => phone.locator('[data-testid=materials] li').allTextContents()).toEqual(['居民户口簿 原件', '居民身份证 原件']);
    expect(await axeViolations(phone)).toEqual([]);

    const page = await ctx.newPage();
    await signInAtCounter(page, h.base, 'clerk01', h.password('clerk01'), '1');
    await page.keyboard.press('F1');
    await page.waitForSelector('[data-testid=current]');
    await page.keyboard.press('F3');
    await expect.poll(() => page.isEnabled('[data-testid=act-outcome]')).toBe(true);
    await page.click('[data-testid=act-outcome]');
    await page.waitForSelector('[data-testid=guide-list]');
    await page.getByLabel('居民身份证 原件').check();
    await page.fill('[data-testid=outcome-dialog] textarea[name=materials]', '结婚证 原件\n');
    expect(await axeViolations(page), 'outcome dialog with the list').toEqual([]);
    await screenshot(page, 'counter-outcome-guide');
    await page.click('[data-testid=outcome-dialog] button[type=submit]');
    await page.waitForSelector('.none');
    const sheet = (await page.textContent('.print-sheet'))!;
    expect(sheet).toContain('居民身份证 原件');
    expect(sheet).toContain('结婚证 原件');
    expect(sheet).not.toContain('居民户口簿 原件');
    // The citizen's phone: the 补正 list in the list's order, then the line typed.
    await expect.poll(() => phone.locator('.materials li').allTextContents()).toEqual(['居民身份证 原件', '结婚证 原件']);
    await ctx.close();
  });

  it('办事指南 for the manager: the history shows what was missing most often, and a line added to the service\'s list is no longer marked as missing from it', async () => {
    const h = env.hall();
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    for (const materials of [['居民身份证 原件', '结婚证 原件'], ['结婚证 原件']]) {
      await issue(h.t, 'household');
      for (const step of ['call-next', 'start']) expectStatus(await clerk.post(windowUrl(h.t, '1', step)), 200);
      expectStatus(await clerk.post(windowUrl(h.t, '1', 'finish'), { outcome: 'supplement', materials }), 200);
    }
    const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'manager', h.password('manager'));
    await page.click('[data-testid=tab-history]');
    const panel = page.locator('[data-testid=missing-materials]');
    await expect.poll(() => panel.textContent()).toMatch(/F 户籍办理\s*2\s*结婚证 原件\s*（办事指南未列）\s*2\s*居民身份证 原件\s*1/);
    expect(await axeViolations(page), 'history with missing materials').toEqual([]);
    await screenshot(page, 'manager-missing-materials');

    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-services]');
    await page.click('button[aria-label="编辑 户籍办理"]');
    await expect.poll(() => page.inputValue('.cfg-form textarea[name=materials]')).toBe('居民户口簿 原件\n居民身份证 原件');
    await page.fill('.cfg-form textarea[name=materials]', '居民户口簿 原件\n居民身份证 原件\n结婚证 原件（已婚者）\n结婚证 原件');
    await page.fill('.cfg-form input[name=conditions]', '本人办理');
    expect(await axeViolations(page, '.cfg-form'), 'service form').toEqual([]);
    await page.click('.cfg-form button[type=submit]');
    const manager = await h.t.as('manager');
    await expect.poll(async () => expectStatus(await manager.get(hallUrl(h.t, '/services')), 200).find((s: { code: string }) => s.code === 'household').materials)
      .toEqual(['居民户口簿 原件', '居民身份证 原件', '结婚证 原件（已婚者）', '结婚证 原件']);
    await page.click('[data-testid=tab-history]');
    await expect.poll(() => panel.textContent()).toMatch(/结婚证 原件\s*2/);
    expect(await panel.textContent()).not.toContain('办事指南未列');
    await ctx.close();
  });
});
