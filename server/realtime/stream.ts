import { type HallEvent, hallRoom, type StreamEntry, hallStaffRoom, ticketRoom, visibilityOf, type WithheldEvent, windowRoom } from '../../protocol/events.js';
import type { Scope } from './access.js';

export type StreamItem = { kind: 'event'; event: HallEvent } | { kind: 'withheld'; stub: WithheldEvent };

/**
 * Who may see an event, stated once as rooms: those that receive it in full, and those that
 * receive only a withheld stub with its seq (so their stream stays gap-free). The live broadcast
 * emits to these rooms; the replay and gap fetches ask `viewFor`, which reads the same answer.
 */
export function audiences(event: HallEvent): { full: string[]; withheld: string[] } {
  const h = event.hallId;
  const phone = event.ticketRef === null ? [] : [ticketRoom(event.ticketRef)];
  if (visibilityOf(event) === 'hall') return { full: [hallRoom(h), hallStaffRoom(h), ...phone], withheld: [] };
  return { full: [windowRoom(event.windowId!), hallStaffRoom(h), ...phone], withheld: [hallRoom(h)] };
}

/** What a socket of this scope (these rooms) receives for an event: the event, a stub, or nothing. */
export function viewFor(scope: Scope, event: HallEvent): StreamItem | null {
  if (event.hallId !== scope.hallId) return null;
  const { full, withheld } = audiences(event);
  if (scope.rooms.some((r) => full.includes(r))) return { kind: 'event', event };
  if (scope.rooms.some((r) => withheld.includes(r))) return { kind: 'withheld', stub: { hallId: event.hallId, seq: event.seq, at: event.at } };
  return null;
}

/** A range of the log as this scope's stream: REST catch-up and `events:fetch` alike. */
export function streamEntries(scope: Scope, events: HallEvent[]): StreamEntry[] {
  return events.map((e) => viewFor(scope, e)).filter((i) => i !== null)
    .map((i) => (i.kind === 'event' ? i.event : { withheld: true as const, ...i.stub }));
}
