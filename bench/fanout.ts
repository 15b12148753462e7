/**
 * Fan-out: N display sockets follow one hall while a clerk calls tickets over HTTP. For each
 * call, every display's receive time minus the event's server timestamp is one latency sample.
 * Runs a small baseline and the full size in one run and prints their ratio, with server RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { SESSION_COOKIE } from '../protocol/auth.js';
import { SOCKET_PATH } from '../protocol/events.js';
import { openDatabase } from '../server/db/connect.js';
import { fillHistory } from '../server/seed/history.js';
import { type BenchHall, seedBenchHall } from './hall.js';
import { startBuiltServer } from './issue.js';
import { dropPostgres, postgresEnv, seedPostgres } from './postgres.js';

type ServerInfo = BenchHall;

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function http(base: string, method: string, url: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(base + url, {
    method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return { json: (await res.json()) as any, cookies: res.headers.getSetCookie() };
}

async function connectDisplays(base: string, token: string, n: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  // Connect in batches, as a hall's screens come up over a morning, not all in one instant.
  for (let i = 0; i < n; i += 200) {
    const batch = Array.from({ length: Math.min(200, n - i) }, () => {
      const s = io(base, { path: SOCKET_PATH, auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      sockets.push(s);
      return new Promise<void>((resolve, reject) => {
        s.once('catchup:completed', () => resolve());
        s.once('connect_error', reject);
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

/** Calls `calls` tickets one after another and collects every display's latency for each. */
async function measure(base: string, info: ServerInfo, sockets: Socket[], calls: number, clerk: Record<string, string>) {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    await http(base, 'POST', `/api/v1/halls/${info.hallId}/tickets`, { authorization: `Bearer ${info.kiosk}` }, { serviceId: info.serviceId });
    const received = sockets.map((s) => new Promise<void>((resolve) => {
      s.once('ticket:called', (event: { at: number }) => {
        samples.push(Date.now() - event.at);
        resolve();
      });
    }));
    await http(base, 'POST', `/api/v1/halls/${info.hallId}/windows/${info.windowId}/call-next`, clerk);
    await Promise.all(received);
    await http(base, 'POST', `/api/v1/halls/${info.hallId}/windows/${info.windowId}/no-show`, clerk);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1)!, n: samples.length };
}

async function signInClerk(base: string, info: ServerInfo): Promise<Record<string, string>> {
  const login = await http(base, 'POST', '/api/v1/auth/login', {}, { username: info.clerk.username, password: info.clerk.password });
  const cookie = login.cookies.find((c) => c.startsWith(SESSION_COOKIE))!.split(';')[0]!;
  const clerk = { cookie, 'x-csrf-token': login.json.csrfToken as string };
  await http(base, 'POST', `/api/v1/halls/${info.hallId}/windows/${info.windowId}/sign-in`, clerk);
  return clerk;
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(1) : 'n/a (baseline 0 ms)');

/**
 * One process on SQLite with `historyDays` of a busy hall behind it (~100 k tickets at 21 days),
 * the compiled server as `npm start` runs it: latency at the baseline and at N sockets, and the
 * server's memory.
 */
export async function fanout(options: { sockets: number; baseline: number; calls: number; historyDays: number }): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-fanout-'));
  const file = path.join(dir, 'hall.sqlite');
  const { historyTickets, ...info } = await seedSqlite(file, options.historyDays);
  const { child, info: { port } } = await startBuiltServer({ DATABASE_FILE: file });
  const base = `http://127.0.0.1:${port}`;
  try {
    const clerk = await signInClerk(base, info);
    const rssIdle = rssMiB(child.pid!);
    const small = await connectDisplays(base, info.display, options.baseline);
    const smallResult = await measure(base, info, small, options.calls, clerk);
    const rest = await connectDisplays(base, info.display, options.sockets - options.baseline);
    const all = [...small, ...rest];
    const rssConnected = rssMiB(child.pid!);
    const fullResult = await measure(base, info, all, options.calls, clerk);
    const rssAfter = rssMiB(child.pid!);
    for (const s of all) s.disconnect();

    console.log(`fanout: ${options.calls} calls to ${options.baseline} and to ${options.sockets} display sockets (call → receive, server timestamps), ${historyTickets} tickets of history`);
    console.log(`  ${String(options.baseline).padStart(5)} sockets: p50 ${ms(smallResult.p50)}, p99 ${ms(smallResult.p99)}, max ${ms(smallResult.max)} (${smallResult.n} samples)`);
    console.log(`  ${String(options.sockets).padStart(5)} sockets: p50 ${ms(fullResult.p50)}, p99 ${ms(fullResult.p99)}, max ${ms(fullResult.max)} (${fullResult.n} samples)`);
    console.log(`  p99 ratio ${options.sockets}/${options.baseline} sockets: ${ratio(fullResult.p99, smallResult.p99)}×; p99/p50 at ${options.sockets}: ${ratio(fullResult.p99, fullResult.p50)}×`);
    console.log(`  server RSS: idle ${rssIdle.toFixed(0)} MiB, ${options.sockets} connected ${rssConnected.toFixed(0)} MiB, after calls ${rssAfter.toFixed(0)} MiB` +
      ` (≈ ${(((rssConnected - rssIdle) * 1024) / options.sockets).toFixed(0)} KiB per socket; target ≤ 150 MiB = ${(rssAfter / 150).toFixed(2)} of it)`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark hall with `historyDays` of a busy hall behind it, made in this process. */
async function seedSqlite(file: string, historyDays: number): Promise<ServerInfo & { historyTickets: number }> {
  const db = openDatabase(file);
  try {
    const hall = await seedBenchHall(db);
    const historyTickets = historyDays > 0 ? await fillHistory(db, { hallId: hall.hallId, days: historyDays, perDay: 6300, now: Date.now() }) : 0;
    return { ...hall, historyTickets };
  } finally {
    await db.destroy();
  }
}

/**
 * Two processes on PostgreSQL + Redis: the clerk calls on one, every display listens on the
 * other, so each call crosses Redis (the Socket.IO streams adapter) before it reaches a screen.
 */
export async function fanoutCluster(options: { sockets: number; calls: number; postgresUrl: string; redisUrl: string }): Promise<void> {
  const schema = `bench_fanout_${process.pid}`;
  let info: ServerInfo;
  try {
    info = await seedPostgres(options.postgresUrl, schema);
  } catch (err) {
    console.log(`fanout on PostgreSQL + Redis: not measured (${err instanceof Error ? err.message : String(err)})`);
    return;
  }
  const env = postgresEnv(options.postgresUrl, options.redisUrl, schema);
  const [a, b] = await Promise.all([startBuiltServer(env), startBuiltServer(env)]);
  try {
    const callBase = `http://127.0.0.1:${a.info.port}`;
    const displayBase = `http://127.0.0.1:${b.info.port}`;
    const clerk = await signInClerk(callBase, info);
    const displays = await connectDisplays(displayBase, info.display, options.sockets);
    const result = await measure(callBase, info, displays, options.calls, clerk);
    for (const s of displays) s.disconnect();
    console.log(`fanout on PostgreSQL + Redis, 2 processes: ${options.calls} calls on one, ${options.sockets} display sockets on the other`);
    console.log(`  p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)} (${result.n} samples); RSS ${rssMiB(a.child.pid!).toFixed(0)} MiB (calling), ${rssMiB(b.child.pid!).toFixed(0)} MiB (displays)`);
  } finally {
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await dropPostgres(options.postgresUrl, schema);
  }
}
