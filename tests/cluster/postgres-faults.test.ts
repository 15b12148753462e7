import type { FastifyInstance } from 'fastify';
import type { Transaction } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { ManualClock } from '../../server/clock.js';
import { testConfig } from '../../server/config.js';
import { EventBus } from '../../server/db/bus.js';
import { type Db, migrateToLatest } from '../../server/db/connect.js';
import { freshSchema, openPostgres, type PostgresOptions } from '../../server/db/postgres.js';
import type { Database } from '../../server/db/schema.js';
import { type DemoHall, seedDemoHall } from '../../server/seed/demo.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../protocol/auth.js';
import { ALL_DAY, expectError, expectStatus, MORNING, TEST_DATABASE_URL, TEST_HASH_COST } from '../helpers.js';

/**
 * The store's faults on PostgreSQL answer 503 with a code, at once or within the configured
 * wait, and never hold the event loop: no free connection in the pool, a statement past the
 * statement timeout (here: waiting for a hall lock that another session holds).
 */
const opened: { app?: FastifyInstance; dbs: Db[]; schema: string }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.app?.close();
    for (const db of o.dbs) await db.destroy();
    const admin = openPostgres(TEST_DATABASE_URL, { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 10_000 });
    await admin.schema.dropSchema(o.schema).ifExists().cascade().execute();
    await admin.destroy();
  }
});

