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

export async function findStaffByUsername(db: Kysely<Database>, username: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function clearTwoFactor(db: Kysely<Database>, staffId: number): Promise<void> {
  await db.updateTable('staff').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', staffId).execute();
  await db.deleteFrom('recovery_codes').where('staff_id', '=', staffId).execute();
}
