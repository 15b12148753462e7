import { z } from 'zod';
import { Id } from './common.js';
import { StaffView } from './staff.js';

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
  /** The authenticator app's 6-digit code, or a recovery code, when the account has a second factor. */
  otp: z.string().trim().min(6).max(20).optional(),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const SessionView = z.object({
  staff: StaffView,
  windowId: Id.nullable(),
  /** Send back as the `x-csrf-token` header on every cookie-authenticated write. */
  csrfToken: z.string(),
  expiresAt: z.number().int(),
  /** The password was set by someone else (first sign-in, reset): change it before anything else. */
  mustChangePassword: z.boolean(),
  twoFactor: z.object({
    enabled: z.boolean(),
    /** The hall requires it for this role and it is not set up yet: set it up before anything else. */
    setupRequired: z.boolean(),
    recoveryCodesLeft: z.number().int(),
  }),
});
export type SessionView = z.infer<typeof SessionView>;

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

/** A new second factor, shown once: the secret for the app (also as an otpauth:// URI for the QR code). */
export const TotpSetup = z.object({ secret: z.string(), uri: z.string() });
export const TotpConfirmBody = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'the 6-digit code from the app') });
export const TotpDisableBody = z.object({ password: z.string().min(1).max(200) });
/** Renewing the recovery codes needs the password again (an open session alone must not). */
export const RecoveryCodesBody = z.object({ password: z.string().min(1).max(200) });
/** One-time recovery codes, shown once. */
export const RecoveryCodes = z.object({ codes: z.array(z.string()) });

export const AuditEntry = z.object({
  id: Id,
  hallId: Id.nullable(),
  at: z.number().int(),
  actorId: Id.nullable(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  action: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export { CSRF_HEADER, SESSION_COOKIE, SECURE_SESSION_COOKIE } from './constants.js';
