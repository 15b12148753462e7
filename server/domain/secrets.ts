import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions,
) => Promise<Buffer>;

const KEY_LENGTH = 32;

/** 128 random bits, URL-safe: names a ticket on its QR code and phone page. */
export function newTicketToken(): string {
  return crypto.randomBytes(16).toString('base64url');
}

/** A long random secret for sessions, device tokens and CSRF. */
export function newSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** Stored in place of session and device secrets, so a leaked database does not leak them. */
export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** A password a person can type from a printout: no 0/O or 1/l/I. */
export function newPassword(length = 14): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  while (out.length < length) out += alphabet[crypto.randomInt(alphabet.length)];
  return out;
}

/** scrypt$N$r$p$salt$hash — the parameters travel with the hash, so the cost can change later. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = crypto.randomBytes(16);
  const params = { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 };
  const key = await scrypt(password, salt, KEY_LENGTH, params);
  return `scrypt$${cost}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** The scrypt cost a stored hash was made with (0 when unreadable): lower than now means rehash. */
export function hashCost(stored: string): number {
  const [scheme, n] = stored.split('$');
  return scheme === 'scrypt' ? Number(n) || 0 : 0;
}

const dummies = new Map<number, Promise<string>>();

/**
 * A hash of a random password at the configured cost: verifying an unknown username against it
 * takes as long as a wrong password for a real one, so timing does not tell which names exist.
 */
export function dummyHash(cost: number): Promise<string> {
  let hash = dummies.get(cost);
  if (!hash) dummies.set(cost, (hash = hashPassword(newSecret(), cost)));
  return hash;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const N = Number(n);
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r),
  });
  return crypto.timingSafeEqual(key, expected);
}

/** `n` random decimal digits (a check-in code someone can type on a kiosk keypad). */
export function randomDigits(n: number): string {
  let out = '';
  while (out.length < n) out += String(crypto.randomInt(10));
  return out;
}

/**
 * 在线排队: a hall's entrance code of a business day (6 digits, under the QR code at the
 * entrance). Made from the server's key, so every process of the hall agrees, and a new one
 * each day, so a photo of yesterday's does not let anyone "arrive" from home.
 */
export function entranceCode(key: Buffer, hallId: number, day: string): string {
  const mac = crypto.createHmac('sha256', key).update(`entrance:${hallId}:${day}`).digest();
  return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}
