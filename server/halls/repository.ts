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
