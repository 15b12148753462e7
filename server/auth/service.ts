import crypto from 'node:crypto';
import { isManager } from '../access/policies.js';
import type { Kysely } from 'kysely';
import type { LoginBody, SessionView } from '../../protocol/auth.js';
import { passwordProblem } from '../../protocol/password-policy.js';
import { audit } from '../audit/repository.js';
import type { Database, SessionRow, StaffRow } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { addressKey } from '../domain/addresses.js';
import { type Caller, checkOwnPassword, countFailure, type GuardDeps, signedInFrom, signInRefusal } from '../access/guard.js';
import { seal, unseal } from '../domain/sealed.js';
import { base32Encode, newTotpSecret, otpauthUri, verifyTotp } from '../domain/totp.js';
import { dummyHash, hashCost, hashPassword, newSecret, sha256, verifyPassword } from '../domain/secrets.js';
import { BadRequestError, ConflictError, UnauthorizedError } from '../errors.js';
import { toHall } from '../halls/service.js';
import { staffView } from '../staff/service.js';
import { findWindowOfStaff } from '../windows/repository.js';
import { leaveWindowOfStaff } from '../windows/service.js';
import { insertSession, revokeSession, revokeStaffSessions } from '../sessions/repository.js';
import { clearTwoFactor, findStaffByUsername, updateStaff } from '../staff/repository.js';
import { listHalls } from '../halls/repository.js';
import { hasUnusedRecoveryCode, replaceRecoveryCodes, unusedRecoveryCodes, useRecoveryCode } from './repository.js';

/** Deps of a change that seals or reads back a secret (the TOTP secret). */
export interface SealingDeps extends WriteDeps {
  secretKey: Buffer;
}

export interface AuthDeps extends GuardDeps, SealingDeps {
  sessionTtlMs: number;
  passwordHashCost: number;
}

export type { Caller };

const RECOVERY_CODES = 10;
const ISSUER = '政务大厅排队叫号';

/**
 * Managers and admins must use a second factor when their hall requires it (an admin, who
 * belongs to no hall, when any hall does). Clerks and helpers sign in at a shared counter or tablet with a password.
 */
export async function twoFactorRequired(db: Kysely<Database>, staff: StaffRow): Promise<boolean> {
  if (!isManager(staff.role)) return false;
  return (await listHalls(db, staff.hall_id)).some((row) => toHall(row).settings.requireTwoFactor);
}

/** What must be done before anything else: a password of one's own, then a second factor. */
export async function setupPending(db: Kysely<Database>, staff: StaffRow): Promise<'PASSWORD_CHANGE_REQUIRED' | 'TWO_FACTOR_SETUP_REQUIRED' | null> {
  if (staff.must_change_password) return 'PASSWORD_CHANGE_REQUIRED';
  if (staff.totp_enabled_at === null && (await twoFactorRequired(db, staff))) return 'TWO_FACTOR_SETUP_REQUIRED';
  return null;
}

export async function sessionView(db: Kysely<Database>, staff: StaffRow, session: SessionRow): Promise<SessionView> {
  const codesLeft = staff.totp_enabled_at === null ? 0 : await unusedRecoveryCodes(db, staff.id);
  return {
    staff: staffView(staff),
    windowId: session.window_id,
    csrfToken: session.csrf_token,
    expiresAt: session.expires_at,
    mustChangePassword: staff.must_change_password === 1,
    twoFactor: {
      enabled: staff.totp_enabled_at !== null,
      setupRequired: staff.totp_enabled_at === null && (await twoFactorRequired(db, staff)),
      recoveryCodesLeft: codesLeft,
    },
  };
}

const normalizeRecovery = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

/**
 * Checks the password (and the second factor, when the account has one) and opens a server-side
 * session; the cookie carries only its secret. Every outcome is written to the audit log.
 */
