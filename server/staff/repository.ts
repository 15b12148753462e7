import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, StaffRow, StaffTable } from '../db/schema.js';

export async function listStaff(db: Kysely<Database>, hallId: number): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().where('hall_id', '=', hallId).orderBy('id').execute();
}

export async function findStaff(db: Kysely<Database>, hallId: number | null, id: number): Promise<StaffRow | undefined> {
  let q = db.selectFrom('staff').selectAll().where('id', '=', id);
  if (hallId !== null) q = q.where('hall_id', '=', hallId);
  return q.executeTakeFirst();
}

export async function insertStaff(db: Kysely<Database>, row: Insertable<StaffTable>): Promise<StaffRow> {
  return db.insertInto('staff').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateStaff(db: Kysely<Database>, id: number, changes: Updateable<StaffTable>): Promise<StaffRow> {
  return db.updateTable('staff').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
