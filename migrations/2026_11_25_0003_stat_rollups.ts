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
  // Histograms of minutes waited (w_i) and handled (h_i) in 47 buckets: one minute wide below
  // 30 (where SLA targets live), then 5, 10 and 30 minutes, and 240+. Plain columns, so SQLite
  // sums a year of them with one GROUP BY.
  for (let i = 0; i < 47; i++) t = t.addColumn(`w_${i}`, 'integer', (c) => c.notNull().defaultTo(0));
  for (let i = 0; i < 47; i++) t = t.addColumn(`h_${i}`, 'integer', (c) => c.notNull().defaultTo(0));
  await t
    .addPrimaryKeyConstraint('stat_rollups_pk', ['hall_id', 'business_day', 'dim', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stat_rollups').execute();
}
