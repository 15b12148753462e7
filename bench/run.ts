/**
 * `npm run bench`: every benchmark, one after another. Figures are printed as measured in this
 * one run, with ratios between sizes; machines are shared and noisy, so nothing here passes or
 * fails on timing.
 *   FANOUT_SOCKETS (default 2000), FANOUT_BASELINE (100), FANOUT_CALLS (30)
 *   STATS_DAYS (default 365), STATS_PER_DAY (6300 on a busy weekday): ~1.8 M tickets
 */
import { fanout } from './fanout.js';
import { statsBench } from './stats.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

await fanout({
  sockets: num('FANOUT_SOCKETS', 2000),
  baseline: num('FANOUT_BASELINE', 100),
  calls: num('FANOUT_CALLS', 30),
});

await statsBench({ days: num('STATS_DAYS', 365), perDay: num('STATS_PER_DAY', 6300) });
