import type { Kysely } from 'kysely';

// 帮办: a helper who issues for a citizen may leave a note for the clerk, and says why a ticket
// goes by the 绿色通道. Staff read both in the ticket's detail; events never carry them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('note', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('priority_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('priority_reason').execute();
  await db.schema.alterTable('tickets').dropColumn('note').execute();
}
