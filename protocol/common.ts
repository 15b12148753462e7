import { z } from 'zod';

/** Numeric ids arrive as path segments; coerce, then insist on a positive integer. */
export const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const EpochMs = z.number().int();

export const HallParams = z.object({ hallId: Id });
export const ServiceParams = HallParams.extend({ serviceId: Id });
export const WindowParams = HallParams.extend({ windowId: Id });
export const StaffParams = HallParams.extend({ staffId: Id });
export const DeviceParams = HallParams.extend({ deviceId: Id });
export const TicketParams = HallParams.extend({ ticketId: Id });

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
