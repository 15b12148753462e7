import type { Kysely } from 'kysely';

// 短信预约: texts the SMS gateway received (预约 / 取消 / 查询), each acted on once (by the
// gateway's message id), with what was done and the answer sent.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sms_inbound')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('phone', 'text')
    .addColumn('text', 'text')
    .addColumn('received_at', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('appointment_id', 'integer', (c) => c.references('appointments.id'))
    .addColumn('reply', 'text')
    .execute();
  await db.schema.createIndex('sms_inbound_hall').on('sms_inbound').columns(['hall_id', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sms_inbound').execute();
}
