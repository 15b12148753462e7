import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, HallRow, HallsTable } from '../db/schema.js';
import { prepared } from '../db/prepared.js';

/** Read on every request to a hall's path (the auth hook): compiled once. */
const hallById = prepared((db, id: number) => db.selectFrom('halls').selectAll().where('id', '=', id));

export async function findHall(db: Kysely<Database>, id: number): Promise<HallRow | undefined> {
  return hallById.first(db, id);
}

export async function listHalls(db: Kysely<Database>, onlyId: number | null): Promise<HallRow[]> {
  let q = db.selectFrom('halls').selectAll().orderBy('id');
  if (onlyId !== null) q = q.where('id', '=', onlyId);
  return q.execute();
}

/** A hall is born with its event counter, so its first event is seq 1. */
export async function insertHall(db: Kysely<Database>, row: Insertable<HallsTable>): Promise<HallRow> {
  const hall = await db.insertInto('halls').values(row).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('hall_event_counters').values({ hall_id: hall.id, last_seq: 0 }).execute();
  return hall;
}

export async function updateHall(db: Kysely<Database>, id: number, changes: Updateable<HallsTable>): Promise<HallRow> {
  return db.updateTable('halls').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** What a display zone may name: the hall's windows and its displays still in use. */
export async function zoneMembers(db: Kysely<Database>, hallId: number): Promise<{ windowIds: Set<number>; displayIds: Set<number> }> {
  const [windows, displays] = await Promise.all([
    db.selectFrom('windows').select('id').where('hall_id', '=', hallId).execute(),
    db.selectFrom('devices').select('id').where('hall_id', '=', hallId).where('kind', '=', 'display').where('revoked_at', 'is', null).execute(),
  ]);
  return { windowIds: new Set(windows.map((w) => w.id)), displayIds: new Set(displays.map((d) => d.id)) };
}
