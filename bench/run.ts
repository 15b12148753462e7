/**
 * `npm run bench`: every benchmark, one after another. Figures are printed as measured in this
 * one run, with ratios between sizes; machines are shared and noisy, so nothing here passes or
 * fails on timing.
 *   FANOUT_SOCKETS (default 2000), FANOUT_BASELINE (100), FANOUT_CALLS (30)
 *   STATS_DAYS (default 365), STATS_PER_DAY (6300 on a busy weekday): ~1.8 M tickets
 *   ISSUE_CONNECTIONS (20), ISSUE_SECONDS (5), ISSUE_WAITING (2000), RAW_TICKETS (3000)
 *   BENCH_DATABASE_URL, BENCH_REDIS_URL: PostgreSQL and Redis for the two-process figures
 */
import { fanout } from './fanout.js';
import { issueBench } from './issue.js';
import { statsBench } from './stats.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

await issueBench({
  connections: num('ISSUE_CONNECTIONS', 20),
  seconds: num('ISSUE_SECONDS', 5),
  waiting: num('ISSUE_WAITING', 2000),
  rawTickets: num('RAW_TICKETS', 3000),
  postgresUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
});

if (process.env.BENCH_ONLY === 'issue') process.exit(0);

await fanout({
  sockets: num('FANOUT_SOCKETS', 2000),
  baseline: num('FANOUT_BASELINE', 100),
  calls: num('FANOUT_CALLS', 30),
});

await statsBench({ days: num('STATS_DAYS', 365), perDay: num('STATS_PER_DAY', 6300) });
