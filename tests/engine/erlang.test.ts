import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../server/domain/random.js';
import type { Actor } from '../../server/domain/actor.js';
import { callNext, finish, issueTicket, start as startServing } from '../../server/tickets/service.js';
import { buildTestHall, expectStatus, login, type TestHall } from '../helpers.js';

/**
 * The wait estimate shown to citizens, checked against queueing theory: a simulated hall with
 * Poisson arrivals, exponential service times and c windows (M/M/c), driven through the real
 * engine in process (the hall is set up over HTTP; the 1,200 citizens go through the engine's own
 * functions, as the routes call them, on both stores) with a hand-moved clock. The measured mean wait must match Erlang C, and the
 * estimates printed on the slips must match the waits people then had.
 */

/** Erlang C: the probability that an arrival has to wait, c servers, offered load a = λ/μ. */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1; // k = 0
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c; // a^c / c!
  const tail = last * (c / (c - a));
  return tail / (sum + tail);
}

/** Mean time in queue for M/M/c. */
export function erlangCMeanWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}


const exponential = (rand: () => number, rate: number) => -Math.log(1 - rand()) / rate;

/**
 * The same hall as a plain M/M/c FIFO simulation, drawing random numbers in the same order as
 * the engine-driven run below: for one seed both must give the same waits.
 */
function referenceWaits(seed: number, customers: number, c: number, lambda: number, mu: number): number[] {
  const rand = seededRandom(seed);
  const queue: number[] = [];
  const busyUntil: (number | null)[] = Array(c).fill(null);
  const waits: number[] = [];
  let nextArrival = exponential(rand, lambda);
  let arrived = 0;
  while (arrived < customers || busyUntil.some((b) => b !== null)) {
    const nextFinish = Math.min(...busyUntil.map((b) => b ?? Infinity));
    const now = arrived < customers ? Math.min(nextArrival, nextFinish) : nextFinish;
    if (arrived < customers && nextArrival <= nextFinish) {
      queue.push(now);
      arrived++;
      nextArrival = now + exponential(rand, lambda);
    } else {
      busyUntil[busyUntil.indexOf(nextFinish)] = null;
    }
    for (let i = 0; i < c; i++) {
      if (busyUntil[i] !== null || queue.length === 0) continue;
      waits.push(now - queue.shift()!);
      busyUntil[i] = now + exponential(rand, mu);
    }
  }
  return waits;
}

describe('Erlang C', () => {
  it('is what a long M/M/c simulation converges to', () => {
    // A million citizens in the reference simulation: the mean wait is within 5 % of Erlang C.
    const c = 4;
    const mu = 1 / 3;
    const lambda = 0.8 * c * mu;
    const waits = referenceWaits(7, 1_000_000, c, lambda, mu).slice(1000);
    const mean = waits.reduce((s, w) => s + w, 0) / waits.length;
    expect(mean / erlangCMeanWait(c, lambda, mu)).toBeGreaterThan(0.95);
    expect(mean / erlangCMeanWait(c, lambda, mu)).toBeLessThan(1.05);
  });

  it('matches known values', () => {
    // c = 2, a = 1 (ρ = 0.5): C = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 10);
    // c = 1 reduces to M/M/1: P(wait) = ρ, Wq = ρ / (μ − λ).
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 10);
    expect(erlangCMeanWait(1, 0.7, 1)).toBeCloseTo(0.7 / 0.3, 10);
  });
});

interface Arrival {
  waitMin: number;
  estimateMin: number | null;
  ahead: number;
  /** Every window was busy when the citizen took the number. */
  allBusy: boolean;
}

const C = 4;
const MEAN_SERVICE_MIN = 3;
const CUSTOMERS = 1200;
const WARMUP = 100;
const mu = 1 / MEAN_SERVICE_MIN; // per minute

/**
 * A hall of C windows at load ρ driven through the engine: arrivals and completions earliest
 * first, every free window calling at once. Returns each citizen's wait and the estimate on their slip.
 */
