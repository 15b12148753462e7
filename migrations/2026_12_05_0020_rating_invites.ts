import type { Kysely } from 'kysely';

// 评价 on a window's keypad (呼叫器): the clerk invites the citizen just served to rate, and the
// window's evaluator offers the rating screen again from that moment for its usual time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('windows').addColumn('rating_invited_at', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('windows').dropColumn('rating_invited_at').execute();
}
