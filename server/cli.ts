import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backupFile } from './db/backup.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { migrateToLatest } from './db/connect.js';
import { openStore } from './db/store.js';
import { EventBus } from './db/bus.js';
import { findStaffByUsername } from './staff/repository.js';
import { resetPassword } from './staff/service.js';

const USAGE = [
  'usage: npm run reset-password -- <username>',
  '       npm run backup -- <file>        (a new file: a backup never overwrites one; -- before a name that starts with -)',
].join('\n');

/**
 * Administration from the server's shell: `reset-password <username>` prints a new password
 * once; `backup <file>` copies the database consistently while the hall keeps working.
 */
async function main(argv: string[]): Promise<number> {
  let parsed: { values: { help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, arg, extra] = parsed.positionals;
  if (!command || !arg || extra !== undefined || (command !== 'backup' && command !== 'reset-password')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === 'backup') return backup(arg);
  const username = arg;
  const config = loadConfig();
  const db = openStore(config);
  try {
    await migrateToLatest(db);
    const staff = await findStaffByUsername(db, username);
    if (!staff) {
      process.stderr.write(`no account named ${username}\n`);
      return 1;
    }
    const { password } = await resetPassword(
      { db, clock: systemClock, bus: new EventBus(), passwordHashCost: config.passwordHashCost }, null, staff.id,
      { id: null, name: `cli:${os.userInfo().username}`, ip: null }, true,
    );
    process.stdout.write(`New password for ${username} (shown once; it must be changed at the next sign-in; all their sessions were signed out and any second factor removed):\n  ${password}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

async function backup(file: string): Promise<number> {
  const config = loadConfig();
  if (config.postgres) {
    process.stderr.write('the database is PostgreSQL: back it up with pg_dump (README, "Several server processes")\n');
    return 1;
  }
  const dest = path.resolve(file);
  if (fs.existsSync(dest)) {
    process.stderr.write(`${dest} exists; name a new file (a backup never overwrites one)\n`);
    return 1;
  }
  try {
    const { pages, bytes } = await backupFile(config.databaseFile, dest);
    process.stdout.write(`backup of ${config.databaseFile} written to ${dest} (${pages} pages, ${(bytes / 1048576).toFixed(1)} MiB), checked\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

// Backups hold personal data and the hall's secrets: readable by this user only.
process.umask(0o077);
process.exitCode = await main(process.argv.slice(2));
