import type { Insertable, Kysely } from 'kysely';
import type { Database, DevicesTable, DeviceRow } from '../db/schema.js';
import { prepared } from '../db/prepared.js';

/** Read on every request a device makes (a kiosk's every issue): compiled once. */
const activeByTokenHash = prepared((db, tokenHash: string) => db.selectFrom('devices').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null));

export async function findActiveDeviceByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<DeviceRow | undefined> {
  return activeByTokenHash.first(db, tokenHash);
}

export async function touchDevice(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function recordSound(db: Kysely<Database>, id: number, sound: { allowed: boolean; chineseVoice: boolean }, now: number): Promise<void> {
  await db.updateTable('devices')
    .set({ sound_allowed: sound.allowed ? 1 : 0, chinese_voice: sound.chineseVoice ? 1 : 0, sound_reported_at: now })
    .where('id', '=', id).execute();
}

export async function findActiveDeviceIds(db: Kysely<Database>, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('devices').select('id').where('id', 'in', [...new Set(ids)]).where('revoked_at', 'is', null).execute();
  return new Set(rows.map((r) => r.id));
}

export async function listDevices(db: Kysely<Database>, hallId: number): Promise<DeviceRow[]> {
  return db.selectFrom('devices').selectAll().where('hall_id', '=', hallId).orderBy('id').execute();
}

export async function findDevice(db: Kysely<Database>, hallId: number, id: number): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
}

export async function insertDevice(db: Kysely<Database>, row: Insertable<DevicesTable>): Promise<DeviceRow> {
  return db.insertInto('devices').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function markRevoked(db: Kysely<Database>, id: number, now: number): Promise<DeviceRow> {
  return db.updateTable('devices').set({ revoked_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
