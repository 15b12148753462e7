import type { Kysely } from 'kysely';
import type { Database, ServiceRow } from '../db/schema.js';
import { businessDay } from '../domain/business-day.js';
import { addDays, type Exceptions } from '../domain/calendar.js';
import { exceptionsBetween } from '../calendar/repository.js';
import { NotFoundError } from '../errors.js';
import { type Hall, loadHall } from '../halls/service.js';
import { listServices } from '../services/repository.js';
import { type HallWindow, windowsOfHall } from '../windows/service.js';

/**
 * A service as configured. Its moving average of handling time is left out on purpose: every
 * finished ticket changes it, on any process, so it is read from its row where it is needed.
 */
export type ServiceConfig = Omit<ServiceRow, 'ewma_handling_ms'>;

/** How far ahead the calendar is kept: deadlines of 15 working days and the next opening fit in it. */
export const CALENDAR_DAYS = 90;

/** What a change reads of its hall's configuration, read once per version and business day. */
export interface HallConfig {
  /** `hall_event_counters.config_version` when this was read (raised by triggers on every config write). */
  readonly version: number;
  /** The business day the calendar starts on. */
  readonly day: string;
  readonly hall: Hall;
  readonly services: ReadonlyMap<number, ServiceConfig>;
  readonly windows: readonly HallWindow[];
  /** Holidays and make-up days from `day` for CALENDAR_DAYS. */
  readonly calendar: Exceptions;
}

/** Reads the hall's configuration as of `version`, with the calendar from the business day at `now`. */
export async function readHallConfig(db: Kysely<Database>, hallId: number, version: number, now: number): Promise<HallConfig> {
  const hall = await loadHall(db, hallId);
  const day = businessDay(now, hall.timezone);
  const [services, windows, calendar] = await Promise.all([
    listServices(db, hallId), windowsOfHall(db, hallId), exceptionsBetween(db, hallId, day, addDays(day, CALENDAR_DAYS)),
  ]);
  return {
    version, day, hall: deepFreeze(hall), windows: deepFreeze(windows), calendar,
    services: new Map(services.map(({ ewma_handling_ms: _, ...s }) => [s.id, Object.freeze(s)])),
  };
}

/**
 * Each process's copies, per database and hall. A copy is kept only after the transaction that
 * read it committed (a batch that rolls back leaves nothing behind), and only if it is newer than
 * the one kept.
 */
const kept = new WeakMap<Kysely<Database>, Map<number, HallConfig>>();

/** The kept copy, if it is of this version and its business day is still the day at `now`. */
export function keptConfig(db: Kysely<Database>, hallId: number, version: number, now: number): HallConfig | undefined {
  const config = kept.get(db)?.get(hallId);
  return config && config.version === version && config.day === businessDay(now, config.hall.timezone) ? config : undefined;
}

const reads = new WeakMap<Kysely<Database>, number>();

/** How many times this process read a hall's configuration from the store (benchmarks and tests). */
export function hallConfigReads(db: Kysely<Database>): number {
  return reads.get(db) ?? 0;
}

export function countConfigRead(db: Kysely<Database>): void {
  reads.set(db, (reads.get(db) ?? 0) + 1);
}

export function keepConfig(db: Kysely<Database>, config: HallConfig): void {
  let halls = kept.get(db);
  if (!halls) kept.set(db, (halls = new Map()));
  const current = halls.get(config.hall.id);
  if (!current || current.version <= config.version) halls.set(config.hall.id, config);
}

export function serviceOf(config: HallConfig, id: number): ServiceConfig {
  const service = config.services.get(id);
  if (!service) throw new NotFoundError('SERVICE_NOT_FOUND', `Service ${id} does not exist in hall ${config.hall.id}.`);
  return service;
}

export function windowOf(config: HallConfig, id: number): HallWindow {
  const window = config.windows.find((w) => w.id === id);
  if (!window) throw new NotFoundError('WINDOW_NOT_FOUND', `Window ${id} does not exist in hall ${config.hall.id}.`);
  return window;
}

/** Kept copies are shared by every change that follows: nobody may change them in place. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
