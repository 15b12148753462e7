import type { Kysely } from 'kysely';

// Daily rollups before this left ratings out of the 'hour' and 'channel' rows (they showed 0
// ratings there). Rollups are sums the statistics make again from the tickets and ratings when
// a day has none: dropping them makes every past day counted again, ratings included.
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('stat_rollups_monthly').execute();
  await db.deleteFrom('stat_rollups').execute();
}

export async function down(): Promise<void> {
  // Nothing to restore: the sums are made again when asked for.
}
