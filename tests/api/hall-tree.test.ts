import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestHall, Client, clerkAt, expectError, expectStatus, hallUrl, issue, login, type TestHall, windowUrl,
} from '../helpers.js';
import { listen, rawSocket, record, sessionCookie, waitFor } from '../realtime/helpers.js';

let t: TestHall;
let admin: Client;

/** A 街道 hall under the demo district: one service, one window, a manager, a clerk and a kiosk. */
async function streetHall(name = '东街道便民服务中心', parentId = t.demo.hallId, level = 'street') {
  const hall = expectStatus(await admin.post('/api/v1/halls', { name, parentId, level, openingHours: [] }), 201);
  const url = (path = '') => `/api/v1/halls/${hall.id}${path}`;
  const service = expectStatus(await admin.post(url('/services'), { code: 'social_security', nameZh: '社会保险', nameEn: 'Social security', prefix: 'A', expectedMinutes: 10 }), 201);
  const window = expectStatus(await admin.post(url('/windows'), { number: '1', kind: 'comprehensive', specialPurpose: null, tiers: [], active: true }), 201);
  const staff = async (username: string, role: string) => {
    const { password } = expectStatus(await admin.post(url('/staff'), { username, displayName: username, role }), 201);
    return login(t.app, username, password);
  };
  const manager = await staff(`mgr${hall.id}`, 'manager');
  const clerk = await staff(`clerk${hall.id}x`, 'clerk');
  const kiosk = new Client(t.app, { token: expectStatus(await admin.post(url('/devices'), { kind: 'kiosk', name: '取号机', windowId: null }), 201).token });
  return { hall, url, service, window, manager, clerk, kiosk };
}

