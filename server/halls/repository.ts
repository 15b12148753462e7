import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, HallRow, HallsTable } from '../db/schema.js';

export async function findHall(db: Kysely<Database>, id: number): Promise<HallRow | undefined> {
  return db.selectFrom('halls').selectAll().where('id', '=', id).executeTakeFirst();
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
