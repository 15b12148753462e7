import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { testConfig } from '../../server/config.js';
import { dailyBackup } from '../../server/db/backup.js';
import { migrateToLatest, openDatabase } from '../../server/db/connect.js';
import { instantOf } from '../../server/domain/calendar.js';
import { buildTestHall, expectStatus, hallUrl, scratch } from '../helpers.js';

const root = path.resolve(import.meta.dirname, '../..');
const { tempDir, keep } = scratch('backup');

/** `npm run backup -- <file>` as a separate process (through tsx instead of the build). */
function runBackupCli(databaseFile: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return runCli(databaseFile, root, 'backup', ...args);
}

function runCli(databaseFile: string, cwd: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', path.join(root, 'node_modules/tsx/dist/esm/index.mjs'), path.join(root, 'server/cli.ts'), ...args], {
    cwd, env: { PATH: process.env.PATH, DATABASE_FILE: databaseFile }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('backups', () => {
  it('a backup taken while the hall is busy restores with every ticket acknowledged before it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hall.sqlite');
    const t = await buildTestHall({ db: openDatabase(file) });
    keep(t);
    const kiosk = t.device('kiosk');
    const acknowledged: number[] = [];
    const issueOne = async () => {
      const res = await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.social_security });
      acknowledged.push(expectStatus(res, 201).ticket.id);
    };
    for (let i = 0; i < 50; i++) await issueOne();

    // Keep issuing (4 at a time) while the backup process copies the database.
    let busy = true;
    const load = Promise.all(Array.from({ length: 4 }, async () => {
      while (busy) await issueOne();
    }));
    while (acknowledged.length < 80) await new Promise((resolve) => setImmediate(resolve));
    const before = new Set(acknowledged);
    const dest = path.join(dir, 'manual.sqlite');
    const cli = await runBackupCli(file, dest);
    busy = false;
    await load;
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toContain('checked');
    expect(acknowledged.length).toBeGreaterThan(before.size); // writes went on during the copy
    expect(fs.existsSync(`${dest}.partial`)).toBe(false);
    // A backup never overwrites a file.
    expect((await runBackupCli(file, dest)).code).toBe(1);

    // Restore: the backup becomes the database of a new server.
    const restored = path.join(tempDir(), 'hall.sqlite');
    fs.copyFileSync(dest, restored);
    const db = openDatabase(restored);
    await migrateToLatest(db);
    const app = await buildApp({ config: testConfig(), db, clock: t.clock });
    try {
      const ids = new Set((await db.selectFrom('tickets').select('id').execute()).map((r) => r.id));
      for (const id of before) expect(ids.has(id), `ticket ${id}`).toBe(true);
      const numbers = (await db.selectFrom('tickets').select('number').orderBy('number').execute()).map((r) => r.number);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1)); // whole and gap-free: a consistent copy
      // The restored hall goes on numbering after what the backup holds.
      const res = await app.inject({
        method: 'POST', url: hallUrl(t, '/tickets'), payload: { serviceId: t.demo.serviceIds.social_security },
        headers: { authorization: `Bearer ${t.demo.devices.find((d) => d.kind === 'kiosk')!.token}` },
      });
      expect(expectStatus(res, 201).ticket.number).toBe(numbers.length + 1);
    } finally {
      await app.close();
      await db.destroy();
    }
  }, 60_000);

  it('the daily backup is made once a day after its time, also late, and keeps the newest N', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hall.sqlite');
    const t = await buildTestHall({ db: openDatabase(file) });
    keep(t);
    const settings = { dir: path.join(dir, 'backups'), time: '02:30', timeZone: 'Asia/Shanghai', keep: 3 };
    const at = (day: string, hhmm: string) => instantOf(day, hhmm, 'Asia/Shanghai');
    expect(await dailyBackup(file, settings, at('2026-11-25', '02:00'))).toBeNull(); // not yet
    expect(await dailyBackup(file, settings, at('2026-11-25', '02:31'))).toMatch(/hall-2026-11-25\.sqlite$/);
    expect(await dailyBackup(file, settings, at('2026-11-25', '09:00'))).toBeNull(); // once a day
    // The server was off at 02:30 on the 26th: the backup is made when it runs again.
    expect(await dailyBackup(file, settings, at('2026-11-26', '08:15'))).toMatch(/hall-2026-11-26\.sqlite$/);
    for (const day of ['2026-11-27', '2026-11-28']) await dailyBackup(file, settings, at(day, '03:00'));
    expect(fs.readdirSync(settings.dir).sort()).toEqual(['hall-2026-11-26.sqlite', 'hall-2026-11-27.sqlite', 'hall-2026-11-28.sqlite']);
    // Each is a complete database of this hall.
    const copy = openDatabase(path.join(settings.dir, 'hall-2026-11-28.sqlite'));
    expect((await copy.selectFrom('halls').select('name').execute()).map((h) => h.name)).toEqual([t.demo.hallName]);
    await copy.destroy();
  });

  it('the CLI reads its arguments: --help prints the usage and writes no file; a name that starts with - needs --', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hall.sqlite');
    keep(await buildTestHall({ db: openDatabase(file) }));
    for (const args of [['backup', '--help'], ['--help'], ['backup', '-h']]) {
      const run = await runCli(file, dir, ...args);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('usage:');
    }
    const unknown = await runCli(file, dir, 'backup', '--to', 'x');
    expect(unknown.code).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual(['hall.sqlite', 'hall.sqlite-shm', 'hall.sqlite-wal'].filter((f) => fs.existsSync(path.join(dir, f))));
    expect(fs.readdirSync(dir)).not.toContain('--help');
    const dashed = await runCli(file, dir, 'backup', '--', '-odd-name.sqlite');
    expect(dashed.code, dashed.output).toBe(0);
    expect(fs.existsSync(path.join(dir, '-odd-name.sqlite'))).toBe(true);
  });

  it('never touches a file it did not make: another .partial is left alone, and backups are readable by the server\'s user only', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hall.sqlite');
    keep(await buildTestHall({ db: openDatabase(file) }));
    const dest = path.join(dir, 'copy.sqlite');
    fs.writeFileSync(`${dest}.partial`, 'someone else\'s backup in progress');
    const refused = await runBackupCli(file, dest);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/partial exists/);
    expect(fs.readFileSync(`${dest}.partial`, 'utf8')).toBe('someone else\'s backup in progress');
    expect(fs.existsSync(dest)).toBe(false);
    fs.rmSync(`${dest}.partial`);
    expect((await runBackupCli(file, dest)).code).toBe(0);
    expect(fs.statSync(dest).mode & 0o777).toBe(0o600);
    const settings = { dir: path.join(dir, 'daily'), time: '00:00', timeZone: 'Asia/Shanghai', keep: 2 };
    const made = (await dailyBackup(file, settings, Date.now()))!;
    expect(fs.statSync(settings.dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(made).mode & 0o777).toBe(0o600);
  });
});
