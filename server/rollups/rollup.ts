import { type Kysely, type RawBuilder, sql } from 'kysely';
import { Channel } from '../../protocol/enums.js';
import { lockHallLog } from '../db/event-log.js';
import type { Database } from '../db/schema.js';
import { zoneOffset } from '../domain/business-day.js';

export type Dim = 'all' | 'service' | 'window' | 'staff' | 'hour' | 'channel';

/** A ticket's channel as the rollup key of the 'channel' dimension: its place in the enum (kiosk 0, helper 1, appointment 2, mobile 3). */
export const channelKey = (channel: Channel) => Channel.options.indexOf(channel);

const COUNTERS = [
  'issued', 'served', 'no_show', 'cancelled', 'transferred', 'expired', 'wait_n', 'wait_sum', 'wait_sla', 'handle_n', 'handle_sum',
  'rated', 'good', 'bad', 'phone_rated', 'phone_good', 'voided', 'outcome_done', 'outcome_supplement', 'outcome_rejected',
] as const;
type Counter = (typeof COUNTERS)[number];

export type Rollup = Record<Counter, number> & { dim: Dim; key: number; waitHist: number[]; handleHist: number[] };

/** Lower edges, in minutes, of the histogram buckets: 1-minute wide below 30, then coarser; the last is 240+. */
export const BUCKET_EDGES = [
  ...Array.from({ length: 30 }, (_, i) => i), 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 100, 110, 120, 150, 180, 210, 240,
];
const BUCKETS = BUCKET_EDGES.length; // 47
const W = Array.from({ length: BUCKETS }, (_, i) => `w_${i}` as const);
const H = Array.from({ length: BUCKETS }, (_, i) => `h_${i}` as const);
const MINUTE = 60_000;

