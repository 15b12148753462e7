import type { Kysely } from 'kysely';

// One row per hall, closed business day and dimension value (all / service / window / staff /
// hour): what the history pages sum, so a year is ~15k rows, not ~2M tickets.
export async function up(db: Kysely<any>): Promise<void> {
  let t = db.schema
    .createTable('stat_rollups')
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('key', 'integer', (c) => c.notNull());
  for (const col of [
    'issued', 'served', 'no_show', 'cancelled', 'transferred', 'expired', 'wait_n', 'wait_sum', 'wait_sla', 'handle_n',
    'handle_sum', 'rated', 'good', 'bad', 'phone_rated', 'phone_good', 'voided',
  ]) {
    t = t.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  }
  await t
    .addColumn('wait_hist', 'text', (c) => c.notNull())
    .addColumn('handle_hist', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_rollups_pk', ['hall_id', 'business_day', 'dim', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stat_rollups').execute();
}