export async function login(deps: AuthDeps, body: LoginBody, caller: Caller): Promise<{ cookie: string; staff: StaffRow; session: SessionRow }> {
  const staff = await findStaffByUsername(deps.db, body.username);
  const now = deps.clock.now();
  const refusal = await signInRefusal(deps.db, body.username, caller.ip, staff, now);
  if (refusal) {
    await write(deps, (w) => audit(w.trx, w.now, {
      hallId: staff?.hall_id ?? null, actorId: null, actor: body.username.slice(0, 64), action: 'login.refused', target: staff?.username ?? null,
      detail: { reason: refusal.code }, ip: caller.ip,
    }));
    throw refusal;
  }
  const fail = async (reason: string, code = 'INVALID_CREDENTIALS', message = 'Wrong username or password, or the account is disabled.') => {
    await write(deps, async (w) => {
      const { failures, lockedMinutes } = await countFailure(w.trx, body.username, caller.ip, w.now);
      if (lockedMinutes > 0) {
        await audit(w.trx, w.now, { hallId: staff?.hall_id ?? null, actorId: null, actor: body.username.slice(0, 64), action: 'account.locked', target: staff?.username ?? null, detail: { failures, minutes: lockedMinutes }, ip: caller.ip });
      }
      await audit(w.trx, w.now, {
        hallId: staff?.hall_id ?? null, actorId: null, actor: body.username.slice(0, 64), action: 'login.failed',
        target: staff?.username ?? null, detail: { reason: staff ? reason : 'unknown account', failures }, ip: caller.ip,
      });
    });
    throw new UnauthorizedError(code, message);
  };

  // An unknown name costs the same hash as a wrong password: timing tells nothing.
  const hash = staff?.password_hash ?? (await dummyHash(deps.passwordHashCost));
  const ok = await deps.hashGate.run(addressKey(caller.ip), () => verifyPassword(body.password, hash));
  if (!staff || !ok) return fail('password');
  if (staff.disabled) return fail('disabled');

  let totpStep: number | null = null;
  let recoveryUsed: string | null = null;
  if (staff.totp_enabled_at !== null) {
    if (!body.otp) throw new UnauthorizedError('OTP_REQUIRED', 'Enter the 6-digit code from your authenticator app (or a recovery code).');
    if (/^\d{6}$/.test(body.otp)) {
      totpStep = verifyTotp(unseal(deps.secretKey, staff.totp_secret!), body.otp, now, staff.totp_last_step);
      if (totpStep === null) return fail('second factor', 'INVALID_OTP', 'The code is wrong or was already used; wait for the next one.');
    } else {
      const hash = sha256(normalizeRecovery(body.otp));
      if (!(await hasUnusedRecoveryCode(deps.db, staff.id, hash))) return fail('recovery code', 'INVALID_OTP', 'The recovery code is wrong or was already used.');
      recoveryUsed = hash;
    }
  }

  // Hashes made at a lower cost (older settings) are upgraded while the password is at hand.
  const rehash = hashCost(staff.password_hash) < deps.passwordHashCost ? await hashPassword(body.password, deps.passwordHashCost) : null;
  const cookie = newSecret();
  return write(deps, async (w) => {
    if (recoveryUsed) {
      if (!(await useRecoveryCode(w.trx, staff.id, recoveryUsed, w.now))) throw new UnauthorizedError('INVALID_OTP', 'The recovery code was already used.');
    }
    await signedInFrom(w.trx, staff, caller.ip, w.now);
    const changes = { ...(rehash ? { password_hash: rehash } : {}), ...(totpStep !== null ? { totp_last_step: totpStep } : {}) };
    const fresh = Object.keys(changes).length > 0 ? await updateStaff(w.trx, staff.id, changes) : staff;
    // A clerk whose browser restarted is still signed in to their window: the new session resumes it.
    const window = await findWindowOfStaff(w.trx, staff.id);
    const session: SessionRow = {
      id: sha256(cookie), staff_id: staff.id, csrf_token: newSecret(24), window_id: window?.id ?? null,
      created_at: w.now, expires_at: w.now + deps.sessionTtlMs, revoked_at: null, last_seen_at: w.now,
    };
    await insertSession(w.trx, session);
    await audit(w.trx, w.now, {
      hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'login.succeeded', target: staff.username,
      detail: { secondFactor: totpStep !== null ? 'totp' : recoveryUsed ? 'recovery code' : null, rehashed: rehash !== null }, ip: caller.ip,
    });
    return { cookie, staff: fresh, session };
  });
}

/** Ends the session and closes the window the person was signed in to. */
export async function logout(deps: WriteDeps, staff: StaffRow, session: SessionRow, caller: Caller): Promise<void> {
  await write(deps, async (w) => {
    await revokeSession(w.trx, session.id, w.now);
    if (session.window_id !== null) await leaveWindowOfStaff(w, staff.id);
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'logout', target: staff.username, ip: caller.ip });
    w.afterCommit(() => deps.bus.revoke({ kind: 'session', id: session.id }));
  });
}

