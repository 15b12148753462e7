import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import type { Actor } from '../../server/domain/actor.js';
import { seededRandom } from '../../server/domain/random.js';
import { callNext, finish, issueTicket, start as startServing } from '../../server/tickets/service.js';
import { buildTestHall, expectStatus, login, type TestHall } from '../helpers.js';

/**
 * 排班建议 validated on the engine. A hall of comprehensive windows lives three Wednesdays through
 * the engine's own functions, with arrivals from a daily curve with a lunch dip (Poisson within
 * each hour) and exponential handling (mean 10 minutes), always amply staffed; the advice for the
 * fourth Wednesday is asked over HTTP from that history alone. The fourth day is lived through the
 * engine staffed per hour as advised, and must match a plain FIFO reference of the same draws to
 * the millisecond; the reference then lives 300 such days as advised and with one window fewer in
 * every hour. The share of citizens who waited at most the target (等候达标率) must reach the goal
 * within the stated margin as advised (and what the advice expected), and miss it with one fewer.
 */

const ARRIVALS_PER_HOUR = [55, 85, 75, 30, 45, 70, 60, 35]; // 09:00 … 16:00; the lunch dip at 12:00
const MEAN_HANDLING_MIN = 10;
const WINDOWS = 24; // ample: history days open them all
const HISTORY = ['2026-11-04', '2026-11-11', '2026-11-18'];
const DAY = '2026-11-25';
/** The stated margin: as advised, the day's 达标率 is at least the goal minus this many points. */
const MARGIN_POINTS = 5;
const MIN = 60_000;
const at = (day: string, hhmm: string) => instantOf(day, hhmm, 'Asia/Shanghai');
const exponential = (rand: () => number, rate: number) => -Math.log(1 - rand()) / rate;

interface SimHall {
  t: TestHall;
  hallId: number;
  serviceId: number;
  kiosk: Actor;
  clerks: { actor: Actor; windowId: number }[];
}

/** The day's citizens: arrival instants (Poisson at each hour's rate) and their handling minutes, drawn once. */
function citizensOf(day: string, seed: number): { at: number; handlingMin: number }[] {
  const rand = seededRandom(seed);
  const out: { at: number; handlingMin: number }[] = [];
  ARRIVALS_PER_HOUR.forEach((perHour, i) => {
    const from = at(day, `${String(9 + i).padStart(2, '0')}:00`);
    for (let t = from + exponential(rand, perHour / 60) * MIN; t < from + 60 * MIN; t += exponential(rand, perHour / 60) * MIN) {
      out.push({ at: Math.round(t), handlingMin: exponential(rand, 1 / MEAN_HANDLING_MIN) });
    }
  });
  return out;
}

/** What a day is lived through: the engine, or a plain FIFO queue (the reference). */
interface Hall {
  issue(now: number): Promise<number>;
  call(window: number): Promise<number | null>;
  finish(window: number): Promise<void>;
}

function engineHall(h: SimHall): Hall {
  const deps = { db: h.t.db, clock: h.t.clock, bus: h.t.bus };
  return {
    issue: async () => (await issueTicket(deps, h.hallId, { serviceId: h.serviceId, channel: 'kiosk', priorityClass: 'normal' }, h.kiosk)).ticket.id,
    call: async (i) => {
      const called = await callNext(deps, h.hallId, h.clerks[i]!.windowId, h.clerks[i]!.actor);
      if (called) await startServing(deps, h.hallId, h.clerks[i]!.windowId, called.id, h.clerks[i]!.actor);
      return called?.id ?? null;
    },
    finish: async (i) => void (await finish(deps, h.hallId, h.clerks[i]!.windowId, undefined, h.clerks[i]!.actor)),
  };
}

function referenceHall(): Hall {
  const queue: number[] = [];
  let id = 0;
  return {
    issue: async () => (queue.push(++id), id),
    call: async () => queue.shift() ?? null,
    finish: async () => undefined,
  };
}

