import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, clerkAt, type Client, expectError, expectStatus, hallUrl, issue, login, MINUTE, type TestHall } from '../helpers.js';

/** 定期发布"好差评"评价报告: public, month by month, frozen once published, with no personal data. */
let t: TestHall;
let manager: Client;
const pub = (path: string) => t.app.inject({ url: `/api/v1/public/halls/${t.demo.hallId}/evaluation-reports${path}` });

beforeEach(async () => {
  t = await buildTestHall({ config: { sessionTtlMs: 90 * 86_400_000 } });
  manager = await t.as('manager');
});
afterEach(async () => t.close());

/** Serves one citizen at window 1 of `hallId` and has them rate it. */
async function servedAndRated(clerk: Client, hallId: number, ticket: { id: number; token: string }, level: string) {
  const base = `/api/v1/halls/${hallId}/windows`;
  const windowId = (expectStatus(await clerk.get(`/api/v1/halls/${hallId}/windows`), 200) as { id: number; number: string }[]).find((w) => w.number === '1')!.id;
  for (const step of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(`${base}/${windowId}/${step}`), 200);
  t.clock.advance(MINUTE);
  expect(ticket.id).toBeGreaterThan(0);
  expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload: { level, comment: '王小明 13812345678 态度很好' } }), 201);
}

describe('the published 好差评 report', () => {
  it('shows the current month provisional, publishes a month once it is over, keeps it as published, and sums the halls below', async () => {
    // A 街道 hall under the demo district, with one window and a clerk.
    const admin = await t.as('admin');
    const street = expectStatus(await admin.post('/api/v1/halls', { name: '东街道便民服务中心', parentId: t.demo.hallId, level: 'street', openingHours: [] }), 201);
    const streetUrl = (p: string) => `/api/v1/halls/${street.id}${p}`;
    const service = expectStatus(await admin.post(streetUrl('/services'), { code: 'social_security', nameZh: '社会保险', nameEn: 'Social security', prefix: 'A', expectedMinutes: 10 }), 201);
    expectStatus(await admin.post(streetUrl('/windows'), { number: '1', kind: 'comprehensive' }), 201);
    const { password } = expectStatus(await admin.post(streetUrl('/staff'), { username: 'streetclerk', displayName: '街道办事员', role: 'clerk' }), 201);
    const streetClerk = await login(t.app, 'streetclerk', password);
    expectStatus(await streetClerk.post(streetUrl(`/windows/${(expectStatus(await streetClerk.get(streetUrl('/windows')), 200) as { id: number }[])[0]!.id}/sign-in`)), 200);
    const streetKiosk = expectStatus(await admin.post(streetUrl('/devices'), { kind: 'kiosk', name: '取号机' }), 201);

    const clerk = await clerkAt(t, 'clerk01', '1');
    for (const level of ['very_satisfied', 'satisfied', 'dissatisfied']) await servedAndRated(clerk, t.demo.hallId, await issue(t, 'social_security'), level);
    const streetTicket = expectStatus(await t.app.inject({
      method: 'POST', url: streetUrl('/tickets'), headers: { authorization: `Bearer ${streetKiosk.token}` }, payload: { serviceId: service.id },
    }), 201);
    await servedAndRated(streetClerk, street.id, { id: streetTicket.ticket.id, token: streetTicket.ticket.token }, 'very_satisfied');

    // November, while it lasts: provisional, for anyone, without a sign-in.
    expect(expectStatus(await pub(''), 200)).toEqual({ hallId: t.demo.hallId, hallName: '示例区政务服务中心', current: '2026-11', published: [] });
    const provisional = expectStatus(await pub('/2026-11'), 200);
    expect(provisional).toMatchObject({
      month: '2026-11', provisional: true, publishedAt: null,
      // The district with the street below it: 4 served, 3 of 4 good, 1 差评.
      totals: { served: 4, rated: 4, goodRate: 75, bad: 1 },
      byHall: [{ hallId: street.id, name: '东街道便民服务中心', level: 'street', served: 1, rated: 1, goodRate: 100, bad: 0 }],
    });
    expect(provisional.byService).toEqual([{ label: '社会保险', served: 3, rated: 3, goodRate: 66.7 }]);
    // No personal data: not the comment, not the name, not the number.
    expect(JSON.stringify(provisional)).not.toMatch(/王小明|13812345678|态度|张敏/);
    expect(expectError(await manager.post(hallUrl(t, '/evaluation-reports/2026-11/publish')), 400, 'MONTH_NOT_OVER').details).toEqual({ field: 'params.month' });

    // December: November is over and is published; a change afterwards does not touch it.
    t.clock.advance(8 * 86_400_000);
    manager = await t.as('manager');
    expectError(await pub('/2026-11'), 404, 'REPORT_NOT_PUBLISHED');
    const published = expectStatus(await manager.post(hallUrl(t, '/evaluation-reports/2026-11/publish')), 201);
    expect(published).toMatchObject({ provisional: false, publishedAt: t.clock.now(), totals: { served: 4, rated: 4, goodRate: 75, bad: 1 } });
    expectError(await manager.post(hallUrl(t, '/evaluation-reports/2026-11/publish')), 409, 'REPORT_ALREADY_PUBLISHED');
    // Kept as published: a hall renamed afterwards (which a recomputed report would show) does not change it.
    expectStatus(await manager.patch(hallUrl(t), { name: '示例区政务服务中心（新址）' }), 200);
    expect(expectStatus(await pub('/2026-11'), 200)).toEqual(published);
    expect(published.hallName).toBe('示例区政务服务中心');
    expect(expectStatus(await pub(''), 200)).toMatchObject({ current: '2026-12', published: [{ month: '2026-11', publishedAt: published.publishedAt }] });
    expect(expectStatus(await pub('/2026-12'), 200)).toMatchObject({ hallName: '示例区政务服务中心（新址）', provisional: true, totals: { served: 0 } });
    const csv = await pub('/2026-11/csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('示例区政务服务中心,4,4,75,1');
    expect(csv.body).toContain('东街道便民服务中心,1,1,100,0');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'report.published').execute();
    expect(audit).toEqual([{ action: 'report.published', target: 'report:2026-11' }]);
  });

  it('refuses bad months and non-managers, naming the field', async () => {
    expect(expectError(await pub('/2026-13'), 400, 'VALIDATION_FAILED').details[0].field).toBe('params.month');
    expect(expectError(await pub('/november'), 400, 'VALIDATION_FAILED').details[0].field).toBe('params.month');
    expectError(await pub('/2026-10'), 404, 'REPORT_NOT_PUBLISHED');
    expectError(await t.app.inject({ url: '/api/v1/public/halls/999/evaluation-reports' }), 404, 'HALL_NOT_FOUND');
    expectError(await (await t.as('clerk01')).post(hallUrl(t, '/evaluation-reports/2026-10/publish')), 403, 'ROLE_FORBIDDEN');
    expectError(await t.app.inject({ method: 'POST', url: hallUrl(t, '/evaluation-reports/2026-10/publish') }), 401, 'UNAUTHENTICATED');
    expect(await t.db.selectFrom('published_reports').select('month').execute()).toEqual([]);
  });
});
