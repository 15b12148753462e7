import { describe, expect, it } from 'vitest';
import { erlangC, meanWaitMinutes, serviceLevel, windowsNeeded } from '../../protocol/erlang.js';

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
