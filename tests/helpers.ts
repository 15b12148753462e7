import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import { buildApp, type BuildOptions } from '../server/app.js';
import { ManualClock } from '../server/clock.js';
import { type Config, testConfig } from '../server/config.js';
import { type Db, migrateToLatest, openDatabase } from '../server/db/connect.js';
import { EventBus } from '../server/db/bus.js';
import { freshSchema, openPostgres } from '../server/db/postgres.js';
import { type DemoHall, seedDemoHall } from '../server/seed/demo.js';
import { createStaff } from '../server/staff/service.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../protocol/auth.js';
import type { HallEvent } from '../protocol/events.js';

/** 2026-11-25 09:00 in Asia/Shanghai: a Wednesday morning, hall open. */
export const MORNING = Date.UTC(2026, 10, 25, 1, 0, 0);
export const MINUTE = 60_000;
export const TEST_HASH_COST = 1 << 10;

/**
 * The store the suites run on. `sqlite` (the default): a fresh in-memory database per hall.
 * `postgres` (HALL_TEST_STORE=postgres, the "postgres" vitest project): a fresh PostgreSQL schema
 * per hall and two server instances on it, each with its own pool, event bus and Socket.IO,
 * joined through Redis as two processes would be; clients send their requests to both in turn.
 * A missing PostgreSQL or Redis fails the tests (they never skip).
 */
export const STORE: 'sqlite' | 'postgres' = process.env.HALL_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The other server instances behind an app (postgres store): a Client's requests go round them. */
const peersOf = new WeakMap<FastifyInstance, FastifyInstance[]>();

let schemas = 0;
let adminDb: Db | undefined;
let adminRedis: Redis | undefined;

interface Store {
  db: Db;
  /** The second process's own connection pool (postgres store only). */
  second: Db | null;
  config: Partial<Config>;
  drop(): Promise<void>;
}

async function testStore(): Promise<Store> {
  if (STORE === 'sqlite') return { db: openDatabase(':memory:'), second: null, config: {}, drop: async () => {} };
  adminDb ??= openPostgres(TEST_DATABASE_URL, { poolSize: 2, poolWaitMs: 10_000, statementTimeoutMs: 30_000 });
  adminRedis ??= new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const schema = `t${process.pid}_${++schemas}_${crypto.randomUUID().slice(0, 8)}`;
  await freshSchema(adminDb, schema);
  const postgres = { url: TEST_DATABASE_URL, poolSize: 5, poolWaitMs: 10_000, statementTimeoutMs: 30_000 };
  const prefix = `test:${schema}`;
  return {
    db: openPostgres(TEST_DATABASE_URL, { ...postgres, schema }),
    second: openPostgres(TEST_DATABASE_URL, { ...postgres, schema }),
    config: { postgres, redis: { url: TEST_REDIS_URL, prefix } },
    drop: async () => {
      await adminDb!.schema.dropSchema(schema).ifExists().cascade().execute();
      const keys = await adminRedis!.keys(`${prefix}:*`);
      if (keys.length > 0) await adminRedis!.del(...keys);
    },
  };
}

