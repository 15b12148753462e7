import crypto from 'node:crypto';
import { isManager } from '../access/policies.js';
import type { Kysely } from 'kysely';
import type { LoginBody, SessionView } from '../../protocol/auth.js';
import { passwordProblem } from '../../protocol/password-policy.js';
import { audit } from '../audit/repository.js';
import type { Database, SessionRow, StaffRow } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { base32Encode, newTotpSecret, otpauthUri, verifyTotp } from '../domain/totp.js';
import { dummyHash, hashCost, hashPassword, newSecret, sha256, verifyPassword } from '../domain/secrets.js';
import { AppError, BadRequestError, ConflictError, UnauthorizedError } from '../errors.js';
import { toHall } from '../halls/service.js';
import { staffView } from '../staff/service.js';
import { findWindowOfStaff } from '../windows/repository.js';
import { leaveWindowOfStaff } from '../windows/service.js';
import { insertSession, revokeSession, revokeStaffSessions } from '../sessions/repository.js';
import { clearTwoFactor, findStaffByUsername, updateStaff } from '../staff/repository.js';
import { listHalls } from '../halls/repository.js';
import { hasUnusedRecoveryCode, replaceRecoveryCodes, unusedRecoveryCodes, useRecoveryCode } from './repository.js';

export interface AuthDeps extends WriteDeps {
  sessionTtlMs: number;
  passwordHashCost: number;
}

/** Who is asking, for the audit log. */
export interface Caller {
  ip: string | null;
}

/** After this many failures in a row the account is locked: 1 minute, doubling, at most 30. */
const FREE_FAILURES = 5;
const MAX_LOCK_MINUTES = 30;
const RECOVERY_CODES = 10;
const ISSUER = '政务大厅排队叫号';

function lockMinutes(failures: number): number {
  return failures < FREE_FAILURES ? 0 : Math.min(2 ** (failures - FREE_FAILURES), MAX_LOCK_MINUTES);
}

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
  const fail = async (reason: string, code = 'INVALID_CREDENTIALS', message = 'Wrong username or password, or the account is disabled.') => {
    await write(deps, async (w) => {
      if (staff) {
        const failures = staff.failed_logins + 1;
        const minutes = lockMinutes(failures);
        await updateStaff(w.trx, staff.id, { failed_logins: failures, locked_until: minutes > 0 ? w.now + minutes * 60_000 : null });
        if (minutes > 0) await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: null, actor: body.username, action: 'account.locked', target: staff.username, detail: { failures, minutes }, ip: caller.ip });
      }
      await audit(w.trx, w.now, {
        hallId: staff?.hall_id ?? null, actorId: null, actor: body.username.slice(0, 64), action: 'login.failed',
        target: staff?.username ?? null, detail: { reason: staff ? reason : 'unknown account' }, ip: caller.ip,
      });
    });
    throw new UnauthorizedError(code, message);
  };

  if (staff?.locked_until != null && staff.locked_until > now) {
    const seconds = Math.ceil((staff.locked_until - now) / 1000);
    await write(deps, (w) => audit(w.trx, w.now, { hallId: staff.hall_id, actorId: null, actor: body.username, action: 'login.refused', target: staff.username, detail: { reason: 'locked', seconds }, ip: caller.ip }));
    throw new AppError(429, 'ACCOUNT_LOCKED', `Too many failed sign-ins: this account is locked for ${Math.ceil(seconds / 60)} more minute(s).`, { retryAfterSeconds: seconds });
  }
  // An unknown name costs the same hash as a wrong password: timing tells nothing.
  const ok = await verifyPassword(body.password, staff?.password_hash ?? (await dummyHash(deps.passwordHashCost)));
  if (!staff || !ok) return fail('password');
  if (staff.disabled) return fail('disabled');

  let totpStep: number | null = null;
  let recoveryUsed: string | null = null;
  if (staff.totp_enabled_at !== null) {
    if (!body.otp) throw new UnauthorizedError('OTP_REQUIRED', 'Enter the 6-digit code from your authenticator app (or a recovery code).');
    if (/^\d{6}$/.test(body.otp)) {
      totpStep = verifyTotp(staff.totp_secret!, body.otp, now, staff.totp_last_step);
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
    const fresh = await updateStaff(w.trx, staff.id, {
      failed_logins: 0, locked_until: null,
      ...(rehash ? { password_hash: rehash } : {}),
      ...(totpStep !== null ? { totp_last_step: totpStep } : {}),
    });
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
  if (!(await verifyPassword(body.currentPassword, staff.password_hash))) {
    throw new BadRequestError('WRONG_PASSWORD', 'The current password is wrong.', { field: 'body.currentPassword' });
  }
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
export async function startTwoFactor(deps: WriteDeps, staff: StaffRow): Promise<{ secret: string; uri: string }> {
  if (staff.totp_enabled_at !== null) throw new ConflictError('TWO_FACTOR_ALREADY_ON', 'A second factor is already set up; turn it off first to replace it.');
  const secret = newTotpSecret();
  await write(deps, (w) => updateStaff(w.trx, staff.id, { totp_secret: secret }));
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
export async function confirmTwoFactor(deps: WriteDeps, staff: StaffRow, code: string, caller: Caller): Promise<string[]> {
  if (staff.totp_enabled_at !== null) throw new ConflictError('TWO_FACTOR_ALREADY_ON', 'The second factor is already on.');
  if (!staff.totp_secret) throw new ConflictError('TWO_FACTOR_NOT_STARTED', 'Start the setup first.');
  const step = verifyTotp(staff.totp_secret, code, deps.clock.now(), null);
  if (step === null) throw new BadRequestError('INVALID_OTP', 'The code does not match; check the phone\'s time and try the next code.', { field: 'body.code' });
  return write(deps, async (w) => {
    await updateStaff(w.trx, staff.id, { totp_enabled_at: w.now, totp_last_step: step });
    const codes = await storeRecoveryCodes(w.trx, staff.id);
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'two_factor.enabled', target: staff.username, ip: caller.ip });
    return codes;
  });
}

export async function newRecoveryCodesFor(deps: WriteDeps, staff: StaffRow, caller: Caller): Promise<string[]> {
  if (staff.totp_enabled_at === null) throw new ConflictError('TWO_FACTOR_OFF', 'Set up the second factor first.');
  return write(deps, async (w) => {
    const codes = await storeRecoveryCodes(w.trx, staff.id);
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'two_factor.recovery_codes_renewed', target: staff.username, ip: caller.ip });
    return codes;
  });
}

/** Turns the second factor off (password again), unless the hall requires it. */
export async function disableTwoFactor(deps: WriteDeps, staff: StaffRow, password: string, caller: Caller): Promise<void> {
  if (!(await verifyPassword(password, staff.password_hash))) throw new BadRequestError('WRONG_PASSWORD', 'The password is wrong.', { field: 'body.password' });
  if (await twoFactorRequired(deps.db, staff)) throw new ConflictError('TWO_FACTOR_REQUIRED', 'The hall requires a second factor for this account.');
  await write(deps, async (w) => {
    await clearTwoFactor(w.trx, staff.id);
    await audit(w.trx, w.now, { hallId: staff.hall_id, actorId: staff.id, actor: staff.username, action: 'two_factor.disabled', target: staff.username, ip: caller.ip });
  });
}
