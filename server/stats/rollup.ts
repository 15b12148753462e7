import type { Kysely } from 'kysely';
import type { Database, StatRollupsTable } from '../db/schema.js';

export type Dim = StatRollupsTable['dim'];
export type Rollup = Omit<StatRollupsTable, 'hall_id' | 'business_day' | 'dim' | 'key' | 'wait_hist' | 'handle_hist'> & {
  dim: Dim;
  key: number;
  waitHist: Map<number, number>;
  handleHist: Map<number, number>;
};

const MINUTE = 60_000;
const HIST_CAP = 240;

export function emptyRollup(dim: Dim, key: number): Rollup {
  return {
    dim, key, issued: 0, served: 0, no_show: 0, cancelled: 0, transferred: 0, expired: 0, wait_n: 0, wait_sum: 0, wait_sla: 0,
    handle_n: 0, handle_sum: 0, rated: 0, good: 0, bad: 0, phone_rated: 0, phone_good: 0, voided: 0,
    waitHist: new Map(), handleHist: new Map(),
  };
}

const COUNTERS = [
  'issued', 'served', 'no_show', 'cancelled', 'transferred', 'expired', 'wait_n', 'wait_sum', 'wait_sla', 'handle_n', 'handle_sum',
  'rated', 'good', 'bad', 'phone_rated', 'phone_good', 'voided',
] as const;

export function addInto(target: Rollup, source: Rollup): void {
  for (const c of COUNTERS) target[c] += source[c];
  for (const [m, n] of source.waitHist) target.waitHist.set(m, (target.waitHist.get(m) ?? 0) + n);
  for (const [m, n] of source.handleHist) target.handleHist.set(m, (target.handleHist.get(m) ?? 0) + n);
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();
function hourOf(ms: number, timeZone: string): number {
  let f = hourFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    hourFormatters.set(timeZone, f);
  }
  return Number(f.format(ms));
}

const bump = (hist: Map<number, number>, ms: number) => {
  const m = Math.min(HIST_CAP, Math.max(0, Math.floor(ms / MINUTE)));
  hist.set(m, (hist.get(m) ?? 0) + 1);
};

/**
 * Sums one business day of a hall into rows per dimension. Waits count once per citizen (on
 * the original entry: first call − issue); handling on the entry that was finished.
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
    .select(['parent_ticket_id', 'status', 'service_id', 'window_id', 'staff_id', 'issued_at', 'called_at', 'started_at', 'finished_at'])
    .where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  const slaMs = slaTargetMinutes * MINUTE;
  for (const t of tickets) {
    const targets: Rollup[] = [row('all', 0), row('service', t.service_id), row('hour', hourOf(t.issued_at, timeZone))];
    if (t.window_id !== null) targets.push(row('window', t.window_id));
    if (t.staff_id !== null) targets.push(row('staff', t.staff_id));
    for (const r of targets) {
      if (t.parent_ticket_id === null) r.issued++;
      if (t.status === 'done') r.served++;
      else if (t.status === 'no_show') r.no_show++;
      else if (t.status === 'cancelled') r.cancelled++;
      else if (t.status === 'transferred') r.transferred++;
      else if (t.status === 'expired') r.expired++;
      if (t.parent_ticket_id === null && t.called_at !== null) {
        const wait = t.called_at - t.issued_at;
        r.wait_n++;
        r.wait_sum += wait;
        if (wait <= slaMs) r.wait_sla++;
        bump(r.waitHist, wait);
      }
      if (t.status === 'done' && t.started_at !== null && t.finished_at !== null) {
        const handled = t.finished_at - t.started_at;
        r.handle_n++;
        r.handle_sum += handled;
        bump(r.handleHist, handled);
      }
    }
  }
  const evaluations = await db.selectFrom('evaluations').select(['service_id', 'window_id', 'staff_id', 'level', 'source', 'appeal_state'])
    .where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  for (const e of evaluations) {
    const targets = [row('all', 0), row('service', e.service_id)];
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

const histJson = (h: Map<number, number>) => JSON.stringify(Object.fromEntries(h));
const histOf = (s: string) => new Map(Object.entries(JSON.parse(s) as Record<string, number>).map(([k, v]) => [Number(k), v]));

export async function storeDay(db: Kysely<Database>, hallId: number, day: string, rollups: Rollup[]): Promise<void> {
  await db.deleteFrom('stat_rollups').where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  // An empty day still gets its 'all' row, so it is never recomputed.
  const rows = rollups.length > 0 ? rollups : [emptyRollup('all', 0)];
  for (let i = 0; i < rows.length; i += 200) {
    await db.insertInto('stat_rollups').values(rows.slice(i, i + 200).map(({ waitHist, handleHist, ...r }) => ({
      ...r, hall_id: hallId, business_day: day, wait_hist: histJson(waitHist), handle_hist: histJson(handleHist),
    }))).execute();
  }
}

export async function loadRollups(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<(Rollup & { day: string })[]> {
  const rows = await db.selectFrom('stat_rollups').selectAll().where('hall_id', '=', hallId)
    .where('business_day', '>=', from).where('business_day', '<=', to).execute();
  return rows.map(({ hall_id: _h, business_day, wait_hist, handle_hist, ...r }) => ({
    ...r, day: business_day, waitHist: histOf(wait_hist), handleHist: histOf(handle_hist),
  }));
}

export async function daysWithRollups(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<Set<string>> {
  const rows = await db.selectFrom('stat_rollups').select('business_day').where('hall_id', '=', hallId).where('dim', '=', 'all')
    .where('business_day', '>=', from).where('business_day', '<=', to).execute();
  return new Set(rows.map((r) => r.business_day));
}

/** A late rating or a day-end expiry changes a closed day: its rollup is dropped and recomputed when next asked. */
export async function invalidateDay(db: Kysely<Database>, hallId: number, day: string): Promise<void> {
  await db.deleteFrom('stat_rollups').where('hall_id', '=', hallId).where('business_day', '=', day).execute();
}

/** The value at quantile q (0–1) of a minute histogram, in minutes (bucket midpoint). */
export function quantile(hist: Map<number, number>, q: number): number | null {
  const total = [...hist.values()].reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = q * (total - 1);
  let seen = 0;
  for (const m of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(m)!;
    if (seen > rank) return m + 0.5;
  }
  return null;
}
