import type { Kysely } from 'kysely';

// How each matter ended at the window: 办结, 补正告知 (一次性告知: what is missing), 不予受理 (with
// the reason); a citizen back with the materials gets a ticket linked to the earlier one. The
// daily rollups count outcomes per service, window, clerk and hour.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('outcome', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('outcome_reason', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('missing_materials', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('follows_ticket_id', 'integer', (c) => c.references('tickets.id')).execute();
  for (const column of ['outcome_done', 'outcome_supplement', 'outcome_rejected']) {
    await db.schema.alterTable('stat_rollups').addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
  // Days rolled up before outcomes existed are summed again on the next report.
  await db.deleteFrom('stat_rollups').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['outcome_rejected', 'outcome_supplement', 'outcome_done']) {
    await db.schema.alterTable('stat_rollups').dropColumn(column).execute();
  }
  for (const column of ['follows_ticket_id', 'missing_materials', 'outcome_reason', 'outcome']) {
    await db.schema.alterTable('tickets').dropColumn(column).execute();
  }
}
