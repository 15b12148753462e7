import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHall, Client, clerkAt, expectStatus, hallUrl, issue, login, type TestHall, windowUrl } from '../helpers.js';

type Who = 'admin' | 'manager' | 'clerk' | 'kiosk' | 'display' | 'evaluator' | 'caller' | 'led' | 'windowScreen' | 'anonymous' | 'otherHallManager';
const EVERYONE: Who[] = ['admin', 'manager', 'clerk', 'kiosk', 'display', 'evaluator', 'caller', 'led', 'windowScreen', 'anonymous', 'otherHallManager'];
const STAFF: Who[] = ['admin', 'manager', 'clerk'];
const MANAGERS: Who[] = ['admin', 'manager'];

let t: TestHall;
const clients = {} as Record<Who, Client>;
let ticketId: number;

beforeAll(async () => {
  t = await buildTestHall();
  clients.admin = await t.as('admin');
  clients.manager = await t.as('manager');
  clients.clerk = await clerkAt(t, 'clerk01', '1');
  clients.kiosk = t.device('kiosk');
  clients.display = t.device('display');
  const evaluator = expectStatus(await clients.manager.post(hallUrl(t, '/devices'), { kind: 'evaluator', name: '评价器', windowId: t.demo.windowIds['1'] }), 201);
  clients.evaluator = new Client(t.app, { token: evaluator.token });
  const caller = expectStatus(await clients.manager.post(hallUrl(t, '/devices'), { kind: 'caller', name: '呼叫器', windowId: t.demo.windowIds['1'] }), 201);
  clients.caller = new Client(t.app, { token: caller.token });
  const led = expectStatus(await clients.manager.post(hallUrl(t, '/devices'), { kind: 'led', name: '条屏', windowId: null }), 201);
  clients.led = new Client(t.app, { token: led.token });
  const screen = expectStatus(await clients.manager.post(hallUrl(t, '/devices'), { kind: 'window_screen', name: '窗口屏', windowId: t.demo.windowIds['1'] }), 201);
  clients.windowScreen = new Client(t.app, { token: screen.token });
  clients.anonymous = new Client(t.app, null);
  const other = expectStatus(await clients.admin.post('/api/v1/halls', { name: '某街道便民服务中心' }), 201);
  const created = expectStatus(await clients.admin.post(`/api/v1/halls/${other.id}/staff`, { username: 'street_mgr', displayName: '街道主任', role: 'manager' }), 201);
  clients.otherHallManager = await login(t.app, 'street_mgr', created.password);
  ticketId = (await issue(t, 'social_security')).id;
});
afterAll(async () => t.close());

/**
 * Who may call what. Anything not listed for a route must be refused: 401 for nobody signed
 * in, 403 for everyone else (another hall's manager included).
 */
