import { type Kysely, sql } from 'kysely';
import type { Database, ThrottlesTable } from '../db/schema.js';

/**
 * Counters over a fixed window (sign-in failures, one-time codes sent, bookings per address),
 * kept in the database so every server process sees the same count. Each hit is one
 * INSERT … ON CONFLICT DO UPDATE … RETURNING: concurrent hits all count, none reads a stale value.
 */
export async function hit(db: Kysely<Database>, key: string, now: number, windowMs: number, name: string | null = null): Promise<number> {
  const expired = now - windowMs;
  const row = await db.insertInto('throttles')
    .values({ key, name, count: 1, window_start: now, blocked_until: null })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      // Both expressions read the row as it was: a window that has passed starts again at 1.
      count: sql<number>`case when throttles.window_start <= ${expired} then 1 else throttles.count + 1 end`,
      window_start: sql<number>`case when throttles.window_start <= ${expired} then ${now} else throttles.window_start end`,
    }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The counters of these keys still inside their window (by key). */
export async function peek(db: Kysely<Database>, keys: { key: string; windowMs: number }[], now: number): Promise<Map<string, ThrottlesTable>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('throttles').selectAll().where('key', 'in', keys.map((k) => k.key)).execute();
  const windows = new Map(keys.map((k) => [k.key, k.windowMs]));
  return new Map(rows.filter((r) => r.window_start > now - windows.get(r.key)! || (r.blocked_until ?? 0) > now).map((r) => [r.key, r]));
}

export async function block(db: Kysely<Database>, key: string, until: number): Promise<void> {
  await db.updateTable('throttles').set({ blocked_until: until }).where('key', '=', key).execute();
}

export async function clear(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('throttles').where('key', '=', key).execute();
}

/** Forgets every counter about an account (after a reset by an admin). */
export async function clearName(db: Kysely<Database>, name: string): Promise<void> {
  await db.deleteFrom('throttles').where('name', '=', name).execute();
}

/** Counters whose window and block ended before `before` (housekeeping). */
export async function pruneThrottles(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('throttles').where('window_start', '<', before)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', before)])).executeTakeFirst();
  return Number(result.numDeletedRows);
}
