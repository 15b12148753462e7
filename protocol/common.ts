import { z } from 'zod';

/** A row id in a JSON body or response: a positive integer, never a string. */
export const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * A row id in a path or query string. Only the canonical decimal form is accepted ("7", not
 * "07" or "7.0"), so the id that access checks compare is the id that is used.
 */
export const IdParam = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'a positive whole number')
  .transform(Number)
  .pipe(Id);
export const EpochMs = z.number().int();

export const HallParams = z.object({ hallId: IdParam });
export const ServiceParams = HallParams.extend({ serviceId: IdParam });
export const WindowParams = HallParams.extend({ windowId: IdParam });
export const StaffParams = HallParams.extend({ staffId: IdParam });
export const DeviceParams = HallParams.extend({ deviceId: IdParam });
export const TicketParams = HallParams.extend({ ticketId: IdParam });

/** Short free text: names, reasons. Trimmed; empty is not a value. */
export const ShortText = (max = 100) => z.string().trim().min(1).max(max);

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