/** Resolves once every app hears the others through Redis (subscribed to the others' messages). */
async function joined(apps: FastifyInstance[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const counts = await Promise.all(apps.map((a) => a.processCount()));
    if (counts.every((n) => n >= apps.length)) return;
    if (Date.now() > deadline) throw new Error(`server instances did not find each other through Redis (${counts.join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TestHall {
  app: FastifyInstance;
  /** Every server instance on this hall's store: `app` alone on SQLite, two on PostgreSQL. */
  apps: FastifyInstance[];
  db: Db;
  clock: ManualClock;
  bus: EventBus;
  demo: DemoHall;
  adminPassword: string;
  /** Every event published after commit, in order. */
  published: HallEvent[];
  as(username: string): Promise<Client>;
  device(kind: 'kiosk' | 'display'): Client;
  close(): Promise<void>;
}

/** A fresh in-memory database with the demo hall, and the app on it (no port). */
export async function buildTestHall(options: { config?: Partial<Config>; db?: Db; logStream?: { write(line: string): void }; onRoute?: BuildOptions['onRoute'] } = {}): Promise<TestHall> {
  const store: Store = options.db ? { db: options.db, second: null, config: {}, drop: async () => {} } : await testStore();
  const { db } = store;
  await migrateToLatest(db);
  const clock = new ManualClock(MORNING);
  const bus = new EventBus();
  const deps = { db, clock, bus, passwordHashCost: TEST_HASH_COST };
  const published: HallEvent[] = [];
  bus.subscribe((e) => published.push(e));
  const demo = await seedDemoHall(deps);
  const { password: adminPassword } = await createStaff(deps, null, { username: 'admin', displayName: '管理员', role: 'admin' });
  // These people have already replaced their first passwords (tests of that step use new accounts).
  await db.updateTable('staff').set({ must_change_password: 0 }).execute();
  const config = testConfig({ ...store.config, ...options.config });
  const app = await buildApp({ config, db, clock, bus, logStream: options.logStream, onRoute: options.onRoute });
  await app.ready();
  let second: FastifyInstance | null = null;
  if (store.second) {
    const otherBus = new EventBus();
    otherBus.subscribe((e) => published.push(e));
    second = await buildApp({ config, db: store.second, clock, bus: otherBus, logStream: options.logStream });
    await second.ready();
    peersOf.set(app, [second]);
    await joined([app, second]);
  }
  const passwords = new Map(demo.credentials.map((c) => [c.username, c.password]));
  passwords.set('admin', adminPassword);
  return {
    app, apps: second ? [app, second] : [app], db, clock, bus, demo, adminPassword, published,
    as: (username) => login(app, username, passwords.get(username) ?? 'unknown'),
    device: (kind) => new Client(app, { token: demo.devices.find((d) => d.kind === kind)!.token }),
    close: async () => {
      await app.close();
      await second?.close();
      await db.destroy();
      await store.second?.destroy();
      await store.drop();
    },
  };
}

type Auth = { cookie: string; csrf: string } | { token: string } | null;

/** Real HTTP requests through app.inject, carrying a session cookie + CSRF header or a device token. */
export class Client {
  #sent = 0;
  constructor(readonly app: FastifyInstance, readonly auth: Auth) {}

  /** The instance for the next request: with two server instances, each in turn. */
  #target(): FastifyInstance {
    const all = [this.app, ...(peersOf.get(this.app) ?? [])];
    return all[this.#sent++ % all.length]!;
  }

  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const h: Record<string, string> = { ...headers };
    if (this.auth && 'cookie' in this.auth) {
      h.cookie = `${SESSION_COOKIE}=${this.auth.cookie}`;
      h[CSRF_HEADER] ??= this.auth.csrf;
    } else if (this.auth && 'token' in this.auth) {
      h.authorization = `Bearer ${this.auth.token}`;
    }
    return this.#target().inject({ method, url, headers: h, ...(body === undefined ? {} : { payload: body as object }) });
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
  patch(url: string, body: unknown) {
    return this.request('PATCH', url, body);
  }
}

/** A strong password a test account switches to when its first one must be replaced. */
export const OWN_PASSWORD = 'Yellow-river-lantern-42';

/**
 * Signs in; an account on its first password (created in the test) replaces it with
 * OWN_PASSWORD, as its owner would, so the client is ready for work.
 */
export async function login(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
  const client = new Client(app, { cookie, csrf: res.json().csrfToken });
  if (res.json().mustChangePassword) {
    const changed = await client.post('/api/v1/auth/password', { currentPassword: password, newPassword: OWN_PASSWORD });
    if (changed.statusCode !== 200) throw new Error(`password change for ${username} failed: ${changed.body}`);
  }
  return client;
}

/** Asserts the status, showing the body when it differs, and returns the parsed JSON. */
export function expectStatus<T = any>(res: LightMyRequestResponse, status: number): T {
  if (res.statusCode !== status) {
    throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  }
  return res.json() as T;
}

/** Asserts an error response: the status, the stable code, and the error body shape. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): { code: string; message: string; details?: any } {
  const body = expectStatus<{ error: { code: string; message: string; details?: unknown }; requestId: string }>(res, status);
  if (body.error.code !== code) throw new Error(`expected code ${code}, got ${body.error.code}: ${res.body}`);
  if (typeof body.requestId !== 'string' || body.requestId.length === 0) throw new Error(`no requestId in ${res.body}`);
  if (typeof body.error.message !== 'string' || body.error.message.length === 0) throw new Error(`no message in ${res.body}`);
  return body.error as { code: string; message: string; details?: any };
}

/** Every day 00:00–24:00: for scenarios that run at any hour (the demo hall keeps office hours). */
export const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));

export async function openAllDay(t: TestHall): Promise<void> {
  expectStatus(await (await t.as('manager')).patch(hallUrl(t), { openingHours: ALL_DAY }), 200);
}

/** URL helpers for the demo hall. */
export function hallUrl(t: TestHall, path = ''): string {
  return `/api/v1/halls/${t.demo.hallId}${path}`;
}

export function windowUrl(t: TestHall, number: string, action = ''): string {
  return hallUrl(t, `/windows/${t.demo.windowIds[number]}${action ? `/${action}` : ''}`);
}

/** Signs a clerk in and takes a window; returns the clerk's client. */
export async function clerkAt(t: TestHall, username: string, windowNumber: string): Promise<Client> {
  const clerk = await t.as(username);
  expectStatus(await clerk.post(windowUrl(t, windowNumber, 'sign-in')), 200);
  return clerk;
}

/** Issues a ticket from the kiosk for a service code; returns the ticket view. */
export async function issue(t: TestHall, serviceCode: string, extra: Record<string, unknown> = {}) {
  const res = await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds[serviceCode], ...extra });
  return expectStatus(res, 201).ticket as { id: number; displayNumber: string; token: string; status: string; [k: string]: unknown };
}

/**
 * Test resources closed after each test of the file that asks for them: halls and temporary
 * folders (a database file, backups). Call `scratch()` at the top of a test file.
 */
export function scratch(prefix: string): { tempDir(): string; keep(t: TestHall): TestHall } {
  const dirs: string[] = [];
  const halls: TestHall[] = [];
  afterEach(async () => {
    for (const t of halls.splice(0)) await t.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    tempDir: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hall-${prefix}-`));
      dirs.push(dir);
      return dir;
    },
    keep: (t) => {
      halls.push(t);
      return t;
    },
  };
}

/**
 * A stand-in webhook receiver on a port (an SMS gateway, the 好差评 platform): answers the given
 * statuses in turn, then 200, and records what it got.
 */
export async function stubWebhook(statuses: number[], path = '/hook') {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, received, statuses, close };
}
