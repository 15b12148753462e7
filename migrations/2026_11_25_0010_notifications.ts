import { type Kysely, sql } from 'kysely';

// SMS notices to citizens who leave a mobile number: every message is stored here first (the
// outbox), then handed to the configured sender (stored only, or an SMS gateway's webhook) with
// retries; the queue never waits for it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('phone', 'text').execute();
  await db.schema.alterTable('appointments').addColumn('reminded_at', 'integer').execute();
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('appointment_id', 'integer', (c) => c.references('appointments.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'integer')
    .execute();
  // One message of each kind per ticket and per booking, however often the trigger fires.
  await sql`create unique index notifications_ticket_kind on notifications (ticket_id, kind) where ticket_id is not null`.execute(db);
  await sql`create unique index notifications_appointment_kind on notifications (appointment_id, kind) where appointment_id is not null`.execute(db);
  await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notifications_hall').on('notifications').columns(['hall_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.alterTable('appointments').dropColumn('reminded_at').execute();
  await db.schema.alterTable('tickets').dropColumn('phone').execute();
}
