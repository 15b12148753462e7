import { z } from 'zod';
import { Id } from './common.js';
import { StaffView } from './staff.js';

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const SessionView = z.object({
  staff: StaffView,
  windowId: Id.nullable(),
  /** Send back as the `x-csrf-token` header on every cookie-authenticated write. */
  csrfToken: z.string(),
  expiresAt: z.number().int(),
});
export type SessionView = z.infer<typeof SessionView>;

export { CSRF_HEADER, SESSION_COOKIE } from './constants.js';
