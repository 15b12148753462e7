/**
 * npm run demo:history -- --days N [--per-day 5000] [--hall 1]
 * Fills the hall in the configured database (DATA_DIR / DATABASE_FILE) with N past days.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/connect.js';
import { fillHistory } from '../server/seed/history.js';

const { values } = parseArgs({
  options: { days: { type: 'string', default: '30' }, 'per-day': { type: 'string', default: '400' }, hall: { type: 'string', default: '1' } },
});
const days = Number(values.days);
const perDay = Number(values['per-day']);
const hallId = Number(values.hall);
if (![days, perDay, hallId].every((n) => Number.isInteger(n) && n > 0) || days > 800) {
  console.error('usage: npm run demo:history -- --days N (1–800) [--per-day N] [--hall ID]');
  process.exit(2);
}
const config = loadConfig();
const db = openDatabase(config.databaseFile);
try {
  await migrateToLatest(db);
  const started = Date.now();
  const written = await fillHistory(db, {
    hallId, days, perDay, now: Date.now(),
    onDay: (day, n) => process.stdout.write(`\r${day}: ${n} tickets   `),
  });
  console.log(`\nwrote ${written} tickets over ${days} days into ${config.databaseFile} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await db.destroy();
}
