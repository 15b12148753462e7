import { afterEach, describe, expect, it } from 'vitest';
import { loadHall } from '../../server/halls/service.js';
import { aggregateRollups, invalidateDay } from '../../server/rollups/rollup.js';
import { fillHistory } from '../../server/seed/history.js';
import { periodRollups } from '../../server/stats/service.js';
import { buildTestHall, type TestHall } from '../helpers.js';

let t: TestHall;
afterEach(async () => t?.close());

const sorted = (m: Map<string, unknown>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('whole months are summed once and kept', () => {
  it('a range over whole and partial months sums as the days do; a day changed later drops its month', async () => {
    t = await buildTestHall();
    const now = t.clock.now(); // 2026-11-25
    await fillHistory(t.db, { hallId: t.demo.hallId, days: 100, perDay: 120, now });
    const hall = await loadHall(t.db, t.demo.hallId);
    const [from, to] = ['2026-08-20', '2026-11-24']; // part of August, September and October whole, part of November

    const first = await periodRollups(t.db, hall, from, to, now);
    const months = await t.db.selectFrom('stat_rollups_monthly').select('month').distinct().execute();
    expect(months.map((m) => m.month).sort()).toEqual(['2026-09', '2026-10']);
    const byDays = await aggregateRollups(t.db, hall.id, from, to);
    expect(sorted(first.sums)).toEqual(sorted(byDays));

    // Kept: a second report reads the months' rows; the same figures.
    const again = await periodRollups(t.db, hall, from, to, now);
    expect(sorted(again.sums)).toEqual(sorted(byDays));

    // A late change to a day of September drops that day and September's sums, not October's.
    const before = first.sums.get('all:0')!.issued;
    await t.db.updateTable('tickets').set({ status: 'cancelled' }).where('business_day', '=', '2026-09-15').where('status', '=', 'done').execute();
    await invalidateDay(t.db, hall.id, '2026-09-15');
    expect((await t.db.selectFrom('stat_rollups_monthly').select('month').distinct().execute()).map((m) => m.month)).toEqual(['2026-10']);
    const after = await periodRollups(t.db, hall, from, to, now);
    expect(sorted(after.sums)).toEqual(sorted(await aggregateRollups(t.db, hall.id, from, to)));
    expect(after.sums.get('all:0')!.issued).toBe(before);
    expect(after.sums.get('all:0')!.served).toBeLessThan(first.sums.get('all:0')!.served);
  });
});
