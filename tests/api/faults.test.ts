import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { testConfig } from '../../server/config.js';
import { APPLICATION_ID, DatabaseFileError, migrateToLatest, openDatabase } from '../../server/db/connect.js';
import { EventBus } from '../../server/db/bus.js';
import { seedIfEmpty } from '../../server/seed/demo.js';
import { buildTestHall, expectError, expectStatus, hallUrl, MORNING, type TestHall, scratch } from '../helpers.js';

/** Faults a hall server meets on real machines: a full disk, a lock held by another program, wrong files. */
const { tempDir, keep } = scratch('faults');

async function fileHall(options: { busyTimeoutMs?: number; log?: string[] } = {}): Promise<{ t: TestHall; file: string }> {
  const file = path.join(tempDir(), 'hall.sqlite');
  const t = await buildTestHall({
    db: openDatabase(file, { busyTimeoutMs: options.busyTimeoutMs }),
    config: { logLevel: 'info' },
    logStream: { write: (line) => options.log?.push(line) },
  });
  keep(t);
  return { t, file };
}

const issueBody = (t: TestHall) => ({ serviceId: t.demo.serviceIds.social_security });

describe('a full disk', () => {
  it('answers 503 STORAGE_FULL with the cause logged, reports it in /health, and recovers by itself', async () => {
    const log: string[] = [];
    const { t } = await fileHall({ log });
    const kiosk = t.device('kiosk');
    for (let i = 0; i < 40; i++) expectStatus(await kiosk.post(hallUrl(t, '/tickets'), issueBody(t)), 201);
    expectStatus(await t.app.inject({ method: 'GET', url: '/api/v1/health' }), 200);

    // The database may not grow any more: as when the disk is full.
    const { pages } = (await sql<{ pages: number }>`select page_count as pages from pragma_page_count()`.execute(t.db)).rows[0]!;
    await sql.raw(`pragma max_page_count = ${pages}`).execute(t.db);
    let refused = 0;
    let accepted = 40;
    for (let i = 0; i < 200 && refused === 0; i++) {
      const res = await kiosk.post(hallUrl(t, '/tickets'), issueBody(t));
      if (res.statusCode === 201) accepted++;
      else {
        expectError(res, 503, 'STORAGE_FULL');
        refused++;
      }
    }
    expect(refused).toBe(1);
    // Reads still answer; health says what is wrong, with the one error shape.
    expectStatus(await t.device('display').get(hallUrl(t, '/queue')), 200);
    const health = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'degraded', error: { code: 'STORAGE_FULL' } });
    // The log names the real cause, not the rollback that followed it.
    const logged = log.join('');
    expect(logged).toContain('database or disk is full');
    expect(logged).not.toContain('cannot rollback');

    // Space comes back: health notices without anyone writing, and numbering continues with no gap.
    await sql.raw('pragma max_page_count = 1073741823').execute(t.db);
    expectStatus(await t.app.inject({ method: 'GET', url: '/api/v1/health' }), 200);
    const next = expectStatus(await kiosk.post(hallUrl(t, '/tickets'), issueBody(t)), 201);
    expect(next.ticket.number).toBe(accepted + 1);
    const numbers = await t.db.selectFrom('tickets').select('number').orderBy('number').execute();
    expect(numbers.map((r) => r.number)).toEqual(Array.from({ length: accepted + 1 }, (_, i) => i + 1));
  });
});

/** Another program holding the database's write lock until told to let go. */
async function holdLock(file: string): Promise<{ release: () => Promise<void> }> {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)});
    db.exec('begin immediate');
    db.prepare('update hall_event_counters set last_seq = last_seq').run();
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('rollback'); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return {
    release: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.stdin!.write('go\n');
    }),
  };
}

describe('another program holding the write lock', () => {
  it('writes wait on timers and answer 503 DATABASE_BUSY; health and reads keep answering meanwhile', async () => {
    const { t, file } = await fileHall({ busyTimeoutMs: 1500 });
    const kiosk = t.device('kiosk');
    const lock = await holdLock(file);
    try {
      const order: string[] = [];
      const issuing = kiosk.post(hallUrl(t, '/tickets'), issueBody(t)).then((res) => {
        order.push('issue');
        return res;
      });
      // Were the wait inside SQLite (busy_timeout), the event loop would be frozen and these
      // would answer only after the issue gave up.
      const health = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
      order.push('health');
      const queue = await t.device('display').get(hallUrl(t, '/queue'));
      order.push('queue');
      expect(health.statusCode).toBe(200);
      expect(queue.statusCode, queue.body).toBe(200);
      expectError(await issuing, 503, 'DATABASE_BUSY');
      expect(order).toEqual(['health', 'queue', 'issue']);
    } finally {
      await lock.release();
    }
    expect(expectStatus(await kiosk.post(hallUrl(t, '/tickets'), issueBody(t)), 201).ticket.displayNumber).toBe('A001');
  });
});

