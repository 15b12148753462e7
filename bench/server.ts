/**
 * A hall server for benchmarks, in its own process so its memory and CPU are its own: a fresh
 * database file with the demo hall, listening on a free port. Prints one JSON line with what
 * the benchmark needs, then serves until killed. With DATABASE_FILE, or DATABASE_URL (and
 * REDIS_URL), it serves a database the benchmark has already made, and prints only its port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { systemClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/connect.js';
import { openStore } from '../server/db/store.js';
import { EventBus } from '../server/db/bus.js';
import { seedDemoHall } from '../server/seed/demo.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-bench-'));
// A database the benchmark prepared itself (so the work of making it is not in this process).
const shared = process.env.DATABASE_URL !== undefined || process.env.DATABASE_FILE !== undefined;
const config = {
  ...loadConfig({
    LOG_LEVEL: 'warn', DATA_DIR: dir, DATABASE_FILE: process.env.DATABASE_FILE,
    DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: process.env.REDIS_PREFIX,
  }),
  rateLimitPerMinute: 1_000_000,
  passwordHashCost: 1 << 10,
  scheduleExpiry: false,
  backup: null,
};
if (shared) {
  const db = openStore(config);
  const app = await buildApp({ config, db, clock: systemClock, bus: new EventBus() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 }) + '\n');
  const stop = async () => {
    await app.close();
    await db.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
} else {
  await serveFresh();
}

async function serveFresh(): Promise<void> {
  const db = openDatabase(config.databaseFile);
  await migrateToLatest(db);
  const bus = new EventBus();
  const demo = await seedDemoHall({ db, clock: systemClock, bus, passwordHashCost: config.passwordHashCost });
  // A measuring harness, not a hall: staff keep their printed passwords and the hall is open at
  // whatever hour the benchmark runs.
  await db.updateTable('staff').set({ must_change_password: 0 }).execute();
  const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
  await db.updateTable('halls').set({ opening_hours: JSON.stringify(allDay) }).where('id', '=', demo.hallId).execute();
  const app = await buildApp({ config, db, clock: systemClock, bus });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(JSON.stringify({
    port: typeof addr === 'object' && addr ? addr.port : 0,
    hallId: demo.hallId,
    serviceId: demo.serviceIds.social_security,
    windowId: demo.windowIds['1'],
    clerk: demo.credentials.find((c) => c.role === 'clerk'),
    kiosk: demo.devices.find((d) => d.kind === 'kiosk')!.token,
    display: demo.devices.find((d) => d.kind === 'display')!.token,
  }) + '\n');

  const stop = async () => {
    await app.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}
