import { type Kysely, sql } from 'kysely';

// 在线排队: a citizen takes today's number from their phone before coming. Such a ticket waits
// like any other but is not in the hall until its arrival is confirmed (`arrived_at`); passed
// over at the head of its queue meanwhile (`passed_at`, the start of its grace period); its
// 8-digit arrival code is typed or scanned at the kiosk. Every earlier ticket was taken in the
// hall. Services cap the numbers they give out online per hour (0: not offered online).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('arrived_at', 'integer').execute();
  await db.schema.alterTable('tickets').addColumn('passed_at', 'integer').execute();
  await db.schema.alterTable('tickets').addColumn('arrival_code', 'text').execute();
  await sql`update tickets set arrived_at = issued_at`.execute(db);
  await sql`create index tickets_arrival_code on tickets (hall_id, business_day, arrival_code) where arrival_code is not null`.execute(db);
  // Limits per phone and caps per service and hour read online tickets only: partial indexes,
  // which the write-hot path of every other ticket does not maintain.
  await sql`create index tickets_online_phone on tickets (phone, issued_at) where channel = 'online'`.execute(db);
  await sql`create index tickets_online_hour on tickets (hall_id, service_id, issued_at) where channel = 'online'`.execute(db);
  await db.schema.alterTable('services').addColumn('online_per_hour', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('services').dropColumn('online_per_hour').execute();
  await sql`drop index tickets_online_hour`.execute(db);
  await sql`drop index tickets_online_phone`.execute(db);
  await sql`drop index tickets_arrival_code`.execute(db);
  await db.schema.alterTable('tickets').dropColumn('arrival_code').execute();
  await db.schema.alterTable('tickets').dropColumn('passed_at').execute();
  await db.schema.alterTable('tickets').dropColumn('arrived_at').execute();
}
