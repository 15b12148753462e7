import type { Kysely } from 'kysely';

// 办事指南 · 一次性告知: each service's materials list (a JSON array of lines such as
// 「居民身份证 原件」) and its conditions, shown to citizens before they come and ticked at the
// window when something is missing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('services').addColumn('materials', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('services').addColumn('conditions', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('services').dropColumn('conditions').execute();
  await db.schema.alterTable('services').dropColumn('materials').execute();
}