describe('a database file that is not ours', () => {
  function snapshot(dir: string): Record<string, string> {
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
  }

  it('refuses another application\'s SQLite file without writing to it (not even -wal or -shm)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'other.sqlite');
    for (const mode of ['delete', 'wal']) {
      fs.rmSync(file, { force: true });
      const other = new Database(file);
      other.pragma(`journal_mode = ${mode}`);
      other.exec(`create table invoices (id integer primary key, total real); insert into invoices (total) values (9.5)`);
      other.close();
      const before = snapshot(dir);
      expect(() => openDatabase(file)).toThrow(DatabaseFileError);
      expect(() => openDatabase(file)).toThrow(/belongs to another application/);
      expect(snapshot(dir)).toEqual(before);
    }
    // Marked by another program: refused from the header alone.
    const marked = new Database(file);
    marked.pragma('application_id = 1234');
    marked.close();
    expect(() => openDatabase(file)).toThrow(/another application \(SQLite application_id 1234\)/);
  });

  it('explains corrupt, newer and unreadable files in one line', async () => {
    const dir = tempDir();
    const garbage = path.join(dir, 'garbage.sqlite');
    fs.writeFileSync(garbage, 'this is a spreadsheet, not a database'.repeat(200));
    expect(() => openDatabase(garbage)).toThrow(/is not a SQLite database/);

    const newer = path.join(dir, 'newer.sqlite');
    const n = new Database(newer);
    n.pragma(`application_id = ${APPLICATION_ID}`);
    n.pragma('user_version = 999');
    n.close();
    expect(() => openDatabase(newer)).toThrow(/newer version of this system \(schema 999/);
    // Upgraded by a newer release that did not mark the header: its migration names give it away.
    const upgraded = path.join(dir, 'upgraded.sqlite');
    const u = openDatabase(upgraded);
    await migrateToLatest(u);
    await sql`insert into kysely_migration (name, timestamp) values ('2031_01_01_0001_future', '2031-01-01')`.execute(u);
    await sql.raw('pragma user_version = 0').execute(u);
    await expect(migrateToLatest(u)).rejects.toThrow(/upgraded by a newer version of this system \(it has 2031_01_01_0001_future\)/);
    await u.destroy();

    // Unreadable: a folder where the file should be (permissions would not stop root, who runs CI).
    const folder = path.join(dir, 'folder.sqlite');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'x'), 'x');
    expect(() => openDatabase(folder)).toThrow(/cannot read the database file .* \(EISDIR\)/);
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.sqlite');
      fs.copyFileSync(newer, locked);
      fs.chmodSync(locked, 0o000);
      expect(() => openDatabase(locked)).toThrow(/cannot read the database file/);
    }
    for (const f of [garbage, newer]) {
      try {
        openDatabase(f);
      } catch (err) {
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });

  it('marks its own files, and still opens a file of ours from before they were marked', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hall.sqlite');
    const db = openDatabase(file);
    await migrateToLatest(db);
    await db.destroy();
    const header = fs.readFileSync(file).subarray(0, 100);
    expect(header.readUInt32BE(68)).toBe(APPLICATION_ID);
    expect(header.readUInt32BE(60)).toBeGreaterThan(0);
    // An unmarked file of ours (an earlier release) is adopted and marked.
    const raw = new Database(file);
    raw.pragma('application_id = 0');
    raw.close();
    const again = openDatabase(file);
    await migrateToLatest(again);
    await again.destroy();
    expect(fs.readFileSync(file).readUInt32BE(68)).toBe(APPLICATION_ID);
  });

  function startServerOn(file: string): Promise<{ code: number | null; out: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATABASE_FILE: file, LOG_LEVEL: 'warn', BACKUP_KEEP: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
  }

  it('the server prints one readable line and exits 1, leaving the file alone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hall.sqlite');
    const other = new Database(file);
    other.exec('create table songs (title text)');
    other.close();
    const before = fs.readFileSync(file);
    const { code, out } = await startServerOn(file);
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/^cannot start: .*belongs to another application/);
    expect(fs.readdirSync(dir)).toEqual(['hall.sqlite']);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  }, 30_000);

  it('a database of ours whose pages are damaged: one line that says to restore a backup', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hall.sqlite');
    const db = openDatabase(file);
    await migrateToLatest(db);
    await db.destroy();
    // Everything after the first page (the header and schema stay) is overwritten.
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, 4096);
    fs.writeFileSync(file, bytes);
    const { code, out } = await startServerOn(file);
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/^cannot start: .*is corrupt .*restore the latest backup/);
  }, 30_000);
});

describe('the first start', () => {
  it('seeds in one transaction: cut short, it leaves nothing, and the next start seeds and prints everything', async () => {
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    const deps = { db, clock: new ManualClock(MORNING), bus: new EventBus() };
    const config = testConfig({ passwordHashCost: 1 << 10 });
    // The machine dies while the demo devices are being written.
    await sql.raw(`create temp trigger cut_short before insert on devices begin select raise(abort, 'power cut'); end`).execute(db);
    await expect(seedIfEmpty(deps, config)).rejects.toThrow(/power cut/);
    for (const table of ['halls', 'staff', 'services', 'windows', 'devices', 'events'] as const) {
      expect(await db.selectFrom(table).select(sql`1`.as('x')).execute(), table).toHaveLength(0);
    }
    await sql.raw('drop trigger cut_short').execute(db);
    const seeded = await seedIfEmpty(deps, config);
    expect(seeded.admin?.password).toMatch(/^\S{14}$/);
    expect(seeded.demo?.credentials.length).toBeGreaterThan(1);
    expect(seeded.demo?.devices.map((d) => d.kind)).toEqual(['kiosk', 'display']);
    // Nothing more to seed afterwards.
    expect(await seedIfEmpty(deps, config)).toEqual({ admin: null, demo: null });
    await db.destroy();
  });
});
