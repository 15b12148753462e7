import { z } from 'zod';
import { EpochMs, Id, patchBody, ShortText } from './common.js';
import { StaffRole } from './enums.js';
import { passwordProblem } from './password-policy.js';

/** 工号: letters, digits and dashes, as the hall numbers its staff. */
export const StaffNumber = z.string().trim().regex(/^[A-Za-z0-9-]{1,20}$/, 'a staff number: letters, digits, dashes');
export const Username = z.string().trim().regex(/^[a-zA-Z0-9_.-]{3,32}$/, '3–32 letters, digits, _ . -');
export const Password = z.string().min(1).max(200); // the policy (length, common, username) is checked by the server

/** 授权事项: 主办 (lead) or 协办 (assist). */
export const SkillLevel = z.enum(['lead', 'assist']);
export const StaffSkill = z.object({ serviceId: Id, level: SkillLevel });
export type StaffSkill = z.infer<typeof StaffSkill>;
/** The whole list for one person (replaces what was there); empty: whatever their window serves. */
export const StaffSkillsBody = z.object({ skills: z.array(StaffSkill).max(200) }).superRefine((b, ctx) => {
  const seen = new Set<number>();
  b.skills.forEach((s, i) => {
    if (seen.has(s.serviceId)) ctx.addIssue({ code: 'custom', path: ['skills', i, 'serviceId'], message: 'listed twice' });
    seen.add(s.serviceId);
  });
});

export const StaffView = z.object({
  id: Id,
  /** Must change the password at next sign-in (it was set by someone else). */
  mustChangePassword: z.boolean().optional(),
  twoFactorEnabled: z.boolean().optional(),
  hallId: Id.nullable(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRole,
  disabled: z.boolean(),
  createdAt: EpochMs,
  /** 工号, published on the window screen beside the name. */
  staffNumber: z.string().nullable(),
  /** Whether a photo for the window screens has been uploaded (in the hall's staff list). */
  hasPhoto: z.boolean().optional(),
  /** 授权事项 (in the hall's staff list); empty: whatever their window serves. */
  skills: z.array(StaffSkill).optional(),
});
export type StaffView = z.infer<typeof StaffView>;

export const CreateStaffBody = z
  .object({
    username: Username,
    displayName: ShortText(40),
    role: StaffRole.exclude(['admin']),
    staffNumber: StaffNumber.optional(),
    /** The first password; the person must change it at first sign-in. Generated when absent. */
    password: Password.optional(),
  })
  .superRefine((body, ctx) => {
    const problem = body.password === undefined ? null : passwordProblem(body.password, body.username);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: `password: ${problem}` });
  });
export type CreateStaffBody = z.infer<typeof CreateStaffBody>;

export const UpdateStaffBody = patchBody({
  displayName: ShortText(40).optional(),
  role: StaffRole.exclude(['admin']).optional(),
  disabled: z.boolean().optional(),
  /** 工号; null removes it. */
  staffNumber: StaffNumber.nullable().optional(),
});
export type UpdateStaffBody = z.infer<typeof UpdateStaffBody>;

/**
 * A reset keeps the person's second factor unless it is removed on purpose (a lost phone), which
 * needs the password of whoever resets, typed again.
 */
export const ResetPasswordBody = z.object({
  removeSecondFactor: z.boolean().default(false),
  password: z.string().min(1).max(200).optional(),
}).refine((b) => !b.removeSecondFactor || b.password !== undefined, { path: ['password'], message: 'your own password is required to remove a second factor' });
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;

export { STAFF_PHOTO_MAX_BYTES, STAFF_PHOTO_TYPES } from './constants.js';

/** A generated password is shown once, in this response, and never again. */
export const StaffWithPassword = z.object({ staff: StaffView, password: z.string() });
export const ResetPasswordAnswer = StaffWithPassword.extend({ twoFactorRemoved: z.boolean() });
