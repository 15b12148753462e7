import type { Kysely } from 'kysely';
import type { StaffRole } from '../../protocol/enums.js';
import type { CreateStaffBody, ResetPasswordBody, StaffView, UpdateStaffBody } from '../../protocol/staff.js';
import { audit, type AuditBy, SYSTEM } from '../audit/repository.js';
import { clearTwoFactor, findStaffByUsername } from '../staff/repository.js';
import { revokeStaffSessions } from '../sessions/repository.js';
import type { Database, SessionRow, StaffRow } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { hashPassword, newPassword } from '../domain/secrets.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { isManager } from '../access/policies.js';
import { checkOwnPassword, forgetFailures, type GuardDeps } from '../access/guard.js';
import { leaveWindowOfStaff } from '../windows/service.js';
import { findStaff, insertStaff, listStaff, updateStaff } from './repository.js';

export interface StaffDeps extends WriteDeps {
  passwordHashCost: number;
}

export function staffView(row: StaffRow): StaffView {
  return {
    id: row.id,
    mustChangePassword: row.must_change_password === 1,
    twoFactorEnabled: row.totp_enabled_at !== null,
    hallId: row.hall_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    staffNumber: row.staff_number,
  };
}

export async function staffOfHall(db: Kysely<Database>, hallId: number): Promise<StaffRow[]> {
  return listStaff(db, hallId);
}

async function loadStaff(db: Kysely<Database>, hallId: number | null, id: number): Promise<StaffRow> {
  const row = await findStaff(db, hallId, id);
  if (!row) throw new NotFoundError('STAFF_NOT_FOUND', `Staff member ${id} does not exist${hallId === null ? '' : ` in hall ${hallId}`}.`);
  return row;
}

/**
 * Creates an account. Without a chosen password one is generated; either way it is returned
 * once and only its scrypt hash is kept.
 */
export async function createStaff(
  deps: StaffDeps, hallId: number | null, input: { username: string; displayName: string; role: StaffRole; password?: string; staffNumber?: string }, by: AuditBy = SYSTEM,
): Promise<{ staff: StaffRow; password: string }> {
  const password = input.password ?? newPassword();
  // Hash outside the transaction: it is slow on purpose, and the write lock should not wait on it.
  const hash = await hashPassword(password, deps.passwordHashCost);
  return write(deps, async ({ trx, now }) => {
    if (await findStaffByUsername(trx, input.username)) {
      throw new ConflictError('USERNAME_TAKEN', `Username ${input.username} is taken.`, { field: 'body.username' });
    }
    // Someone else chose (or the system generated) this password: its owner replaces it at first sign-in.
    const staff = await insertStaff(trx, {
      hall_id: hallId, username: input.username, display_name: input.displayName, role: input.role,
      password_hash: hash, disabled: 0, created_at: now, must_change_password: 1, staff_number: input.staffNumber ?? null,
    });
    await audit(trx, now, { hallId, actorId: by.id, actor: by.name, action: 'staff.created', target: staff.username, detail: { role: staff.role, passwordGenerated: input.password === undefined }, ip: by.ip });
    return { staff, password };
  });
}

export async function createHallStaff(deps: StaffDeps, hallId: number, body: CreateStaffBody, by: AuditBy) {
  return createStaff(deps, hallId, body, by);
}

export async function changeStaff(deps: StaffDeps, hallId: number, id: number, body: UpdateStaffBody, by: AuditBy): Promise<StaffRow> {
  return write(deps, async (w) => {
    const current = await loadStaff(w.trx, hallId, id);
    if (id === by.id && (body.disabled === true || (body.role !== undefined && body.role !== current.role))) {
      throw new ConflictError('CANNOT_CHANGE_SELF', 'Ask another manager to change your own role or disable you.');
    }
    const row = await updateStaff(w.trx, id, {
      display_name: body.displayName,
      staff_number: body.staffNumber,
      role: body.role,
      disabled: body.disabled === undefined ? undefined : body.disabled ? 1 : 0,
    });
    if (body.disabled === true || (body.role !== undefined && body.role !== current.role)) {
      // New rights take effect now, not at the next sign-in.
      await revokeStaffSessions(w.trx, id, w.now);
      await leaveWindowOfStaff(w, id);
      w.afterCommit(() => deps.bus.revoke({ kind: 'staff', id }));
    }
    const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    await audit(w.trx, w.now, {
      hallId, actorId: by.id, actor: by.name, action: 'staff.changed', target: current.username,
      detail: { ...changes, ...(body.role !== undefined ? { previousRole: current.role } : {}) }, ip: by.ip,
    });
    return row;
  });
}

/**
 * A manager resets clerks and helpers; a manager or admin is reset by an admin; nobody resets
 * their own account here (their own password is changed with the current one, a lost one with
 * `npm run reset-password`). The second factor stays unless the resetter removes it on purpose
 * (a lost phone), typing their own password again; where the hall requires one, the person sets
 * it up again before anything else.
 */
export async function resetStaffPassword(
  deps: StaffDeps & GuardDeps, hallId: number, id: number, by: { staff: StaffRow; session: SessionRow; ip: string }, body: ResetPasswordBody,
): Promise<{ staff: StaffRow; password: string; twoFactorRemoved: boolean }> {
  const target = await loadStaff(deps.db, hallId, id);
  if (target.id === by.staff.id) {
    throw new ForbiddenError('CANNOT_RESET_SELF', 'Change your own password under 账户与安全 (with the current one); a lost one is reset by the admin.');
  }
  if (isManager(target.role) && by.staff.role !== 'admin') {
    throw new ForbiddenError('ADMIN_ONLY', 'Only the admin resets a manager\'s password.');
  }
  if (body.removeSecondFactor) await checkOwnPassword(deps, by.staff, by.session, body.password ?? '', by, 'remove a second factor', 'body.password');
  return resetPassword(deps, hallId, id, { id: by.staff.id, name: by.staff.username, ip: by.ip }, body.removeSecondFactor);
}

/**
 * Sets a new generated password (to be changed at the next sign-in), signs the person out
 * everywhere, forgets their failed sign-ins, and returns it once; removes the second factor only
 * when asked (the server's shell always asks: it is the way back in after a lost phone).
 */
export async function resetPassword(
  deps: StaffDeps, hallId: number | null, id: number, by: AuditBy, removeSecondFactor: boolean,
): Promise<{ staff: StaffRow; password: string; twoFactorRemoved: boolean }> {
  const password = newPassword();
  const hash = await hashPassword(password, deps.passwordHashCost);
  return write(deps, async (w) => {
    const before = await loadStaff(w.trx, hallId, id);
    const removed = removeSecondFactor && before.totp_enabled_at !== null;
    if (removed) await clearTwoFactor(w.trx, id);
    const staff = await updateStaff(w.trx, id, { password_hash: hash, must_change_password: 1 });
    await forgetFailures(w.trx, before.username);
    await audit(w.trx, w.now, {
      hallId: before.hall_id, actorId: by.id, actor: by.name, action: 'password.reset', target: before.username,
      detail: { twoFactorRemoved: removed, twoFactorKept: !removed && before.totp_enabled_at !== null }, ip: by.ip,
    });
    await revokeStaffSessions(w.trx, id, w.now);
    await leaveWindowOfStaff(w, id);
    w.afterCommit(() => deps.bus.revoke({ kind: 'staff', id }));
    return { staff, password, twoFactorRemoved: removed };
  });
}
