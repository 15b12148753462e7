import type { Kysely } from 'kysely';

// 预约: a service may be booked some days ahead, in slots of a set length and capacity. A booking
// is checked in at the kiosk with its code and becomes an appointment ticket.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('services').addColumn('booking_days_ahead', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('services').addColumn('slot_minutes', 'integer', (c) => c.notNull().defaultTo(30)).execute();
  await db.schema.alterTable('services').addColumn('slot_capacity', 'integer', (c) => c.notNull().defaultTo(2)).execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id'))
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('slot_start', 'integer', (c) => c.notNull())
    .addColumn('slot_end', 'integer', (c) => c.notNull())
    .addColumn('citizen_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('late', 'integer')
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('created_by_staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('checked_in_at', 'integer')
    .addColumn('cancelled_at', 'integer')
    .execute();
  await db.schema.createIndex('appointments_slot').on('appointments').columns(['hall_id', 'service_id', 'slot_start']).execute();
  await db.schema.createIndex('appointments_day').on('appointments').columns(['hall_id', 'day']).execute();
  await db.schema.createIndex('appointments_phone').on('appointments').columns(['phone', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('appointments').execute();
  for (const column of ['slot_capacity', 'slot_minutes', 'booking_days_ahead']) {
    await db.schema.alterTable('services').dropColumn(column).execute();
  }
}
