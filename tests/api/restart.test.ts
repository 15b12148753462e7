import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../server/db/connect.js';
import { buildTestHall, issue, MINUTE, type TestHall } from '../helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('a restart on the same database file', () => {
  it('continues numbering where it stopped, and keeps the event log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-'));
    dirs.push(dir);
    const file = path.join(dir, 'hall.sqlite');

    const t: TestHall = await buildTestHall({ db: openDatabase(file) });
    for (let i = 0; i < 3; i++) await issue(t, 'social_security');
    const lastSeqBefore = t.published.at(-1)!.seq;
    const kioskToken = t.demo.devices.find((d) => d.kind === 'kiosk')!.token;
    await t.close(); // the server stops (as after a crash: every write was committed with synchronous=FULL)

    // Same file, new process state. Reusing the same seeded hall: reopen without re-seeding.
    const db = openDatabase(file);
    await migrateToLatest(db);
    const { buildApp } = await import('../../server/app.js');
    const { testConfig } = await import('../../server/config.js');
    const { ManualClock } = await import('../../server/clock.js');
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0));
    const app = await buildApp({ config: testConfig(), db, clock });
    const hallId = (await db.selectFrom('halls').select('id').executeTakeFirstOrThrow()).id;
    const serviceId = (await db.selectFrom('services').select('id').where('code', '=', 'social_security').executeTakeFirstOrThrow()).id;
    const res = await app.inject({
      method: 'POST', url: `/api/v1/halls/${hallId}/tickets`, headers: { authorization: `Bearer ${kioskToken}` }, payload: { serviceId },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().ticket.displayNumber).toBe('A004');
    const events = await db.selectFrom('events').select('seq').where('hall_id', '=', hallId).orderBy('seq').execute();
    expect(events.at(-1)!.seq).toBe(lastSeqBefore + 1);
    await app.close();
    await db.destroy();
  });

  it('a failed issue (quota) does not burn a number', async () => {
    const t = await buildTestHall();
    const manager = await t.as('manager');
    await manager.patch(`/api/v1/halls/${t.demo.hallId}/services/${t.demo.serviceIds.tax}`, { dailyQuota: 1 });
    await issue(t, 'tax');
    const refused = await t.device('kiosk').post(`/api/v1/halls/${t.demo.hallId}/tickets`, { serviceId: t.demo.serviceIds.tax });
    expect(refused.statusCode).toBe(409);
    await manager.patch(`/api/v1/halls/${t.demo.hallId}/services/${t.demo.serviceIds.tax}`, { dailyQuota: 2 });
    t.clock.advance(MINUTE);
    expect((await issue(t, 'tax')).displayNumber).toBe('G002');
    await t.close();
  });
});
