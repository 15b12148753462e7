import { type Insertable, type Kysely, sql } from 'kysely';
import { isPostgres } from '../db/postgres.js';
import type { Database, NotificationRow, NotificationsTable } from '../db/schema.js';

/** Stores a message unless one of its kind exists for the ticket or booking already (then: false). */
export async function insertOnce(db: Kysely<Database>, row: Insertable<NotificationsTable>): Promise<boolean> {
  const result = await db.insertInto('notifications').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Takes up to `limit` due messages for this sender until `leaseUntil`: another sender (a second
 * server process, or this one's next round while a slow gateway answers) does not see them as
 * due until then, so one message is not sent twice. A sender that dies mid-send leaves its
 * messages to be taken again after the lease. On PostgreSQL rows another process is claiming
 * right now are skipped (SKIP LOCKED), not waited for.
 */
export async function claimDue(db: Kysely<Database>, now: number, limit: number, leaseUntil: number): Promise<NotificationRow[]> {
  let due = db.selectFrom('notifications').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at').orderBy('id').limit(limit);
  if (isPostgres(db)) due = due.forUpdate().skipLocked();
  const rows = await db.updateTable('notifications').set({ next_attempt_at: leaseUntil }).where('id', 'in', due).returningAll().execute();
  return rows.sort((a, b) => a.id - b.id);
}

export async function markSent(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable('notifications').set({ status: 'sent', sent_at: now, attempts: sql`attempts + 1`, last_error: null }).where('id', '=', id).execute();
}

/** Done with, but never sent: kept in the outbox because the hall has no SMS gateway. */
export async function markKept(db: Kysely<Database>, id: number): Promise<void> {
  await db.updateTable('notifications').set({ status: 'kept', sent_at: null, attempts: sql`attempts + 1`, last_error: null }).where('id', '=', id).execute();
}

export async function markFailedAttempt(db: Kysely<Database>, id: number, error: string, nextAttemptAt: number | null): Promise<void> {
  await db.updateTable('notifications')
    .set({ attempts: sql`attempts + 1`, last_error: error.slice(0, 500), ...(nextAttemptAt === null ? { status: 'failed' as const } : { next_attempt_at: nextAttemptAt }) })
    .where('id', '=', id).execute();
}

export async function listNotifications(db: Kysely<Database>, hallId: number, filter: { status?: NotificationRow['status']; limit: number }): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('hall_id', '=', hallId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Waiting tickets of a day that left a number and have not yet been told how many are ahead. */
export async function phonedWaiting(db: Kysely<Database>, hallId: number, day: string) {
  return db.selectFrom('tickets').select(['tickets.id'])
    .where('tickets.hall_id', '=', hallId).where('tickets.business_day', '=', day).where('tickets.status', '=', 'waiting')
    .where('tickets.phone', 'is not', null)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('notifications').select('notifications.id').whereRef('notifications.ticket_id', '=', 'tickets.id').where('notifications.kind', '=', 'ahead'),
    )))
    .execute();
}

/** Bookings whose slot starts within `withinMs` and that have not been reminded. */
export async function bookingsToRemind(db: Kysely<Database>, hallId: number, now: number, withinMs: number) {
  // Reminders go to proven numbers only: an unconfirmed booking's number may be anyone's.
  return db.selectFrom('appointments').selectAll().where('hall_id', '=', hallId).where('status', '=', 'booked').where('phone_verified', '=', 1)
    .where('reminded_at', 'is', null).where('slot_start', '>', now).where('slot_start', '<=', now + withinMs).execute();
}
