import type { SessionView } from '../../protocol/auth.js';
import type { SessionRow, StaffRow } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { newSecret, sha256, verifyPassword } from '../domain/secrets.js';
import { UnauthorizedError } from '../errors.js';
import { staffView } from '../staff/service.js';
import { findWindowOfStaff } from '../windows/repository.js';
import { leaveWindowOfStaff } from '../windows/service.js';
import { findStaffByUsername, insertSession, revokeSession } from './repository.js';

// Verifying against this keeps a wrong username as slow as a wrong password.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function sessionView(staff: StaffRow, session: SessionRow): SessionView {
  return { staff: staffView(staff), windowId: session.window_id, csrfToken: session.csrf_token, expiresAt: session.expires_at };
}

/** Checks the password and opens a server-side session; the cookie carries only its secret. */
export async function login(
  deps: WriteDeps & { sessionTtlMs: number }, username: string, password: string,
): Promise<{ cookie: string; staff: StaffRow; session: SessionRow }> {
  const staff = await findStaffByUsername(deps.db, username);
  const ok = await verifyPassword(password, staff?.password_hash ?? DUMMY_HASH);
  if (!staff || !ok || staff.disabled) {
    throw new UnauthorizedError('INVALID_CREDENTIALS', 'Wrong username or password, or the account is disabled.');
  }
  const cookie = newSecret();
  const now = deps.clock.now();
  // A clerk whose browser restarted is still signed in to their window: the new session resumes it.
  const window = await findWindowOfStaff(deps.db, staff.id);
  const session: SessionRow = {
    id: sha256(cookie), staff_id: staff.id, csrf_token: newSecret(24), window_id: window?.id ?? null,
    created_at: now, expires_at: now + deps.sessionTtlMs, revoked_at: null,
  };
  await insertSession(deps.db, session);
  return { cookie, staff, session };
}

/** Ends the session and closes the window the person was signed in to. */
export async function logout(deps: WriteDeps, staff: StaffRow, session: SessionRow): Promise<void> {
  await write(deps, async (w) => {
    await revokeSession(w.trx, session.id, w.now);
    if (session.window_id !== null) await leaveWindowOfStaff(w, staff.id);
    w.afterCommit(() => deps.bus.revoke({ kind: 'session', id: session.id }));
  });
}
