import type { Kysely } from 'kysely';

// Halls at three levels on one server: a 区 centre, its 街道 halls, their 社区 halls. A district
// manager follows every hall below theirs (live overview and history, per hall and summed).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('halls').addColumn('parent_id', 'integer', (c) => c.references('halls.id')).execute();
  await db.schema.alterTable('halls').addColumn('level', 'text', (c) => c.notNull().defaultTo('district')).execute();
  await db.schema.createIndex('halls_parent').on('halls').column('parent_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('halls_parent').execute();
  await db.schema.alterTable('halls').dropColumn('level').execute();
  await db.schema.alterTable('halls').dropColumn('parent_id').execute();
}
