import os from 'node:os';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/connect.js';
import { EventBus } from './events/bus.js';
import { findStaffByUsername } from './auth/repository.js';
import { resetPassword } from './staff/service.js';

const USAGE = 'usage: npm run reset-password -- <username>';

/** Offline administration: `reset-password <username>` prints a new password once. */
async function main(argv: string[]): Promise<number> {
  const [command, username] = argv;
  if (command !== 'reset-password' || !username) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const db = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    const staff = await findStaffByUsername(db, username);
    if (!staff) {
      process.stderr.write(`no account named ${username}\n`);
      return 1;
    }
    const { password } = await resetPassword(
      { db, clock: systemClock, bus: new EventBus(), passwordHashCost: config.passwordHashCost }, null, staff.id,
      { id: null, name: `cli:${os.userInfo().username}`, ip: null },
    );
    process.stdout.write(`New password for ${username} (shown once; it must be changed at the next sign-in; all their sessions were signed out and any second factor removed):\n  ${password}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
