import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/postgres.js';
import type { Database, FeedRecordRow, FeedRecordsTable } from '../db/schema.js';
import type { Insertable } from 'kysely';

/** Ratings since an instant with no record yet, with what the record names (hall, service, window, clerk, ticket). */
export async function ratingsToFeed(db: Kysely<Database>, since: number) {
  return db.selectFrom('evaluations as e')
    .innerJoin('halls as h', 'h.id', 'e.hall_id')
    .innerJoin('services as s', 's.id', 'e.service_id')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .leftJoin('windows as w', 'w.id', 'e.window_id')
    .leftJoin('staff as st', 'st.id', 'e.staff_id')
    .select([
      'e.id', 'e.hall_id', 'e.level', 'e.tags', 'e.comment', 'e.source', 'e.created_at', 'e.window_id', 'e.service_id',
      'h.name as hall_name', 's.code as service_code', 's.name_zh as service_name', 'w.number as window_number',
      'st.staff_number', 'st.display_name as staff_name', 't.display_number', 't.business_day', 't.channel',
    ])
    .where('e.created_at', '>=', since)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('feed_records as f').select('f.id').whereRef('f.record_id', '=', sql<string>`'rating:' || e.id`))))
    .orderBy('e.id')
    .execute();
}

/** Appeal decisions since an instant with no record yet. */
export async function appealsToFeed(db: Kysely<Database>, since: number) {
  return db.selectFrom('evaluations as e')
    .innerJoin('halls as h', 'h.id', 'e.hall_id')
    .select(['e.id', 'e.hall_id', 'e.appeal_state', 'e.decided_at', 'h.name as hall_name'])
    .where('e.appeal_state', 'in', ['upheld', 'voided']).where('e.decided_at', '>=', since)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('feed_records as f').select('f.id').whereRef('f.record_id', '=', sql<string>`'appeal:' || e.id`))))
    .orderBy('e.id')
    .execute();
}

/** Case steps since an instant with no record yet. */
export async function caseStepsToFeed(db: Kysely<Database>, since: number) {
  return db.selectFrom('case_steps as cs')
    .innerJoin('evaluation_cases as c', 'c.id', 'cs.case_id')
    .innerJoin('halls as h', 'h.id', 'c.hall_id')
    .select([
      'cs.id', 'cs.case_id', 'cs.from_state', 'cs.to_state', 'cs.note', 'cs.at',
      'c.hall_id', 'c.evaluation_id', 'c.complaint_id', 'c.citizen_satisfied', 'h.name as hall_name',
    ])
    .where('cs.at', '>=', since)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('feed_records as f').select('f.id').whereRef('f.record_id', '=', sql<string>`'case-step:' || cs.id`))))
    .orderBy('cs.id')
    .execute();
}

/** Stores a record unless one with its id exists (another process made it first). */
export async function insertRecord(db: Kysely<Database>, row: Insertable<FeedRecordsTable>): Promise<void> {
  await db.insertInto('feed_records').values(row).onConflict((oc) => oc.column('record_id').doNothing()).execute();
}

/**
 * Takes up to `limit` due records until `leaseUntil`, oldest first: another process (or this
 * one's next round while the platform is slow) does not take them meanwhile.
 */
export async function claimDueRecords(db: Kysely<Database>, now: number, limit: number, leaseUntil: number): Promise<FeedRecordRow[]> {
  let due = db.selectFrom('feed_records').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now)
    .orderBy('id').limit(limit);
  if (isPostgres(db)) due = due.forUpdate().skipLocked();
  const rows = await db.updateTable('feed_records').set({ next_attempt_at: leaseUntil }).where('id', 'in', due).returningAll().execute();
  return rows.sort((a, b) => a.id - b.id);
}

export async function markRecordSent(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable('feed_records').set({ status: 'sent', sent_at: now, attempts: sql`attempts + 1`, last_error: null }).where('id', '=', id).execute();
}

export async function markRecordFailed(db: Kysely<Database>, id: number, error: string, nextAttemptAt: number | null): Promise<void> {
  await db.updateTable('feed_records')
    .set({ attempts: sql`attempts + 1`, last_error: error.slice(0, 500), ...(nextAttemptAt === null ? { status: 'failed' as const } : { next_attempt_at: nextAttemptAt }) })
    .where('id', '=', id).execute();
}

/** The manager's 重新推送: a hall's failed records are due again, with a fresh count of attempts. */
export async function retryFailedRecords(db: Kysely<Database>, hallId: number, now: number): Promise<number> {
  const result = await db.updateTable('feed_records').set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where('hall_id', '=', hallId).where('status', '=', 'failed').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listRecords(db: Kysely<Database>, hallId: number, filter: { status?: FeedRecordRow['status']; limit: number }): Promise<FeedRecordRow[]> {
  let q = db.selectFrom('feed_records').selectAll().where('hall_id', '=', hallId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}
