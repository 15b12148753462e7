import crypto from 'node:crypto';

/**
 * Secrets the server must read back (a second factor's TOTP secret) are kept sealed with
 * AES-256-GCM under a key that lives outside the database (the key file): a copied database or
 * backup alone does not give them away. Sealed text: `v1:<iv>:<tag>:<ciphertext>`, base64url.
 */
const PREFIX = 'v1:';

export function seal(key: Buffer, plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
}

export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

/** The plain text; throws when the key is not the one it was sealed with. */
export function unseal(key: Buffer, sealed: string): string {
  const [iv, tag, data] = sealed.slice(PREFIX.length).split(':');
  if (!isSealed(sealed) || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/** What the database keeps to tell, at start, whether the key file is the one it was sealed with. */
export function keyCheck(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('hall-queue key check').digest('hex');
}
