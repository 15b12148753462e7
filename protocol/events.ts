import { z } from 'zod';
import { EpochMs, Id } from './common.js';
import { DEVICE_TOKEN, hallEventTypes, TICKET_TOKEN } from './constants.js';
import { AppealState, CaseState, EvaluationLevel, EvaluationSource } from './evaluations.js';
import { HallView } from './halls.js';
import { ServiceView } from './services.js';
import { TicketView, WaitEstimate } from './tickets.js';
import { type TicketAction, ticketActions } from './transitions.js';
import { WindowView } from './windows.js';

/**
 * Everything the engine changes is recorded as one of these, in the same transaction, with the
 * hall's next `seq`. Names are past tense: they say what happened.
 */
export { hallEventTypes } from './constants.js';
export const HallEventType = z.enum(hallEventTypes);
export type HallEventType = z.infer<typeof HallEventType>;

/** Every ticket move tells the hall the ticket as it is now (never its token) and where. */
export const TicketMoved = z.object({
  action: z.enum(ticketActions as [TicketAction, ...TicketAction[]]),
  ticket: TicketView,
  window: z.object({ id: Id, number: z.string() }).nullable(),
  /** ticket:issued: the wait estimate given on the slip. */
  estimate: WaitEstimate.optional(),
  /** ticket:transferred: where the citizen was sent. */
  toServiceId: Id.optional(),
  toWindowId: Id.nullable().optional(),
  /** ticket:issued for a transfer: the entry it continues. */
  transferredFrom: Id.optional(),
});
export type TicketMoved = z.infer<typeof TicketMoved>;

const WindowPayload = z.object({ window: WindowView });

/** One payload schema per event type. */
export const eventPayloads = {
  'ticket:issued': TicketMoved,
  'ticket:called': TicketMoved,
  'ticket:recalled': TicketMoved,
  'ticket:started': TicketMoved,
  'ticket:finished': TicketMoved,
  'ticket:no_show': TicketMoved,
  'ticket:requeued': TicketMoved,
  'ticket:transferred': TicketMoved,
  'ticket:held': TicketMoved,
  'ticket:cancelled': TicketMoved,
  'ticket:expired': TicketMoved,
  'ticket:arrived': TicketMoved,
  'ticket:passed_over': TicketMoved,
  'window:opened': WindowPayload,
  'window:closed': WindowPayload,
  'window:paused': WindowPayload,
  'window:resumed': WindowPayload,
  'window:changed': WindowPayload,
  'service:changed': z.object({ service: ServiceView }),
  'hall:changed': z.object({ hall: HallView }),
  'evaluation:recorded': z.object({
    evaluationId: Id, ticketId: Id, windowId: Id.nullable(), level: EvaluationLevel, source: EvaluationSource, caseId: Id.nullable(),
  }),
  'evaluation:appealed': z.object({ evaluationId: Id, appealState: AppealState }),
  'case:changed': z.object({ caseId: Id, state: CaseState }),
} as const satisfies Record<HallEventType, z.ZodType>;

export type EventPayload<K extends HallEventType> = z.infer<(typeof eventPayloads)[K]>;

/** What every event carries besides its type and payload. */
const EventEnvelope = z.object({
  hallId: Id,
  seq: z.number().int().positive(),
  /** Set when the event concerns one window (its clerk's room receives it). */
  windowId: Id.nullable(),
  /**
   * Set when the event concerns one ticket: the id of the first entry of the citizen's ticket
   * (a transfer keeps it), naming the phone page's room. Never the token, the citizen's key.
   */
  ticketRef: Id.nullable(),
  at: EpochMs,
});
type Envelope = z.infer<typeof EventEnvelope>;

/** A hall event: a discriminated union on `type`, each with its own payload. */
export type HallEvent = { [K in HallEventType]: Envelope & { type: K; payload: EventPayload<K> } }[HallEventType];
export type EventOf<K extends HallEventType> = Extract<HallEvent, { type: K }>;
export type TicketEvent = EventOf<Extract<HallEventType, `ticket:${string}`>>;

export const HallEvent = z.discriminatedUnion('type', hallEventTypes.map((type) => EventEnvelope.extend({
  type: z.literal(type), payload: eventPayloads[type],
})) as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<HallEvent>;


export const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});


