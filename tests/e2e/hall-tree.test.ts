/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectStatus, issue, login, OWN_PASSWORD } from '../helpers.js';
import { axeViolations, browserAndHall, haveChromium, screenshot, signIn } from './helpers.js';

/** Halls at three levels in the manager pages: the admin builds the tree, the district watches it. */
describe.skipIf(!haveChromium)('the hall tree in the browser', { timeout: 90_000 }, () => {
  const env = browserAndHall();

  it('the admin creates a 街道 hall under the district in the pages; the district manager sees both, per hall and summed', async () => {
    const h = env.hall();
    const ctx = await env.browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, `${h.base}/manager`, 'admin', h.password('admin'));
    await page.click('[data-testid=tab-config]');
    await page.click('[data-testid=cfg-halls]');
    await page.fill('.cfg-form input[name=name]', '东街道便民服务中心');
    await page.selectOption('.cfg-form select[name=level]', 'street');
    await page.selectOption('.cfg-form select[name=parentId]', String(h.t.demo.hallId));
    // Set up like the district's hall: its services, windows, hours and settings.
    await page.selectOption('.cfg-form select[name=copyFrom]', String(h.t.demo.hallId));
    expect(await axeViolations(page), 'new hall copying another').toEqual([]);
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=halls]')).toContain('东街道便民服务中心');
    // A community cannot sit above a street: said at the field.
    await page.fill('.cfg-form input[name=name]', '错层大厅');
    await page.selectOption('.cfg-form select[name=level]', 'district');
    await page.selectOption('.cfg-form select[name=parentId]', String(h.t.demo.hallId));
    await page.click('.cfg-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=field-error-level]')).toBeTruthy();
    expect(await axeViolations(page), 'halls config').toEqual([]);
    await screenshot(page, 'manager-halls');
    const halls = expectStatus(await (await h.t.as('admin')).get('/api/v1/halls'), 200);
    const street = halls.find((x: any) => x.name === '东街道便民服务中心');
    expect(street).toMatchObject({ parentId: h.t.demo.hallId, level: 'street' });
    const admin = await h.t.as('admin');
    const servicesOf = async (id: number) => expectStatus(await admin.get(`/api/v1/halls/${id}/services`), 200).map((x: { code: string }) => x.code);
    expect(await servicesOf(street.id)).toEqual(await servicesOf(h.t.demo.hallId));
    expect(expectStatus(await admin.get(`/api/v1/halls/${street.id}/windows`), 200)).toHaveLength(11);

    // The district's holidays, set once, are listed in the street hall's calendar as set by the district.
    expectStatus(await admin.request('PUT', `/api/v1/halls/${h.t.demo.hallId}/calendar/2026`, { days: [{ day: '2026-12-31', kind: 'holiday', name: '区级测试假日' }] }), 200);
    const { password } = expectStatus(await admin.post(`/api/v1/halls/${street.id}/staff`, { username: 'streetmgr', displayName: '街道主任', role: 'manager' }), 201);
    const streetPage = await (await env.browser().newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await login(h.t.app, 'streetmgr', password); // the first sign-in sets their own password
    await signIn(streetPage, `${h.base}/manager`, 'streetmgr', OWN_PASSWORD);
    await streetPage.click('[data-testid=tab-config]');
    await streetPage.click('[data-testid=cfg-calendar]');
    await expect.poll(() => streetPage.textContent('[data-testid=calendar-inherited]')).toMatch(/2026-12-31.*放假.*区级测试假日.*示例区政务服务中心/);
    expect(await axeViolations(streetPage), 'inherited calendar').toEqual([]);
    await streetPage.click('.lang-switch');
    await expect.poll(() => streetPage.textContent('[data-testid=calendar-inherited]')).toContain('Holiday');
    expect(await axeViolations(streetPage), 'inherited calendar in English').toEqual([]);
    await screenshot(streetPage, 'manager-calendar-inherited');

    // The district's manager: the overview tab appears, with both halls and the sum.
    await issue(h.t, 'tax');
    const manager = await (await env.browser().newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(manager, `${h.base}/manager`, 'manager', h.password('manager'));
    await manager.click('[data-testid=tab-tree]');
    await expect.poll(() => manager.locator('[data-testid=tree-live] tbody tr').count()).toBe(3);
    expect(await manager.textContent('[data-testid=tree-live]')).toContain('东街道便民服务中心');
    expect(await manager.textContent('[data-testid=tree-live] tr.sum')).toContain('合计');
    await expect.poll(() => manager.locator('[data-testid=tree-stats] tbody tr').count()).toBe(3);
    expect(await axeViolations(manager), 'district overview').toEqual([]);
    await screenshot(manager, 'manager-district-overview');
    await ctx.close();
  });
});
