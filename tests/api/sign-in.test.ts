import { describe, expect, it } from 'vitest';
import { HashGate } from '../../server/access/hash-gate.js';
import { totpCode, totpStep } from '../../server/domain/totp.js';
import { buildTestHall, Client, expectError, expectStatus, hallUrl, login, MINUTE, type TestHall, scratch } from '../helpers.js';

/**
 * Sign-in and account take-over, tried as an outside attacker and a dishonest insider would:
 * failures count atomically, guessing never becomes a switch that locks the owner out, hashing is
 * bounded, an open session is not a password oracle, and a reset never hands over an account.
 */
const { keep } = scratch('sign-in');
const hall = async (config: Parameters<typeof buildTestHall>[0] = {}) => keep(await buildTestHall(config));
const password = (t: TestHall, username: string) => t.demo.credentials.find((c) => c.username === username)?.password ?? t.adminPassword;
const attempt = (t: TestHall, username: string, pw: string, ip: string, extra: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: pw, ...extra }, remoteAddress: ip });
const counter = async (t: TestHall, key: string) =>
  Number((await t.db.selectFrom('throttles').select('count').where('key', '=', key).executeTakeFirst())?.count ?? 0);
const staffId = async (t: TestHall, username: string) =>
  (await t.db.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

async function withTotp(t: TestHall, client: Client): Promise<string> {
  const setup = expectStatus(await client.post('/api/v1/auth/two-factor/setup'), 200);
  expectStatus(await client.post('/api/v1/auth/two-factor/confirm', { code: totpCode(setup.secret, totpStep(t.clock.now())) }), 200);
  return setup.secret as string;
}

describe('failed sign-ins', () => {
  it('sent at the same moment each count: ten failures are ten', async () => {
    const t = await hall();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(t, 'clerk04', `wrong-${i}`, `10.7.0.${i + 1}`)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(401));
    expect(await counter(t, 'signin:account:clerk04')).toBe(10);
    // Wrong second-factor codes too.
    const manager = await t.as('manager');
    await withTotp(t, manager);
    const otps = await Promise.all(Array.from({ length: 6 }, (_, i) => attempt(t, 'manager', password(t, 'manager'), `10.8.0.${i + 1}`, { otp: '000000' })));
    expect(otps.every((r) => r.statusCode === 401 && r.json().error.code === 'INVALID_OTP')).toBe(true);
    expect(await counter(t, 'signin:account:manager')).toBe(6);
  });

  it('lock the guesser\'s address, never the owner: the clerk signs in at their own counter while someone guesses', async () => {
    const t = await hall();
    const own = password(t, 'clerk05');
    // clerk05 worked at 192.168.1.25 before.
    expectStatus(await attempt(t, 'clerk05', own, '192.168.1.25'), 200);
    // Someone guesses from 4 addresses, 5 each (20 in the hour).
    for (let a = 0; a < 4; a++) {
      for (let i = 0; i < 5; i++) expectError(await attempt(t, 'clerk05', `guess-${a}-${i}`, `203.0.113.${a + 1}`), 401, 'INVALID_CREDENTIALS');
      expectError(await attempt(t, 'clerk05', own, `203.0.113.${a + 1}`), 429, 'ACCOUNT_LOCKED');
    }
    // The account is now under attack from everywhere: new addresses are refused, even with the password…
    expectError(await attempt(t, 'clerk05', own, '198.51.100.9'), 429, 'ACCOUNT_LOCKED');
    // …but the clerk's own counter PC gets in at 9:00.
    expectStatus(await attempt(t, 'clerk05', own, '192.168.1.25'), 200);
  });

  it('answer the same for unknown and known names', async () => {
    const t = await hall();
    const trace = async (username: string, ip: string) => {
      const codes: string[] = [];
      for (let i = 0; i < 7; i++) codes.push((await attempt(t, username, `guess-${i}`, ip)).json().error.code);
      return codes;
    };
    const known = await trace('clerk06', '203.0.113.50');
    const unknown = await trace('nosuchclerk', '203.0.113.51');
    expect(known).toEqual(unknown);
    expect(known).toEqual([...Array(5).fill('INVALID_CREDENTIALS'), 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED']);
  });

  it('from one address with made-up names are refused before any hashing, and sign-ins elsewhere go on', async () => {
    const t = await hall();
    const codes: string[] = [];
    for (let i = 0; i < 40; i++) codes.push((await attempt(t, `made-up-${i}`, 'guess', '203.0.113.77')).json().error.code);
    expect(codes.slice(0, 30)).toEqual(Array(30).fill('INVALID_CREDENTIALS'));
    expect(new Set(codes.slice(30))).toEqual(new Set(['TOO_MANY_ATTEMPTS']));
    // Refused early: not counted as failures any more (nothing was hashed).
    expect(await counter(t, 'signin:address:203.0.113.77')).toBe(30);
    expectStatus(await attempt(t, 'clerk01', password(t, 'clerk01'), '192.168.1.21'), 200);
  });
});

describe('password hashing', () => {
  it('runs at most N at once, refuses a second hash per address beyond its share, and bounds the queue', async () => {
    const gate = new HashGate({ concurrency: 2, perClient: 2, queue: 2 });
    const releases: (() => void)[] = [];
    const job = () => new Promise<void>((resolve) => releases.push(resolve));
    const a1 = gate.run('a', job);
    const a2 = gate.run('a', job);
    await expect(gate.run('a', job)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS', statusCode: 429 });
    expect(gate.load).toEqual({ running: 2, waiting: 0 });
    const b = gate.run('b', job);
    const c = gate.run('c', job);
    await expect(gate.run('d', job)).rejects.toMatchObject({ code: 'SIGN_IN_BUSY', statusCode: 503 });
    expect(gate.load).toEqual({ running: 2, waiting: 2 });
    // The first finished hash hands its slot to the next in line, in order.
    releases.shift()!();
    await a1;
    await expect.poll(() => releases.length).toBe(2);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    for (const r of releases.splice(0)) r();
    await a2;
    await expect.poll(() => releases.length).toBe(1);
    releases.shift()!();
    await Promise.all([b, c]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});

describe('an open session is not a password oracle', () => {
  it('wrong current passwords are counted and audited; the fifth ends the session', async () => {
    const t = await hall();
    const clerk = await t.as('clerk02');
    for (let i = 0; i < 4; i++) {
      expectError(await clerk.post('/api/v1/auth/password', { currentPassword: `guess-${i}`, newPassword: 'Blue-mountain-river-88' }), 400, 'WRONG_PASSWORD');
    }
    expectError(await clerk.post('/api/v1/auth/password', { currentPassword: 'guess-4', newPassword: 'Blue-mountain-river-88' }), 401, 'SESSION_ENDED');
    expectError(await clerk.get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
    const audited = await t.db.selectFrom('audit_log').select(['action', 'detail']).where('target', '=', 'clerk02').execute();
    expect(audited.filter((a) => a.action === 'password.check_failed')).toHaveLength(5);
    expect(audited.map((a) => a.action)).toContain('account.locked');
    // From the same address the account is locked for now (the owner elsewhere is not).
    expectError(await attempt(t, 'clerk02', password(t, 'clerk02'), '127.0.0.1'), 429, 'ACCOUNT_LOCKED');
  });

  it('turning the second factor off and renewing recovery codes need the password, counted alike', async () => {
    const t = await hall();
    const manager = await t.as('manager');
    await withTotp(t, manager);
    expectError(await manager.post('/api/v1/auth/two-factor/recovery-codes', {}), 400, 'VALIDATION_FAILED');
    expectError(await manager.post('/api/v1/auth/two-factor/recovery-codes', { password: 'not-it' }), 400, 'WRONG_PASSWORD');
    expectError(await manager.post('/api/v1/auth/two-factor/disable', { password: 'not-it-either' }), 400, 'WRONG_PASSWORD');
    expect(await counter(t, 'signin:pair:127.0.0.1|manager')).toBe(2);
    const renewed = expectStatus(await manager.post('/api/v1/auth/two-factor/recovery-codes', { password: password(t, 'manager') }), 200);
    expect(renewed.codes).toHaveLength(10);
    const actions = (await t.db.selectFrom('audit_log').select('detail').where('action', '=', 'password.check_failed').execute()).map((a) => JSON.parse(a.detail!).purpose);
    expect(actions).toEqual(['recovery codes', 'second factor off']);
  });
});

describe('password resets', () => {
  it('a manager\'s session alone resets neither the manager nor a fellow manager', async () => {
    const t = await hall();
    const manager = await t.as('manager');
    expectError(await manager.post(hallUrl(t, `/staff/${await staffId(t, 'manager')}/reset-password`)), 403, 'CANNOT_RESET_SELF');
    const other = expectStatus(await manager.post(hallUrl(t, '/staff'), { username: 'manager2', displayName: '副主任', role: 'manager' }), 201);
    expectError(await manager.post(hallUrl(t, `/staff/${other.staff.id}/reset-password`)), 403, 'ADMIN_ONLY');
    // Clerks and helpers are still the manager's to reset.
    expectStatus(await manager.post(hallUrl(t, `/staff/${await staffId(t, 'clerk03')}/reset-password`)), 200);
  });

  it('keeps the second factor unless it is removed on purpose, with the resetter\'s password', async () => {
    const t = await hall();
    const manager = await t.as('manager');
    const secret = await withTotp(t, manager);
    const admin = await t.as('admin');
    const id = await staffId(t, 'manager');
    const reset = expectStatus(await admin.post(hallUrl(t, `/staff/${id}/reset-password`)), 200);
    expect(reset.twoFactorRemoved).toBe(false);
    // The new password alone does not sign in: the second factor is still asked for.
    expectError(await attempt(t, 'manager', reset.password, '10.0.0.9'), 401, 'OTP_REQUIRED');
    t.clock.advance(30_000);
    expectStatus(await attempt(t, 'manager', reset.password, '10.0.0.9', { otp: totpCode(secret, totpStep(t.clock.now())) }), 200);

    expectError(await admin.post(hallUrl(t, `/staff/${id}/reset-password`), { removeSecondFactor: true }), 400, 'VALIDATION_FAILED');
    expectError(await admin.post(hallUrl(t, `/staff/${id}/reset-password`), { removeSecondFactor: true, password: 'guess' }), 400, 'WRONG_PASSWORD');
    const removed = expectStatus(await admin.post(hallUrl(t, `/staff/${id}/reset-password`), { removeSecondFactor: true, password: t.adminPassword }), 200);
    expect(removed.twoFactorRemoved).toBe(true);
    const entries = await t.db.selectFrom('audit_log').select('detail').where('action', '=', 'password.reset').orderBy('id').execute();
    expect(entries.map((e) => JSON.parse(e.detail!))).toEqual([
      { twoFactorRemoved: false, twoFactorKept: true }, { twoFactorRemoved: true, twoFactorKept: false },
    ]);
  });

  it('where the hall requires a second factor, a reset that removes it holds the person at setup', async () => {
    const t = await hall();
    const manager = await t.as('manager');
    await withTotp(t, manager);
    expectStatus(await manager.patch(hallUrl(t), { settings: { requireTwoFactor: true } }), 200);
    const admin = await t.as('admin');
    await withTotp(t, admin);
    const reset = expectStatus(await admin.post(hallUrl(t, `/staff/${await staffId(t, 'manager')}/reset-password`), { removeSecondFactor: true, password: t.adminPassword }), 200);
    const again = await login(t.app, 'manager', reset.password);
    expectError(await again.get(hallUrl(t, '/staff')), 403, 'TWO_FACTOR_SETUP_REQUIRED');
    void MINUTE;
  });
});
