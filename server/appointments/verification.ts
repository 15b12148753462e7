import crypto from 'node:crypto';
import { sql } from 'kysely';
import { hit } from '../access/throttle.js';
import { write, type WriteDeps } from '../db/write.js';
import { randomDigits, sha256 } from '../domain/secrets.js';
import { BadRequestError, TooManyRequestsError } from '../errors.js';
import type { Hall } from '../halls/service.js';
import { DAY_MS } from '../../protocol/constants.js';

/**
 * A citizen proves the phone number of an online booking with a one-time code sent to it by SMS
 * (only where the hall has an SMS gateway). The code is 6 digits, lives 10 minutes, takes 5
 * wrong tries, and once entered right proves the number for the rest of those 10 minutes (a
 * second booking, or another slot after SLOT_FULL, needs no new code). Sending is limited per
 * number and per address so that codes cannot be used to flood a stranger's phone.
 */
const CODE_TTL_MS = 10 * 60_000;
const MAX_TRIES = 5;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** [key, window, most]: a number once a minute and 5 a day; an address 20 an hour and 50 a day. */
const SEND_LIMITS = (phone: string, address: string): [string, number, number][] => [
  [`code:phone:${phone}`, MINUTE, 1],
  [`code:phone-day:${phone}`, DAY_MS, 5],
  [`code:address:${address}`, HOUR, 20],
  [`code:address-day:${address}`, DAY_MS, 50],
];

const codeHash = (hallId: number, phone: string, code: string) => sha256(`${hallId}:${phone}:${code}`);

/** Stores a new code and its SMS (delivered by the notifier); returns when it expires. */
export async function sendPhoneCode(deps: WriteDeps, hall: Pick<Hall, 'id' | 'name'>, phone: string, address: string): Promise<{ expiresAt: number; resendAfter: number }> {
  const code = randomDigits(6);
  const outcome = await write(deps, async ({ trx, now }) => {
    for (const [key, windowMs, most] of SEND_LIMITS(phone, address)) {
      // Counted even when refused: asking again does not help.
      if ((await hit(trx, key, now, windowMs)) > most) return { refused: key.startsWith('code:phone') ? 'phone' as const : 'address' as const };
    }
    await trx.insertInto('phone_codes').values({
      hall_id: hall.id, phone, code_hash: codeHash(hall.id, phone, code), created_at: now, expires_at: now + CODE_TTL_MS, attempts: 0, used_at: null,
    }).execute();
    await trx.insertInto('notifications').values({
      hall_id: hall.id, ticket_id: null, appointment_id: null, kind: 'verification', phone,
      text: `【${hall.name}】您的预约验证码是 ${code}，10 分钟内有效。如非本人操作，请忽略。`,
      status: 'pending', next_attempt_at: now, last_error: null, created_at: now, sent_at: null,
    }).execute();
    return { refused: null, now };
  });
  if (outcome.refused === 'phone') {
    throw new TooManyRequestsError('CODE_RATE_LIMITED', 'A code was sent to this number just now (or too often today); wait for it, or try again later.', { field: 'body.phone' });
  }
  if (outcome.refused === 'address') throw new TooManyRequestsError('CODE_RATE_LIMITED', 'Too many codes asked for from this address; try again later.');
  return { expiresAt: outcome.now! + CODE_TTL_MS, resendAfter: outcome.now! + MINUTE };
}

/**
 * Checks a code for a number before the booking is made; a wrong try is counted (committed) and
 * refused, five wrong tries use the code up.
 */
export async function provePhone(deps: WriteDeps, hallId: number, phone: string, code: string): Promise<void> {
  const result = await write(deps, async ({ trx, now }) => {
    const latest = await trx.selectFrom('phone_codes').selectAll()
      .where('hall_id', '=', hallId).where('phone', '=', phone).where('expires_at', '>', now)
      .orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!latest || latest.attempts >= MAX_TRIES) return { triesLeft: 0 };
    if (crypto.timingSafeEqual(Buffer.from(latest.code_hash), Buffer.from(codeHash(hallId, phone, code)))) {
      if (latest.used_at === null) await trx.updateTable('phone_codes').set({ used_at: now }).where('id', '=', latest.id).execute();
      return 'proven' as const;
    }
    const tried = await trx.updateTable('phone_codes').set({ attempts: sql`attempts + 1` }).where('id', '=', latest.id).returning('attempts').executeTakeFirstOrThrow();
    return { triesLeft: Math.max(0, MAX_TRIES - Number(tried.attempts)) };
  });
  if (result === 'proven') return;
  if (result.triesLeft === 0) {
    throw new BadRequestError('PHONE_CODE_EXPIRED', 'Ask for a new code: the last one has expired or was tried too often.', { field: 'body.code' });
  }
  throw new BadRequestError('PHONE_CODE_INVALID', `The code is wrong (${result.triesLeft} tries left).`, { field: 'body.code', triesLeft: result.triesLeft });
}
