/**
 * Durable ticket issuing over HTTP, measured against what the disk allows. In one run:
 *  - raw: a plain better-sqlite3 loop on a file in WAL mode with synchronous=FULL, one transaction
 *    per ticket (counter upsert + ticket row + event row) — the ceiling for one writer per fsync;
 *  - the hall server (its own process, fresh database) taking POST /tickets from this process
 *    over `connections` keep-alive connections, with an empty queue and with `waiting` tickets
 *    already waiting;
 *  - cold start: from spawning the server to its first answered request;
 *  - the same issuing on PostgreSQL + Redis with two server processes (when they answer).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dropPostgres, postgresEnv, rawPostgresLoop, seedPostgres } from './postgres.js';

const root = path.resolve(import.meta.dirname, '..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The ceiling: the same three writes per ticket, one durable transaction each, no server. */
function rawLoop(tickets: number): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-raw-'));
  const db = new Database(path.join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`create table counters (hall_id integer, service_id integer, day text, last integer, primary key (hall_id, service_id, day));
             create table tickets (id integer primary key, hall_id integer, service_id integer, number integer, token text, issued_at integer);
             create table events (hall_id integer, seq integer, type text, payload text, created_at integer, primary key (hall_id, seq))`);
    const take = db.prepare(`insert into counters values (1, 1, '2026-12-03', 1) on conflict do update set last = last + 1 returning last`);
    const ticket = db.prepare('insert into tickets (hall_id, service_id, number, token, issued_at) values (1, 1, ?, ?, ?)');
    const event = db.prepare(`insert into events values (1, ?, 'ticket:issued', ?, ?)`);
    const issue = db.transaction((i: number) => {
      const { last } = take.get() as { last: number };
      ticket.run(last, crypto.randomUUID(), Date.now());
      event.run(i, JSON.stringify({ number: last }), Date.now());
    });
    const started = performance.now();
    for (let i = 1; i <= tickets; i++) issue(i);
    return tickets / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface Started {
  child: ChildProcess;
  info: {
    port: number; hallId?: number; serviceId?: number; windowId?: number; kiosk?: string; display?: string;
    clerk?: { username: string; password: string };
  };
  /** From spawn to the first answered GET /health. */
  coldStartMs: number;
}

export async function startServer(env: Record<string, string> = {}): Promise<Started> {
  const spawned = performance.now();
  // BENCH_PROFILE=dir: each server writes a V8 CPU profile there when it stops (see README).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/server.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  // The server's log may come first (a warning when the pages are not built): the line with the port.
  const info = await firstLine(child, (out) => out.split('\n').slice(0, -1).map((line) => JSON.parse(line) as Partial<Started['info']>)
    .find((line): line is Started['info'] => typeof line.port === 'number'));
  const res = await fetch(`http://127.0.0.1:${info.port}/api/v1/health`);
  if (!res.ok) throw new Error(`health: ${res.status}`);
  return { child, info, coldStartMs: performance.now() - spawned };
}

/** A clerk at window 1 calling `n` citizens one after another (each marked no-show): call latencies, sorted. */
async function calls(base: string, info: Required<Started['info']>, n: number): Promise<number[]> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: info.clerk.username, password: info.clerk.password }),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('hq_session='))!.split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
  const windowUrl = (action: string) => `${base}/api/v1/halls/${info.hallId}/windows/${info.windowId}/${action}`;
  await (await fetch(windowUrl('sign-in'), { method: 'POST', headers, body: '{}' })).arrayBuffer();
  const took: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(windowUrl('call-next'), { method: 'POST', headers, body: '{}' });
    await res.arrayBuffer();
    took.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`call-next: ${res.status}`);
    await (await fetch(windowUrl('no-show'), { method: 'POST', headers, body: '{}' })).arrayBuffer();
  }
  return took.sort((a, b) => a - b);
}

/** Resolves with what `parse` makes of the child's output so far, once it makes something of it. */
function firstLine<T>(child: ChildProcess, parse: (output: string) => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const parsed = parse(out);
      if (parsed !== undefined) resolve(parsed);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}: ${out}`)));
  });
}

/**
 * The server as `npm start` runs it (the compiled build, no TypeScript loader in its memory) on
 * a store the benchmark made (DATABASE_FILE, or DATABASE_URL with REDIS_URL): for memory figures.
 */
export async function startBuiltServer(store: Record<string, string>): Promise<Started> {
  const spawned = performance.now();
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', BACKUP_KEEP: '0', RATE_LIMIT_PER_MINUTE: '1000000', ...store },
  });
  const port = await firstLine(child, (out) => {
    const match = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
    return match && /\n\s*$/.test(out) && out.includes('/api/docs') ? Number(match[1]) : undefined;
  });
  return { child, info: { port }, coldStartMs: performance.now() - spawned };
}

/** One ticket from the kiosk, as the kiosk page asks for it. */
function postIssue(base: string, hallId: number, serviceId: number, kiosk: string): Promise<Response> {
  return fetch(`${base}/api/v1/halls/${hallId}/tickets`, {
    method: 'POST', headers: { authorization: `Bearer ${kiosk}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId }),
  });
}

