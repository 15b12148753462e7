import type { Kysely } from 'kysely';
import type { Database, SessionRow, StaffRow } from '../db/schema.js';

/** Staff sessions: server-side, revocable, with an absolute lifetime and an inactivity timeout. */
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

/** Ends a person's sessions (all, or all but `exceptId`: the one changing its password); returns the ids ended. */
export async function revokeStaffSessions(db: Kysely<Database>, staffId: number, now: number, exceptId?: string): Promise<string[]> {
  let q = db.updateTable('sessions').set({ revoked_at: now }).where('staff_id', '=', staffId).where('revoked_at', 'is', null);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.returning('id').execute()).map((r) => r.id);
}

export async function touchSession(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function setSessionWindow(db: Kysely<Database>, id: string, windowId: number | null): Promise<void> {
  await db.updateTable('sessions').set({ window_id: windowId }).where('id', '=', id).execute();
}

export async function pruneSessions(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

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

/** Sessions signed in to a window that closes leave it; returns their ids. */
export async function detachSessionsFromWindow(db: Kysely<Database>, windowId: number): Promise<string[]> {
  const rows = await db.updateTable('sessions').set({ window_id: null }).where('window_id', '=', windowId).returning('id').execute();
  return rows.map((r) => r.id);
}
