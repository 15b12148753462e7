import type { Kysely } from 'kysely';

// 好差评 to the provincial platform: every rating, appeal decision and case step becomes a record
// here (the outbox), made from the committed rows, then delivered over a signed HTTP feed with
// retries. `record_id` names it for the platform (idempotent: the same record is never made
// twice, and a redelivery carries the same id).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feed_records')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id'))
    .addColumn('record_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'integer')
    .execute();
  await db.schema.createIndex('feed_records_due').on('feed_records').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('feed_records_hall').on('feed_records').columns(['hall_id', 'id']).execute();
  // Ratings and case steps are looked for by time: the records not made yet are the recent ones.
  await db.schema.createIndex('evaluations_created').on('evaluations').column('created_at').execute();
  await db.schema.createIndex('case_steps_at').on('case_steps').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_steps_at').execute();
  await db.schema.dropIndex('evaluations_created').execute();
  await db.schema.dropTable('feed_records').execute();
}
