import type { Transaction } from 'kysely';
import type { HallEvent } from '../../protocol/events.js';
import type { Database } from '../db/schema.js';
import { hallConfigVersion, type NewHallEvent } from '../db/event-log.js';
import { write, type Write, type WriteDeps } from '../db/write.js';
import type { EventBus } from '../db/bus.js';
import { NotFoundError } from '../errors.js';
import { countConfigRead, type HallConfig, keepConfig, keptConfig, readHallConfig } from './hall-config.js';

/**
 * One change to one hall, as one value: its transaction, its one "now", the business day, and
 * the hall's configuration read once (from this process's copy when that is still current).
 * A change that needs another's logic calls it with the same value.
 */
export interface HallChange extends HallConfig {
  readonly trx: Transaction<Database>;
  readonly now: number;
  readonly config: HallConfig;
  /** Appends an event to this hall's log inside the transaction. */
  record(event: NewHallEvent): Promise<HallEvent>;
  /** Runs after a successful commit. */
  afterCommit(task: () => void): void;
  readonly bus: EventBus;
  /** For a change opened with `lockFirst: false`: makes it the hall's only writer from here on. */
  lockHall(): Promise<void>;
  /** The write underneath, for the few helpers shared with changes that are not a hall's. */
  readonly write: Write;
}

export interface InHallOptions {
  /**
   * Whether the hall's lock is taken before anything is read (the default). Issuing reads the
   * configuration without it and takes it only where it counts who is ahead, so on PostgreSQL
   * issues hold it as briefly as they can; the configuration it reads is then as of its start.
   */
  lockFirst?: boolean;
}

/** Opens a change to one hall (or joins the change in progress) and hands `work` its context. */
export async function inHall<T>(deps: WriteDeps, hallId: number, work: (change: HallChange) => Promise<T>, options: InHallOptions = {}): Promise<T> {
  return write(deps, async (w) => work(await openHallChange(deps, w, hallId, options.lockFirst ?? true)));
}

/** The context of a hall's change inside a write already open (for a change that first finds its hall). */
export async function openHallChange(deps: Pick<WriteDeps, 'db'>, w: Write, hallId: number, lockFirst = true): Promise<HallChange> {
  const version = await hallConfigVersion(w.trx, hallId, lockFirst);
  if (version === undefined) throw new NotFoundError('HALL_NOT_FOUND', `Hall ${hallId} does not exist.`);
  let config = keptConfig(deps.db, hallId, version, w.now);
  if (!config) {
    const fresh = await readHallConfig(w.trx, hallId, version, w.now);
    countConfigRead(deps.db);
    // Kept only once what it was read from has committed.
    w.afterCommit(() => keepConfig(deps.db, fresh));
    config = fresh;
  }
  return {
    ...config,
    config,
    trx: w.trx,
    now: w.now,
    record: (event) => w.record(hallId, event),
    afterCommit: w.afterCommit,
    bus: w.bus,
    lockHall: () => w.lockHall(hallId),
    write: w,
  };
}
