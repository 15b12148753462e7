import type { Kysely } from 'kysely';
import { addressKey } from '../domain/addresses.js';
import { block, clear, clearName, hit, peek } from './throttle.js';
import { audit } from '../audit/repository.js';
import type { Database, SessionRow, StaffRow } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { verifyPassword } from '../domain/secrets.js';
import { AppError, BadRequestError, TooManyRequestsError } from '../errors.js';
import { revokeSession } from '../sessions/repository.js';
import type { HashGate } from './hash-gate.js';
import { DAY_MS } from '../../protocol/constants.js';

/**
 * Sign-in protection, without a switch that locks an owner out:
 * - per address and account name: after PAIR_FREE failures the pair is locked, 1 minute doubling
 *   to 30; the same account from another address (the clerk's own counter PC) is not;
 * - per account name, from every address: after ACCOUNT_FREE failures in an hour, only addresses
 *   the account has signed in from before get in (a distributed guesser gets nothing more);
 * - per address, any names: after ADDRESS_FREE failures in 15 minutes the address is refused
 *   before any password is hashed (made-up names cost the guesser, not the server).
 * Unknown names are counted by name like real ones, so every answer is the same for both.
 */
const PAIR_FREE = 5;
const PAIR_WINDOW_MS = 24 * 3600_000;
const MAX_LOCK_MINUTES = 30;
const ACCOUNT_FREE = 20;
const ACCOUNT_WINDOW_MS = 3600_000;
const ADDRESS_FREE = 30;
const ADDRESS_WINDOW_MS = 15 * 60_000;
/** An address an account signed in from this recently is "known" to it. */
const KNOWN_FOR_MS = 90 * DAY_MS;

export interface Caller {
  ip: string;
}

export interface GuardDeps extends WriteDeps {
  hashGate: HashGate;
}

const nameKey = (username: string) => username.trim().toLowerCase().slice(0, 64);
const keys = (username: string, ip: string) => {
  const name = nameKey(username);
  const address = addressKey(ip);
  return { name, address, pair: `signin:pair:${address}|${name}`, account: `signin:account:${name}`, byAddress: `signin:address:${address}` };
};

function lockMinutes(failures: number): number {
  return failures < PAIR_FREE ? 0 : Math.min(2 ** (failures - PAIR_FREE), MAX_LOCK_MINUTES);
}

function accountLocked(seconds: number): AppError {
  return new AppError(429, 'ACCOUNT_LOCKED', `Too many failed sign-ins: try again in ${Math.ceil(seconds / 60)} minute(s).`, { retryAfterSeconds: seconds });
}

/**
 * Why this attempt is refused before its password is checked, or null. `staff` is the account
 * the name belongs to (undefined for an unknown name, which is never "known" anywhere).
 */
export async function signInRefusal(db: Kysely<Database>, username: string, ip: string, staff: StaffRow | undefined, now: number): Promise<AppError | null> {
  const k = keys(username, ip);
  const counters = await peek(db, [
    { key: k.byAddress, windowMs: ADDRESS_WINDOW_MS }, { key: k.pair, windowMs: PAIR_WINDOW_MS }, { key: k.account, windowMs: ACCOUNT_WINDOW_MS },
  ], now);
  const byAddress = counters.get(k.byAddress);
  if (byAddress && byAddress.count >= ADDRESS_FREE) {
    const seconds = Math.ceil((byAddress.window_start + ADDRESS_WINDOW_MS - now) / 1000);
    return new TooManyRequestsError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins from this address: try again in ${Math.ceil(seconds / 60)} minute(s).`, { retryAfterSeconds: seconds });
  }
  const pair = counters.get(k.pair);
  if (pair?.blocked_until != null && pair.blocked_until > now) return accountLocked(Math.ceil((pair.blocked_until - now) / 1000));
  const account = counters.get(k.account);
  if (account && account.count >= ACCOUNT_FREE && !(staff && (await knownAddress(db, staff.id, k.address, now)))) {
    return accountLocked(Math.ceil((account.window_start + ACCOUNT_WINDOW_MS - now) / 1000));
  }
  return null;
}

async function knownAddress(db: Kysely<Database>, staffId: number, address: string, now: number): Promise<boolean> {
  const row = await db.selectFrom('sign_in_addresses').select('last_at').where('staff_id', '=', staffId).where('address', '=', address).executeTakeFirst();
  return row !== undefined && row.last_at > now - KNOWN_FOR_MS;
}

/**
 * Counts one failure against the pair, the account name and the address, each atomically (ten
 * failures at the same moment count ten), and locks the pair past its allowance. Returns the
 * lock's minutes when this failure started or lengthened one (0 otherwise).
 */
export async function countFailure(trx: Kysely<Database>, username: string, ip: string, now: number): Promise<{ failures: number; lockedMinutes: number }> {
  const k = keys(username, ip);
  const failures = await hit(trx, k.pair, now, PAIR_WINDOW_MS, k.name);
  await hit(trx, k.account, now, ACCOUNT_WINDOW_MS, k.name);
  await hit(trx, k.byAddress, now, ADDRESS_WINDOW_MS);
  const minutes = lockMinutes(failures);
  if (minutes > 0) await block(trx, k.pair, now + minutes * 60_000);
  return { failures, lockedMinutes: minutes };
}

/** After a successful sign-in: this address's failures for the account are forgotten, and it is known. */
export async function signedInFrom(trx: Kysely<Database>, staff: StaffRow, ip: string, now: number): Promise<void> {
  const k = keys(staff.username, ip);
  await clear(trx, k.pair);
  await trx.insertInto('sign_in_addresses').values({ staff_id: staff.id, address: k.address, last_at: now })
    .onConflict((oc) => oc.columns(['staff_id', 'address']).doUpdateSet({ last_at: now })).execute();
}

/** After a reset: the account's failed sign-ins, from everywhere, are forgotten. */
export async function forgetFailures(trx: Kysely<Database>, username: string): Promise<void> {
  await clearName(trx, nameKey(username));
}

/**
 * Checks the password of a signed-in person who is about to change something that needs it
 * (their password, their second factor, someone else's second factor). Wrong answers count as
 * failed sign-ins and are audited; the one that reaches the lock also ends the session, so a
 * session left open is not a way to guess the password.
 */
export async function checkOwnPassword(
  deps: GuardDeps, staff: StaffRow, session: SessionRow, password: string, caller: Caller, purpose: string, field: string,
): Promise<void> {
  const refusal = await signInRefusal(deps.db, staff.username, caller.ip, staff, deps.clock.now());
  if (refusal) throw refusal;
  if (await deps.hashGate.run(addressKey(caller.ip), () => verifyPassword(password, staff.password_hash))) return;
  const ended = await write(deps, async (w) => {
    const { failures, lockedMinutes } = await countFailure(w.trx, staff.username, caller.ip, w.now);
    await audit(w.trx, w.now, {
      hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'password.check_failed', target: staff.username, detail: { purpose, failures }, ip: caller.ip,
    });
    if (lockedMinutes === 0) return false;
    await revokeSession(w.trx, session.id, w.now);
    await audit(w.trx, w.now, {
      hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'account.locked', target: staff.username, detail: { failures, minutes: lockedMinutes, sessionEnded: true }, ip: caller.ip,
    });
    w.afterCommit(() => deps.bus.revoke({ kind: 'session', id: session.id }));
    return true;
  });
  if (ended) throw new AppError(401, 'SESSION_ENDED', 'Too many wrong passwords: this session has ended. Sign in again.');
  throw new BadRequestError('WRONG_PASSWORD', 'The password is wrong.', { field });
}
