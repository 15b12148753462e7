import { sql, type Kysely } from 'kysely';
import type { HallEvent, HallEventType } from '../../protocol/events.js';
import type { Database } from '../db/schema.js';

export interface NewHallEvent {
  type: HallEventType;
  windowId?: number | null;
  ticketToken?: string | null;
  payload: Record<string, unknown>;
}

/** Takes the hall's next seq (serializing the hall's writers) and stores the event. */
export async function appendEvent(db: Kysely<Database>, hallId: number, event: NewHallEvent, at: number): Promise<HallEvent> {
  const counter = await db
    .updateTable('hall_event_counters')
    .set({ last_seq: sql`last_seq + 1` })
    .where('hall_id', '=', hallId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const row = {
    hall_id: hallId,
    seq: counter.last_seq,
    type: event.type,
    window_id: event.windowId ?? null,
    ticket_token: event.ticketToken ?? null,
    payload: JSON.stringify(event.payload),
    created_at: at,
  };
  await db.insertInto('events').values(row).execute();
  return {
    hallId, seq: row.seq, type: event.type, windowId: row.window_id, ticketToken: row.ticket_token,
    payload: event.payload, at,
  };
}

export async function lastSeq(db: Kysely<Database>, hallId: number): Promise<number> {
  const row = await db.selectFrom('hall_event_counters').select('last_seq').where('hall_id', '=', hallId).executeTakeFirst();
  return row?.last_seq ?? 0;
}

export async function listEventsAfter(db: Kysely<Database>, hallId: number, after: number, limit: number): Promise<HallEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    hallId: r.hall_id,
    seq: r.seq,
    type: r.type as HallEventType,
    windowId: r.window_id,
    ticketToken: r.ticket_token,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    at: r.created_at,
  }));
}
