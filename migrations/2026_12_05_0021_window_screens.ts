import type { Kysely } from 'kysely';

// 工作人员公示 on the window screens: each staff member's 工号 (the number halls publish beside the
// name) and photo. A photo is kept in the database with the rest of the hall (one backup holds
// everything), at most a few hundred kilobytes, with the hash its ETag is made from.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('staff_number', 'text').execute();
  await db.schema
    .createTable('staff_photos')
    .addColumn('staff_id', 'integer', (c) => c.primaryKey().references('staff.id').onDelete('cascade'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_photos').execute();
  await db.schema.alterTable('staff').dropColumn('staff_number').execute();
}