/** `connections` clients each issuing one ticket after another for `seconds`, spread over the bases. */
async function load(bases: string[], hallId: number, serviceId: number, kiosk: string, connections: number, seconds: number) {
  const latencies: number[] = [];
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    const base = bases[c % bases.length]!;
    while (performance.now() < until) {
      const t0 = performance.now();
      const res = await postIssue(base, hallId, serviceId, kiosk);
      await res.arrayBuffer();
      if (res.status === 201) latencies.push(performance.now() - t0);
      else failed++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), n: latencies.length, failed };
}

async function fill(base: string, hallId: number, serviceId: number, kiosk: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, n - i) }, async () => {
      const res = await postIssue(base, hallId, serviceId, kiosk);
      if (res.status !== 201) throw new Error(`fill: ${res.status} ${await res.text()}`);
    }));
  }
}

export async function issueBench(options: { connections: number; seconds: number; waiting: number; rawTickets: number; postgresUrl: string; redisUrl: string }): Promise<void> {
  const raw = rawLoop(options.rawTickets);
  const fmt = (r: Awaited<ReturnType<typeof load>>) =>
    `${r.perSecond.toFixed(0).padStart(6)} issues/s = ${(r.perSecond / raw).toFixed(2)} × raw, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.n} tickets${r.failed ? `, ${r.failed} refused` : ''})`;
  console.log(`issuing: ${options.connections} connections, ${options.seconds} s each, durable (synchronous=FULL)`);
  console.log(`  raw better-sqlite3 loop (WAL, FULL, 3 writes per transaction): ${raw.toFixed(0)} issues/s`);

  const { child, info, coldStartMs } = await startServer();
  try {
    const base = `http://127.0.0.1:${info.port}`;
    const args = [info.hallId!, info.serviceId!, info.kiosk!] as const;
    await fill(base, ...args, 40);
    const callsShort = await calls(base, info as Required<Started['info']>, 30); // also warms the JIT up
    const empty = await load([base], ...args, options.connections, options.seconds);
    console.log(`  server, queue empty at start:     ${fmt(empty)}`);
    const before = empty.n;
    await fill(base, ...args, Math.max(0, options.waiting - before));
    const full = await load([base], ...args, options.connections, options.seconds);
    console.log(`  server, ≥ ${options.waiting} already waiting: ${fmt(full)}`);
    console.log(`  slowdown from queue length: ${(empty.perSecond / full.perSecond).toFixed(2)}× throughput, ${(full.p99 / empty.p99).toFixed(2)}× p99`);
    const callsLong = await calls(base, info as Required<Started['info']>, 30);
    console.log(`  叫号 (call-next) one at a time: p50 ${percentile(callsShort, 50).toFixed(1)} ms with ≤ 40 waiting, ${percentile(callsLong, 50).toFixed(1)} ms with ≥ ${options.waiting} waiting`
      + ` (${(percentile(callsLong, 50) / percentile(callsShort, 50)).toFixed(2)}×)`);
    console.log(`  cold start (spawn → first answered request, SQLite, new database): ${coldStartMs.toFixed(0)} ms`);
  } finally {
    child.kill('SIGTERM');
  }

  const schema = `bench_${process.pid}`;
  let seeded: Awaited<ReturnType<typeof seedPostgres>>;
  try {
    seeded = await seedPostgres(options.postgresUrl, schema);
  } catch (err) {
    console.log(`  PostgreSQL + Redis: not measured (${err instanceof Error ? err.message : String(err)})`);
    return;
  }
  const env = postgresEnv(options.postgresUrl, options.redisUrl, schema);
  const servers = await Promise.all([startServer(env), startServer(env)]);
  try {
    const bases = servers.map((s) => `http://127.0.0.1:${s.info.port}`);
    const rawPg = await rawPostgresLoop(options.postgresUrl, options.connections, options.seconds);
    console.log(`  raw pg loop, ${options.connections} connections, one hall's row lock (upsert + ticket + event per transaction): ${rawPg.toFixed(0)} issues/s`);
    const r = await load(bases, seeded.hallId, seeded.serviceId, seeded.kiosk, options.connections, options.seconds);
    console.log(`  PostgreSQL + Redis, 2 processes:  ${fmt(r)} = ${(r.perSecond / rawPg).toFixed(2)} × the raw pg loop`);
    console.log(`  cold start on PostgreSQL: ${servers.map((s) => s.coldStartMs.toFixed(0)).join(' ms, ')} ms`);
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await dropPostgres(options.postgresUrl, schema);
  }
}
