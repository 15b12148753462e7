import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE } from '../../protocol/auth.js';
import { buildTestHall, Client, clerkAt, expectError, expectStatus, hallUrl, issue, login, type TestHall, windowUrl } from '../helpers.js';

let t: TestHall;
beforeEach(async () => {
  t = await buildTestHall();
});
afterEach(async () => t.close());

describe('staff sign-in', () => {
  it('sets an HttpOnly SameSite session cookie and returns the CSRF token', async () => {
    const password = t.demo.credentials.find((c) => c.username === 'clerk01')!.password;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk01', password } });
    const body = expectStatus(res, 200);
    expect(body.staff).toMatchObject({ username: 'clerk01', role: 'clerk', hallId: t.demo.hallId });
    expect(body.staff).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(body)).not.toContain('scrypt');
    expect(body.csrfToken).toEqual(expect.any(String));
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  });

  it('refuses a wrong password, an unknown user and a disabled account alike', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk01', password: 'not-the-password' } });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'whatever-long' } });
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
    const manager = await t.as('manager');
    const clerkId = expectStatus(await manager.get(hallUrl(t, '/staff')), 200).find((s: any) => s.username === 'clerk02').id;
    expectStatus(await manager.patch(hallUrl(t, `/staff/${clerkId}`), { disabled: true }), 200);
    await expect(t.as('clerk02')).rejects.toThrow(/401/);
  });

  it('signing out revokes the session on the server and closes the clerk\'s window', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectStatus(await clerk.get('/api/v1/auth/me'), 200);
    expectStatus(await clerk.post('/api/v1/auth/logout'), 200);
    // The same cookie no longer works: the session is gone server-side, not just in the browser.
    expectError(await clerk.get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
    const manager = await t.as('manager');
    const w1 = expectStatus(await manager.get(windowUrl(t, '1')), 200);
    expect(w1).toMatchObject({ state: 'closed', staffId: null });
  });

  it('signing in again (another browser, a restart) resumes the window the clerk holds', async () => {
    await clerkAt(t, 'clerk01', '1');
    await issue(t, 'tax');
    const again = await t.as('clerk01');
    expect(expectStatus(await again.get('/api/v1/auth/me'), 200).windowId).toBe(t.demo.windowIds['1']);
    expectStatus(await again.post(windowUrl(t, '1', 'call-next')), 200);
  });

  it('a cookie-authenticated write without the CSRF header is refused', async () => {
    const clerk = await t.as('clerk01');
    const auth = clerk.auth as { cookie: string; csrf: string };
    const noHeader = await t.app.inject({
      method: 'POST', url: windowUrl(t, '1', 'sign-in'), headers: { cookie: `${SESSION_COOKIE}=${auth.cookie}` },
    });
    expectError(noHeader, 403, 'CSRF_TOKEN_INVALID');
    const wrong = await clerk.request('POST', windowUrl(t, '1', 'sign-in'), {}, { [CSRF_HEADER]: 'forged' });
    expectError(wrong, 403, 'CSRF_TOKEN_INVALID');
    // Reads need no token.
    expectStatus(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${auth.cookie}` } }), 200);
  });

  it('rate-limits login attempts per address and account name', async () => {
    // A name with no account locks at this address like a real one would (tested in sign-in.test.ts).
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'guess-guess' } });
    for (let i = 0; i < 5; i++) expectError(await attempt(), 401, 'INVALID_CREDENTIALS');
    for (let i = 0; i < 5; i++) expectError(await attempt(), 429, 'ACCOUNT_LOCKED');
    expectError(await attempt(), 429, 'RATE_LIMITED');
    // Another account from the same address is not locked out by it.
    await expect(t.as('clerk02')).resolves.toBeInstanceOf(Client);
  });

  it('a password reset signs the person out everywhere and returns a new password once', async () => {
    const clerk = await t.as('clerk03');
    const manager = await t.as('manager');
    const id = expectStatus(await manager.get('/api/v1/auth/me'), 200) && (expectStatus(await manager.get(hallUrl(t, '/staff')), 200) as any[]).find((s) => s.username === 'clerk03').id;
    const { password } = expectStatus(await manager.post(hallUrl(t, `/staff/${id}/reset-password`)), 200);
    expect(password).toMatch(/^\S{14}$/);
    expectError(await clerk.get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
    await expect(login(t.app, 'clerk03', password)).resolves.toBeInstanceOf(Client);
  });
});

describe('devices', () => {
  it('authenticate with their own token; a revoked or unknown token is refused at once', async () => {
    const manager = await t.as('manager');
    const created = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'kiosk', name: '二楼取号机' }), 201);
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const kiosk = new Client(t.app, { token: created.token });
    expectStatus(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax }), 201);
    const listed = expectStatus(await manager.get(hallUrl(t, '/devices')), 200);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed.find((d: any) => d.id === created.device.id).lastSeenAt).toBe(t.clock.now());
    expectStatus(await manager.post(hallUrl(t, `/devices/${created.device.id}/revoke`)), 200);
    expectError(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax }), 401, 'DEVICE_TOKEN_INVALID');
    expectError(await manager.post(hallUrl(t, `/devices/${created.device.id}/revoke`)), 409, 'DEVICE_ALREADY_REVOKED');
    expectError(await new Client(t.app, { token: 'x'.repeat(43) }).get(hallUrl(t)), 401, 'DEVICE_TOKEN_INVALID');
    // Another scheme (a reverse proxy's Basic auth) is not a device token: it is ignored, not refused.
    expectError(await t.app.inject({ method: 'GET', url: hallUrl(t), headers: { authorization: 'Basic abc' } }), 401, 'UNAUTHENTICATED');
  });

  it('an evaluator must be paired to a window; others must not', async () => {
    const manager = await t.as('manager');
    expectError(await manager.post(hallUrl(t, '/devices'), { kind: 'evaluator', name: '评价器' }), 400, 'WINDOW_REQUIRED');
    expectError(await manager.post(hallUrl(t, '/devices'), { kind: 'display', name: '屏', windowId: t.demo.windowIds['1'] }), 400, 'WINDOW_NOT_ALLOWED');
    expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'evaluator', name: '1号窗评价器', windowId: t.demo.windowIds['1'] }), 201);
  });
});

describe('windows and clerks', () => {
  it('a clerk acts only on the window they signed in to', async () => {
    await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectError(await clerk.post(windowUrl(t, '2', 'call-next')), 403, 'NOT_YOUR_WINDOW');
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
  });

  it('one clerk per window; moving to another window closes the first', async () => {
    const one = await clerkAt(t, 'clerk01', '1');
    const two = await t.as('clerk02');
    expectError(await two.post(windowUrl(t, '1', 'sign-in')), 409, 'WINDOW_TAKEN');
    expectStatus(await one.post(windowUrl(t, '2', 'sign-in')), 200);
    const manager = await t.as('manager');
    expect(expectStatus(await manager.get(windowUrl(t, '1')), 200).state).toBe('closed');
    expect(expectStatus(await manager.get(windowUrl(t, '2')), 200)).toMatchObject({ state: 'open', staffName: '张敏' });
    expectError(await one.post(windowUrl(t, '1', 'call-next')), 403, 'NOT_YOUR_WINDOW');
    expectStatus(await two.post(windowUrl(t, '1', 'sign-in')), 200);
  });

  it('pause and resume: a paused window does not call; pausing needs a free window', async () => {
    await issue(t, 'social_security');
    await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    expectError(await clerk.post(windowUrl(t, '1', 'pause')), 409, 'WINDOW_BUSY');
    await clerk.post(windowUrl(t, '1', 'no-show'));
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'pause')), 200).state).toBe('paused');
    expectError(await clerk.post(windowUrl(t, '1', 'pause')), 409, 'WINDOW_ALREADY_PAUSED');
    expectError(await clerk.post(windowUrl(t, '1', 'call-next')), 409, 'WINDOW_PAUSED');
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'resume')), 200).state).toBe('open');
    expectError(await clerk.post(windowUrl(t, '1', 'resume')), 409, 'WINDOW_NOT_PAUSED');
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
  });

  it('a closed window cannot call', async () => {
    const manager = await t.as('manager');
    expectError(await manager.post(windowUrl(t, '1', 'call-next')), 409, 'WINDOW_NOT_OPEN');
    expectError(await manager.post(windowUrl(t, '1', 'pause')), 409, 'WINDOW_NOT_OPEN');
    expectError(await manager.post(windowUrl(t, '1', 'sign-out')), 409, 'WINDOW_NOT_OPEN');
  });
});

describe('session housekeeping', () => {
  it('deletes sessions that ended over a week ago, keeps live ones', async () => {
    const { pruneSessions } = await import('../../server/sessions/repository.js');
    const old = await t.as('clerk01');
    expectStatus(await old.post('/api/v1/auth/logout'), 200);
    t.clock.advance(8 * 86_400_000);
    const fresh = await t.as('clerk02');
    expect(await pruneSessions(t.db, t.clock.now() - 7 * 86_400_000)).toBeGreaterThanOrEqual(1);
    expectStatus(await fresh.get('/api/v1/auth/me'), 200);
    const left = await t.db.selectFrom('sessions').select('staff_id').execute();
    expect(left).toHaveLength(1);
  });
});
