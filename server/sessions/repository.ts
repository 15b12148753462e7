import type { Kysely } from 'kysely';
import type { Database, SessionRow, StaffRow } from '../db/schema.js';

/**
 * Staff sessions: server-side, revocable, with an absolute lifetime and an inactivity timeout.
 * The one rule of a live session (not revoked, not expired, not idle, its person not disabled),
 * for one cookie (HTTP, handshake) and for many at once (the sockets' periodic check). What the
 * person still owes (a password, a second factor) is the caller's to ask: auth/service setupPending.
 */
export async function findActiveSessions(db: Kysely<Database>, ids: string[], now: number, idleMs: number): Promise<{ session: SessionRow; staff: StaffRow }[]> {
  if (ids.length === 0) return [];
  const sessions = await db.selectFrom('sessions').selectAll()
    .where('id', 'in', [...new Set(ids)])
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', now - idleMs)
    .execute();
  if (sessions.length === 0) return [];
  const staff = new Map((await db.selectFrom('staff').selectAll().where('id', 'in', [...new Set(sessions.map((s) => s.staff_id))]).where('disabled', '=', 0).execute())
    .map((row) => [row.id, row]));
  return sessions.flatMap((session) => {
    const person = staff.get(session.staff_id);
    return person ? [{ session, staff: person }] : [];
  });
}

export async function findActiveSession(db: Kysely<Database>, id: string, now: number, idleMs: number): Promise<{ session: SessionRow; staff: StaffRow } | undefined> {
  return (await findActiveSessions(db, [id], now, idleMs))[0];
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

/** Sessions signed in to a window that closes leave it; returns their ids. */
export async function detachSessionsFromWindow(db: Kysely<Database>, windowId: number): Promise<string[]> {
  const rows = await db.updateTable('sessions').set({ window_id: null }).where('window_id', '=', windowId).returning('id').execute();
  return rows.map((r) => r.id);
}
