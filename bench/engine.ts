/**
 * The issuing engine in process, without HTTP: the write path alone (the hall change, group
 * commit, the statements), one at a time and 20 at a time, on a database file in WAL mode with
 * synchronous=FULL. What HTTP, validation and auth add is the difference to `issue.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../server/clock.js';
import { EventBus } from '../server/db/bus.js';
import { openDatabase } from '../server/db/connect.js';
import { groupCommitCounts } from '../server/db/write.js';
import { hallConfigReads } from '../server/changes/hall-config.js';
import { issueTicket } from '../server/tickets/service.js';
import { seedBenchHall } from './hall.js';

export async function engineBench(options: { tickets: number }): Promise<{ serial: number; parallel: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-engine-'));
  const db = openDatabase(path.join(dir, 'hall.sqlite'));
  try {
    const hall = await seedBenchHall(db);
    const deps = { db, clock: systemClock, bus: new EventBus() };
    const actor = { staffId: null, deviceId: null, system: false };
    const issue = () => issueTicket(deps, hall.hallId, { serviceId: hall.serviceId, channel: 'kiosk', priorityClass: 'normal' }, actor);
    for (let i = 0; i < 50; i++) await issue(); // warm up: statements prepared, the hall's configuration read

    const reads = hallConfigReads(db);
    let started = performance.now();
    for (let i = 0; i < options.tickets; i++) await issue();
    const serial = options.tickets / ((performance.now() - started) / 1000);

    const batches = groupCommitCounts(db);
    started = performance.now();
    for (let done = 0; done < options.tickets; done += 20) await Promise.all(Array.from({ length: 20 }, issue));
    const parallel = options.tickets / ((performance.now() - started) / 1000);
    const after = groupCommitCounts(db);
    console.log(`  in process, one at a time: ${serial.toFixed(0)} issues/s; 20 at a time: ${parallel.toFixed(0)} issues/s `
      + `(${((after.changes - batches.changes) / (after.batches - batches.batches)).toFixed(1)} changes per commit; `
      + `${hallConfigReads(db) - reads} reads of the hall's configuration in ${2 * options.tickets} issues)`);
    return { serial, parallel };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await engineBench({ tickets: Number(process.env.ENGINE_TICKETS ?? 2000) });
