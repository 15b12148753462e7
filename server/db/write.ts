import { sql, type Transaction } from 'kysely';
import type { HallEvent } from '../../protocol/events.js';
import type { Clock } from '../clock.js';
import type { EventBus } from './bus.js';
import { appendEvent, lockHallLog, type NewHallEvent } from './event-log.js';
import { type Db, storageFault } from './connect.js';
import { ServiceUnavailableError } from '../errors.js';
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
  return write(deps, (w) => work({ ...deps, db: w.trx, within: w }));
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
 *
 * On SQLite, changes that arrive while one is being written share its transaction (group commit):
 * each runs inside its own savepoint, so a refused change undoes only itself, and the batch
 * commits with one fsync (synchronous=FULL kept). Nobody hears an answer, a refusal included,
 * before the batch's commit is durable: a refusal may rest on what an earlier change of the
 * batch wrote. On PostgreSQL each change is its own transaction, on its own connection; the
 * server groups concurrent commits itself.
 */
export async function write<T>(deps: WriteDeps, work: (w: Write) => Promise<T>): Promise<T> {
  if (deps.within) return work(deps.within);
  if (!isPostgres(deps.db)) return committerOf(deps.db).submit(deps, work);
  const change = newChange(deps, work, publishOrderOf(deps.bus));
  try {
    await deps.db.transaction().execute((trx) => change.run(trx));
  } catch (err) {
    change.abandon();
    throw err;
  }
  return change.finish();
}

interface Change<T> {
  run(trx: Transaction<Database>): Promise<void>;
  /** After commit: publishes the events, runs the after-commit tasks, gives back the result. */
  finish(): T;
  /** After a rollback: lets the hall's later changes publish. */
  abandon(): void;
}

/**
 * On PostgreSQL, this process's changes to one hall publish their events in seq order. Each takes
 * its seq under the hall's lock and holds it to its commit, so the order in which their seqs
 * came back is the commit order; but two commits' answers can reach this process the other way
 * round. A change's events wait for those of every change of the hall that took its seq earlier
 * here (committed or rolled back; each does one or the other within its transaction).
 */
export class PublishOrder {
  readonly #halls = new Map<number, { events: readonly HallEvent[] | null; settled: boolean }[]>();

  constructor(private readonly bus: EventBus) {}

  enter(hallId: number) {
    const entry = { events: null as readonly HallEvent[] | null, settled: false };
    const queue = this.#halls.get(hallId) ?? [];
    queue.push(entry);
    this.#halls.set(hallId, queue);
    return (events: readonly HallEvent[] | null) => {
      entry.settled = true;
      entry.events = events;
      while (queue.length > 0 && queue[0]!.settled) {
        const head = queue.shift()!;
        if (head.events) this.bus.publish(head.events);
      }
      if (queue.length === 0 && this.#halls.get(hallId) === queue) this.#halls.delete(hallId);
    };
  }
}

const publishOrders = new WeakMap<EventBus, PublishOrder>();

function publishOrderOf(bus: EventBus): PublishOrder {
  let order = publishOrders.get(bus);
  if (!order) publishOrders.set(bus, (order = new PublishOrder(bus)));
  return order;
}

function newChange<T>(deps: WriteDeps, work: (w: Write) => Promise<T>, order: PublishOrder | null = null): Change<T> {
  let recorded: HallEvent[] = [];
  let tasks: (() => void)[] = [];
  let result: T;
  /** Per hall this change wrote to (PostgreSQL): its place in the hall's publish order. */
  const places = new Map<number, (events: readonly HallEvent[] | null) => void>();
  return {
    async run(trx) {
      recorded = [];
      tasks = [];
      const now = deps.clock.now();
      result = await work({
        trx,
        now,
        record: async (hallId, event) => {
          const stored = await appendEvent(trx, hallId, event, now);
          if (order && !places.has(hallId)) places.set(hallId, order.enter(hallId));
          recorded.push(stored);
          return stored;
        },
        afterCommit: (task) => tasks.push(task),
        bus: deps.bus,
        lockHall: (hallId) => lockHallLog(trx, hallId),
      });
    },
    finish() {
      if (places.size === 0) deps.bus.publish(recorded);
      for (const [hallId, settle] of places) settle(recorded.filter((e) => e.hallId === hallId));
      for (const task of tasks) task();
      return result;
    },
    abandon() {
      for (const settle of places.values()) settle(null);
    },
  };
}

/** A change waiting for, or written in, a batch; settled only after the batch commits. */
interface Pending {
  change: Change<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** Set when the change was refused: its savepoint was rolled back; the others go on. */
  refused?: { error: unknown };
}

/** Changes per transaction at most, so one batch never holds the write lock for long. */
const MAX_BATCH = 64;

class GroupCommit {
  #queue: Pending[] = [];
  #running = false;
  /** Transactions committed, and the changes (refused ones included) they carried. */
  readonly counts = { batches: 0, changes: 0 };
  constructor(readonly db: Db) {}

  submit<T>(deps: WriteDeps, work: (w: Write) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ change: newChange(deps, work), resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) await this.#batch();
    } finally {
      this.#running = false;
    }
  }

  async #batch(): Promise<void> {
    const batch: Pending[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        // Changes that arrive while this batch is being written join it. better-sqlite3 runs a
        // change start to end without letting the event loop turn, so before committing, one
        // turn lets requests already received reach this queue and share the commit.
        while (batch.length < MAX_BATCH) {
          if (this.#queue.length === 0) {
            await new Promise((resolve) => setImmediate(resolve));
            if (this.#queue.length === 0) break;
          }
          const pending = this.#queue.shift()!;
          batch.push(pending);
          await sql`savepoint change`.execute(trx);
          try {
            await pending.change.run(trx);
          } catch (error) {
            pending.refused = { error };
            try {
              await sql`rollback to change`.execute(trx);
            } catch {
              // After a disk fault SQLite may have ended the whole transaction: the batch fails
              // with the fault, and every change in it is answered with it.
              throw error;
            }
          }
          await sql`release change`.execute(trx);
        }
      });
    } catch (err) {
      // The batch did not commit (or could not begin): none of its changes happened.
      const failed = batch.length > 0 ? batch : this.#queue.splice(0);
      for (const pending of failed) pending.reject(pending.refused && !isStoreFault(err) ? pending.refused.error : err);
      return;
    }
    this.counts.batches++;
    this.counts.changes += batch.length;
    for (const pending of batch) {
      if (pending.refused) {
        pending.reject(pending.refused.error);
        continue;
      }
      // A listener that throws fails its own change's answer (as before batching), not the batch's.
      try {
        pending.resolve(pending.change.finish());
      } catch (err) {
        pending.reject(err);
      }
    }
  }
}

/** Whether the batch failed for the store's sake (not one change's refusal rethrown). */
function isStoreFault(err: unknown): boolean {
  return storageFault(err) !== null || err instanceof ServiceUnavailableError;
}

const committers = new WeakMap<Db, GroupCommit>();

/** How many SQLite transactions carried how many changes so far (benchmarks and tests read it). */
export function groupCommitCounts(db: Db): { batches: number; changes: number } {
  return { ...(committers.get(db)?.counts ?? { batches: 0, changes: 0 }) };
}

function committerOf(db: Db): GroupCommit {
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommit(db);
    committers.set(db, committer);
  }
  return committer;
}
