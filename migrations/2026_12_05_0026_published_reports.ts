import type { Kysely } from 'kysely';

// The 好差评 report a hall publishes each month (定期发布): frozen as published, kept.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('published_reports')
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('published_at', 'integer', (c) => c.notNull())
    .addColumn('published_by', 'integer', (c) => c.references('staff.id'))
    .addPrimaryKeyConstraint('published_reports_pk', ['hall_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('published_reports').execute();
}