async function simulateHall(t: TestHall, rho: number, seed: number): Promise<Arrival[]> {
  const lambda = rho * C * mu;
  const results: Arrival[] = [];
  // ~19 simulated hours at ρ = 0.8: start just after midnight so it stays one business day.
  t.clock.set(Date.UTC(2026, 10, 24, 16, 5)); // 00:05 on 25 Nov in Shanghai
  const admin = await t.as('admin');
  const hall = expectStatus(await admin.post('/api/v1/halls', { name: '模拟大厅', settings: { agingMinutes: 600 } }), 201);
  const base = `/api/v1/halls/${hall.id}`;
  const service = expectStatus(await admin.post(`${base}/services`, {
    code: 'sim', nameZh: '模拟业务', nameEn: 'Simulated', prefix: 'S', expectedMinutes: MEAN_SERVICE_MIN, dailyQuota: null,
  }), 201);
  const device = expectStatus(await admin.post(`${base}/devices`, { kind: 'kiosk', name: '模拟取号机' }), 201);
  const kiosk: Actor = { staffId: null, deviceId: device.id, system: false };
  const deps = { db: t.db, clock: t.clock, bus: t.bus };
  const clerks: { actor: Actor; windowId: number; busyUntil: number | null }[] = [];
  for (let i = 0; i < C; i++) {
    const w = expectStatus(await admin.post(`${base}/windows`, { number: String(i + 1), kind: 'comprehensive' }), 201);
    const s = expectStatus(await admin.post(`${base}/staff`, { username: `sim${hall.id}_${i}`, displayName: `模拟${i}`, role: 'clerk' }), 201);
    const client = await login(t.app, `sim${hall.id}_${i}`, s.password);
    expectStatus(await client.post(`${base}/windows/${w.id}/sign-in`), 200);
    clerks.push({ actor: { staffId: s.id, deviceId: null, system: false }, windowId: w.id, busyUntil: null });
  }

  const rand = seededRandom(seed);
  const start = t.clock.now();
  const MIN = 60_000;
  let nextArrival = start + exponential(rand, lambda) * MIN;
  let arrived = 0;
  const issued = new Map<number, { at: number; estimate: number | null; ahead: number; allBusy: boolean }>();

  // Event loop over simulated time: arrivals and service completions, earliest first.
  while (arrived < CUSTOMERS || clerks.some((c) => c.busyUntil !== null)) {
    const nextFinish = Math.min(...clerks.map((c) => c.busyUntil ?? Infinity));
    const now = arrived < CUSTOMERS ? Math.min(nextArrival, nextFinish) : nextFinish;
    t.clock.set(Math.round(now));
    if (arrived < CUSTOMERS && nextArrival <= nextFinish) {
      const allBusy = clerks.every((c) => c.busyUntil !== null);
      const { ticket, estimate } = await issueTicket(deps, hall.id, { serviceId: service.id, channel: 'kiosk', priorityClass: 'normal' }, kiosk);
      issued.set(ticket.id, { at: t.clock.now(), estimate: estimate.estimatedWaitMinutes, ahead: estimate.peopleAhead, allBusy });
      arrived++;
      nextArrival = now + exponential(rand, lambda) * MIN;
    } else {
      const clerk = clerks.find((c) => c.busyUntil === nextFinish)!;
      await finish(deps, hall.id, clerk.windowId, undefined, clerk.actor);
      clerk.busyUntil = null;
    }
    // Every free window calls the next citizen at once.
    for (const clerk of clerks) {
      if (clerk.busyUntil !== null) continue;
      const called = await callNext(deps, hall.id, clerk.windowId, clerk.actor);
      if (!called) continue;
      await startServing(deps, hall.id, clerk.windowId, called.id, clerk.actor);
      const info = issued.get(called.id)!;
      results.push({ waitMin: (t.clock.now() - info.at) / MIN, estimateMin: info.estimate, ahead: info.ahead, allBusy: info.allBusy });
      clerk.busyUntil = t.clock.now() + exponential(rand, mu) * MIN;
    }
  }
  return results;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('the wait estimate against a simulated M/M/c hall', () => {
  const RHO = 0.8;
  const lambda = RHO * C * mu;
  let t: TestHall;
  const SEED = 20261125;
  let results: Arrival[] = [];

  beforeAll(async () => {
    t = await buildTestHall({ config: { sessionTtlMs: 24 * 3600_000 } });
    results = await simulateHall(t, RHO, SEED);
  }, 60_000);
  afterAll(async () => t.close());

  it('the engine serves the simulated hall exactly as an M/M/c FIFO queue', () => {
    // Same seed, same draws: every citizen waits what the reference simulation says, to the
    // millisecond the clock keeps. (A single run this short is far from Erlang C's long-run mean
    // — its waits are strongly correlated — which is why the theory is checked on the reference.)
    const reference = referenceWaits(SEED, CUSTOMERS, C, lambda, mu);
    expect(results).toHaveLength(CUSTOMERS);
    const worst = Math.max(...results.map((r, i) => Math.abs(r.waitMin - reference[i]!)));
    expect(worst).toBeLessThan(0.001);
    const measured = results.slice(WARMUP).reduce((s, r) => s + r.waitMin, 0) / (results.length - WARMUP);
    console.log(`M/M/${C}, ρ=${RHO}, mean service ${MEAN_SERVICE_MIN} min, ${CUSTOMERS} citizens through the engine: mean wait ${measured.toFixed(2)} min (Erlang C long-run mean ${erlangCMeanWait(C, lambda, mu).toFixed(2)} min)`);
  });

  it('the estimate on the slip tracks the wait people then had', () => {
    const steady = results.slice(WARMUP).filter((r) => r.estimateMin !== null);
    const meanEstimate = steady.reduce((s, r) => s + r.estimateMin!, 0) / steady.length;
    const meanWait = steady.reduce((s, r) => s + r.waitMin, 0) / steady.length;
    // Average absolute error per citizen, against the mean wait: the estimate is a guide, not a promise.
    const mae = steady.reduce((s, r) => s + Math.abs(r.estimateMin! - r.waitMin), 0) / steady.length;
    console.log(`slip estimate: mean ${meanEstimate.toFixed(2)} min vs actual ${meanWait.toFixed(2)} min; mean absolute error ${mae.toFixed(2)} min`);
    expect(meanEstimate / meanWait).toBeGreaterThan(0.6);
    expect(meanEstimate / meanWait).toBeLessThan(1.4);
    // More people ahead means a longer estimate and, on average, a longer wait.
    const short = steady.filter((r) => r.ahead <= 2);
    const long = steady.filter((r) => r.ahead >= 8);
    const avg = (xs: typeof steady) => xs.reduce((s, r) => s + r.waitMin, 0) / xs.length;
    expect(long.length).toBeGreaterThan(20);
    expect(avg(long)).toBeGreaterThan(avg(short));
  });
});

describe('the wait estimate in a full hall (ρ = 0.95)', () => {
  let t: TestHall;
  let results: Arrival[] = [];

  beforeAll(async () => {
    t = await buildTestHall({ config: { sessionTtlMs: 24 * 3600_000 } });
    results = await simulateHall(t, 0.95, 20261204);
  }, 60_000);
  afterAll(async () => t.close());

  it('is right on average for citizens who arrive when every window is busy, and never 0 for them', () => {
    const full = results.slice(WARMUP).filter((r) => r.allBusy && r.estimateMin !== null);
    expect(full.length).toBeGreaterThan(500);
    const meanWait = mean(full.map((r) => r.waitMin));
    const meanEstimate = mean(full.map((r) => r.estimateMin!));
    const signed = mean(full.map((r) => r.estimateMin! - r.waitMin));
    const mae = mean(full.map((r) => Math.abs(r.estimateMin! - r.waitMin)));
    // The same rule with the true mean handling time instead of the service's moving average.
    const withTrueMean = mean(full.map((r) => ((r.ahead + 1) * MEAN_SERVICE_MIN) / C));
    console.log(`ρ=0.95, ${full.length} citizens arriving with all ${C} windows busy: estimate mean ${meanEstimate.toFixed(2)} min vs wait ${meanWait.toFixed(2)} min; `
      + `mean error ${signed.toFixed(2)} min, mean absolute error ${mae.toFixed(2)} min; with the true mean handling time the rule gives ${withTrueMean.toFixed(2)} min`);
    expect(Math.abs(signed) / meanWait).toBeLessThan(0.15);
    // Nobody ahead but every window busy: one turn of a window (3 min ÷ 4 windows → at least 1 minute), not 0.
    const nobodyAhead = full.filter((r) => r.ahead === 0);
    expect(nobodyAhead.length).toBeGreaterThan(0);
    for (const r of nobodyAhead) expect(r.estimateMin).toBeGreaterThanOrEqual(1);
  });
});
