import type { Kysely } from 'kysely';
import type { Database, DeviceRow, SessionRow, StaffRow } from '../db/schema.js';
import { findActiveDeviceByTokenHash } from '../devices/repository.js';
import { sha256 } from '../domain/secrets.js';
import { findActiveSession } from '../sessions/repository.js';
import { DEVICE_TOKEN } from '../../protocol/constants.js';

/**
 * Who a credential belongs to, for HTTP (plugins/auth.ts) and the socket handshake
 * (realtime/access.ts) alike. Secrets are looked up by their sha256; nothing stores them.
 */

/** A device token: the device, if the token is well-formed, known and not revoked. */
export async function deviceOfToken(db: Kysely<Database>, token: string): Promise<DeviceRow | undefined> {
  if (!DEVICE_TOKEN.test(token)) return undefined;
  return findActiveDeviceByTokenHash(db, sha256(token));
}

/** A session cookie: the session and its staff member, if active (not revoked, expired, idle or disabled). */
export async function staffOfSessionCookie(
  db: Kysely<Database>, cookie: string, now: number, idleMs: number,
): Promise<{ session: SessionRow; staff: StaffRow } | undefined> {
  return findActiveSession(db, sha256(cookie), now, idleMs);
}
