import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect.js';
import { groupCommitCounts } from '../../server/db/write.js';
import { buildTestHall, expectError, expectStatus, hallUrl, scratch, STORE } from '../helpers.js';

const { tempDir, keep } = scratch('group-commit');

describe('group commit: concurrent changes share a transaction, a savepoint each', () => {
  it('a refused change in a shared batch undoes only itself; nobody is answered before the commit', async () => {
    // On SQLite a database file, as the server runs: reads (the requests' sign-in checks) go
    // beside the write, so requests reach the committer while a batch is being written.
    const t = keep(await buildTestHall(STORE === 'sqlite' ? { db: openDatabase(path.join(tempDir(), 'hall.sqlite')) } : {}));
    const [open, closed] = Object.values(t.demo.serviceIds) as [number, number];
    await t.db.updateTable('services').set({ active: 0 }).where('id', '=', closed).execute();
    const kiosk = t.device('kiosk');
    const before = groupCommitCounts(t.db);
    const seqBefore = t.published.length;

    // 30 issues at once, every third one for a service that takes no numbers.
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      kiosk.post(hallUrl(t, '/tickets'), { serviceId: i % 3 === 2 ? closed : open })));
    const issued = answers.filter((_, i) => i % 3 !== 2).map((res) => expectStatus(res, 201).ticket as { id: number; displayNumber: string });
    for (const res of answers.filter((_, i) => i % 3 === 2)) expectError(res, 409, 'SERVICE_INACTIVE');

    // The refused ones took no number and no seq: both stay gap-free.
    expect(issued.map((x) => Number(x.displayNumber.slice(1))).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const events = t.published.slice(seqBefore);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => events[0]!.seq + i));
    const stored = await t.db.selectFrom('tickets').select('id').where('service_id', '=', open).execute();
    expect(stored.map((r) => r.id).sort((a, b) => a - b)).toEqual(issued.map((x) => x.id).sort((a, b) => a - b));

    const after = groupCommitCounts(t.db);
    if (STORE === 'sqlite') {
      // All 30 went through the committer, in fewer transactions than changes.
      expect(after.changes - before.changes).toBe(30);
      expect(after.batches - before.batches).toBeLessThan(30);
    } else {
      // PostgreSQL: each change is its own transaction on its own connection (no committer).
      expect(after).toEqual({ batches: 0, changes: 0 });
    }
  });
});
