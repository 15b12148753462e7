import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHall, type Client, expectError, expectStatus, hallUrl, type TestHall } from '../helpers.js';
import { io } from 'socket.io-client';
import { SOCKET_PATH } from '../../protocol/events.js';
import { listen, rawSocket, waitFor } from '../realtime/helpers.js';

/** Refusals found by a fuzzer: each is a clear 4xx in the one error shape, never a 500. */
let t: TestHall;
let manager: Client;
let base: string;
beforeAll(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
  base = await listen(t);
});
afterAll(async () => t.close());

function expectErrorShape(status: number, body: unknown, code: string) {
  expect(body, JSON.stringify(body)).toMatchObject({ error: { code, message: expect.any(String) }, requestId: expect.any(String) });
  expect(status).toBeGreaterThanOrEqual(400);
}

describe('PATCH with nothing to change', () => {
  it('{} or only unknown fields is a 400 naming the problem, and nothing changes', async () => {
    const paths = [
      `/services/${t.demo.serviceIds.social_security}`,
      `/staff/${(await t.db.selectFrom('staff').select('id').where('username', '=', 'clerk01').executeTakeFirstOrThrow()).id}`,
      `/windows/${t.demo.windowIds['1']}`,
      '',
    ];
    for (const path of paths) {
      const empty = expectError(await manager.patch(hallUrl(t, path), {}), 400, 'VALIDATION_FAILED');
      expect(empty.message, path).toContain('body');
      const unknown = expectError(await manager.patch(hallUrl(t, path), { colour: 'red' }), 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(unknown.details), path).toContain('colour');
    }
    const service = expectStatus(await manager.get(hallUrl(t, '/services')), 200).find((s: { code: string }) => s.code === 'social_security');
    expect(service).toMatchObject({ nameZh: '社会保险', active: true });
    // A real change still works.
    expect(expectStatus(await manager.patch(hallUrl(t, `/services/${t.demo.serviceIds.social_security}`), { expectedMinutes: 11 }), 200)).toMatchObject({ expectedMinutes: 11 });
  });
});

describe('statistics dates', () => {
  it('refuses impossible days and huge ranges at once, before any work', async () => {
    const url = (from: string, to: string) => hallUrl(t, `/stats?from=${from}&to=${to}`);
    const bad: [string, string][] = [['2026-99-99', '2026-11-01'], ['2026-02-30', '2026-03-01'], ['2026-11-01', '2026-13-01'], ['0001-01-01', '2026-01-01']];
    for (const [from, to] of bad) {
      expectError(await manager.get(url(from, to)), 400, 'VALIDATION_FAILED');
    }
    const started = performance.now();
    expectError(await manager.get(url('2000-01-01', '2099-12-31')), 400, 'INVALID_RANGE');
    expectError(await manager.get(hallUrl(t, '/stats.csv?table=service&from=2000-01-01&to=2099-12-31')), 400, 'INVALID_RANGE');
    // The refusal costs no more than a health check would (3.3 s before).
    expect(performance.now() - started).toBeLessThan(500);
    expectError(await manager.get(hallUrl(t, '/tickets?businessDay=2026-02-31')), 400, 'VALIDATION_FAILED');
  });
});

describe('refusals made before any route runs', () => {
  it('a badly encoded URL, a too-long path parameter and oversized headers answer in the one shape', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/halls/%ff', 400, 'BAD_URL'],
      ['/api/v1/halls/1/windows/%E0%A4%A', 400, 'BAD_URL'],
      [`/api/v1/halls/${'9'.repeat(150)}`, 414, 'URI_TOO_LONG'],
      [`/api/v1/public/tickets/${'x'.repeat(150)}`, 414, 'URI_TOO_LONG'],
    ];
    for (const [path, status, code] of cases) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(status);
      expectErrorShape(res.status, await res.json(), code);
    }
    const big = await fetch(`${base}/api/v1/health`, { headers: { 'x-padding': 'y'.repeat(20_000) } });
    expect(big.status).toBe(431);
    expectErrorShape(big.status, await big.json(), 'HEADERS_TOO_LARGE');
    // The server still answers afterwards.
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
  });
});

describe('socket requests are bounded', () => {
  it('3,000 events:fetch from one display are refused past a small allowance; health stays quick', async () => {
    const token = t.demo.devices.find((d) => d.kind === 'display')!.token;
    const display = rawSocket(base, { auth: { token } });
    try {
      await waitFor(display, 'catchup:completed');
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: 3000 }, () => display.emitWithAck('events:fetch', { after: 0 })));
      const seconds = (performance.now() - started) / 1000;
      const ok = results.filter((r) => r.ok).length;
      const limited = results.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
      expect(ok).toBeGreaterThan(0);
      expect(ok).toBeLessThanOrEqual(10 + Math.ceil(seconds * 2) + 1);
      expect(ok + limited).toBe(3000);
      const health = performance.now();
      expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
      expect(performance.now() - health).toBeLessThan(500);
    } finally {
      display.disconnect();
    }
  });
});

