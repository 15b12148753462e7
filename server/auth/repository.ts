import type { Kysely } from 'kysely';
import type { Database, DeviceRow, SessionRow, StaffRow } from '../db/schema.js';

export async function findActiveSession(db: Kysely<Database>, id: string, now: number): Promise<{ session: SessionRow; staff: StaffRow } | undefined> {
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!session) return undefined;
  const staff = await db.selectFrom('staff').selectAll().where('id', '=', session.staff_id).executeTakeFirst();
  if (!staff || staff.disabled) return undefined;
  return { session, staff };
}

export async function insertSession(db: Kysely<Database>, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function revokeSession(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).execute();
}

export async function revokeStaffSessions(db: Kysely<Database>, staffId: number, now: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('staff_id', '=', staffId).where('revoked_at', 'is', null).execute();
}

export async function setSessionWindow(db: Kysely<Database>, id: string, windowId: number | null): Promise<void> {
  await db.updateTable('sessions').set({ window_id: windowId }).where('id', '=', id).execute();
}

export async function findActiveDeviceByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function touchDevice(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function findStaffByUsername(db: Kysely<Database>, username: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Deletes sessions that expired or were revoked before `before`. Returns how many. */
export async function pruneSessions(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
