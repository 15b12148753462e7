import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** One-time recovery codes of the second factor, stored as sha256 of the normalised code. */

export async function unusedRecoveryCodes(db: Kysely<Database>, staffId: number): Promise<number> {
  const row = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll().as('n'))
    .where('staff_id', '=', staffId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasUnusedRecoveryCode(db: Kysely<Database>, staffId: number, codeHash: string): Promise<boolean> {
  const row = await db.selectFrom('recovery_codes').select('code_hash')
    .where('staff_id', '=', staffId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}

/** Marks a code used; false when it was already used (two sign-ins racing with one code). */
export async function useRecoveryCode(db: Kysely<Database>, staffId: number, codeHash: string, now: number): Promise<boolean> {
  const result = await db.updateTable('recovery_codes').set({ used_at: now })
    .where('staff_id', '=', staffId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: Kysely<Database>, staffId: number, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('staff_id', '=', staffId).execute();
  await db.insertInto('recovery_codes').values(codeHashes.map((code_hash) => ({ staff_id: staffId, code_hash, used_at: null }))).execute();
}
