import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isTicketEvent } from '../../protocol/transitions.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CallBoard } from '../../protocol/call-board.js';
import type { QueueSnapshot } from '../../protocol/queue.js';
import { openDatabase } from '../../server/db/connect.js';
import { pruneEvents } from '../../server/db/event-log.js';
import { buildTestHall, clerkAt, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl } from '../helpers.js';
import { listen, rawSocket, type Recorded, recordedFeed, seqs, waitFor } from './helpers.js';

const halls: TestHall[] = [];
const feeds: Recorded[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const f of feeds.splice(0)) f.feed.stop();
  for (const h of halls.splice(0)) await h.close().catch(() => undefined);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function hall(options: Parameters<typeof buildTestHall>[0] = {}): Promise<TestHall> {
  const t = await buildTestHall(options);
  halls.push(t);
  return t;
}

async function snapshot(t: TestHall): Promise<QueueSnapshot> {
  return expectStatus(await t.device('display').get(hallUrl(t, '/queue')), 200);
}

function displayFeed(t: TestHall, base: string, onSnapshot: (s: QueueSnapshot) => void = () => undefined): Recorded {
  const token = t.demo.devices.find((d) => d.kind === 'display')!.token;
  const rec = recordedFeed(base, {
    auth: { token },
    stream: 'hall',
    loadSnapshot: async () => {
      const snap = await snapshot(t);
      onSnapshot(snap);
      return { lastSeq: snap.lastSeq };
    },
  });
  feeds.push(rec);
  return rec;
}

async function dbLastSeq(t: TestHall): Promise<number> {
  return (await t.db.selectFrom('hall_event_counters').select('last_seq').where('hall_id', '=', t.demo.hallId).executeTakeFirstOrThrow()).last_seq;
}

