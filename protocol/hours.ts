import { z } from 'zod';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
/** A closing time may be 24:00 (open until midnight, for a 24-hour self-service area). */
const CloseHHMM = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM (or 24:00)');

/**
 * Opening intervals per ISO weekday (1 = Monday … 7 = Sunday); a missing day is closed. Several
 * intervals on one day make a lunch break (09:00–12:00, 13:30–17:00); extra intervals are the
 * 错时/延时 hours (a weekday noon, a Saturday morning). No intervals at all: not configured yet,
 * and the hall takes numbers at any time.
 */
export const OpeningHours = z.array(
  z.object({ weekday: z.number().int().min(1).max(7), open: HHMM, close: CloseHHMM })
    .refine((h) => !HHMM.safeParse(h.open).success || h.close > h.open, { path: ['close'], message: 'must be after open' }),
).max(28);
export type OpeningHours = z.infer<typeof OpeningHours>;
