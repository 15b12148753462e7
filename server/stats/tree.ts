import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { TreeLive, TreeStats } from '../../protocol/halls.js';
import type { Database } from '../db/schema.js';
import { isOverdue } from '../evaluations/rules.js';
import { subtree } from '../halls/service.js';
import { addInto, emptyRollup } from '../rollups/rollup.js';
import { casesOfPeriod } from './repository.js';
import { checkRange, liveStats, periodRollups, toRow } from './service.js';

/**
 * A district's view: the hall and every hall below it (街道, 社区), each with its own figures and
 * all of them summed. Only the district's managers ask (routes check); the halls below stay
 * closed to them otherwise.
 */
export async function treeLive(db: Kysely<Database>, rootId: number, now: number): Promise<z.infer<typeof TreeLive>> {
  const halls = await subtree(db, rootId);
  const rows = [];
  for (const hall of halls) {
    const live = await liveStats(db, hall, now);
    rows.push({
      hallId: hall.id, name: hall.name, level: hall.level, parentId: hall.parentId, depth: hall.depth,
      waiting: live.waiting, longestWaitMinutes: live.longestWaitMinutes, windowsOpen: live.windowsOpen,
      issuedToday: live.issuedToday, servedToday: live.servedToday,
    });
  }
  const longest = rows.map((r) => r.longestWaitMinutes).filter((m): m is number => m !== null);
  return {
    halls: rows,
    total: {
      waiting: rows.reduce((n, r) => n + r.waiting, 0),
      longestWaitMinutes: longest.length ? Math.max(...longest) : null,
      windowsOpen: rows.reduce((n, r) => n + r.windowsOpen, 0),
      issuedToday: rows.reduce((n, r) => n + r.issuedToday, 0),
      servedToday: rows.reduce((n, r) => n + r.servedToday, 0),
    },
  };
}

export async function treeStats(db: Kysely<Database>, rootId: number, from: string, to: string, now: number): Promise<z.infer<typeof TreeStats>> {
  checkRange(from, to);
  const halls = await subtree(db, rootId);
  const sum = emptyRollup('all', 0);
  let casesOpened = 0;
  let casesOverdue = 0;
  const rows = [];
  for (const hall of halls) {
    const { sums } = await periodRollups(db, hall, from, to, now);
    const all = sums.get('all:0') ?? emptyRollup('all', 0);
    addInto(sum, all);
    const cases = (await casesOfPeriod(db, hall.id, from, to)).filter((c) => c.appeal_state !== 'voided');
    const overdue = cases.filter((c) => isOverdue(c, now)).length;
    casesOpened += cases.length;
    casesOverdue += overdue;
    rows.push({
      hallId: hall.id, name: hall.name, level: hall.level, parentId: hall.parentId, depth: hall.depth,
      totals: toRow(all, hall.id, hall.name), casesOpened: cases.length, casesOverdue: overdue,
    });
  }
  return { from, to, halls: rows, total: { totals: toRow(sum, 'all', '合计'), casesOpened, casesOverdue } };
}
