import type { Kysely } from 'kysely';
import type { Database, DeviceRow } from '../db/schema.js';

export async function findActiveDeviceByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function touchDevice(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function findActiveDeviceIds(db: Kysely<Database>, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('devices').select('id').where('id', 'in', [...new Set(ids)]).where('revoked_at', 'is', null).execute();
  return new Set(rows.map((r) => r.id));
}