async function hallOn(pool: Omit<PostgresOptions, 'schema'>): Promise<{ app: FastifyInstance; db: Db; demo: DemoHall; schema: string }> {
  const schema = `faults_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
  const entry: (typeof opened)[number] = { dbs: [], schema };
  opened.push(entry);
  const admin = openPostgres(TEST_DATABASE_URL, { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 10_000 });
  await freshSchema(admin, schema);
  await admin.destroy();
  const setup = openPostgres(TEST_DATABASE_URL, { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 10_000, schema });
  entry.dbs.push(setup);
  await migrateToLatest(setup);
  const clock = new ManualClock(MORNING);
  const demo = await seedDemoHall({ db: setup, clock, bus: new EventBus(), passwordHashCost: TEST_HASH_COST });
  await setup.updateTable('halls').set({ opening_hours: JSON.stringify(ALL_DAY) }).execute();
  await setup.updateTable('staff').set({ must_change_password: 0 }).execute();
  const db = openPostgres(TEST_DATABASE_URL, { ...pool, schema });
  entry.dbs.push(db);
  const app = await buildApp({ config: testConfig(), db, clock, bus: new EventBus() });
  entry.app = app;
  return { app, db, demo, schema };
}

/** Runs `work` in a transaction on `db` and keeps it open until the returned release is called. */
async function holding(db: Db, work: (trx: Transaction<Database>) => Promise<unknown>): Promise<() => Promise<void>> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const done = db.transaction().execute(async (trx) => {
    await work(trx);
    ready();
    await held;
  });
  await started;
  return async () => {
    release();
    await done;
  };
}

const issue = (app: FastifyInstance, demo: DemoHall) => app.inject({
  method: 'POST', url: `/api/v1/halls/${demo.hallId}/tickets`,
  headers: { authorization: `Bearer ${demo.devices.find((d) => d.kind === 'kiosk')!.token}` },
  payload: { serviceId: demo.serviceIds.social_security },
});

describe('PostgreSQL faults answer 503 with a code', () => {
  it('every connection busy: 503 DATABASE_POOL_EXHAUSTED after the pool wait; served again once one is free', async () => {
    const { app, db, demo } = await hallOn({ poolSize: 1, poolWaitMs: 300, statementTimeoutMs: 10_000 });
    // Another request's long transaction holds the only connection.
    const release = await holding(db, (trx) => trx.selectFrom('halls').select('id').execute());
    expectError(await issue(app, demo), 503, 'DATABASE_POOL_EXHAUSTED');
    await release();
    expectStatus(await issue(app, demo), 201);
  });

  it('a statement past the timeout (waiting for a hall another session has locked): 503 DATABASE_TIMEOUT, and the hall works after', async () => {
    const { app, demo, schema } = await hallOn({ poolSize: 4, poolWaitMs: 5000, statementTimeoutMs: 300 });
    const other = openPostgres(TEST_DATABASE_URL, { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 10_000, schema });
    opened.at(-1)!.dbs.push(other);
    const release = await holding(other, (trx) => trx.selectFrom('hall_event_counters').select('last_seq').where('hall_id', '=', demo.hallId).forUpdate().execute());
    expectError(await issue(app, demo), 503, 'DATABASE_TIMEOUT');
    await release();
    const ok = expectStatus(await issue(app, demo), 201);
    expect(ok.ticket.displayNumber).toMatch(/001$/); // the timed-out issue took no number
  });
});

describe('calling on PostgreSQL passes over a ticket another change holds', () => {
  it('the head of the queue held by a cancel in flight: call-next takes the next one without waiting for it', async () => {
    // A statement timeout far below the hold: a call that waited for the held row would fail.
    const { app, demo, schema } = await hallOn({ poolSize: 4, poolWaitMs: 5000, statementTimeoutMs: 1000 });
    const [first, second] = [expectStatus(await issue(app, demo), 201).ticket, expectStatus(await issue(app, demo), 201).ticket];
    const password = demo.credentials.find((c) => c.username === 'clerk01')!.password;
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk01', password } });
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE)!;
    const headers = { cookie: `${SESSION_COOKIE}=${session.value}`, [CSRF_HEADER]: login.json().csrfToken as string };
    const windowUrl = (action: string) => `/api/v1/halls/${demo.hallId}/windows/${demo.windowIds['1']}/${action}`;
    expectStatus(await app.inject({ method: 'POST', url: windowUrl('sign-in'), headers, payload: {} }), 200);

    const other = openPostgres(TEST_DATABASE_URL, { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 10_000, schema });
    opened.at(-1)!.dbs.push(other);
    const release = await holding(other, (trx) => trx.selectFrom('tickets').select('id').where('id', '=', first.id).forUpdate().execute());
    let called: { ticket: { id: number } };
    try {
      called = expectStatus(await app.inject({ method: 'POST', url: windowUrl('call-next'), headers, payload: {} }), 200);
    } finally {
      await release();
    }
    expect(called.ticket.id).toBe(second.id);
    const stillWaiting = await other.selectFrom('tickets').select('status').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(stillWaiting.status).toBe('waiting');
  });

  it('a ticket only referenced at that moment (its SMS notice being stored) is not passed over: call-next still takes the head', async () => {
    const { app, demo, schema } = await hallOn({ poolSize: 4, poolWaitMs: 5000, statementTimeoutMs: 1000 });
    const [first] = [expectStatus(await issue(app, demo), 201).ticket, expectStatus(await issue(app, demo), 201).ticket];
    const password = demo.credentials.find((c) => c.username === 'clerk01')!.password;
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk01', password } });
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE)!;
    const headers = { cookie: `${SESSION_COOKIE}=${session.value}`, [CSRF_HEADER]: login.json().csrfToken as string };
    const windowUrl = (action: string) => `/api/v1/halls/${demo.hallId}/windows/${demo.windowIds['1']}/${action}`;
    expectStatus(await app.inject({ method: 'POST', url: windowUrl('sign-in'), headers, payload: {} }), 200);

    // The notifier's insert in another session: its foreign key holds KEY SHARE on the ticket's row.
    const other = openPostgres(TEST_DATABASE_URL, { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 10_000, schema });
    opened.at(-1)!.dbs.push(other);
    const release = await holding(other, (trx) => trx.insertInto('notifications').values({
      hall_id: demo.hallId, ticket_id: first.id, appointment_id: null, kind: 'ahead', phone: '13800000000', text: 'x',
      status: 'pending', attempts: 0, next_attempt_at: 0, last_error: null, created_at: 0, sent_at: null,
    }).execute());
    let called: { ticket: { id: number } };
    try {
      called = expectStatus(await app.inject({ method: 'POST', url: windowUrl('call-next'), headers, payload: {} }), 200);
    } finally {
      await release();
    }
    expect(called.ticket.id).toBe(first.id);
  });
});