/**
 * Lives one day: arrivals and completions earliest first; at each hour the windows open are
 * `windowsAt(hour)` (a window closing finishes its citizen first); a free open window calls at
 * once. Returns each citizen's wait in minutes, in the order they were called.
 */
async function liveDay(hall: Hall, clock: { set(ms: number): void; now(): number } | null, day: string, seed: number, windowsAt: (hour: number) => number): Promise<number[]> {
  const citizens = citizensOf(day, seed);
  const busyUntil: (number | null)[] = Array.from({ length: WINDOWS }, () => null);
  const issuedAt = new Map<number, number>();
  const handling = new Map<number, number>();
  const waits: number[] = [];
  let next = 0;
  let waiting = 0;
  let now = at(day, '08:00');
  const openAt = (ms: number) => windowsAt(Math.min(16, new Date(ms + 8 * 3600_000).getUTCHours()));
  while (next < citizens.length || waiting > 0 || busyUntil.some((b) => b !== null)) {
    const nextFinish = Math.min(...busyUntil.map((b) => b ?? Infinity));
    const arrival = next < citizens.length ? citizens[next]!.at : Infinity;
    // Hour boundaries too: windows open there.
    now = Math.min(arrival, nextFinish, nextHourAfter(now));
    clock?.set(now);
    if (now === arrival) {
      const id = await hall.issue(now);
      issuedAt.set(id, now);
      handling.set(id, citizens[next]!.handlingMin);
      next++;
      waiting++;
    } else if (now === nextFinish) {
      const i = busyUntil.indexOf(nextFinish);
      await hall.finish(i);
      busyUntil[i] = null;
    }
    const open = openAt(now);
    for (let i = 0; i < open && waiting > 0; i++) {
      if (busyUntil[i] !== null) continue;
      const called = (await hall.call(i))!;
      waiting--;
      waits.push((now - issuedAt.get(called)!) / MIN);
      busyUntil[i] = now + Math.round(handling.get(called)! * MIN);
    }
  }
  return waits;
}

const nextHourAfter = (ms: number) => (Math.floor(ms / 3_600_000) + 1) * 3_600_000;

