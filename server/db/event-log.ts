import { sql, type Kysely } from 'kysely';
import type { EventPayload, HallEvent, HallEventType } from '../../protocol/events.js';
import { isPostgres } from './postgres.js';
import { prepared } from './prepared.js';
import type { Database } from './schema.js';

/** An event to record: its type and that type's payload (the log adds hall, seq and time). */
export type NewHallEvent = {
  [K in HallEventType]: { type: K; windowId?: number | null; ticketRef?: number | null; payload: EventPayload<K> };
}[HallEventType];

/** Takes the hall's next seq (serializing the hall's writers) and stores the event. */
export async function appendEvent(db: Kysely<Database>, hallId: number, event: NewHallEvent, at: number): Promise<HallEvent> {
  const row = { window_id: event.windowId ?? null, ticket_ref: event.ticketRef ?? null };
  const payload = JSON.stringify(event.payload);
  let seq: number | undefined;
  if (isPostgres(db)) {
    // One round trip while the hall's lock is held: the seq is taken and the event stored in one statement.
    seq = (await nextSeqAndEvent.first(db, hallId, event.type, row.window_id, row.ticket_ref, payload, at))?.seq;
  } else {
    seq = (await nextSeq.first(db, hallId))?.last_seq;
    if (seq !== undefined) await eventInsert.run(db, hallId, seq, event.type, row.window_id, row.ticket_ref, payload, at);
  }
  if (seq === undefined) throw new Error(`hall ${hallId} has no event counter`);
  // The type and its payload came in together, checked by NewHallEvent; TypeScript cannot
  // follow the pair through the spread.
  return { hallId, seq, type: event.type, windowId: row.window_id, ticketRef: row.ticket_ref, payload: event.payload, at } as HallEvent;
}

const nextSeq = prepared((db, hallId: number) => db.updateTable('hall_event_counters').set({ last_seq: sql`last_seq + 1` })
  .where('hall_id', '=', hallId).returning('last_seq'));

const eventInsert = prepared((db, hallId: number, seq: number, type: string, windowId: number | null, ticketRef: number | null, payload: string, at: number) => db
  .insertInto('events')
  .values({ hall_id: hallId, seq, type: type as HallEventType, window_id: windowId, ticket_ref: ticketRef, payload, created_at: at }));

const nextSeqAndEvent = prepared((db, hallId: number, type: string, windowId: number | null, ticketRef: number | null, payload: string, at: number) => db
  .with('counter', (w) => w.updateTable('hall_event_counters').set({ last_seq: sql`last_seq + 1` }).where('hall_id', '=', hallId).returning('last_seq'))
  .insertInto('events')
  .columns(['hall_id', 'seq', 'type', 'window_id', 'ticket_ref', 'payload', 'created_at'])
  .expression((eb) => eb.selectFrom('counter').select([
    sql<number>`${hallId}::integer`.as('hall_id'), 'counter.last_seq', sql<string>`${type}`.as('type'), sql<number | null>`${windowId}::integer`.as('window_id'),
    sql<number | null>`${ticketRef}::integer`.as('ticket_ref'), sql<string>`${payload}`.as('payload'), sql<number>`${at}::bigint`.as('created_at'),
  ]))
  .returning('seq'));

/**
 * Waits for, and holds to the end of the transaction, the row lock appendEvent takes: the hall's
 * writers then follow one another. Only PostgreSQL needs it; SQLite has one writer at a time.
 */
export async function lockHallLog(db: Kysely<Database>, hallId: number): Promise<void> {
  if (!isPostgres(db)) return;
  await hallLock.run(db, hallId);
}

const hallLock = prepared((db, hallId: number) => db.selectFrom('hall_event_counters').select('last_seq').where('hall_id', '=', hallId).forUpdate());

/**
 * The hall's configuration version (raised by triggers on every write to its configuration),
 * read under the lock of lockHallLog when `lock` is set: what a change reads next is then the
 * hall as the last commit left it. Undefined when the hall does not exist.
 */
export async function hallConfigVersion(db: Kysely<Database>, hallId: number, lock: boolean): Promise<number | undefined> {
  return (await (lock && isPostgres(db) ? configVersionLocked : configVersion).first(db, hallId))?.config_version;
}

const configVersion = prepared((db, hallId: number) => db.selectFrom('hall_event_counters').select('config_version').where('hall_id', '=', hallId));
const configVersionLocked = prepared((db, hallId: number) => db.selectFrom('hall_event_counters').select('config_version').where('hall_id', '=', hallId).forUpdate());

/**
 * Raises the configuration version of halls whose configuration changed through another hall's
 * rows (a district's holidays apply to every hall below it): the triggers see only the owner.
 */
export async function raiseConfigVersion(db: Kysely<Database>, hallIds: readonly number[]): Promise<void> {
  if (hallIds.length === 0) return;
  await db.updateTable('hall_event_counters').set({ config_version: sql`config_version + 1` }).where('hall_id', 'in', hallIds).execute();
}

export async function lastSeq(db: Kysely<Database>, hallId: number): Promise<number> {
  const row = await db.selectFrom('hall_event_counters').select('last_seq').where('hall_id', '=', hallId).executeTakeFirst();
  return row?.last_seq ?? 0;
}

export interface EventRange {
  after: number;
  /** Inclusive upper bound. */
  until?: number;
  /** Only the events of one ticket (the phone page's stream). */
  ticketRef?: number;
  limit: number;
}

export async function listEventsAfter(db: Kysely<Database>, hallId: number, after: number, limit: number): Promise<HallEvent[]> {
  return listEvents(db, hallId, { after, limit });
}

export async function listEvents(db: Kysely<Database>, hallId: number, range: EventRange): Promise<HallEvent[]> {
  let q = db.selectFrom('events').selectAll().where('hall_id', '=', hallId).where('seq', '>', range.after);
  if (range.until !== undefined) q = q.where('seq', '<=', range.until);
  if (range.ticketRef !== undefined) q = q.where('ticket_ref', '=', range.ticketRef);
  const rows = await q.orderBy('seq').limit(range.limit).execute();
  // Rows this server wrote through appendEvent: read back as the event they were.
  return rows.map((r) => ({
    hallId: r.hall_id,
    seq: r.seq,
    type: r.type,
    windowId: r.window_id,
    ticketRef: r.ticket_ref,
    payload: JSON.parse(r.payload),
    at: r.created_at,
  }) as HallEvent);
}

/** The first seq still kept for the hall (after pruning); lastSeq + 1 when none is kept. */
export async function firstRetainedSeq(db: Kysely<Database>, hallId: number): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.min('seq').as('first')).where('hall_id', '=', hallId).executeTakeFirst();
  return row?.first ?? (await lastSeq(db, hallId)) + 1;
}

/** Deletes events recorded before `before` (epoch ms). Returns how many. */
export async function pruneEvents(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('events').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
