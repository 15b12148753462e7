import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { isSealed, keyCheck, seal } from '../domain/sealed.js';
import { DatabaseFileError } from './connect.js';
import type { Database } from './schema.js';

/**
 * The key that seals second-factor secrets, kept in a file beside (not inside) the database:
 * 32 random bytes, hex, made at first start readable by the server's user only (0600). Back it up
 * apart from the database backups; on several processes every one reads the same file.
 */
export function loadSecretKey(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, `${crypto.randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      // Another process made it first: read theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new DatabaseFileError(`${file} is not a key file (64 hex digits): restore it from where it was backed up.`);
  return Buffer.from(text, 'hex');
}

/**
 * At start: the database remembers which key sealed its secrets (a check value, not the key); a
 * different key file is refused with one line, before a second factor fails at sign-in. Secrets
 * stored in clear by an earlier version are sealed now.
 */
export async function adoptSecretKey(db: Kysely<Database>, key: Buffer, file: string): Promise<void> {
  const check = keyCheck(key);
  await db.transaction().execute(async (trx) => {
    const stored = await trx.selectFrom('key_checks').select('value').where('name', '=', 'secrets').executeTakeFirst();
    if (stored && stored.value !== check) {
      throw new DatabaseFileError(`${file} is not the key this database's secrets were sealed with: restore the key file that belongs to it.`);
    }
    if (!stored) await trx.insertInto('key_checks').values({ name: 'secrets', value: check }).execute();
    const clear = await trx.selectFrom('staff').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute();
    for (const row of clear.filter((r) => !isSealed(r.totp_secret!))) {
      await trx.updateTable('staff').set({ totp_secret: seal(key, row.totp_secret!) }).where('id', '=', row.id).execute();
    }
  });
}
