import type { Kysely } from 'kysely';
import { adviseDay, dayAhead, hourAhead, windowsForHour } from '../../protocol/erlang.js';
import type { QueueSnapshot } from '../../protocol/queue.js';
import { tierOf } from '../../protocol/serving.js';
import type { StaffingAdvice, StaffingHour, StaffingNow, StaffingNowPool, StaffingPool } from '../../protocol/staffing.js';
import { exceptionsBetween } from '../calendar/repository.js';
import type { Database } from '../db/schema.js';
import { addDays, hoursWithDuty, intervalsOn } from '../domain/calendar.js';
import { businessDay, zoneOffset } from '../domain/business-day.js';
import type { Hall } from '../halls/service.js';
import { type HallWindow, windowsOfHall } from '../windows/service.js';

const HOUR_MS = 3_600_000;
const round1 = (x: number) => Math.round(x * 10) / 10;
const pct = (x: number) => Math.round(x * 1000) / 10;

/** The hour of the day (0–23) of an instant in the hall's time. */
const hourOf = (ms: number, timeZone: string) => new Date(ms + zoneOffset(ms, timeZone)).getUTCHours();

/**
 * 排班建议 for one day: from the same weekday of the past `weeks` weeks (holidays and make-up days
 * left out, as are days the hall did not open), per hour and pool, the expected arrivals, the
 * pool's handling time, the windows it had calling, and the fewest windows that hold the hall's
 * wait target for its goal share — the day lived hour by hour as an M/M/c queue that carries each
 * hour's queue into the next (`adviseDay`) — with the 达标率 and mean wait of either choice.
 */
