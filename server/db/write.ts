import type { Transaction } from 'kysely';
import type { HallEvent } from '../../protocol/events.js';
import type { Clock } from '../clock.js';
import type { EventBus } from './bus.js';
import { appendEvent, lockHallLog, type NewHallEvent } from './event-log.js';
import type { Db } from './connect.js';
import { isPostgres } from './postgres.js';
import type { Database } from './schema.js';

export interface WriteDeps {
  db: Db;
  clock: Clock;
  bus: EventBus;
  /**
   * A change already in progress: writes made with these deps join its transaction instead of
   * opening their own (the first start seeds everything in one transaction).
   */
  within?: Write;
}

export interface Write {
  trx: Transaction<Database>;
  /** The one "now" of this change: every row and event it writes carries the same time. */
  now: number;
  /** Appends an event to the hall's log inside this transaction. */
  record(hallId: number, event: NewHallEvent): Promise<HallEvent>;
  /** Runs after a successful commit (for example: disconnect a revoked session's sockets). */
  afterCommit(task: () => void): void;
  /** For signals that go out after commit (through afterCommit). */
  bus: EventBus;
  /**
   * Makes this change the hall's only writer until it commits, so what it reads next is the
   * hall as the last commit left it (SQLite runs one writer at a time anyway; on PostgreSQL
   * this takes the hall's event-counter row lock that appending an event would take later).
   */
  lockHall(hallId: number): Promise<void>;
}

/** Runs `work` as one transaction whose deps make every nested write join it. */
export async function writeAll<T, D extends WriteDeps>(deps: D, work: (inner: D) => Promise<T>): Promise<T> {
  return write(deps, (w) => work({ ...deps, db: w.trx as unknown as Db, within: w }));
}

/** A change to one hall that reads before it writes (a pick, a count against a limit): see lockHall. */
export async function writeInHall<T>(deps: WriteDeps, hallId: number, work: (w: Write) => Promise<T>): Promise<T> {
  return write(deps, async (w) => {
    await w.lockHall(hallId);
    return work(w);
  });
}

/**
 * The one write path: a transaction that changes state and appends its events, and after it
 * commits, the events go to the bus. A rolled-back change publishes nothing.
 */
export async function write<T>(deps: WriteDeps, work: (w: Write) => Promise<T>): Promise<T> {
  if (deps.within) return work(deps.within);
  const recorded: HallEvent[] = [];
  const tasks: (() => void)[] = [];
  const now = deps.clock.now();
  const serialized = !isPostgres(deps.db);
  const result = await deps.db.transaction().execute((trx) =>
    work({
      trx,
      now,
      record: async (hallId, event) => {
        const stored = await appendEvent(trx, hallId, event, now);
        recorded.push(stored);
        return stored;
      },
      afterCommit: (task) => tasks.push(task),
      bus: deps.bus,
      lockHall: async (hallId) => {
        if (!serialized) await lockHallLog(trx, hallId);
      },
    }),
  );
  deps.bus.publish(recorded);
  for (const task of tasks) task();
  return result;
}
