import { z } from 'zod';
import { ID_TEXT } from './constants.js';

/** A row id in a JSON body or response: a positive integer, never a string. */
export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * A row id in a path or query string. Only the canonical decimal form is accepted ("7", not
 * "07" or "7.0"), so the id that access checks compare is the id that is used.
 */
export const IdParam = z
  .string()
  .regex(ID_TEXT, 'a positive whole number')
  .transform(Number)
  .pipe(Id);
export const EpochMs = z.number().int();

export const HallParams = z.object({ hallId: IdParam });
export const ServiceParams = HallParams.extend({ serviceId: IdParam });
export const WindowParams = HallParams.extend({ windowId: IdParam });
export const StaffParams = HallParams.extend({ staffId: IdParam });
export const DeviceParams = HallParams.extend({ deviceId: IdParam });
export const TicketParams = HallParams.extend({ ticketId: IdParam });

/** A calendar day, YYYY-MM-DD, that exists (not 2026-02-30), in the years a hall can have data. */
export const CalendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(d);
  }, 'not a calendar day')
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', 'a day between 2000 and 2099');

/**
 * A PATCH body: only the listed fields, at least one of them. An unknown field is refused by
 * name rather than dropped, so `{}` or a typo never reaches the database as an empty update.
 */
export function patchBody<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape).refine((body) => Object.values(body).some((v) => v !== undefined), 'give at least one field to change');
}

/** A mainland mobile number (SMS notices go to it). */
export const MobilePhone = z.string().trim().regex(/^1[3-9]\d{9}$/, 'an 11-digit mobile number');

/**
 * Characters that can only mislead in a name or a line shown to others: control characters (NUL,
 * BEL, line breaks that fake a second line such as 「王小明\n管理员已核验」) and the invisible marks
 * that reorder text right-to-left (U+202A–202E, U+2066–2069, U+200E/200F, U+061C).
 */
const MISLEADING_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same, but line breaks are allowed (a comment of several lines). */
const MISLEADING_IN_TEXT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NO_CONTROLS = 'no control characters, line breaks or text-direction marks';

/** One line of text, possibly empty (a notice). Trimmed. */
export const LineText = (max: number) => z.string().trim().max(max).refine((s) => !MISLEADING_IN_LINE.test(s), NO_CONTROLS);

/** Short free text: names, reasons. Trimmed; empty is not a value; one line. */
export const ShortText = (max = 100) => LineText(max).pipe(z.string().min(1));

/** Free text of several lines (a citizen's comment): line breaks (\n, \r\n) allowed, other controls not. */
export const FreeText = (max: number) => z.string().trim().max(max).transform((s) => s.replace(/\r\n?/g, '\n'))
  .refine((s) => !MISLEADING_IN_TEXT.test(s), 'no control characters or text-direction marks');

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
  requestId: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Ok = z.object({ ok: z.literal(true) });
