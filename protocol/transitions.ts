import type { hallEventTypes } from './constants.js';
import type { HallEvent, TicketEvent } from './events.js';
import type { TicketStatus } from './enums.js';

/**
 * The ticket state machine, stated once. The engine's `move()` refuses anything not listed here;
 * the counter page enables its buttons from it; the call board and the repository derive their
 * status lists from it. Plain data (no zod), so the pages can import it.
 */
export type TicketAction =
  | 'issue' | 'call' | 'call_specific' | 'call_back' | 'recall' | 'recall_limit' | 'start' | 'finish'
  | 'no_show' | 'hold' | 'transfer' | 'requeue' | 'cancel' | 'expire' | 'arrive' | 'pass_over' | 'lapse';

type HallEventType = (typeof hallEventTypes)[number];

/** Who may make a move: staff at a window, the kiosk (or helper) issuing, the citizen by their token, the server itself. */
export type Mover = 'staff' | 'device' | 'citizen' | 'system';

export interface Transition {
  from: readonly TicketStatus[];
  to: TicketStatus;
  event: HallEventType;
  by: readonly Mover[];
}

const OPEN: readonly TicketStatus[] = ['waiting', 'called', 'serving', 'on_hold'];

export const TRANSITIONS = {
  issue: { from: [], to: 'waiting', event: 'ticket:issued', by: ['staff', 'device'] },
  call: { from: ['waiting'], to: 'called', event: 'ticket:called', by: ['staff'] },
  /** 选叫: a particular waiting ticket, with a reason. */
  call_specific: { from: ['waiting'], to: 'called', event: 'ticket:called', by: ['staff'] },
  /** 回呼: the citizen who stepped away is back. */
  call_back: { from: ['on_hold'], to: 'called', event: 'ticket:called', by: ['staff'] },
  recall: { from: ['called'], to: 'called', event: 'ticket:recalled', by: ['staff'] },
  /** The recall past the hall's limit marks the no-show itself. */
  recall_limit: { from: ['called'], to: 'no_show', event: 'ticket:no_show', by: ['staff'] },
  start: { from: ['called'], to: 'serving', event: 'ticket:started', by: ['staff'] },
  finish: { from: ['serving'], to: 'done', event: 'ticket:finished', by: ['staff'] },
  no_show: { from: ['called'], to: 'no_show', event: 'ticket:no_show', by: ['staff'] },
  /** 挂起: the citizen fetches a document; the window serves others meanwhile. */
  hold: { from: ['serving'], to: 'on_hold', event: 'ticket:held', by: ['staff'] },
  /** 转办: this entry ends; a new waiting entry for the other service/window keeps the number. */
  transfer: { from: ['serving'], to: 'transferred', event: 'ticket:transferred', by: ['staff'] },
  requeue: { from: ['no_show'], to: 'waiting', event: 'ticket:requeued', by: ['staff'] },
  cancel: { from: ['waiting'], to: 'cancelled', event: 'ticket:cancelled', by: ['staff', 'citizen'] },
  /** 在线排队: the citizen who took the number online is in the hall now (entrance code, kiosk, helper). */
  arrive: { from: ['waiting'], to: 'waiting', event: 'ticket:arrived', by: ['staff', 'device', 'citizen'] },
  /** Their turn came while they were not in the hall: passed over, keeping the place, for the grace period. */
  pass_over: { from: ['waiting'], to: 'waiting', event: 'ticket:passed_over', by: ['staff'] },
  /** The grace period ended without them: a no-show like any other (过号重排 once, the same day). */
  lapse: { from: ['waiting'], to: 'no_show', event: 'ticket:no_show', by: ['staff', 'system'] },
  /** Business-day end: whatever is still open. */
  expire: { from: OPEN, to: 'expired', event: 'ticket:expired', by: ['system'] },
} as const satisfies Record<TicketAction, Transition>;

export const ticketActions = Object.keys(TRANSITIONS) as TicketAction[];

export function canApply(action: TicketAction, status: TicketStatus): boolean {
  return (TRANSITIONS[action].from as readonly TicketStatus[]).includes(status);
}

/** States in which a ticket still needs the hall today: exactly those the day end expires. */
export const OPEN_STATUSES: readonly TicketStatus[] = TRANSITIONS.expire.from;

/** States in which a ticket is at a window (the window is busy with it). */
export const AT_WINDOW_STATUSES: readonly TicketStatus[] = ['called', 'serving'];

/** Events after which the ticket is no longer at its window (the call board drops it). */
export const LEFT_WINDOW_EVENTS: ReadonlySet<HallEventType> = new Set(
  Object.values(TRANSITIONS)
    .filter((t) => t.from.some((s) => AT_WINDOW_STATUSES.includes(s)) && !AT_WINDOW_STATUSES.includes(t.to))
    .map((t) => t.event),
);

/** A ticket's move (its payload carries the ticket and its window). */
export function isTicketEvent(event: HallEvent): event is TicketEvent {
  return event.type.startsWith('ticket:');
}
