import { z } from 'zod';
import { EpochMs, Id } from './common.js';

/**
 * Everything the engine changes is recorded as one of these, in the same transaction, with the
 * hall's next `seq`. Names are past tense: they say what happened.
 */
export const hallEventTypes = [
  'ticket:issued',
  'ticket:called',
  'ticket:recalled',
  'ticket:started',
  'ticket:finished',
  'ticket:no_show',
  'ticket:requeued',
  'ticket:transferred',
  'ticket:held',
  'ticket:cancelled',
  'ticket:expired',
  'window:opened',
  'window:closed',
  'window:paused',
  'window:resumed',
  'window:changed',
  'service:changed',
  'hall:changed',
] as const;
export const HallEventType = z.enum(hallEventTypes);
export type HallEventType = z.infer<typeof HallEventType>;

export const HallEvent = z.object({
  hallId: Id,
  seq: z.number().int().positive(),
  type: HallEventType,
  /** Set when the event concerns one window (its clerk's room receives it). */
  windowId: Id.nullable(),
  /** Set when the event concerns one ticket (its phone page receives it). */
  ticketToken: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  at: EpochMs,
});
export type HallEvent = z.infer<typeof HallEvent>;

export const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export const EventsPage = z.object({ events: z.array(HallEvent), lastSeq: z.number().int() });
