import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHall, type Client, clerkAt, expectError, expectStatus, hallUrl, type TestHall, windowUrl } from '../helpers.js';

let t: TestHall;
let manager: Client;
let clerk: Client;
beforeAll(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
  clerk = await clerkAt(t, 'clerk01', '1');
});
afterAll(async () => t.close());

const HUGE = 'x'.repeat(10_000);

describe('bad input is a 400 with the field, never a 500', () => {
  it('wrong types, missing fields, huge strings and unknown enum values name the field', async () => {
    const cases: [string, unknown, string][] = [
      ['/tickets', {}, 'body.serviceId'],
      ['/tickets', { serviceId: 'one' }, 'body.serviceId'],
      ['/tickets', { serviceId: -3 }, 'body.serviceId'],
      ['/tickets', { serviceId: 1.5 }, 'body.serviceId'],
      ['/tickets', { serviceId: 1, priorityClass: 'vip' }, 'body.priorityClass'],
      ['/tickets', { serviceId: 1, channel: 42 }, 'body.channel'],
      ['/services', { code: 'ok', nameZh: HUGE, nameEn: 'x', prefix: 'Q', expectedMinutes: 5 }, 'body.nameZh'],
      ['/services', { code: 'ok', nameZh: '名', nameEn: 'x', prefix: 'qq', expectedMinutes: 5 }, 'body.prefix'],
      ['/services', { code: 'ok', nameZh: '名', nameEn: 'x', prefix: 'Q', expectedMinutes: -1 }, 'body.expectedMinutes'],
      ['/services', { code: 'ok', nameZh: '   ', nameEn: 'x', prefix: 'Q', expectedMinutes: 5 }, 'body.nameZh'],
      ['/windows', { number: '1 2', kind: 'comprehensive' }, 'body.number'],
      ['/windows', { number: '12', kind: 'magic' }, 'body.kind'],
      ['/windows', { number: '12', kind: 'domain', tiers: [['a']] }, 'body.tiers.0.0'],
      ['/staff', { username: 'a', displayName: '名', role: 'clerk' }, 'body.username'],
      ['/staff', { username: 'sneaky', displayName: '名', role: 'admin' }, 'body.role'],
      ['/staff', { username: 'short_pw', displayName: '名', role: 'clerk', password: 'short' }, 'body.password'],
      ['/devices', { kind: 'toaster', name: 'x' }, 'body.kind'],
    ];
    for (const [path, body, field] of cases) {
      const client = path === '/tickets' ? t.device('kiosk') : manager;
      const err = expectError(await client.post(hallUrl(t, path), body), 400, 'VALIDATION_FAILED');
      expect(err.details.map((d: any) => d.field), `${path} ${JSON.stringify(body).slice(0, 80)}`).toContain(field);
    }
  });

  it('bad hall settings are refused field by field', async () => {
    const err = expectError(await manager.patch(hallUrl(t), { settings: { recallLimit: 'two', agingMinutes: 0 }, timezone: 'Mars/Olympus' }), 400, 'VALIDATION_FAILED');
    expect(err.details.map((d: any) => d.field).sort()).toEqual(['body.settings.agingMinutes', 'body.settings.recallLimit', 'body.timezone']);
    const hours = expectError(await manager.patch(hallUrl(t), { openingHours: [{ weekday: 8, open: '25:00', close: '17:00' }] }), 400, 'VALIDATION_FAILED');
    expect(hours.details.map((d: any) => d.field).sort()).toEqual(['body.openingHours.0.open', 'body.openingHours.0.weekday']);
    // Nothing was half-written.
    expect(expectStatus(await manager.get(hallUrl(t)), 200).settings.recallLimit).toBe(2);
  });

  it('malformed path params and query strings', async () => {
    expectError(await manager.get('/api/v1/halls/abc'), 400, 'VALIDATION_FAILED');
    // Another spelling of another hall's id is not a way around the hall check.
    expectError(await manager.get('/api/v1/halls/02/staff'), 400, 'VALIDATION_FAILED');
    expectError(await clerk.post('/api/v1/halls/1/windows/02/call-next'), 400, 'VALIDATION_FAILED');
    expectError(await manager.get(hallUrl(t, '/tickets/1.0')), 400, 'VALIDATION_FAILED');
    expectError(await manager.get(hallUrl(t, '/tickets/0')), 400, 'VALIDATION_FAILED');
    expectError(await manager.get(hallUrl(t, '/tickets/99999999999999999999')), 400, 'VALIDATION_FAILED');
    expectError(await manager.get(hallUrl(t, '/tickets?status=flying')), 400, 'VALIDATION_FAILED');
    expectError(await manager.get(hallUrl(t, '/tickets?limit=100000')), 400, 'VALIDATION_FAILED');
    expectError(await manager.get(hallUrl(t, '/events?after=-1')), 400, 'VALIDATION_FAILED');
    expectError(await manager.get('/api/v1/public/tickets/short'), 400, 'VALIDATION_FAILED');
  });

  it('unknown ids are 404 with a specific code', async () => {
    const admin = await t.as('admin');
    expectError(await admin.get('/api/v1/halls/4242'), 404, 'HALL_NOT_FOUND');
    expectError(await admin.get('/api/v1/halls/4242/queue'), 404, 'HALL_NOT_FOUND');
    expectError(await manager.get(hallUrl(t, '/tickets/4242')), 404, 'TICKET_NOT_FOUND');
    expectError(await manager.patch(hallUrl(t, '/services/4242'), { active: false }), 404, 'SERVICE_NOT_FOUND');
    expectError(await manager.patch(hallUrl(t, '/windows/4242'), { active: false }), 404, 'WINDOW_NOT_FOUND');
    expectError(await manager.patch(hallUrl(t, '/staff/4242'), { disabled: true }), 404, 'STAFF_NOT_FOUND');
    expectError(await manager.post(hallUrl(t, '/devices/4242/revoke')), 404, 'DEVICE_NOT_FOUND');
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: 4242 }), 404, 'SERVICE_NOT_FOUND');
    expectError(await manager.get(`/api/v1/public/tickets/${'A'.repeat(22)}`), 404, 'TICKET_NOT_FOUND');
    expectError(await manager.get('/api/v1/no/such/route'), 404, 'ROUTE_NOT_FOUND');
  });

  it('broken JSON, wrong content type and oversized bodies', async () => {
    const kiosk = t.device('kiosk');
    const auth = { authorization: (kiosk.auth as { token: string }).token.replace(/^/, 'Bearer ') };
    const broken = await t.app.inject({ method: 'POST', url: hallUrl(t, '/tickets'), headers: { ...auth, 'content-type': 'application/json' }, payload: '{"serviceId": ' });
    expectError(broken, 400, 'INVALID_JSON');
    const xml = await t.app.inject({ method: 'POST', url: hallUrl(t, '/tickets'), headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' });
    expectError(xml, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const big = await t.app.inject({
      method: 'POST', url: hallUrl(t, '/tickets'), headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ serviceId: 1, padding: 'y'.repeat(200_000) }),
    });
    expectError(big, 413, 'PAYLOAD_TOO_LARGE');
    const arr = await kiosk.post(hallUrl(t, '/tickets'), [1, 2, 3]);
    expectError(arr, 400, 'VALIDATION_FAILED');
  });

  it('window action bodies are checked too', async () => {
    expectError(await clerk.post(windowUrl(t, '1', 'start'), { ticketId: 'abc' }), 400, 'VALIDATION_FAILED');
    expectError(await clerk.post(windowUrl(t, '1', 'call'), { ticketId: 1, reason: HUGE }), 400, 'VALIDATION_FAILED');
    expectError(await clerk.post(windowUrl(t, '1', 'hold'), { reason: '' }), 400, 'VALIDATION_FAILED');
    expectError(await clerk.post(windowUrl(t, '1', 'transfer'), { serviceId: null }), 400, 'VALIDATION_FAILED');
  });

  it('conflicting configuration is a 409 naming the field', async () => {
    const dup = await manager.post(hallUrl(t, '/services'), { code: 'dup', nameZh: '重复', nameEn: 'Dup', prefix: 'A', expectedMinutes: 5 });
    expect(expectError(dup, 409, 'PREFIX_TAKEN').details).toEqual({ field: 'body.prefix' });
    const code = await manager.post(hallUrl(t, '/services'), { code: 'tax', nameZh: '重复', nameEn: 'Dup', prefix: 'Y', expectedMinutes: 5 });
    expectError(code, 409, 'SERVICE_CODE_TAKEN');
    expectError(await manager.post(hallUrl(t, '/windows'), { number: '1', kind: 'comprehensive' }), 409, 'WINDOW_NUMBER_TAKEN');
    expectError(await manager.post(hallUrl(t, '/staff'), { username: 'clerk01', displayName: '重名', role: 'clerk' }), 409, 'USERNAME_TAKEN');
  });

  it('every error body has the same shape with a request id', async () => {
    const res = await manager.get(hallUrl(t, '/tickets/4242'));
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['error', 'requestId']);
    expect(res.headers['content-type']).toContain('application/json');
  });
});

describe('unknown errors', () => {
  it('log in full and answer a plain 500 without internals', async () => {
    const { buildApp } = await import('../../server/app.js');
    const { testConfig } = await import('../../server/config.js');
    const { openDatabase, migrateToLatest } = await import('../../server/db/connect.js');
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    const app = await buildApp({ config: testConfig(), db });
    await db.destroy(); // every query now throws
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    const err = expectError(res, 500, 'INTERNAL_ERROR');
    expect(res.body).not.toMatch(/sqlite|stack|database/i);
    expect(err.message).toBe('Something went wrong on the server.');
    await app.close();
  });
});
