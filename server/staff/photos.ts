import type { Kysely } from 'kysely';
import { STAFF_PHOTO_MAX_BYTES, STAFF_PHOTO_TYPES } from '../../protocol/staff.js';
import { audit, type AuditBy } from '../audit/repository.js';
import type { Database, StaffPhotosTable } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { sha256 } from '../domain/secrets.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { findStaff } from './repository.js';

/** What the bytes are, by their first bytes (the Content-Type a browser sends is only a claim). */
function sniff(data: Buffer): (typeof STAFF_PHOTO_TYPES)[number] | null {
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length > 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Stores a staff member's photo for the window screens' 工作人员公示: a JPEG, PNG or WebP (checked by
 * its bytes, and matching the type it was sent as), at most STAFF_PHOTO_MAX_BYTES.
 */
export async function setStaffPhoto(deps: WriteDeps, hallId: number, staffId: number, declared: string, data: Buffer, by: AuditBy): Promise<Omit<StaffPhotosTable, 'data'>> {
  if (data.length === 0) throw new BadRequestError('PHOTO_EMPTY', 'Send the photo as the request body.', { field: 'body' });
  if (data.length > STAFF_PHOTO_MAX_BYTES) throw new BadRequestError('PHOTO_TOO_LARGE', `A photo is at most ${STAFF_PHOTO_MAX_BYTES / 1024} KB.`, { field: 'body', maxBytes: STAFF_PHOTO_MAX_BYTES });
  const mime = sniff(data);
  if (mime === null || mime !== declared) {
    throw new BadRequestError('PHOTO_TYPE', 'A photo is a JPEG, PNG or WebP image, sent with its own type.', { field: 'body', types: [...STAFF_PHOTO_TYPES] });
  }
  return write(deps, async ({ trx, now }) => {
    const staff = await findStaff(trx, hallId, staffId);
    if (!staff || staff.hall_id !== hallId) throw new NotFoundError('STAFF_NOT_FOUND', `Staff member ${staffId} does not exist in hall ${hallId}.`);
    const row = { staff_id: staffId, mime, data, sha256: sha256(data.toString('base64')), updated_at: now };
    await trx.insertInto('staff_photos').values(row)
      .onConflict((oc) => oc.column('staff_id').doUpdateSet({ mime, data, sha256: row.sha256, updated_at: now })).execute();
    await audit(trx, now, { hallId, actorId: by.id, actor: by.name, action: 'staff.photo', target: staff.username, detail: { bytes: data.length, mime }, ip: by.ip });
    return { staff_id: staffId, mime, sha256: row.sha256, updated_at: now };
  });
}

export async function removeStaffPhoto(deps: WriteDeps, hallId: number, staffId: number, by: AuditBy): Promise<void> {
  await write(deps, async ({ trx, now }) => {
    const staff = await findStaff(trx, hallId, staffId);
    if (!staff || staff.hall_id !== hallId) throw new NotFoundError('STAFF_NOT_FOUND', `Staff member ${staffId} does not exist in hall ${hallId}.`);
    await trx.deleteFrom('staff_photos').where('staff_id', '=', staffId).execute();
    await audit(trx, now, { hallId, actorId: by.id, actor: by.name, action: 'staff.photo.removed', target: staff.username, ip: by.ip });
  });
}

/** The photo of a staff member of the hall, or undefined. */
export async function staffPhoto(db: Kysely<Database>, hallId: number, staffId: number): Promise<StaffPhotosTable | undefined> {
  return db.selectFrom('staff_photos').innerJoin('staff', 'staff.id', 'staff_photos.staff_id').selectAll('staff_photos')
    .where('staff_photos.staff_id', '=', staffId).where('staff.hall_id', '=', hallId).executeTakeFirst();
}

/** Which of the hall's staff have a photo (for the staff list). */
export async function staffWithPhotos(db: Kysely<Database>, hallId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('staff_photos').innerJoin('staff', 'staff.id', 'staff_photos.staff_id').select('staff_photos.staff_id')
    .where('staff.hall_id', '=', hallId).execute();
  return new Set(rows.map((r) => r.staff_id));
}