/** The owner sets their own password; their other sessions end. */
export async function changeOwnPassword(
  deps: AuthDeps, staff: StaffRow, session: SessionRow, body: { currentPassword: string; newPassword: string }, caller: Caller,
): Promise<StaffRow> {
  await checkOwnPassword(deps, staff, session, body.currentPassword, caller, 'password change', 'body.currentPassword');
  const problem = passwordProblem(body.newPassword, staff.username)
    ?? (body.newPassword === body.currentPassword ? 'the same as the current one' : null);
  if (problem) {
    throw new BadRequestError('VALIDATION_FAILED', `Invalid body.newPassword: ${problem}.`, [{ field: 'body.newPassword', message: problem }]);
  }
  const hash = await hashPassword(body.newPassword, deps.passwordHashCost);
  return write(deps, async (w) => {
    const others = await revokeStaffSessions(w.trx, staff.id, w.now, session.id);
    const row = await updateStaff(w.trx, staff.id, { password_hash: hash, must_change_password: 0 });
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'password.changed', target: staff.username, detail: { otherSessionsEnded: others.length }, ip: caller.ip });
    w.afterCommit(() => {
      for (const id of others) deps.bus.revoke({ kind: 'session', id });
    });
    return row;
  });
}

/** Starts setting up a second factor: a new secret, not yet in force until a code confirms it. */
export async function startTwoFactor(deps: SealingDeps, staff: StaffRow): Promise<{ secret: string; uri: string }> {
  if (staff.totp_enabled_at !== null) throw new ConflictError('TWO_FACTOR_ALREADY_ON', 'A second factor is already set up; turn it off first to replace it.');
  const secret = newTotpSecret();
  await write(deps, (w) => updateStaff(w.trx, staff.id, { totp_secret: seal(deps.secretKey, secret) }));
  return { secret, uri: otpauthUri(secret, staff.username, ISSUER) };
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () => {
    const raw = base32Encode(crypto.randomBytes(7)).slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

async function storeRecoveryCodes(trx: Kysely<Database>, staffId: number): Promise<string[]> {
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(trx, staffId, codes.map((c) => sha256(normalizeRecovery(c))));
  return codes;
}

/** A code from the app proves the secret was copied: the second factor is on; recovery codes are shown once. */
export async function confirmTwoFactor(deps: SealingDeps, staff: StaffRow, code: string, caller: Caller): Promise<string[]> {
  if (staff.totp_enabled_at !== null) throw new ConflictError('TWO_FACTOR_ALREADY_ON', 'The second factor is already on.');
  if (!staff.totp_secret) throw new ConflictError('TWO_FACTOR_NOT_STARTED', 'Start the setup first.');
  const step = verifyTotp(unseal(deps.secretKey, staff.totp_secret), code, deps.clock.now(), null);
  if (step === null) throw new BadRequestError('INVALID_OTP', 'The code does not match; check the phone\'s time and try the next code.', { field: 'body.code' });
  return write(deps, async (w) => {
    await updateStaff(w.trx, staff.id, { totp_enabled_at: w.now, totp_last_step: step });
    const codes = await storeRecoveryCodes(w.trx, staff.id);
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'two_factor.enabled', target: staff.username, ip: caller.ip });
    return codes;
  });
}

/** New recovery codes replace the old ones: the password again, so an open session alone cannot. */
export async function newRecoveryCodesFor(deps: GuardDeps, staff: StaffRow, session: SessionRow, password: string, caller: Caller): Promise<string[]> {
  if (staff.totp_enabled_at === null) throw new ConflictError('TWO_FACTOR_OFF', 'Set up the second factor first.');
  await checkOwnPassword(deps, staff, session, password, caller, 'recovery codes', 'body.password');
  return write(deps, async (w) => {
    const codes = await storeRecoveryCodes(w.trx, staff.id);
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'two_factor.recovery_codes_renewed', target: staff.username, ip: caller.ip });
    return codes;
  });
}

/** Turns the second factor off (password again), unless the hall requires it. */
export async function disableTwoFactor(deps: GuardDeps, staff: StaffRow, session: SessionRow, password: string, caller: Caller): Promise<void> {
  await checkOwnPassword(deps, staff, session, password, caller, 'second factor off', 'body.password');
  if (await twoFactorRequired(deps.db, staff)) throw new ConflictError('TWO_FACTOR_REQUIRED', 'The hall requires a second factor for this account.');
  await write(deps, async (w) => {
    await clearTwoFactor(w.trx, staff.id);
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'two_factor.disabled', target: staff.username, ip: caller.ip });
  });
}