function expectGapFree(list: number[], from: number, to: number) {
  expect(list).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

describe('catch-up after a reconnect', () => {
  it('a display disconnected while 20 calls happen receives all 20, in order, exactly once', async () => {
    const t = await hall();
    const base = await listen(t);
    const board = new CallBoard();
    const rec = displayFeed(t, base, (s) => board.load(s));
    await rec.until(() => rec.feed.status === 'live');
    for (let i = 0; i < 20; i++) await issue(t, 'social_security');
    const clerks = await Promise.all(['1', '2', '3', '4'].map((n, i) => clerkAt(t, `clerk0${i + 1}`, n)));
    const settled = await dbLastSeq(t);
    await rec.until(() => rec.feed.lastSeq === settled);

    rec.feed.socket.disconnect(); // the TV's network drops
    const seqBefore = rec.feed.lastSeq!;
    for (let round = 0; round < 5; round++) {
      for (const [i, clerk] of clerks.entries()) {
        const n = ['1', '2', '3', '4'][i]!;
        if (round > 0) {
          await clerk.post(windowUrl(t, n, 'start'));
          await clerk.post(windowUrl(t, n, 'finish'));
        }
        await clerk.post(windowUrl(t, n, 'call-next'));
      }
    }
    const target = await dbLastSeq(t);
    rec.feed.socket.connect(); // back online
    await rec.until(() => rec.feed.lastSeq === target);

    const after = rec.events.filter((e) => e.event.seq > seqBefore);
    expect(after.map((e) => e.event.seq)).toEqual(Array.from({ length: target - seqBefore }, (_, i) => seqBefore + 1 + i));
    const calls = after.map((e) => e.event).filter((e) => e.type === 'ticket:called');
    expect(calls.map((e) => e.payload.ticket)).toHaveLength(20);
    expect(calls.map((e) => e.payload.ticket.displayNumber)).toEqual(Array.from({ length: 20 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`));
    // Replayed, not live: a display must not announce them as new calls.
    expect(after.every((e) => e.live === false)).toBe(true);
    expectGapFree(seqs(rec), seqs(rec)[0]!, target);
    // The display's board, fed the same events, shows the four windows' latest calls.
    for (const e of rec.events) board.apply(e.event);
    expect([...board.current.values()].map((c) => c.displayNumber).sort()).toEqual(['A017', 'A018', 'A019', 'A020']);
    expect(board.recent[0]!.displayNumber).toBe('A020');
  });

  it('events committed while the catch-up runs are neither lost nor doubled', async () => {
    const t = await hall();
    const base = await listen(t);
    for (let i = 0; i < 30; i++) await issue(t, 'tax');
    // A raw socket asking for everything from seq 0 while 60 tickets are being issued.
    const s = rawSocket(base, { auth: { token: t.demo.devices[1]!.token, lastSeq: 0 } });
    const got: number[] = [];
    s.onAny((name: string, p: any) => {
      if (name.startsWith('ticket:') || name.startsWith('window:') || name.startsWith('service:') || name === 'event:withheld') got.push(p.seq);
    });
    const issuing = Promise.all(Array.from({ length: 60 }, () => issue(t, 'household')));
    const completed = await waitFor(s, 'catchup:completed');
    await issuing;
    const target = await dbLastSeq(t);
    if (!got.includes(target)) await waitFor(s, 'ticket:issued', (e: any) => e.seq === target);
    // Every seq arrived at least once; the client's seq check drops the odd duplicate.
    const unique = [...new Set(got)].sort((a, b) => a - b);
    expect(unique).toEqual(Array.from({ length: target }, (_, i) => i + 1));
    expect(completed.replayed).toBeGreaterThanOrEqual(30);
    s.disconnect();
  });

  it('the feed applies exactly once and in order while commits race its start', async () => {
    const t = await hall();
    const base = await listen(t);
    for (let i = 0; i < 10; i++) await issue(t, 'tax');
    let snapshotSeq = -1;
    const rec = displayFeed(t, base, (snap) => (snapshotSeq = snap.lastSeq));
    const issuing = Promise.all(Array.from({ length: 80 }, () => issue(t, 'household')));
    await issuing;
    const target = await dbLastSeq(t);
    await rec.until(() => rec.feed.lastSeq === target);
    // Everything after the snapshot, once each, in order; nothing the snapshot already holds.
    expect(rec.snapshots).toBe(1);
    expect(seqs(rec)).toEqual(Array.from({ length: target - snapshotSeq }, (_, i) => snapshotSeq + 1 + i));
  });

  it('a client too far behind (events pruned) is told to reload the snapshot', async () => {
    const t = await hall();
    const base = await listen(t);
    await issue(t, 'tax');
    t.clock.advance(3 * 24 * 60 * MINUTE);
    await issue(t, 'tax');
    const pruned = await pruneEvents(t.db, t.clock.now() - 48 * 60 * MINUTE);
    expect(pruned).toBeGreaterThan(0);
    const s = rawSocket(base, { auth: { token: t.demo.devices[1]!.token, lastSeq: 1 } });
    expect(await waitFor(s, 'catchup:failed')).toEqual({ reason: 'pruned', lastSeq: await dbLastSeq(t) });
    s.disconnect();
    const ahead = rawSocket(base, { auth: { token: t.demo.devices[1]!.token, lastSeq: 10_000 } });
    expect((await waitFor(ahead, 'catchup:failed')).reason).toBe('ahead');
    ahead.disconnect();

    // The feed handles it: it reloads the snapshot and carries on live.
    const rec = displayFeed(t, base);
    await rec.until(() => rec.feed.status === 'live');
    expect(rec.snapshots).toBe(1);
    const next = await issue(t, 'tax');
    await rec.until(() => rec.events.some((e) => e.event.type === 'ticket:issued' && e.event.payload.ticket.id === next.id));
    expect(rec.events.at(-1)!.live).toBe(true);
  });

  it('a server restart loses no event a client could have missed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-rt-'));
    dirs.push(dir);
    const file = path.join(dir, 'hall.sqlite');
    const first = await buildTestHall({ db: openDatabase(file) });
    const base = await listen(first);
    const port = Number(new URL(base).port);
    const rec = displayFeed(first, base);
    await rec.until(() => rec.feed.status === 'live');
    await issue(first, 'social_security');
    await rec.until(() => rec.events.some((e) => e.event.type === 'ticket:issued'));
    const seen = rec.feed.lastSeq!;
    await first.close(); // the server goes away; the display starts retrying

    // A new server on the same database: events written before it starts listening are exactly
    // the ones the display missed.
    const { buildApp } = await import('../../server/app.js');
    const { testConfig } = await import('../../server/config.js');
    const { migrateToLatest } = await import('../../server/db/connect.js');
    const db = openDatabase(file);
    await migrateToLatest(db);
    const app = await buildApp({ config: testConfig(), db, clock: first.clock });
    const kiosk = { authorization: `Bearer ${first.demo.devices[0]!.token}` };
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/halls/${first.demo.hallId}/tickets`, headers: kiosk, payload: { serviceId: first.demo.serviceIds.tax } });
      expect(res.statusCode).toBe(201);
    }
    const target = (await db.selectFrom('hall_event_counters').select('last_seq').executeTakeFirstOrThrow()).last_seq;
    await app.listen({ port, host: '127.0.0.1' });
    try {
      await rec.until(() => rec.feed.lastSeq === target);
      const missed = rec.events.filter((e) => e.event.seq > seen).map((e) => e.event.seq);
      expect(missed).toEqual(Array.from({ length: target - seen }, (_, i) => seen + 1 + i));
    } finally {
      rec.feed.stop();
      await app.close();
      await db.destroy();
    }
  });
});

describe('the phone page stream', () => {
  it('replays only its own ticket after a reconnect', async () => {
    const t = await hall();
    const base = await listen(t);
    const mine = await issue(t, 'social_security');
    const rec = recordedFeed(base, {
      auth: { ticketToken: mine.token },
      stream: 'ticket',
      loadSnapshot: async (serverLastSeq) => {
        expectStatus(await t.app.inject({ method: 'GET', url: `/api/v1/public/tickets/${mine.token}` }), 200);
        return { lastSeq: serverLastSeq };
      },
    });
    feeds.push(rec);
    await rec.until(() => rec.feed.status === 'live');
    rec.feed.socket.disconnect();
    const other = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next')); // me
    await clerk.post(windowUrl(t, '1', 'recall'));
    const target = await dbLastSeq(t);
    rec.feed.socket.connect();
    await rec.until(() => rec.feed.lastSeq === target);
    expect(rec.events.map((e) => `${e.event.type}:${isTicketEvent(e.event) ? e.event.payload.ticket.id : '-'}`)).toEqual([`ticket:called:${mine.id}`, `ticket:recalled:${mine.id}`]);
    expect(other.id).not.toBe(mine.id);
  });
});
