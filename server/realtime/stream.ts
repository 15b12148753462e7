import { type HallEvent, visibilityOf, type WithheldEvent } from '../../protocol/events.js';
import type { Scope } from './access.js';

export type StreamItem = { kind: 'event'; event: HallEvent } | { kind: 'withheld'; stub: WithheldEvent };

/**
 * What a socket of this scope receives for an event: the event, a withheld stub (so its seq
 * stream stays gap-free), or nothing (a phone page sees only its own ticket).
 * The live broadcast in plugins/realtime.ts must agree with this; a test checks both paths.
 */
export function viewFor(scope: Scope, event: HallEvent): StreamItem | null {
  if (event.hallId !== scope.hallId) return null;
  if (scope.kind === 'ticket') return event.ticketRef === scope.ticketRef ? { kind: 'event', event } : null;
  if (scope.full || visibilityOf(event) === 'hall' || event.windowId === scope.windowId) return { kind: 'event', event };
  return { kind: 'withheld', stub: { hallId: event.hallId, seq: event.seq, at: event.at } };
}
