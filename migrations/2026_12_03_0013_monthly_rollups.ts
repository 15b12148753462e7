import type { Kysely } from 'kysely';

// The sums of whole closed months, per hall and dimension value, made from the daily rollups
// when first asked for and dropped with any day of theirs: a year's report sums 12 rows per
// dimension value instead of 365.
export async function up(db: Kysely<any>): Promise<void> {
  let t = db.schema
    .createTable('stat_rollups_monthly')
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull()) // YYYY-MM
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('key', 'integer', (c) => c.notNull());
  for (const col of [
    'issued', 'served', 'no_show', 'cancelled', 'transferred', 'expired', 'wait_n', 'wait_sum', 'wait_sla', 'handle_n',
    'handle_sum', 'rated', 'good', 'bad', 'phone_rated', 'phone_good', 'voided', 'outcome_done', 'outcome_supplement', 'outcome_rejected',
  ]) {
    t = t.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  }
  for (let i = 0; i < 47; i++) t = t.addColumn(`w_${i}`, 'integer', (c) => c.notNull().defaultTo(0));
  for (let i = 0; i < 47; i++) t = t.addColumn(`h_${i}`, 'integer', (c) => c.notNull().defaultTo(0));
  await t.addPrimaryKeyConstraint('stat_rollups_monthly_pk', ['hall_id', 'month', 'dim', 'key']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stat_rollups_monthly').execute();
}
