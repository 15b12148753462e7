import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was on the day they landed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('halls')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('opening_hours', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();

  // One row per hall; incrementing it inside a write transaction serializes the hall's writers,
  // so seq order is commit order.
  await db.schema
    .createTable('hall_event_counters')
    .addColumn('hall_id', 'integer', (c) => c.primaryKey().references('halls.id').onDelete('cascade'))
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('window_id', 'integer')
    .addColumn('ticket_token', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['hall_id', 'seq'])
    .execute();
  await db.schema.createIndex('events_created_at').on('events').columns(['hall_id', 'created_at']).execute();

  await db.schema
    .createTable('services')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('expected_minutes', 'real', (c) => c.notNull())
    .addColumn('daily_quota', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('ewma_handling_ms', 'real', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('services_hall_prefix', ['hall_id', 'prefix'])
    .addUniqueConstraint('services_hall_code', ['hall_id', 'code'])
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.references('halls.id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('windows')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('special_purpose', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('windows_hall_number', ['hall_id', 'number'])
    .execute();

  await db.schema
    .createTable('window_services')
    .addColumn('window_id', 'integer', (c) => c.notNull().references('windows.id').onDelete('cascade'))
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('tier', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('window_services_pk', ['window_id', 'service_id'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha256 of the cookie value
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('window_id', 'integer', (c) => c.references('windows.id').onDelete('set null'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .execute();
  await db.schema.createIndex('sessions_staff').on('sessions').column('staff_id').execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('window_id', 'integer', (c) => c.references('windows.id').onDelete('set null'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .addColumn('last_seen_at', 'integer')
    .execute();

  // The last number handed out per hall, service and business day: the only source of numbers,
  // incremented in the issuing transaction, so a number is never handed out twice in a day.
  await db.schema
    .createTable('ticket_counters')
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_counters_pk', ['hall_id', 'service_id', 'business_day'])
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id'))
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('display_number', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('priority_class', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('window_id', 'integer', (c) => c.references('windows.id'))
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('target_window_id', 'integer', (c) => c.references('windows.id'))
    .addColumn('parent_ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('recall_count', 'integer', (c) => c.notNull())
    .addColumn('requeue_count', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'integer', (c) => c.notNull())
    .addColumn('queued_at', 'integer', (c) => c.notNull())
    .addColumn('called_at', 'integer')
    .addColumn('started_at', 'integer')
    .addColumn('finished_at', 'integer')
    .addColumn('appointment_start', 'integer')
    .addColumn('appointment_end', 'integer')
    .addColumn('issued_by_staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('issued_by_device_id', 'integer', (c) => c.references('devices.id'))
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_queue').on('tickets').columns(['hall_id', 'status', 'service_id']).execute();
  await db.schema.createIndex('tickets_day').on('tickets').columns(['hall_id', 'business_day']).execute();
  await db.schema.createIndex('tickets_token').on('tickets').column('token').execute();
  // A number belongs to one citizen per day; transferred entries reuse their parent's number.
  await sql`create unique index tickets_number on tickets (hall_id, service_id, business_day, number)
            where parent_ticket_id is null`.execute(db);
  // A window handles one citizen at a time: the database refuses a second active ticket.
  await sql`create unique index tickets_window_active on tickets (window_id)
            where status in ('called', 'serving')`.execute(db);
  // Only one entry of a transfer chain is live; the token always names that one.
  await sql`create unique index tickets_token_live on tickets (token)
            where status <> 'transferred'`.execute(db);

  await db.schema
    .createTable('ticket_transitions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('device_id', 'integer', (c) => c.references('devices.id'))
    .addColumn('window_id', 'integer', (c) => c.references('windows.id'))
    .addColumn('reason', 'text')
    .addColumn('at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_transitions_ticket').on('ticket_transitions').column('ticket_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'ticket_transitions', 'tickets', 'ticket_counters', 'devices', 'sessions', 'window_services',
    'windows', 'staff', 'services', 'events', 'hall_event_counters', 'halls',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
