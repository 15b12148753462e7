import type { Kysely } from 'kysely';

// 暂停 with a reason (午休, 临时离开, 业务咨询…): the window keeps its current reason and since
// when, shown on the live view and the display; every pause is a row, so statistics count the
// paused minutes per window and reason.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('windows').addColumn('pause_reason', 'text').execute();
  await db.schema.alterTable('windows').addColumn('paused_at', 'integer').execute();
  await db.schema
    .createTable('window_pauses')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id'))
    .addColumn('window_id', 'integer', (c) => c.notNull().references('windows.id'))
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .execute();
  await db.schema.createIndex('window_pauses_day').on('window_pauses').columns(['hall_id', 'business_day']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('window_pauses').execute();
  await db.schema.alterTable('windows').dropColumn('paused_at').execute();
  await db.schema.alterTable('windows').dropColumn('pause_reason').execute();
}
