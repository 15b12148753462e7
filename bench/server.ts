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
import { openDatabase } from '../server/db/connect.js';
import { openStore } from '../server/db/store.js';
import { EventBus } from '../server/db/bus.js';
import { seedBenchHall } from './hall.js';

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
  const hall = await seedBenchHall(db);
  const bus = new EventBus();
  const app = await buildApp({ config, db, clock: systemClock, bus });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(JSON.stringify({
    port: typeof addr === 'object' && addr ? addr.port : 0,
    ...hall,
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
