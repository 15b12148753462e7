import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE } from '../../protocol/auth.js';
import { SOCKET_PATH } from '../../protocol/events.js';
import { systemClock } from '../../server/clock.js';
import { EventBus } from '../../server/db/bus.js';
import { type Db, migrateToLatest } from '../../server/db/connect.js';
import { freshSchema, openPostgres } from '../../server/db/postgres.js';
import { type DemoHall, seedDemoHall } from '../../server/seed/demo.js';
import { ALL_DAY, TEST_DATABASE_URL, TEST_HASH_COST, TEST_REDIS_URL } from '../helpers.js';
import { type ServerProcess, startServerProcess } from '../server-process.js';

/**
 * Two real server processes (`server/main.ts`, as `npm start` runs it) on one PostgreSQL
 * database and one Redis: what one commits, the other's sockets hear; numbers and seqs stay
 * gap-free and in commit order with both writing at once; and when one is killed under load,
 * the other keeps serving, nothing acknowledged is lost, and a display catches up on it.
 */

type Server = ServerProcess;

const schema = `cluster_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
const prefix = `test:${schema}`;
let admin: Db;
let db: Db;
let demo: DemoHall;
let dataDir: string;
const servers: Server[] = [];

async function startServer(): Promise<Server> {
  const server = await startServerProcess({
    DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, PGOPTIONS: `-c search_path=${schema}`, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix,
  }, []);
  servers.push(server);
  return server;
}

/** Waits until every process hears the others through Redis (GET /health says how many). */
async function joined(all: Server[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const counts = await Promise.all(all.map(async (s) => ((await (await fetch(`${s.base}/api/v1/health`)).json()) as { processes: number }).processes));
    if (counts.every((n) => n === all.length)) return;
    if (Date.now() > deadline) throw new Error(`processes did not find each other: ${counts.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const kioskToken = () => demo.devices.find((d) => d.kind === 'kiosk')!.token;
const displayToken = () => demo.devices.find((d) => d.kind === 'display')!.token;

async function issue(base: string): Promise<{ status: number; number?: string; id?: number }> {
  const res = await fetch(`${base}/api/v1/halls/${demo.hallId}/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kioskToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ serviceId: Object.values(demo.serviceIds)[0] }),
  });
  const body = (await res.json()) as { ticket?: { displayNumber: string; id: number } };
  return { status: res.status, number: body.ticket?.displayNumber, id: body.ticket?.id };
}

/** A staff member's live connection (their session cookie) to one process. */
function staffSocket(base: string, session: { cookie: string }): Socket {
  return io(base, { path: SOCKET_PATH, extraHeaders: { cookie: session.cookie }, reconnection: false, forceNew: true, transports: ['websocket'] });
}

/** POSTs as a signed-in staff member (cookie and CSRF token). */
function postAs(session: { cookie: string; csrf: string }, url: string, body: unknown = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { cookie: session.cookie, [CSRF_HEADER]: session.csrf, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Resolves with the reason the connection ends. */
function ending(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

async function signIn(base: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const password = demo.credentials.find((c) => c.username === username)!.password;
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** A display's live feed: every hall event it receives, by seq. */
function display(base: string, lastSeq?: number): { socket: Socket; seqs: number[]; until(seq: number): Promise<void> } {
  const socket = io(base, { path: SOCKET_PATH, auth: { token: displayToken(), ...(lastSeq === undefined ? {} : { lastSeq }) }, reconnection: false, forceNew: true, transports: ['websocket'] });
  const seqs: number[] = [];
  const waiters: { seq: number; resolve: () => void }[] = [];
  socket.onAny((_name: string, payload: { seq?: unknown }) => {
    if (typeof payload?.seq !== 'number') return;
    seqs.push(payload.seq);
    for (const w of [...waiters]) if (seqs.includes(w.seq)) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
  });
  return {
    socket, seqs,
    until: (seq) => new Promise((resolve) => (seqs.includes(seq) ? resolve() : waiters.push({ seq, resolve }))),
  };
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('catchup:completed', () => resolve());
    socket.once('connect_error', reject);
  });
}

/**
 * Events committed on the other process arrive through Redis and may overtake or trail this
 * process's own by a moment; the page's feed (HallFeed) puts them in seq order. Here: the seqs
 * received, sorted, and whether any came twice.
 */
function received(seqs: number[]): { sorted: number[]; duplicates: number } {
  const sorted = [...new Set(seqs)].sort((x, y) => x - y);
  return { sorted, duplicates: seqs.length - sorted.length };
}

/** The last seq up to which nothing is missing (what a client sends as lastSeq on reconnect). */
function contiguousEnd(seqs: number[]): number {
  const { sorted } = received(seqs);
  let end = sorted[0]!;
  for (const seq of sorted) if (seq === end + 1) end = seq;
  return end;
}

async function lastSeqInDb(): Promise<number> {
  const row = await db.selectFrom('hall_event_counters').select('last_seq').where('hall_id', '=', demo.hallId).executeTakeFirstOrThrow();
  return row.last_seq;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-cluster-'));
  admin = openPostgres(TEST_DATABASE_URL, { poolSize: 1, poolWaitMs: 10_000, statementTimeoutMs: 30_000 });
  await freshSchema(admin, schema);
  db = openPostgres(TEST_DATABASE_URL, { poolSize: 2, poolWaitMs: 10_000, statementTimeoutMs: 30_000, schema });
  await migrateToLatest(db);
  demo = await seedDemoHall({ db, clock: systemClock, bus: new EventBus(), passwordHashCost: TEST_HASH_COST });
  // The processes run on the real clock, at any hour; their people have chosen their passwords.
  await db.updateTable('halls').set({ opening_hours: JSON.stringify(ALL_DAY) }).execute();
  await db.updateTable('staff').set({ must_change_password: 0 }).execute();
  await Promise.all([startServer(), startServer()]);
  await joined(servers);
}, 60_000);

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await db?.destroy();
  await admin?.schema.dropSchema(schema).ifExists().cascade().execute();
  await admin?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('two server processes on PostgreSQL + Redis', () => {
  it('both write at once: numbers and seqs are gap-free, in commit order, and a display on either hears every event in order', async () => {
    const [a, b] = servers as [Server, Server];
    const start = await lastSeqInDb();
    const onA = display(a.base);
    const onB = display(b.base);
    await Promise.all([connected(onA.socket), connected(onB.socket)]);

    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => issue(i % 2 === 0 ? a.base : b.base)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    const numbers = results.map((r) => Number(r.number!.slice(1))).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const end = await lastSeqInDb();
    expect(end).toBe(start + 40);
    const { rows } = await sql<{ seq: number; ticket_id: number }>`
      select e.seq, (e.payload::json -> 'ticket' ->> 'id')::bigint as ticket_id from events e where e.hall_id = ${demo.hallId} and e.seq > ${start} order by e.seq`.execute(db);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => start + i + 1));
    // Seq order is commit order: a later seq never names an earlier-numbered ticket of the service.
    const byId = new Map(results.map((r) => [r.id!, Number(r.number!.slice(1))]));
    const inSeqOrder = rows.map((r) => byId.get(r.ticket_id)!);
    expect(inSeqOrder).toEqual([...inSeqOrder].sort((x, y) => x - y));

    await Promise.all([onA.until(end), onB.until(end)]);
    const expected = Array.from({ length: 40 }, (_, i) => start + i + 1);
    expect(received(onA.seqs)).toEqual({ sorted: expected, duplicates: 0 });
    expect(received(onB.seqs)).toEqual({ sorted: expected, duplicates: 0 });
    onA.socket.close();
    onB.socket.close();
  });

  it('a sign-out on one process ends that session\'s live connection on the other', async () => {
    const [a, b] = servers as [Server, Server];
    const manager = await signIn(a.base, 'manager');
    const socket = staffSocket(b.base, manager);
    await connected(socket);
    const ended = ending(socket);
    expect((await postAs(manager, `${a.base}/api/v1/auth/logout`)).status).toBe(200);
    expect(await ended).toBe('io server disconnect');
  });

  it('a revoked device loses its live connection on the other process', async () => {
    const [a, b] = servers as [Server, Server];
    const manager = await signIn(a.base, 'manager');
    const made = await postAs(manager, `${a.base}/api/v1/halls/${demo.hallId}/devices`, { kind: 'display', name: '二楼叫号屏' });
    expect(made.status).toBe(201);
    const { device, token } = (await made.json()) as { device: { id: number }; token: string };
    const socket = io(b.base, { path: SOCKET_PATH, auth: { token }, reconnection: false, forceNew: true, transports: ['websocket'] });
    await connected(socket);
    const ended = ending(socket);
    expect((await postAs(manager, `${a.base}/api/v1/halls/${demo.hallId}/devices/${device.id}/revoke`)).status).toBe(200);
    expect(await ended).toBe('io server disconnect');
  });

  it("a clerk who takes a window on one process gets that window's private events on a connection to the other", async () => {
    const [a, b] = servers as [Server, Server];
    const clerk = await signIn(a.base, 'clerk02');
    const socket = staffSocket(b.base, clerk);
    await connected(socket);
    const windowUrl = (action: string) => `${a.base}/api/v1/halls/${demo.hallId}/windows/${demo.windowIds['2']}/${action}`;
    expect((await postAs(clerk, windowUrl('sign-in'))).status).toBe(200);
    const held = new Promise<{ windowId: number }>((resolve) => socket.once('ticket:held', resolve));
    let withheld = 0;
    socket.on('event:withheld', () => withheld++);
    expect((await issue(a.base)).status).toBe(201);
    for (const action of ['call-next', 'start', 'hold']) {
      expect((await postAs(clerk, windowUrl(action))).status, action).toBe(200);
    }
    // 挂起 is the window's own business: its clerk hears it in full, the hall only a stub.
    expect((await held).windowId).toBe(demo.windowIds['2']);
    expect(withheld).toBe(0);
    socket.close();
  });

  it('one process killed under load: the other keeps serving, nothing acknowledged is lost, a display catches up on it', async () => {
    const [a, b] = servers as [Server, Server];
    const watcher = display(b.base);
    await connected(watcher.socket);
    const acknowledged: { number: string; id: number }[] = [];
    let refused = 0;
    let stop = false;
    // Two citizens' kiosks hammer each process until told to stop.
    const load = (base: string) => (async () => {
      while (!stop) {
        try {
          const r = await issue(base);
          if (r.status === 201) acknowledged.push({ number: r.number!, id: r.id! });
          else refused++;
        } catch {
          if (base === b.base) return; // the killed process: its requests fail, unacknowledged
          throw new Error('the surviving process stopped answering');
        }
      }
    })();
    const loads = [load(a.base), load(b.base), load(a.base), load(b.base)];
    while (acknowledged.length < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    const lost = new Promise((resolve) => watcher.socket.once('disconnect', resolve));
    b.child.kill('SIGKILL');
    await lost;
    const atKill = acknowledged.length;
    while (acknowledged.length < atKill + 30) await new Promise((resolve) => setTimeout(resolve, 5));
    stop = true;
    await Promise.all(loads);
    expect(refused).toBe(0);

    // Every acknowledged ticket is stored, under the number it was given; numbers have no gaps.
    const stored = await db.selectFrom('tickets').select(['id', 'display_number']).where('hall_id', '=', demo.hallId).execute();
    const storedById = new Map(stored.map((t) => [t.id, t.display_number]));
    for (const t of acknowledged) expect(storedById.get(t.id)).toBe(t.number);
    const numbers = stored.map((t) => Number(t.display_number.slice(1))).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));

    // The display that was on the killed process reconnects to the survivor and catches up.
    const heard = contiguousEnd(watcher.seqs);
    const again = display(a.base, heard);
    await connected(again.socket);
    const end = await lastSeqInDb();
    await again.until(end);
    const first = Math.min(...watcher.seqs);
    const { sorted } = received([...watcher.seqs.filter((seq) => seq <= heard), ...again.seqs]);
    expect(sorted).toEqual(Array.from({ length: end - first + 1 }, (_, i) => first + i));
    expect(received(again.seqs).duplicates).toBe(0);
    again.socket.close();
    // The survivor still answers as before.
    expect((await issue(a.base)).status).toBe(201);
  }, 60_000);
});