describe('socket handshakes are limited per address like REST requests', () => {
  it('guessed ticket tokens past the per-minute limit are refused before they are looked up; behind a proxy the address is the one it saw', async () => {
    const limited = await buildTestHall({ config: { rateLimitPerMinute: 6, trustProxy: ['127.0.0.1'] } });
    try {
      const url = await listen(limited);
      const attempt = async (headers: Record<string, string> = {}) => {
        const socket = io(url, {
          path: SOCKET_PATH, auth: { ticketToken: crypto.randomUUID().replaceAll('-', '').slice(0, 22) }, extraHeaders: headers, reconnection: false, forceNew: true,
        });
        try {
          return await new Promise<string>((resolve) => socket.once('connect_error', (err: Error & { data?: { code: string } }) => resolve(err.data?.code ?? err.message)));
        } finally {
          socket.disconnect();
        }
      };
      const codes: string[] = [];
      for (let i = 0; i < 8; i++) codes.push(await attempt({ 'x-forwarded-for': `198.51.100.${i}, 10.9.9.9` }));
      // Each handshake (and each of its HTTP requests) counts; a client's own X-Forwarded-For changes nothing.
      expect(codes.at(-1)).toBe('RATE_LIMITED');
      expect(codes.filter((c) => c === 'TICKET_NOT_FOUND').length).toBeLessThanOrEqual(6);
      // Another address behind the proxy has its own allowance.
      expect(await attempt({ 'x-forwarded-for': '10.9.9.10' })).toBe('TICKET_NOT_FOUND');
    } finally {
      await limited.close();
    }
  });

  it('events:fetch answers a page at a time; the rest is asked for again', async () => {
    for (let i = 0; i < 260; i++) expectStatus(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax }), 201);
    const token = t.demo.devices.find((d) => d.kind === 'display')!.token;
    const display = rawSocket(base, { auth: { token } });
    try {
      await waitFor(display, 'catchup:completed');
      const first = await display.emitWithAck('events:fetch', { after: 0 });
      expect(first.ok).toBe(true);
      expect(first.data).toHaveLength(200);
      const next = await display.emitWithAck('events:fetch', { after: first.data.at(-1).seq });
      expect(next.data.length).toBeGreaterThan(0);
      expect(next.data[0].seq).toBe(first.data.at(-1).seq + 1);
    } finally {
      display.disconnect();
    }
  });
});

describe('the routes added for complaints, keypads, LED strips, window screens and 授权事项', () => {
  it('answer every malformed body or query with a 4xx in the one error shape, never a 500, and write nothing', async () => {
    const staffId = (await t.db.selectFrom('staff').select('id').where('username', '=', 'clerk01').executeTakeFirstOrThrow()).id;
    const device = async (kind: string, windowId: number | null) =>
      expectStatus(await manager.post(hallUrl(t, '/devices'), { kind, name: `${kind}-fuzz`, windowId }), 201).token as string;
    const caller = await device('caller', t.demo.windowIds['1']!);
    const led = await device('led', null);
    const bodies: unknown[] = [null, [], 'x', 42, true, { key: 1 }, { key: 'call', windowNumber: 'x'.repeat(5000) }, { skills: 'all' }, { skills: [{ serviceId: -1, level: 'lead' }] },
      { source: 'comment_book', content: 'x'.repeat(2000), windowId: 1 }, { source: 'comment_book', content: '意见', displayNumber: '\u0000A001' }, { a: { b: { c: { d: { e: {} } } } } },
      { source: 'hotline_12345', content: '意见', windowId: 1.5 }, { source: 'hotline_12345', content: '意见', receivedAt: -1, windowId: 1 }];
    const targets: { url: string; method: 'POST' | 'PUT'; headers: Record<string, string> }[] = [
      { url: hallUrl(t, '/complaints'), method: 'POST', headers: {} },
      { url: hallUrl(t, `/staff/${staffId}/skills`), method: 'PUT', headers: {} },
      { url: '/api/v1/caller/keys', method: 'POST', headers: { authorization: `Bearer ${caller}` } },
    ];
    for (const target of targets) {
      for (const body of bodies) {
        const res = await manager.request(target.method, target.url, body, target.headers);
        expect(res.statusCode, `${target.url} ${JSON.stringify(body).slice(0, 80)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${target.url} ${JSON.stringify(body).slice(0, 80)}`).toBeLessThan(500);
        expectErrorShape(res.statusCode, res.json(), res.json().error.code);
      }
    }
    for (const query of ['lines=-1', 'lines=abc', 'lines=1e9', 'charset=latin1', `zone=${'z'.repeat(500)}`, 'lines=1&lines=2', 'zone=%00']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/led/text?${query}`, headers: { authorization: `Bearer ${led}` } });
      expect(res.statusCode, query).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, query).toBeLessThan(500);
    }
    expect(await t.db.selectFrom('complaints').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('staff_skills').selectAll().execute()).toEqual([]);
  });
});
