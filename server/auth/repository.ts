import type { Kysely } from 'kysely';
import type { Database, DeviceRow, SessionRow, StaffRow } from '../db/schema.js';

/** A session that is neither revoked, nor past its lifetime, nor idle longer than `idleMs`. */
export async function findActiveSession(db: Kysely<Database>, id: string, now: number, idleMs: number): Promise<{ session: SessionRow; staff: StaffRow } | undefined> {
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', now - idleMs)
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

export async function touchSession(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
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

/** Removes the second factor and its recovery codes (turned off, or reset with the password). */
export async function clearTwoFactor(db: Kysely<Database>, staffId: number): Promise<void> {
  await db.updateTable('staff').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', staffId).execute();
  await db.deleteFrom('recovery_codes').where('staff_id', '=', staffId).execute();
}

/** Of these session ids, the ones still active (not revoked, expired, idle, or of a disabled or pending account). */
export async function findActiveSessionIds(db: Kysely<Database>, ids: string[], now: number, idleMs: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('sessions').innerJoin('staff', 'staff.id', 'sessions.staff_id').select('sessions.id')
    .where('sessions.id', 'in', [...new Set(ids)])
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', now - idleMs)
    .where('staff.disabled', '=', 0)
    .where('staff.must_change_password', '=', 0)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Of these device ids, the ones not revoked. */
export async function findActiveDeviceIds(db: Kysely<Database>, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('devices').select('id').where('id', 'in', [...new Set(ids)]).where('revoked_at', 'is', null).execute();
  return new Set(rows.map((r) => r.id));
}