describe('排班建议 on simulated days through the engine', () => {
  let h: SimHall;
  let advised: number[] = [];
  let goal = 0;
  let target = 0;
  let modelLevel = 0;
  let engineDay: number[] = [];
  const share = (waits: number[]) => (100 * waits.filter((w) => w <= target).length) / waits.length;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

  beforeAll(async () => {
    const t = await buildTestHall({ config: { sessionTtlMs: 60 * 24 * 3600_000 } });
    t.clock.set(at(HISTORY[0]!, '08:00'));
    const admin = await t.as('admin');
    const hall = expectStatus(await admin.post('/api/v1/halls', {
      name: '排班模拟大厅', openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '09:00', close: '17:00' })), settings: { agingMinutes: 600 },
    }), 201);
    const base = `/api/v1/halls/${hall.id}`;
    const service = expectStatus(await admin.post(`${base}/services`, {
      code: 'sim', nameZh: '模拟业务', nameEn: 'Simulated', prefix: 'S', expectedMinutes: MEAN_HANDLING_MIN, dailyQuota: null,
    }), 201);
    const device = expectStatus(await admin.post(`${base}/devices`, { kind: 'kiosk', name: '模拟取号机' }), 201);
    const clerks: SimHall['clerks'] = [];
    for (let i = 0; i < WINDOWS; i++) {
      const w = expectStatus(await admin.post(`${base}/windows`, { number: String(i + 1), kind: 'comprehensive' }), 201);
      const s = expectStatus(await admin.post(`${base}/staff`, { username: `staffing${i}`, displayName: `模拟${i}`, role: 'clerk' }), 201);
      const client = await login(t.app, `staffing${i}`, s.password);
      expectStatus(await client.post(`${base}/windows/${w.id}/sign-in`), 200);
      clerks.push({ actor: { staffId: s.id, deviceId: null, system: false }, windowId: w.id });
    }
    h = { t, hallId: hall.id, serviceId: service.id, kiosk: { staffId: null, deviceId: device.id, system: false }, clerks };
    // Three past Wednesdays, every window open: the hall's history.
    for (const [i, day] of HISTORY.entries()) await liveDay(engineHall(h), t.clock, day, 100 + i, () => WINDOWS);

    t.clock.set(at(DAY, '07:00'));
    const advice = expectStatus(await (await t.as('admin')).get(`${base}/stats/staffing?day=${DAY}&weeks=3`), 200);
    expect(advice.comparableDays).toEqual([...HISTORY].reverse());
    const pool = advice.hours.filter((r: { pool: string }) => r.pool === 'comprehensive');
    expect(pool.map((r: { hour: string }) => r.hour)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    advised = pool.map((r: { advised: number }) => r.advised);
    goal = advice.goalPercent;
    target = advice.targetMinutes;
    // What the advice itself expects of the day: each hour's 达标率, weighted by its arrivals.
    modelLevel = pool.reduce((s: number, r: { arrivals: number; levelAdvised: number }) => s + r.arrivals * r.levelAdvised, 0)
      / pool.reduce((s: number, r: { arrivals: number }) => s + r.arrivals, 0);
    engineDay = await liveDay(engineHall(h), t.clock, DAY, 7, (hour) => advised[hour - 9]!);
  }, 240_000);
  afterAll(async () => h?.t.close());

  it('the engine lives the advised day exactly as a FIFO queue staffed per hour', async () => {
    const reference = await liveDay(referenceHall(), null, DAY, 7, (hour) => advised[hour - 9]!);
    expect(engineDay.length).toBeGreaterThan(400);
    expect(engineDay).toEqual(reference);
  });

  it('staffed as advised, 300 such days meet the wait target for the goal share within the margin; one window fewer misses it', async () => {
    // One day's 达标率 swings widely (the waits of a day are strongly correlated), so the claim is
    // about many days: 300 Wednesdays of the same hall, the reference standing in for the engine
    // it was just shown to match.
    const asAdvised: number[] = [];
    const oneFewer: number[] = [];
    const daily: number[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const day = await liveDay(referenceHall(), null, DAY, seed, (hour) => advised[hour - 9]!);
      asAdvised.push(...day);
      daily.push(share(day));
      oneFewer.push(...await liveDay(referenceHall(), null, DAY, seed, (hour) => Math.max(1, advised[hour - 9]! - 1)));
    }
    daily.sort((a, b) => a - b);
    const advisedLevel = share(asAdvised);
    const fewerLevel = share(oneFewer);
    console.log(`排班建议 validated: windows advised per hour ${advised.join(' ')} (${advised.reduce((a, b) => a + b, 0)} window-hours); `
      + `the engine's day: 达标率 ${share(engineDay).toFixed(1)} %; 300 days as advised: ${advisedLevel.toFixed(1)} % `
      + `(mean wait ${mean(asAdvised).toFixed(1)} min; one day's between ${daily[15]!.toFixed(0)} % and ${daily[284]!.toFixed(0)} % nine days in ten; the model expected ${modelLevel.toFixed(1)} %); `
      + `one window fewer: ${fewerLevel.toFixed(1)} % (mean wait ${mean(oneFewer).toFixed(1)} min); goal ${goal} % within ${target} min`);
    // The lunch dip needs fewer windows than the morning peak.
    expect(advised[3]).toBeLessThan(advised[1]!);
    expect(advisedLevel).toBeGreaterThanOrEqual(goal - MARGIN_POINTS);
    expect(Math.abs(advisedLevel - modelLevel)).toBeLessThan(MARGIN_POINTS);
    expect(fewerLevel).toBeLessThan(goal - MARGIN_POINTS);
  });
});
