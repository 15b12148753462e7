import { describe, expect, it } from 'vitest';
import { adviseDay, dayAhead, erlangC, meanWaitMinutes, serviceLevel, windowsNeeded } from '../../protocol/erlang.js';

describe('Erlang C (staffing advice and its what-if)', () => {
  it('matches known values', () => {
    // c = 2, a = 1: C = 1/3. c = 1 is M/M/1: C = ρ, Wq = ρ / (μ − λ).
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(meanWaitMinutes(1, 0.07, 10)).toBeCloseTo(0.7 / (0.1 - 0.07), 9);
    // A classic call-centre figure: 10 agents, a = 8 Erlang: P(wait) ≈ 0.409.
    expect(erlangC(10, 8)).toBeCloseTo(0.4092, 3);
    expect(erlangC(3, 3)).toBe(1);
    expect(meanWaitMinutes(3, 0.3, 10)).toBeNull();
  });

  it('gives the fewest windows that hold the target, and one fewer misses it', () => {
    // 120 citizens an hour, 10 minutes each, 90 % within 15 minutes.
    const need = windowsNeeded(2, 10, 15, 0.9);
    expect(serviceLevel(need, 2, 10, 15)).toBeGreaterThanOrEqual(0.9);
    expect(serviceLevel(need - 1, 2, 10, 15)).toBeLessThan(0.9);
    expect(need).toBeGreaterThan(20); // at least the load, 20 Erlang
    expect(windowsNeeded(0, 10, 15, 0.9)).toBe(0);
    // More windows never serve worse.
    for (let c = need; c < need + 5; c++) expect(serviceLevel(c + 1, 2, 10, 15)).toBeGreaterThanOrEqual(serviceLevel(c, 2, 10, 15));
  });
});

describe('a day lived hour by hour (dayAhead, adviseDay)', () => {
  const load = { perMinute: 1, handlingMin: 8 }; // a = 8 Erlangs
  it('a long steady day settles where Erlang C says', () => {
    const day = dayAhead(Array(12).fill(load), Array(12).fill(10), 5);
    expect(day.at(-1)!.level).toBeCloseTo(serviceLevel(10, 1, 8, 5), 2);
    expect(day.at(-1)!.meanWait!).toBeCloseTo(meanWaitMinutes(10, 1, 8)!, 1);
    // The first hour starts with nobody in the hall: better than the steady state.
    expect(day[0]!.level).toBeGreaterThan(day.at(-1)!.level);
  });

  it('advises per hour the fewest windows that hold the goal, given the queue the hours before left', () => {
    const hours = [0.5, 1.5, 1, 0.3, 1.2].map((perMinute) => ({ perMinute, handlingMin: 10 }));
    const advised = adviseDay(hours, 20, 0.8);
    const levels = dayAhead(hours, advised, 20);
    for (const l of levels) expect(l.level).toBeGreaterThanOrEqual(0.8);
    advised.forEach((c, i) => {
      const fewer = advised.map((x, j) => (j === i ? c - 1 : x));
      expect(dayAhead(hours, fewer, 20)[i]!.level).toBeLessThan(0.8);
    });
    // A window fewer in the morning leaves a queue the next hour pays for.
    const morningShort = dayAhead(hours, advised.map((x, j) => (j === 1 ? x - 1 : x)), 20);
    expect(morningShort[2]!.level).toBeLessThan(levels[2]!.level);
  });
});

describe('a day with handling times of nothing', () => {
  it('is followed in bounded steps (no endless loop) and advises windows', () => {
    const hours = [{ perMinute: 0.5, handlingMin: 0 }, { perMinute: 0.2, handlingMin: 0 }];
    expect(adviseDay(hours, 20, 0.8)).toEqual([1, 1]);
    expect(dayAhead(hours, [1, 1], 20).every((h) => h.level > 0.99)).toBe(true);
  });
});
