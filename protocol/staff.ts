import { z } from 'zod';
import { EpochMs, Id, patchBody, ShortText } from './common.js';
import { StaffRole } from './enums.js';

export const Username = z.string().trim().regex(/^[a-zA-Z0-9_.-]{3,32}$/, '3–32 letters, digits, _ . -');
export const Password = z.string().min(10).max(200);

export const StaffView = z.object({
  id: Id,
  hallId: Id.nullable(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRole,
  disabled: z.boolean(),
  createdAt: EpochMs,
});
export type StaffView = z.infer<typeof StaffView>;

export const CreateStaffBody = z.object({
  username: Username,
  displayName: ShortText(40),
  role: StaffRole.exclude(['admin']),
  password: Password.optional(),
});
export type CreateStaffBody = z.infer<typeof CreateStaffBody>;

export const UpdateStaffBody = patchBody({
  displayName: ShortText(40).optional(),
  role: StaffRole.exclude(['admin']).optional(),
  disabled: z.boolean().optional(),
});
export type UpdateStaffBody = z.infer<typeof UpdateStaffBody>;

/** A generated password is shown once, in this response, and never again. */
export const StaffWithPassword = z.object({ staff: StaffView, password: z.string() });