/* ---------------- realtime (Socket.IO) ---------------- */

/**
 * Who sees an event in full. `hall`: everyone in the hall. `window`: the window's clerk and the
 * hall's managers; others receive only `event:withheld` with the seq, so their stream has no gap.
 */
export type EventVisibility = 'hall' | 'window';

const WINDOW_PRIVATE: ReadonlySet<HallEventType> = new Set<HallEventType>(['ticket:held', 'evaluation:recorded', 'evaluation:appealed', 'case:changed']);

export function visibilityOf(event: Pick<HallEvent, 'type' | 'windowId'>): EventVisibility {
  return WINDOW_PRIVATE.has(event.type) && event.windowId !== null ? 'window' : 'hall';
}

/** Stands in for an event the receiver may not see, keeping the seq stream gap-free. */
export const WithheldEvent = z.object({ hallId: Id, seq: z.number().int().positive(), at: EpochMs });
export type WithheldEvent = z.infer<typeof WithheldEvent>;
/** One place in a caller's stream: the event, or (for an event another window's clerk sees) only its seq. */
export const StreamEntry = z.union([HallEvent, WithheldEvent.extend({ withheld: z.literal(true) })]);
export type StreamEntry = z.infer<typeof StreamEntry>;
/** The event log as the caller's stream (the same entries a socket of theirs receives); `lastSeq` is the hall's last. */
export const EventsPage = z.object({ events: z.array(StreamEntry), lastSeq: z.number().int() });

/** Sent once after connecting, when every missed event has been sent. */
export const CatchupCompleted = z.object({ lastSeq: z.number().int().min(0), replayed: z.number().int().min(0) });
export type CatchupCompleted = z.infer<typeof CatchupCompleted>;

/**
 * The missed events are no longer kept (pruned), or the client is ahead of the server (the
 * database was replaced): reload the REST snapshot and continue from its lastSeq.
 */
export const CatchupFailed = z.object({ reason: z.enum(['pruned', 'ahead']), lastSeq: z.number().int().min(0) });
export type CatchupFailed = z.infer<typeof CatchupFailed>;

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export type ServerToClientEvents = { [K in HallEventType]: (event: EventOf<K>) => void } & {
  'event:withheld': (event: WithheldEvent) => void;
  'catchup:completed': (info: CatchupCompleted) => void;
  'catchup:failed': (info: CatchupFailed) => void;
};

export const FetchEventsRequest = z.object({
  after: z.number().int().min(0),
  /** Inclusive upper bound; the server sends at most 200 events per request (ask again for the rest). */
  until: z.number().int().min(0).optional(),
});
export type FetchEventsRequest = z.infer<typeof FetchEventsRequest>;

export interface ClientToServerEvents {
  /** Reads a range of the caller's stream again (to fill a gap). Sockets never write. */
  'events:fetch': (request: FetchEventsRequest, ack: (result: Ack<StreamEntry[]>) => void) => void;
}

/**
 * What a client sends in the handshake `auth`. Staff authenticate with their session cookie;
 * devices with `token`; the phone page with `ticketToken`. `lastSeq` is the last event applied.
 */
export const HandshakeAuth = z.object({
  token: z.string().regex(DEVICE_TOKEN).optional(),
  ticketToken: z.string().regex(TICKET_TOKEN).optional(),
  /** For an admin (who belongs to no hall): the hall to follow. */
  hallId: z.number().int().positive().optional(),
  lastSeq: z.number().int().min(0).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

export { SOCKET_PATH } from './constants.js';

/** Displays, kiosks and clerks: the hall's events as everyone may see them. */
export const hallRoom = (hallId: number) => `hall:${hallId}`;
/** Managers and admins: every event of the hall in full. */
export const hallStaffRoom = (hallId: number) => `hall:${hallId}:staff`;
/** The clerk signed in to a window: that window's private events. */
export const windowRoom = (windowId: number) => `window:${windowId}`;
/** A citizen's phone page: events of that ticket only, by its internal ref (never the token). */
export const ticketRoom = (ticketRef: number) => `ticket:${ticketRef}`;
/** Every connection of one session, one staff member or one device: ended together when access is taken away. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const staffRoom = (staffId: number) => `staff:${staffId}`;
export const deviceRoom = (deviceId: number) => `device:${deviceId}`;