export async function staffingAdvice(db: Kysely<Database>, hall: Hall, day: string, weeks: number): Promise<StaffingAdvice> {
  const targetMinutes = hall.settings.slaTargetWaitMinutes;
  const goal = hall.settings.staffingGoalPercent / 100;
  const candidates = Array.from({ length: weeks }, (_, i) => addDays(day, -7 * (i + 1)));
  const exceptions = await exceptionsBetween(db, hall.id, candidates.at(-1)!, day);
  const wanted = candidates.filter((d) => !exceptions.has(d));
  const [windows, tickets] = await Promise.all([
    windowsOfHall(db, hall.id),
    wanted.length === 0 ? [] : db.selectFrom('tickets')
      .select(['business_day', 'issued_at', 'parent_ticket_id', 'window_id', 'called_at', 'started_at', 'finished_at', 'status'])
      .where('hall_id', '=', hall.id).where('business_day', 'in', wanted).execute(),
  ]);
  const kindOf = new Map(windows.map((w) => [w.id, w.kind]));
  const fallback: StaffingPool = windows.some((w) => w.kind === 'comprehensive') ? 'comprehensive' : 'domain';
  const poolOf = (t: { window_id: number | null }): StaffingPool => (t.window_id !== null ? kindOf.get(t.window_id) : undefined) ?? fallback;
  const days = wanted.filter((d) => tickets.some((t) => t.business_day === d));
  const n = Math.max(1, days.length);

  // Handling time per pool, from what was served; the hall's expectation where nothing was.
  const handling = new Map<StaffingPool, { sum: number; count: number }>();
  for (const t of tickets) {
    if (t.status !== 'done' || t.started_at === null || t.finished_at === null) continue;
    const h = handling.get(poolOf(t)) ?? { sum: 0, count: 0 };
    h.sum += (t.finished_at - t.started_at) / 60_000;
    h.count++;
    handling.set(poolOf(t), h);
  }
  const handlingOf = (pool: StaffingPool) => {
    const h = handling.get(pool);
    // A pool whose citizens were handled in no time (开始 and 完成 pressed together) still takes some.
    return h && h.count > 0 ? Math.max(0.5, h.sum / h.count) : 10;
  };

  // The day's opening hours (its own weekday's, 值班窗口 included), else the hours that had citizens.
  const hoursOpen = new Set<number>();
  for (const iv of intervalsOn(day, hoursWithDuty(hall.openingHours, windows), await exceptionsBetween(db, hall.id, day, day), hall.timezone)) {
    for (let at = iv.start; at < iv.end; at += HOUR_MS) hoursOpen.add(hourOf(at, hall.timezone));
  }
  if (hall.openingHours.length === 0) for (const t of tickets) hoursOpen.add(hourOf(t.issued_at, hall.timezone));

  // Per pool, the day lived hour by hour (each hour carries the queue the one before left):
  // the fewest windows per hour that hold the target, and what the windows opened gave.
  const open = [...hoursOpen].sort((a, b) => a - b);
  const rows: { hour: number; pool: StaffingPool; row: StaffingHour }[] = [];
  for (const pool of ['comprehensive', 'domain', 'special'] as const) {
    const h = handlingOf(pool);
    const seen = open.map((hour) => ({
      hour,
      arrivals: tickets.filter((t) => t.parent_ticket_id === null && poolOf(t) === pool && hourOf(t.issued_at, hall.timezone) === hour).length / n,
      calling: new Set(tickets.filter((t) => t.called_at !== null && t.window_id !== null && poolOf(t) === pool && hourOf(t.called_at, hall.timezone) === hour)
        .map((t) => `${t.business_day}:${t.window_id}`)).size / n,
    }));
    const shown = seen.filter((x) => x.arrivals > 0 || x.calling > 0 || (pool === fallback && windows.some((w) => w.kind === pool)));
    if (shown.length === 0) continue;
    const loads = seen.map((x) => ({ perMinute: x.arrivals / 60, handlingMin: h }));
    const advised = adviseDay(loads, targetMinutes, goal);
    const opened = seen.map((x) => Math.round(x.calling));
    const withOpened = dayAhead(loads, opened, targetMinutes);
    const withAdvised = dayAhead(loads, advised, targetMinutes);
    seen.forEach((x, i) => {
      if (!shown.includes(x)) return;
      rows.push({
        hour: x.hour, pool, row: {
          hour: `${String(x.hour).padStart(2, '0')}:00`, pool, arrivals: round1(x.arrivals), handlingMinutes: round1(h), opened: round1(x.calling), advised: advised[i]!,
          levelOpened: pct(withOpened[i]!.level), levelAdvised: pct(withAdvised[i]!.level),
          waitOpened: nullableRound(withOpened[i]!.meanWait), waitAdvised: nullableRound(withAdvised[i]!.meanWait),
        },
      });
    });
  }
  const order = ['comprehensive', 'domain', 'special'];
  const hours = rows.sort((a, b) => a.hour - b.hour || order.indexOf(a.pool) - order.indexOf(b.pool)).map((r) => r.row);
  return { day, targetMinutes, goalPercent: hall.settings.staffingGoalPercent, comparableDays: days, hours };
}

const nullableRound = (x: number | null) => (x === null ? null : round1(x));

/** Today's advice per hall, kept a quarter of an hour: the live hint asks on every change of the hall. */
const forecasts = new WeakMap<Kysely<Database>, Map<number, { day: string; at: number; advice: StaffingAdvice }>>();
const FORECAST_KEPT_MS = 15 * 60_000;

async function todaysAdvice(db: Kysely<Database>, hall: Hall, now: number): Promise<StaffingAdvice> {
  const day = businessDay(now, hall.timezone);
  let halls = forecasts.get(db);
  if (!halls) forecasts.set(db, (halls = new Map()));
  const kept = halls.get(hall.id);
  if (kept && kept.day === day && now - kept.at < FORECAST_KEPT_MS && kept.advice.targetMinutes === hall.settings.slaTargetWaitMinutes
    && kept.advice.goalPercent === hall.settings.staffingGoalPercent) return kept.advice;
  const advice = await staffingAdvice(db, hall, day, 8);
  halls.set(hall.id, { day, at: now, advice });
  return advice;
}

