import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../protocol/auth.js';
import { buildTestHall, expectStatus, hallUrl, type TestHall, OWN_PASSWORD } from '../helpers.js';

/**
 * Real HTTP on a real port: many requests in flight at once, as when a hall's windows all
 * press 叫号 together in the morning rush.
 */
let t: TestHall;
let base: string;

beforeAll(async () => {
  t = await buildTestHall();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => t.close());

interface Session {
  cookie: string;
  csrf: string;
}

async function http(method: string, path: string, opts: { session?: Session; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.session) {
    headers.cookie = `${SESSION_COOKIE}=${opts.session.cookie}`;
    headers['x-csrf-token'] = opts.session.csrf;
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return { status: res.status, body: (await res.json()) as any, setCookie: res.headers.getSetCookie() };
}

async function signIn(username: string, password: string): Promise<Session> {
  const res = await http('POST', '/api/v1/auth/login', { body: { username, password } });
  expect(res.status).toBe(200);
  const cookie = res.setCookie.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!.split('=')[1]!;
  const session = { cookie, csrf: res.body.csrfToken };
  if (res.body.mustChangePassword) {
    // A new account's first password is replaced by its owner before any work.
    const changed = await http('POST', '/api/v1/auth/password', { session, body: { currentPassword: password, newPassword: OWN_PASSWORD } });
    expect(changed.status).toBe(200);
  }
  return session;
}

describe('under concurrency', () => {
  it('200 parallel issues never duplicate a number', async () => {
    const kiosk = t.demo.devices.find((d) => d.kind === 'kiosk')!.token;
    const codes = ['social_security', 'medical_insurance', 'housing_fund', 'tax'];
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        http('POST', hallUrl(t, '/tickets'), { token: kiosk, body: { serviceId: t.demo.serviceIds[codes[i % codes.length]!] } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    const numbers = results.map((r) => r.body.ticket.displayNumber as string);
    expect(new Set(numbers).size).toBe(200);
    // 50 per service, numbered 1..50 without a gap.
    for (const prefix of ['A', 'B', 'C', 'G']) {
      const mine = numbers.filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(1))).sort((a, b) => a - b);
      expect(mine).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
  });

  it('20 windows calling at once never receive the same ticket', async () => {
    // 20 comprehensive windows, each with its own clerk.
    const admin = await signIn('admin', t.adminPassword);
    const windows: { id: number; session: Session }[] = [];
    for (let n = 0; n < 20; n++) {
      const w = await http('POST', hallUrl(t, '/windows'), { session: admin, body: { number: `R${n}`, kind: 'comprehensive' } });
      const s = await http('POST', hallUrl(t, '/staff'), { session: admin, body: { username: `racer${n}`, displayName: `窗口${n}`, role: 'clerk' } });
      const session = await signIn(`racer${n}`, s.body.password);
      const signedIn = await http("POST", hallUrl(t, `/windows/${w.body.id}/sign-in`), { session });
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
      windows.push({ id: w.body.id, session });
    }

    const calledIds: number[] = [];
    let callRequests = 0;
    // Three rounds of 60 simultaneous call-next requests (3 per window: double and triple clicks).
    for (let round = 0; round < 3; round++) {
      const attempts = windows.flatMap((w) => [0, 1, 2].map(() => ({ w, p: http('POST', hallUrl(t, `/windows/${w.id}/call-next`), { session: w.session }) })));
      callRequests += attempts.length;
      const results = await Promise.all(attempts.map(async (a) => ({ w: a.w, res: await a.p })));
      for (const w of windows) {
        const mine = results.filter((r) => r.w === w);
        // Exactly one of a window's simultaneous presses calls; the others are told it is busy.
        expect(mine.filter((r) => r.res.status === 200 && r.res.body.ticket).length).toBe(1);
        expect(mine.filter((r) => r.res.status === 409).every((r) => r.res.body.error.code === 'WINDOW_BUSY')).toBe(true);
        const called = mine.find((r) => r.res.status === 200)!.res.body.ticket;
        expect(called.windowId).toBe(w.id);
        calledIds.push(called.id);
      }
      // Everyone finishes together too.
      await Promise.all(windows.map(async (w) => {
        expect((await http('POST', hallUrl(t, `/windows/${w.id}/start`), { session: w.session })).status).toBe(200);
        expect((await http('POST', hallUrl(t, `/windows/${w.id}/finish`), { session: w.session })).status).toBe(200);
      }));
    }
    expect(callRequests).toBeGreaterThanOrEqual(50);
    expect(calledIds).toHaveLength(60);
    expect(new Set(calledIds).size).toBe(60);

    // The log agrees: each of those tickets was called exactly once.
    const calls = await t.db.selectFrom('ticket_transitions').select(['ticket_id']).where('action', '=', 'call').execute();
    expect(calls.map((c) => c.ticket_id).sort((a, b) => a - b)).toEqual([...calledIds].sort((a, b) => a - b));
    // Oldest first across the whole hall: the 60 called are the 60 lowest of the same-time tickets' order.
    const snapshot = expectStatus(await t.app.inject({ method: 'GET', url: hallUrl(t, '/queue'), headers: { authorization: `Bearer ${t.demo.devices[0]!.token}` } }), 200);
    expect(snapshot.services.reduce((n: number, s: any) => n + s.waiting, 0)).toBe(140);
  });

  it('event seqs are gap-free and strictly increasing after all that', async () => {
    const rows = await t.db.selectFrom('events').select('seq').where('hall_id', '=', t.demo.hallId).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(t.published.map((e) => e.seq)).toEqual(rows.map((r) => r.seq));
  });
});
