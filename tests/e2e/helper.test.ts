/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, hallUrl, issue, windowUrl } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn, signInAtCounter, stubSpeechAndPrint } from './helpers.js';

/** The 帮办 tablet: a helper takes a number for a citizen; the clerk reads the helper's note. */
describe.skipIf(!haveChromium)('the helper tablet', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('issues a 绿色通道 number with its reason and a note; shows the QR, prints the slip; the clerk sees both', async () => {
    const h = env.hall();
    const manager = await h.t.as('manager');
    const { password } = expectStatus(await manager.post(hallUrl(h.t, '/staff'), { username: 'helper02', displayName: '导办员小刘', role: 'helper' }), 201);
    // 税务 takes 1 number today, and it is taken: the tablet, like the kiosk, offers it no more.
    expectStatus(await manager.patch(hallUrl(h.t, `/services/${h.t.demo.serviceIds.tax}`), { dailyQuota: 1 }), 200);
    await issue(h.t, 'tax');
    const ctx = await env.browser().newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    await stubSpeechAndPrint(ctx);
    const tablet = await ctx.newPage();
    await signIn(tablet, `${h.base}/helper`, 'helper02', password);
    // First sign-in: a password of one's own.
    await tablet.waitForSelector('[data-testid=change-password]');
    await tablet.fill('input[name=current]', password);
    await tablet.fill('input[name=new]', 'Yellow-river-lantern-42');
    await tablet.fill('input[name=repeat]', 'Yellow-river-lantern-42');
    await tablet.click('[data-testid=change-password] button[type=submit]');
    await tablet.waitForSelector('[data-testid=helper-service-social_security]');
    expect(await axeViolations(tablet), 'helper home').toEqual([]);
    expect(await tablet.isDisabled('[data-testid=helper-service-tax]')).toBe(true);
    expect(await tablet.textContent('[data-testid=helper-service-tax]')).toContain('今日号已取完');

    // 绿色通道 asks for the reason before a service can be tapped.
    await tablet.check('input[name=green]');
    expect(await tablet.isDisabled('[data-testid=helper-service-social_security]')).toBe(true);
    await tablet.click('text=老年人');
    await tablet.fill('textarea[name=note]', '老人听力不好，请当面核对身份证');
    expect(await axeViolations(tablet), 'helper with options').toEqual([]);
    await screenshot(tablet, 'helper-options');
    await tablet.click('[data-testid=helper-service-social_security]');
    await expect.poll(() => tablet.textContent('[data-testid=handed-number]')).toBe('A001');
    expect(await tablet.textContent('.handed-service')).toContain('绿色通道');
    expect(await tablet.locator('.handed-qr svg').count()).toBe(1);
    await tablet.click('[data-testid=print]');
    await expect.poll(() => tablet.evaluate(() => (window as any).__printed)).toBe(1);
    expect(await axeViolations(tablet), 'handed').toEqual([]);
    await screenshot(tablet, 'helper-handed');
    await tablet.click('[data-testid=next-citizen]');
    expect(await tablet.isChecked('input[name=green]')).toBe(false);
    expect(await tablet.inputValue('textarea[name=note]')).toBe('');

    // The helper's own session does not open the counter.
    const notHere = await ctx.newPage();
    await notHere.goto(`${h.base}/counter`);
    await expect.poll(() => notHere.textContent('.overlay-box')).toContain('/helper');
    const desk = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const counter = await desk.newPage();
    await signInAtCounter(counter, h.base, 'clerk01', h.password('clerk01'), '1');
    await counter.keyboard.press('F1');
    await expect.poll(() => counter.textContent('[data-testid=helper-note]')).toContain('绿色通道：老年人');
    expect(await counter.textContent('[data-testid=helper-note]')).toContain('帮办备注：老人听力不好，请当面核对身份证');
    expect(await counter.textContent('[data-testid=current]')).toContain('帮办');

    // The manager page is not the helper's.
    const other = await ctx.newPage();
    await other.goto(`${h.base}/manager`);
    await expect.poll(() => other.textContent('.overlay-box')).toContain('/helper');
    await ctx.close();
    await desk.close();
  });

  it('in English too: the helper tablet, the kiosk\'s check-in and SMS keypads pass axe', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 1024, height: 768 } });
    await ctx.addInitScript(() => localStorage.setItem('hall.lang', 'en'));
    await stubSpeechAndPrint(ctx);
    const tablet = await ctx.newPage();
    await signIn(tablet, `${h.base}/helper`, 'helper01', h.password('helper01'));
    await tablet.waitForSelector('[data-testid=helper-service-tax]');
    await tablet.check('input[name=green]');
    expect(await tablet.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await axeViolations(tablet), 'helper in English').toEqual([]);
    // A returning citizen's earlier visit found: the banner and the marked tile, in English.
    const clerk = await clerkAt(h.t, 'clerk01', '1');
    const earlier = await issue(h.t, 'household');
    for (const a of ['call-next', 'start']) expectStatus(await clerk.post(windowUrl(h.t, '1', a)), 200);
    expectStatus(await clerk.post(windowUrl(h.t, '1', 'finish'), { outcome: 'supplement', materials: ['户口簿原件'] }), 200);
    await tablet.fill('input[name=earlierNumber]', earlier.displayNumber);
    await tablet.click('text=Find');
    await expect.poll(() => tablet.textContent('[data-testid=follows-banner]')).toContain(`Continuing ${earlier.displayNumber}`);
    expect(await tablet.textContent('[data-testid=helper-service-household]')).toContain('Last time');
    expect(await axeViolations(tablet), 'helper continuing a visit in English').toEqual([]);

    const kiosk = await ctx.newPage();
    await kiosk.setViewportSize({ width: 1080, height: 1920 });
    await kiosk.goto(`${h.base}/kiosk#token=${h.kioskToken}`);
    await kiosk.click('[data-testid=checkin]');
    await kiosk.waitForSelector('[data-testid=code-box]');
    expect(await axeViolations(kiosk), 'kiosk check-in in English').toEqual([]);
    await kiosk.click('text=Cancel');
    await kiosk.click('[data-testid=service-tax]');
    await kiosk.click('[data-testid=sms]');
    await kiosk.waitForSelector('[data-testid=sms-entry]');
    expect(await axeViolations(kiosk), 'kiosk SMS entry in English').toEqual([]);
    await ctx.close();
  });
});
