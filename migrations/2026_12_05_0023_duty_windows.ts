import type { Kysely } from 'kysely';

// 值班窗口 (错时延时服务): a window may keep hours of its own beyond the hall's (through lunch, a
// Saturday morning). Weekly, as the hall's opening hours ({weekday, open, close}[] as JSON); an
// empty list is a window that keeps the hall's hours only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('windows').addColumn('duty_hours', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('windows').dropColumn('duty_hours').execute();
}
