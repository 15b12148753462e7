import type { Kysely } from 'kysely';
import type { CreateDeviceBody, DeviceView } from '../../protocol/devices.js';
import type { Database, DeviceRow } from '../db/schema.js';
import { audit, type AuditBy, SYSTEM } from '../audit/repository.js';
import { findDevice, insertDevice, listDevices, markRevoked } from './repository.js';
import { write, type WriteDeps } from '../db/write.js';
import { newSecret, sha256 } from '../domain/secrets.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { OPTIONAL_WINDOW_DEVICE_KINDS, WINDOW_DEVICE_KINDS } from '../../protocol/constants.js';
import { loadWindow } from '../windows/service.js';

export function deviceView(row: DeviceRow): DeviceView {
  return {
    id: row.id,
    hallId: row.hall_id,
    kind: row.kind,
    name: row.name,
    windowId: row.window_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
    sound: row.sound_reported_at === null ? null : { allowed: row.sound_allowed === 1, chineseVoice: row.chinese_voice === 1, at: row.sound_reported_at },
  };
}

export async function devicesOfHall(db: Kysely<Database>, hallId: number): Promise<DeviceRow[]> {
  return listDevices(db, hallId);
}

/** Registers a device; its secret token is returned this once, and only its hash is stored. */
export async function createDevice(deps: WriteDeps, hallId: number, body: CreateDeviceBody, by: AuditBy = SYSTEM): Promise<{ device: DeviceRow; token: string }> {
  return write(deps, async ({ trx, now }) => {
    if (WINDOW_DEVICE_KINDS.includes(body.kind) && body.windowId === null) {
      throw new BadRequestError('WINDOW_REQUIRED', `A ${body.kind} is paired to a window.`, { field: 'body.windowId' });
    }
    if (!WINDOW_DEVICE_KINDS.includes(body.kind) && !OPTIONAL_WINDOW_DEVICE_KINDS.includes(body.kind) && body.windowId !== null) {
      throw new BadRequestError('WINDOW_NOT_ALLOWED', 'Only evaluators, keypads and LED strips are paired to a window.', { field: 'body.windowId' });
    }
    if (body.windowId !== null) await loadWindow(trx, hallId, body.windowId);
    const token = newSecret();
    const device = await insertDevice(trx, {
      hall_id: hallId, kind: body.kind, name: body.name, window_id: body.windowId,
      token_hash: sha256(token), created_at: now, revoked_at: null, last_seen_at: null,
    });
    await audit(trx, now, { hallId, actorId: by.id, actor: by.name, action: 'device.created', target: `${device.kind}:${device.name}`, detail: { deviceId: device.id, windowId: device.window_id }, ip: by.ip });
    return { device, token };
  });
}

export async function revokeDevice(deps: WriteDeps, hallId: number, id: number, by: AuditBy): Promise<DeviceRow> {
  return write(deps, async ({ trx, now, afterCommit }) => {
    afterCommit(() => deps.bus.revoke({ kind: 'device', id }));
    const device = await findDevice(trx, hallId, id);
    if (!device) throw new NotFoundError('DEVICE_NOT_FOUND', `Device ${id} does not exist in hall ${hallId}.`);
    if (device.revoked_at !== null) throw new ConflictError('DEVICE_ALREADY_REVOKED', `Device ${device.name} is already revoked.`);
    await audit(trx, now, { hallId, actorId: by.id, actor: by.name, action: 'device.revoked', target: `${device.kind}:${device.name}`, detail: { deviceId: id }, ip: by.ip });
    return markRevoked(trx, id, now);
  });
}