/**
 * The pool that handles a service first: a domain window's, where one in use has it in its first
 * tier; a special window's, where only special windows serve it; else the comprehensive windows'.
 */
function homePool(windows: readonly HallWindow[], serviceId: number): StaffingPool {
  const serving = windows.filter((w) => w.active && tierOf(w, serviceId) !== -1);
  if (serving.some((w) => w.kind === 'domain' && tierOf(w, serviceId) === 0)) return 'domain';
  if (serving.length > 0 && serving.every((w) => w.kind === 'special')) return 'special';
  return 'comprehensive';
}

/**
 * 排班提示: per pool, the queue now and the next hour's expected arrivals (today's advice, the
 * rest of this hour and the start of the next), and the windows that keep the wait target through
 * the hour — beside the windows open now. The live view says 「建议再开 N 个…窗口」 from it.
 */
export async function staffingNow(db: Kysely<Database>, hall: Hall, snap: QueueSnapshot, now: number): Promise<StaffingNow> {
  const [advice, windows] = await Promise.all([todaysAdvice(db, hall, now), windowsOfHall(db, hall.id)]);
  const targetMinutes = hall.settings.slaTargetWaitMinutes;
  const goal = hall.settings.staffingGoalPercent / 100;
  const hour = hourOf(now, hall.timezone);
  const minuteOfHour = new Date(now + zoneOffset(now, hall.timezone)).getUTCMinutes();
  const rest = (60 - minuteOfHour) / 60;
  const rowOf = (pool: StaffingPool, h: number) => advice.hours.find((r) => r.pool === pool && r.hour === `${String(h).padStart(2, '0')}:00`);
  const waitingBy = new Map<StaffingPool, number>();
  for (const s of snap.services) waitingBy.set(homePool(windows, s.serviceId), (waitingBy.get(homePool(windows, s.serviceId)) ?? 0) + s.waiting);
  const stateOf = new Map(snap.windows.map((w) => [w.windowId, w.state]));

  const pools: StaffingNowPool[] = [];
  for (const pool of ['comprehensive', 'domain', 'special'] as const) {
    const mine = windows.filter((w) => w.active && w.kind === pool);
    const open = mine.filter((w) => stateOf.get(w.id) === 'open').length;
    const closed = mine.filter((w) => stateOf.get(w.id) === 'closed').length;
    const waiting = waitingBy.get(pool) ?? 0;
    const arrivals = rest * (rowOf(pool, hour)?.arrivals ?? 0) + (1 - rest) * (rowOf(pool, hour + 1)?.arrivals ?? 0);
    if (mine.length === 0 && waiting === 0) continue;
    if (waiting === 0 && arrivals === 0 && open === 0) continue;
    const handlingMinutes = advice.hours.find((r) => r.pool === pool)?.handlingMinutes ?? 10;
    const perMinute = arrivals / 60;
    const advised = windowsForHour(waiting, perMinute, handlingMinutes, targetMinutes, goal);
    const withOpen = hourAhead(open, waiting, perMinute, handlingMinutes, targetMinutes);
    const withAdvised = hourAhead(advised, waiting, perMinute, handlingMinutes, targetMinutes);
    pools.push({
      pool, waiting, arrivalsNextHour: round1(arrivals), handlingMinutes: round1(handlingMinutes), open, closed, advised,
      waitNow: nullableRound(withOpen.waitNow), waitInHour: nullableRound(withOpen.waitInHour), level: pct(withOpen.level),
      waitNowAdvised: nullableRound(withAdvised.waitNow), waitInHourAdvised: nullableRound(withAdvised.waitInHour), levelAdvised: advised === 0 ? null : pct(withAdvised.level),
    });
  }
  return { targetMinutes, goalPercent: hall.settings.staffingGoalPercent, pools };
}
