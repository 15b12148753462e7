import type { Kysely } from 'kysely';

// A citizen transferred away from a window is not called back to it by 叫号 (unless no other
// window in use serves the new service): the window they left is kept on the new entry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('avoid_window_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('avoid_window_id').execute();
}
