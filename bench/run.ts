/**
 * `npm run bench`: every benchmark, one after another. Figures are printed as measured in this
 * one run, with ratios between sizes; machines are shared and noisy, so nothing here passes or
 * fails on timing.
 *   ISSUE_CONNECTIONS (20), ISSUE_SECONDS (5), ISSUE_WAITING (2000), RAW_TICKETS (3000)
 *   FANOUT_SOCKETS (default 2000), FANOUT_BASELINE (100), FANOUT_CALLS (30), FANOUT_HISTORY_DAYS (21: ~100 k tickets)
 *   STATS_DAYS (default 365), STATS_PER_DAY (6300 on a busy weekday): ~1.8 M tickets
 *   BENCH_DATABASE_URL, BENCH_REDIS_URL: PostgreSQL and Redis for the two-process figures
 *   ENGINE_TICKETS (2000): the engine in process, without HTTP
 *   BENCH_ONLY=engine|issue|fanout|stats: one of them
 */
import { execFileSync } from 'node:child_process';
import { fanout, fanoutCluster } from './fanout.js';
import { engineBench } from './engine.js';
import { issueBench } from './issue.js';
import { statsBench } from './stats.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const only = process.env.BENCH_ONLY;
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

if (!only || only === 'engine') {
  console.log('The engine, in process (no HTTP):');
  await engineBench({ tickets: num('ENGINE_TICKETS', 2000) });
}

if (!only || only === 'issue') {
  await issueBench({
    connections: num('ISSUE_CONNECTIONS', 20),
    seconds: num('ISSUE_SECONDS', 5),
    waiting: num('ISSUE_WAITING', 2000),
    rawTickets: num('RAW_TICKETS', 3000),
    postgresUrl,
    redisUrl,
  });
}

if (!only || only === 'fanout') {
  // The memory figures are of the compiled server, as `npm start` runs it.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  const sockets = num('FANOUT_SOCKETS', 2000);
  const calls = num('FANOUT_CALLS', 30);
  await fanout({ sockets, baseline: num('FANOUT_BASELINE', 100), calls, historyDays: num('FANOUT_HISTORY_DAYS', 21) });
  await fanoutCluster({ sockets, calls, postgresUrl, redisUrl });
}

if (!only || only === 'stats') {
  await statsBench({ days: num('STATS_DAYS', 365), perDay: num('STATS_PER_DAY', 6300) });
}