function matrix(): { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; body?: unknown; allowed: Who[] }[] {
  const s = t.demo.serviceIds;
  return [
    { method: 'GET', url: '/api/v1/auth/me', allowed: [...STAFF, 'otherHallManager'] },
    { method: 'GET', url: '/api/v1/audit', allowed: ['admin'] },
    { method: 'GET', url: hallUrl(t, '/calendar/2026'), allowed: STAFF },
    { method: 'PUT', url: hallUrl(t, '/calendar/2026'), body: { days: [] }, allowed: MANAGERS },
    { method: 'POST', url: '/api/v1/auth/two-factor/recovery-codes', allowed: [...STAFF, 'otherHallManager'] },
    { method: 'GET', url: '/api/v1/halls', allowed: [...STAFF, 'otherHallManager'] },
    { method: 'POST', url: '/api/v1/halls', body: { name: '新大厅' }, allowed: ['admin'] },
    { method: 'GET', url: hallUrl(t), allowed: [...STAFF, 'kiosk', 'display', 'evaluator'] },
    { method: 'PATCH', url: hallUrl(t), body: { settings: { agingMinutes: 30 } }, allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/queue'), allowed: [...STAFF, 'kiosk', 'display'] },
    { method: 'GET', url: hallUrl(t, '/events'), allowed: [...STAFF, 'kiosk', 'display', 'evaluator'] },
    { method: 'POST', url: hallUrl(t, '/expire'), allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/services'), allowed: [...STAFF, 'kiosk', 'display'] },
    { method: 'POST', url: hallUrl(t, '/services'), body: { code: 'x', nameZh: '新', nameEn: 'New', prefix: 'Z', expectedMinutes: 5 }, allowed: MANAGERS },
    { method: 'PATCH', url: hallUrl(t, `/services/${s.tax}`), body: { sortOrder: 6 }, allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/windows'), allowed: [...STAFF, 'display'] },
    { method: 'GET', url: windowUrl(t, '1'), allowed: [...STAFF, 'display', 'evaluator'] },
    { method: 'POST', url: hallUrl(t, '/windows'), body: { number: '20', kind: 'comprehensive' }, allowed: MANAGERS },
    { method: 'PATCH', url: windowUrl(t, '8'), body: { active: true }, allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/staff'), allowed: MANAGERS },
    { method: 'POST', url: hallUrl(t, '/staff'), body: { username: 'newbie', displayName: '新人', role: 'clerk' }, allowed: MANAGERS },
    { method: 'PATCH', url: hallUrl(t, '/staff/99999'), body: { displayName: '改名' }, allowed: MANAGERS },
    { method: 'POST', url: hallUrl(t, '/staff/99999/reset-password'), allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/devices'), allowed: MANAGERS },
    { method: 'POST', url: hallUrl(t, '/devices'), body: { kind: 'display', name: '二号屏' }, allowed: MANAGERS },
    { method: 'POST', url: hallUrl(t, '/devices/99999/revoke'), allowed: MANAGERS },
    { method: 'POST', url: hallUrl(t, '/tickets'), body: { serviceId: s.tax }, allowed: [...MANAGERS, 'kiosk'] },
    { method: 'GET', url: hallUrl(t, '/tickets'), allowed: STAFF },
    { method: 'GET', url: hallUrl(t, `/tickets/${ticketId}`), allowed: STAFF },
    { method: 'POST', url: hallUrl(t, '/tickets/99999/cancel'), allowed: STAFF },
    { method: 'POST', url: windowUrl(t, '1', 'sign-in'), allowed: STAFF },
    ...['call-next', 'recall', 'start', 'finish', 'no-show', 'hold', 'pause', 'resume'].map((a) => ({
      method: 'POST' as const, url: windowUrl(t, '1', a), allowed: STAFF,
    })),
    { method: 'POST', url: windowUrl(t, '1', 'call'), body: { ticketId: 99999, reason: 'x' }, allowed: STAFF },
    { method: 'POST', url: windowUrl(t, '1', 'call-back'), body: { ticketId: 99999 }, allowed: STAFF },
    { method: 'POST', url: windowUrl(t, '1', 'requeue'), body: { ticketId: 99999 }, allowed: STAFF },
    { method: 'POST', url: windowUrl(t, '1', 'transfer'), body: { serviceId: s.tax }, allowed: STAFF },
    { method: 'GET', url: hallUrl(t, '/evaluations'), allowed: STAFF },
    { method: 'POST', url: hallUrl(t, '/evaluations/99999/appeal'), body: { reason: '误评' }, allowed: STAFF },
    { method: 'POST', url: hallUrl(t, '/evaluations/99999/appeal-decision'), body: { decision: 'void', reason: 'x' }, allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/cases'), allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/cases/99999'), allowed: STAFF },
    { method: 'POST', url: hallUrl(t, '/cases/99999/assign'), body: { ownerStaffId: 1 }, allowed: MANAGERS },
    { method: 'POST', url: hallUrl(t, '/cases/99999/advance'), body: { to: 'verified', note: 'x' }, allowed: STAFF },
    { method: 'GET', url: hallUrl(t, '/stats?from=2026-11-01&to=2026-11-25'), allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/stats/live'), allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/stats/staffing?day=2026-12-02'), allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/stats.csv?from=2026-11-01&to=2026-11-25&table=service'), allowed: MANAGERS },
    { method: 'GET', url: '/api/v1/devices/me', allowed: ['kiosk', 'display', 'evaluator', 'caller', 'led', 'windowScreen'] },
    { method: 'GET', url: '/api/v1/window-screen/current', allowed: ['windowScreen'] },
    { method: 'PUT', url: hallUrl(t, '/staff/99999/photo'), body: {}, allowed: MANAGERS },
    { method: 'GET', url: hallUrl(t, '/staff/99999/photo'), allowed: [...STAFF, 'windowScreen'] },
    { method: 'DELETE', url: hallUrl(t, '/staff/99999/photo'), allowed: MANAGERS },
    { method: 'POST', url: hallUrl(t, '/complaints'), body: { source: 'comment_book', content: '态度不好', windowId: t.demo.windowIds['1'] }, allowed: MANAGERS },
    { method: 'POST', url: '/api/v1/caller/keys', body: { key: 'status' }, allowed: ['caller'] },
    { method: 'GET', url: '/api/v1/caller/state', allowed: ['caller'] },
    { method: 'GET', url: '/api/v1/led/text', allowed: ['led'] },
    { method: 'GET', url: '/api/v1/evaluator/current', allowed: ['evaluator'] },
    { method: 'POST', url: '/api/v1/evaluator/evaluations', body: { ticketId: 99999, level: 'satisfied' }, allowed: ['evaluator'] },
    // A clerk signed in to window 1 may not act on window 2; managers may.
    { method: 'POST', url: windowUrl(t, '2', 'call-next'), allowed: MANAGERS },
    { method: 'POST', url: windowUrl(t, '2', 'pause'), allowed: MANAGERS },
  ];
}

describe('role matrix', () => {
  it('each principal gets exactly what its role allows', async () => {
    const failures: string[] = [];
    for (const route of matrix()) {
      for (const who of EVERYONE) {
        const res = await clients[who].request(route.method, route.url, route.method === 'GET' ? undefined : route.body ?? {});
        const allowed = route.allowed.includes(who);
        const refused = res.statusCode === 401 || res.statusCode === 403;
        const expectedRefusal = who === 'anonymous' ? 401 : 403;
        if (allowed && refused) failures.push(`${who} ${route.method} ${route.url}: refused ${res.statusCode} ${res.body}`);
        if (!allowed && res.statusCode !== expectedRefusal) failures.push(`${who} ${route.method} ${route.url}: expected ${expectedRefusal}, got ${res.statusCode}`);
        if (res.statusCode >= 500) failures.push(`${who} ${route.method} ${route.url}: ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refusals carry the reason as a stable code', async () => {
    expect((await clients.kiosk.get(hallUrl(t, '/staff'))).json().error.code).toBe('DEVICE_FORBIDDEN');
    expect((await clients.clerk.get(hallUrl(t, '/staff'))).json().error.code).toBe('ROLE_FORBIDDEN');
    expect((await clients.otherHallManager.get(hallUrl(t, '/staff'))).json().error.code).toBe('HALL_FORBIDDEN');
    expect((await clients.clerk.post(windowUrl(t, '2', 'call-next'))).json().error.code).toBe('NOT_YOUR_WINDOW');
    expect((await clients.anonymous.get(hallUrl(t, '/queue'))).json().error.code).toBe('UNAUTHENTICATED');
  });

  it('the phone page needs only the ticket token', async () => {
    const a = await issue(t, 'tax');
    const res = await clients.anonymous.get(`/api/v1/public/tickets/${a.token}`);
    expect(expectStatus(res, 200)).toMatchObject({ displayNumber: a.displayNumber, status: 'waiting' });
    expect(res.body).not.toContain(a.token);
  });

  it('an admin sees every hall; a manager only their own', async () => {
    expect(expectStatus(await clients.admin.get('/api/v1/halls'), 200).length).toBeGreaterThanOrEqual(2);
    expect(expectStatus(await clients.manager.get('/api/v1/halls'), 200).map((h: any) => h.id)).toEqual([t.demo.hallId]);
  });
});
