import { describe, expect, it } from 'vitest';
import { businessDay, zoneOffset } from '../../server/domain/business-day.js';
import { seededRandom } from '../../server/domain/random.js';
import { EWMA_ALPHA, estimateWait, nextHandlingAverage } from '../../server/domain/estimate.js';
import { hashPassword, newPassword, newTicketToken, verifyPassword } from '../../server/domain/secrets.js';
import { displayNumber } from '../../server/tickets/views.js';

describe('businessDay', () => {
  it('follows the hall timezone, not UTC', () => {
    // 2026-11-25 23:30 UTC is already 11-26 07:30 in Shanghai.
    const t = Date.UTC(2026, 10, 25, 23, 30);
    expect(businessDay(t, 'Asia/Shanghai')).toBe('2026-11-26');
    expect(businessDay(t, 'UTC')).toBe('2026-11-25');
  });

  it('changes exactly at local midnight', () => {
    const midnightShanghai = Date.UTC(2026, 10, 25, 16, 0); // 00:00 on the 26th, UTC+8
    expect(businessDay(midnightShanghai - 1, 'Asia/Shanghai')).toBe('2026-11-25');
    expect(businessDay(midnightShanghai, 'Asia/Shanghai')).toBe('2026-11-26');
  });
});

describe('zone offsets, measured once per zone and quarter hour', () => {
  it('give the date and offset Intl gives, at random instants and either side of daylight-saving changes', () => {
    const rand = seededRandom(42);
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
    const instants = Array.from({ length: 400 }, () => Date.UTC(2020, 0, 1) + Math.floor(rand() * 10 * 365 * 86_400_000));
    // 2026-03-08 07:00 UTC: New York springs forward; 2026-10-25 01:00 UTC: London falls back.
    for (const edge of [Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 9, 25, 1)]) instants.push(edge - 1, edge, edge + 1, edge - 1000, edge + 60_000);
    for (const timeZone of zones) {
      const dates = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      for (const ms of instants) {
        expect(businessDay(ms, timeZone), `${timeZone} ${new Date(ms).toISOString()}`).toBe(dates.format(ms));
        const p = Object.fromEntries(parts.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
        const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
        expect(zoneOffset(ms, timeZone), `${timeZone} ${new Date(ms).toISOString()}`).toBe(wall - Math.floor(ms / 1000) * 1000);
      }
    }
  });
});

describe('displayNumber', () => {
  it('is the prefix and at least three digits', () => {
    expect(displayNumber('A', 1)).toBe('A001');
    expect(displayNumber('B', 42)).toBe('B042');
    expect(displayNumber('C', 999)).toBe('C999');
    expect(displayNumber('C', 1000)).toBe('C1000');
  });
});

describe('wait estimate', () => {
  it('is the turns of the windows before them: (ahead − free windows + 1) ÷ serving windows × mean handling time, to the minute', () => {
    expect(estimateWait(6, 3, 0, 10 * 60_000)).toEqual({ peopleAhead: 6, servingWindows: 3, meanHandlingMinutes: 10, estimatedWaitMinutes: 23 }); // 7 turns ÷ 3 × 10
    expect(estimateWait(1, 2, 0, 5 * 60_000).estimatedWaitMinutes).toBe(5); // (1 + 1) ÷ 2 × 5
    expect(estimateWait(0, 2, 1, 5 * 60_000).estimatedWaitMinutes).toBe(0); // a free window takes them at once
    expect(estimateWait(2, 4, 3, 5 * 60_000).estimatedWaitMinutes).toBe(0); // three free windows, two ahead
    expect(estimateWait(2, 4, 0, 5 * 60_000).estimatedWaitMinutes).toBe(4); // 3.75 → 4
    expect(estimateWait(0, 4, 0, 5 * 60_000).estimatedWaitMinutes).toBe(1); // 1.25 → 1
    expect(estimateWait(0, 12, 0, 3 * 60_000).estimatedWaitMinutes).toBe(1); // 0.25: at least a minute while every window is busy
    // Every window busy and nobody ahead: one turn of a window (12 windows × 24 min: 2 min), not 0.
    expect(estimateWait(0, 12, 0, 24 * 60_000).estimatedWaitMinutes).toBe(2);
    expect(estimateWait(0, 1, 0, 10 * 60_000).estimatedWaitMinutes).toBe(10);
  });

  it('has no figure when no window can serve', () => {
    expect(estimateWait(4, 0, 0, 60_000).estimatedWaitMinutes).toBeNull();
  });

  it('moves the handling average towards new samples, ignoring absurd ones beyond the clamp', () => {
    const prev = 10 * 60_000;
    expect(nextHandlingAverage(prev, 20 * 60_000)).toBeCloseTo(prev + EWMA_ALPHA * 10 * 60_000);
    // A 1-second mis-click counts as 30 s; a forgotten 10-hour ticket as 2 h.
    expect(nextHandlingAverage(prev, 1000)).toBeCloseTo(prev + EWMA_ALPHA * (30_000 - prev));
    expect(nextHandlingAverage(prev, 10 * 3600_000)).toBeCloseTo(prev + EWMA_ALPHA * (2 * 3600_000 - prev));
  });
});

describe('secrets', () => {
  it('hashes passwords with scrypt and verifies only the right one', async () => {
    const hash = await hashPassword('correct horse battery', 1 << 10);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(hash).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterz', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('makes 128-bit URL-safe ticket tokens and readable passwords', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newTicketToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newPassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{14}$/);
  });
});

describe('histogram quantiles', () => {
  it('are exact to the half-minute below 30 minutes and spread inside the wide buckets above', async () => {
    const { BUCKET_EDGES, quantile } = await import('../../server/rollups/rollup.js');
    const hist = (pairs: [number, number][]) => {
      const h = new Array<number>(BUCKET_EDGES.length).fill(0);
      for (const [minutes, n] of pairs) h[BUCKET_EDGES.findLastIndex((e) => e <= minutes)]! += n;
      return h;
    };
    expect(quantile(hist([[2, 10]]), 0.5)).toBe(2.5);
    // Two groups whose P90 both fall in 60–70 no longer read the same 65.
    const a = quantile(hist([[10, 80], [61, 20]]), 0.9)!;
    const b = quantile(hist([[10, 50], [61, 50]]), 0.9)!;
    expect(a).toBeGreaterThanOrEqual(60);
    expect(b).toBeLessThan(70);
    expect(a).not.toBe(b);
    expect(quantile(hist([[300, 5]]), 0.9)).toBe(240);
    expect(quantile(hist([]), 0.9)).toBeNull();
  });
});