describe('halls at three levels', () => {
  beforeEach(async () => {
    t = await buildTestHall();
    admin = await t.as('admin');
  });
  afterEach(async () => t.close());

  it('an admin builds the tree 区 → 街道 → 社区; a hall sits only under a higher level, never under itself; only the admin moves halls', async () => {
    const street = expectStatus(await admin.post('/api/v1/halls', { name: '东街道', parentId: t.demo.hallId, level: 'street' }), 201);
    expect(street).toMatchObject({ parentId: t.demo.hallId, level: 'street' });
    const community = expectStatus(await admin.post('/api/v1/halls', { name: '东一社区', parentId: street.id, level: 'community' }), 201);
    const field = (res: Awaited<ReturnType<Client['post']>>, code: string) => expectError(res, 400, code).details.field;
    expect(field(await admin.post('/api/v1/halls', { name: 'x', parentId: community.id, level: 'community' }), 'LEVEL_NOT_BELOW_PARENT')).toBe('body.level');
    expect(field(await admin.post('/api/v1/halls', { name: 'x', parentId: 999, level: 'street' }), 'PARENT_NOT_FOUND')).toBe('body.parentId');
    expect(field(await admin.patch(`/api/v1/halls/${street.id}`, { parentId: community.id }), 'PARENT_CYCLE')).toBe('body.parentId');
    expect(field(await admin.patch(`/api/v1/halls/${street.id}`, { level: 'community' }), 'LEVEL_NOT_ABOVE_CHILDREN')).toBe('body.level');
    expectError(await admin.post('/api/v1/halls', { name: 'x', level: 'province' }), 400, 'VALIDATION_FAILED');
    // The district's manager changes the district's settings, not its place.
    const manager = await t.as('manager');
    expectError(await manager.patch(hallUrl(t), { parentId: street.id }), 403, 'ROLE_FORBIDDEN');
    expectStatus(await manager.patch(hallUrl(t), { name: '示例区政务服务中心（新）' }), 200);
    const moved = expectStatus(await admin.patch(`/api/v1/halls/${community.id}`, { parentId: t.demo.hallId, level: 'street' }), 200);
    expect(moved).toMatchObject({ parentId: t.demo.hallId, level: 'street' });
  });

  it('the district manager sees every hall below, now and over a period, per hall and summed', async () => {
    const east = await streetHall('东街道便民服务中心');
    const west = await streetHall('西街道便民服务中心');
    const village = await streetHall('东一社区服务站', east.hall.id, 'community');
    // Activity: the district serves one and has one waiting; east has two waiting; the village serves one.
    const districtClerk = await clerkAt(t, 'clerk01', '1');
    await issue(t, 'social_security');
    await issue(t, 'social_security');
    for (const a of ['call-next', 'start', 'finish']) expectStatus(await districtClerk.post(windowUrl(t, '1', a)), 200);
    for (let i = 0; i < 2; i++) expectStatus(await east.kiosk.post(east.url('/tickets'), { serviceId: east.service.id }), 201);
    expectStatus(await village.kiosk.post(village.url('/tickets'), { serviceId: village.service.id }), 201);
    expectStatus(await village.clerk.post(village.url(`/windows/${village.window.id}/sign-in`)), 200);
    for (const a of ['call-next', 'start', 'finish']) expectStatus(await village.clerk.post(village.url(`/windows/${village.window.id}/${a}`)), 200);

    const manager = await t.as('manager');
    const live = expectStatus(await manager.get(hallUrl(t, '/tree/live')), 200);
    expect(live.halls.map((h: any) => [h.name, h.level, h.depth, h.waiting, h.servedToday])).toEqual([
      ['示例区政务服务中心', 'district', 0, 1, 1],
      ['东街道便民服务中心', 'street', 1, 2, 0],
      ['东一社区服务站', 'community', 2, 0, 1],
      ['西街道便民服务中心', 'street', 1, 0, 0],
    ]);
    expect(live.total).toMatchObject({ waiting: 3, servedToday: 2, issuedToday: 5, windowsOpen: 2 });
    const stats = expectStatus(await manager.get(hallUrl(t, '/tree/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(stats.halls.map((h: any) => [h.name, h.totals.issued, h.totals.served])).toEqual([
      ['示例区政务服务中心', 2, 1], ['东街道便民服务中心', 2, 0], ['东一社区服务站', 1, 1], ['西街道便民服务中心', 0, 0],
    ]);
    expect(stats.total.totals).toMatchObject({ issued: 5, served: 2 });

    // A street manager sees their street and what is below it, not the district or the other street.
    const eastLive = expectStatus(await east.manager.get(east.url('/tree/live')), 200);
    expect(eastLive.halls.map((h: any) => h.name)).toEqual(['东街道便民服务中心', '东一社区服务站']);
    expectError(await west.manager.get(hallUrl(t, '/tree/live')), 403, 'HALL_FORBIDDEN');
    expectError(await east.clerk.get(east.url('/tree/live')), 403, 'ROLE_FORBIDDEN');
  });

  it('a credential of one hall reads and changes nothing of another, over HTTP and sockets; the district manager reads halls below only through the overview', async () => {
    const east = await streetHall();
    const districtManager = await t.as('manager');
    const districtKiosk = t.device('kiosk');
    // HTTP: every principal of one hall against the other hall's routes.
    const tries: [Client, string, string, unknown?][] = [
      [east.manager, 'GET', hallUrl(t, '/queue')], [east.manager, 'PATCH', hallUrl(t), { name: '改名' }],
      [east.manager, 'GET', hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')], [east.manager, 'GET', hallUrl(t, '/appointments?day=2026-11-25')],
      [east.clerk, 'POST', windowUrl(t, '1', 'sign-in')], [east.kiosk, 'POST', hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax }],
      [districtManager, 'GET', east.url('/queue')], [districtManager, 'PATCH', east.url(), { name: '改名' }],
      [districtManager, 'GET', east.url('/stats?from=2026-11-25&to=2026-11-25')], [districtManager, 'GET', east.url('/staff')],
      [districtKiosk, 'POST', east.url('/tickets'), { serviceId: east.service.id }],
    ];
    for (const [client, method, url, body] of tries) {
      const res = await client.request(method as 'GET', url, body);
      expect([res.statusCode, res.json().error?.code], `${method} ${url}`).toEqual([403, 'HALL_FORBIDDEN']);
    }
    expect((await t.db.selectFrom('halls').select('name').execute()).map((h) => h.name)).not.toContain('改名');
    // A booking of the district is not found at the street's kiosk (nor is its existence told).
    const { code } = expectStatus(await t.app.inject({
      method: 'POST', url: `/api/v1/public/halls/${t.demo.hallId}/appointments`,
      payload: { serviceId: t.demo.serviceIds.social_security, slotStart: t.clock.now() + 60 * 60_000, name: '王五', phone: '13700001111' },
    }), 201);
    expectError(await east.kiosk.post(east.url('/appointments/check-in'), { code }), 404, 'APPOINTMENT_NOT_FOUND');
    expectStatus(await districtKiosk.post(hallUrl(t, '/appointments/check-in'), { code }), 201);

    // Sockets: a manager of one hall cannot follow the other, and hears nothing of it.
    const base = await listen(t);
    const refused = rawSocket(base, { cookie: sessionCookie(east.manager), auth: { hallId: t.demo.hallId } });
    expect((await waitFor<any>(refused, 'connect_error')).data.code).toBe('HALL_FORBIDDEN');
    refused.close();
    const own = rawSocket(base, { cookie: sessionCookie(east.manager) });
    const heard = record(own);
    await waitFor(own, 'catchup:completed');
    await issue(t, 'tax');
    expectStatus(await east.kiosk.post(east.url('/tickets'), { serviceId: east.service.id }), 201);
    const first = await waitFor<any>(own, 'ticket:issued');
    expect(first.hallId).toBe(east.hall.id);
    expect(heard.filter((e) => e.payload?.hallId === t.demo.hallId)).toEqual([]);
    own.close();
  });
});
