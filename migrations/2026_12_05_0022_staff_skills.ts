import type { Kysely } from 'kysely';

// 授权事项: which services a staff member may handle, as 主办 (lead) or 协办 (assist). A clerk with
// none listed may handle whatever their window serves (as before); with some, only those.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_skills')
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_skills_pk', ['staff_id', 'service_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_skills').execute();
}