function bucketOf(ms: number): number {
  const m = Math.max(0, ms / MINUTE);
  let lo = 0;
  let hi = BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (BUCKET_EDGES[mid]! <= m) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function emptyRollup(dim: Dim, key: number): Rollup {
  const r = { dim, key, waitHist: new Array<number>(BUCKETS).fill(0), handleHist: new Array<number>(BUCKETS).fill(0) } as Rollup;
  for (const c of COUNTERS) r[c] = 0;
  return r;
}

export function addInto(target: Rollup, source: Rollup): void {
  for (const c of COUNTERS) target[c] += source[c];
  for (let i = 0; i < BUCKETS; i++) {
    target.waitHist[i]! += source.waitHist[i]!;
    target.handleHist[i]! += source.handleHist[i]!;
  }
}

/** The hour of the day (0–23) at `ms` on the hall's clock. */
function hourOf(ms: number, timeZone: string): number {
  return new Date(ms + zoneOffset(ms, timeZone)).getUTCHours();
}

/**
 * Sums one business day of a hall into rows per dimension. Waits count once per citizen (on
 * the original entry: first call − issue, or for a number taken online that lapsed, its turn −
 * issue); handling on the entry that was finished.
 */
export async function computeDay(db: Kysely<Database>, hallId: number, day: string, timeZone: string, slaTargetMinutes: number): Promise<Rollup[]> {
  const rows = new Map<string, Rollup>();
  const row = (dim: Dim, key: number) => {
    const id = `${dim}:${key}`;
    let r = rows.get(id);
    if (!r) rows.set(id, (r = emptyRollup(dim, key)));
    return r;
  };
  const tickets = await db.selectFrom('tickets')
    .select(['parent_ticket_id', 'status', 'service_id', 'window_id', 'staff_id', 'channel', 'outcome', 'issued_at', 'called_at', 'started_at', 'finished_at', 'passed_at'])
    .where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  const slaMs = slaTargetMinutes * MINUTE;
  for (const t of tickets) {
    const targets: Rollup[] = [row('all', 0), row('service', t.service_id), row('hour', hourOf(t.issued_at, timeZone)), row('channel', channelKey(t.channel))];
    if (t.window_id !== null) targets.push(row('window', t.window_id));
    if (t.staff_id !== null) targets.push(row('staff', t.staff_id));
    // A number taken online whose citizen never came was never called: its turn came when
    // calling first passed it over, so its wait (and its no-show) count from then.
    const turn = t.called_at ?? (t.status === 'no_show' ? t.passed_at : null);
    const wait = t.parent_ticket_id === null && turn !== null ? turn - t.issued_at : null;
    const handled = t.status === 'done' && t.started_at !== null && t.finished_at !== null ? t.finished_at - t.started_at : null;
    for (const r of targets) {
      if (t.parent_ticket_id === null) r.issued++;
      if (t.status === 'done') {
        r.served++;
        // A ticket finished before outcomes were recorded counts as 办结.
        if (t.outcome === 'supplement') r.outcome_supplement++;
        else if (t.outcome === 'rejected') r.outcome_rejected++;
        else r.outcome_done++;
      }
      else if (t.status === 'no_show') r.no_show++;
      else if (t.status === 'cancelled') r.cancelled++;
      else if (t.status === 'transferred') r.transferred++;
      else if (t.status === 'expired') r.expired++;
      if (wait !== null) {
        r.wait_n++;
        r.wait_sum += wait;
        if (wait <= slaMs) r.wait_sla++;
        r.waitHist[bucketOf(wait)]!++;
      }
      if (handled !== null) {
        r.handle_n++;
        r.handle_sum += handled;
        r.handleHist[bucketOf(handled)]!++;
      }
    }
  }
  // A rating counts in the rows of its ticket: the hour the citizen took the number and the channel they took it by, too.
  const evaluations = await db.selectFrom('evaluations as e').innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select(['e.service_id', 'e.window_id', 'e.staff_id', 'e.level', 'e.source', 'e.appeal_state', 't.issued_at', 't.channel'])
    .where('e.hall_id', '=', hallId).where('e.business_day', '=', day).execute();
  for (const e of evaluations) {
    const targets = [row('all', 0), row('service', e.service_id), row('hour', hourOf(e.issued_at, timeZone)), row('channel', channelKey(e.channel))];
    if (e.window_id !== null) targets.push(row('window', e.window_id));
    if (e.staff_id !== null) targets.push(row('staff', e.staff_id));
    for (const r of targets) {
      if (e.appeal_state === 'voided') {
        r.voided++;
        continue;
      }
      r.rated++;
      if (e.level <= 2) r.good++;
      if (e.level >= 4) r.bad++;
      if (e.source === 'phone') {
        r.phone_rated++;
        if (e.level <= 2) r.phone_good++;
      }
    }
  }
  return [...rows.values()];
}

function toColumns(r: Rollup): Record<string, number | string> {
  const out: Record<string, number | string> = { dim: r.dim, key: r.key };
  for (const c of COUNTERS) out[c] = r[c];
  for (let i = 0; i < BUCKETS; i++) {
    out[W[i]!] = r.waitHist[i]!;
    out[H[i]!] = r.handleHist[i]!;
  }
  return out;
}

function fromColumns(row: Record<string, unknown>): Rollup {
  const r = emptyRollup(row.dim as Dim, Number(row.key));
  for (const c of COUNTERS) r[c] = Number(row[c] ?? 0);
  for (let i = 0; i < BUCKETS; i++) {
    r.waitHist[i] = Number(row[W[i]!] ?? 0);
    r.handleHist[i] = Number(row[H[i]!] ?? 0);
  }
  return r;
}

export async function storeDay(db: Kysely<Database>, hallId: number, day: string, rollups: Rollup[]): Promise<void> {
  await db.deleteFrom('stat_rollups').where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  await insertRollups(db, 'stat_rollups', rollups, { hall_id: hallId, business_day: day });
}

/**
 * Stores rollups with the columns that place them (hall and day, or hall and month). An empty
 * period still gets its 'all' row, so it is never recomputed.
 */
async function insertRollups(
  db: Kysely<Database>, table: 'stat_rollups' | 'stat_rollups_monthly', rollups: readonly Rollup[], place: Record<string, number | string>,
): Promise<void> {
  const rows = rollups.length > 0 ? rollups : [emptyRollup('all', 0)];
  // 100+ columns a row: a few rows per statement keeps under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 50) {
    await db.insertInto(table).values(rows.slice(i, i + 50).map((r) => ({ ...toColumns(r), ...place }) as never)).execute();
  }
}

/** The per-day rows of one dimension (the history's by-day and by-weekday tables use 'all'). */
export async function loadRollups(db: Kysely<Database>, hallId: number, from: string, to: string, dim: Dim): Promise<(Rollup & { day: string })[]> {
  const rows = await db.selectFrom('stat_rollups').selectAll().where('hall_id', '=', hallId).where('dim', '=', dim)
    .where('business_day', '>=', from).where('business_day', '<=', to).execute();
  return rows.map((row) => ({ ...fromColumns(row as unknown as Record<string, unknown>), day: row.business_day }));
}

/** Every dimension value summed over the range, by the database in one GROUP BY. */
export async function aggregateRollups(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<Map<string, Rollup>> {
  return sumRollups(db, sql`stat_rollups where hall_id = ${hallId} and business_day >= ${from} and business_day <= ${to}`);
}

/** Every dimension value summed over kept months, by the database in one GROUP BY. */
export async function aggregateMonths(db: Kysely<Database>, hallId: number, months: readonly string[]): Promise<Map<string, Rollup>> {
  if (months.length === 0) return new Map();
  return sumRollups(db, sql`stat_rollups_monthly where hall_id = ${hallId} and month in (${sql.join(months)})`);
}

/** Sums the rollup rows `rows` names (a table and its condition) per dimension value. */
async function sumRollups(db: Kysely<Database>, rows: RawBuilder<unknown>): Promise<Map<string, Rollup>> {
  const columns = [...COUNTERS, ...W, ...H];
  const result = await sql<Record<string, unknown>>`
    select dim, key, ${sql.join(columns.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`))}
    from ${rows}
    group by dim, key`.execute(db);
  return new Map(result.rows.map(fromColumns).map((r) => [`${r.dim}:${r.key}`, r]));
}

export async function daysWithRollups(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<Set<string>> {
  const rows = await db.selectFrom('stat_rollups').select('business_day').where('hall_id', '=', hallId).where('dim', '=', 'all')
    .where('business_day', '>=', from).where('business_day', '<=', to).execute();
  return new Set(rows.map((r) => r.business_day));
}

/**
 * A late rating or a day-end expiry changes a closed day: its rollup, and its month's sums, are
 * dropped and recomputed when next asked. On PostgreSQL this waits for the hall's lock, which a
 * report holds while it sums a month, so a sum is never stored from a day dropped meanwhile.
 */
export async function invalidateDay(db: Kysely<Database>, hallId: number, day: string): Promise<void> {
  await lockHallLog(db, hallId);
  await db.deleteFrom('stat_rollups').where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  await db.deleteFrom('stat_rollups_monthly').where('hall_id', '=', hallId).where('month', '=', day.slice(0, 7)).execute();
}

/**
 * Makes the kept sums of whole closed months (every day of each rolled up already) that are not
 * kept yet. Each is read, summed and stored in one transaction: no day of it can be dropped in
 * between.
 */
export async function keepMonths(db: Kysely<Database>, hallId: number, months: ReadonlyMap<string, readonly string[]>): Promise<void> {
  if (months.size === 0) return;
  const kept = await db.selectFrom('stat_rollups_monthly').select('month').distinct()
    .where('hall_id', '=', hallId).where('month', 'in', [...months.keys()]).execute();
  const have = new Set(kept.map((r) => r.month));
  for (const [month, days] of months) {
    if (have.has(month)) continue;
    await db.transaction().execute(async (trx) => {
      await lockHallLog(trx, hallId);
      const sums = await aggregateRollups(trx, hallId, days[0]!, days.at(-1)!);
      await trx.deleteFrom('stat_rollups_monthly').where('hall_id', '=', hallId).where('month', '=', month).execute();
      await insertRollups(trx, 'stat_rollups_monthly', [...sums.values()], { hall_id: hallId, month });
    });
  }
}


/**
 * The value at quantile q (0–1) of a histogram, in minutes: below 30 minutes the midpoint of the
 * one-minute bucket that holds it; in the wider buckets above, its place among the bucket's values
 * spread evenly (so groups whose P90 falls in 60–70 do not all read 65); 240 for 240+.
 */
export function quantile(hist: number[], q: number): number | null {
  const total = hist.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = q * (total - 1);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const n = hist[i]!;
    if (seen + n > rank) {
      if (i === BUCKETS - 1) return BUCKET_EDGES[i]!; // 240+: open-ended, reported as its floor
      // Inside the bucket, spread its n values evenly: a wide bucket (60–70) no longer reports
      // its midpoint for every group whose quantile falls in it.
      const lo = BUCKET_EDGES[i]!;
      const hi = BUCKET_EDGES[i + 1]!;
      if (hi - lo <= 1) return (lo + hi) / 2;
      return Math.round((lo + (hi - lo) * ((rank - seen + 0.5) / n)) * 10) / 10;
    }
    seen += n;
  }
  return null;
}
