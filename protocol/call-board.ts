import type { HallEvent } from './events.js';
import type { QueueSnapshot } from './queue.js';
import { isTicketEvent, LEFT_WINDOW_EVENTS } from './transitions.js';

export interface CurrentCall {
  windowId: number;
  windowNumber: string;
  ticketId: number;
  displayNumber: string;
  serviceId: number;
  calledAt: number;
  /** The business day the ticket belongs to: the list shows one day's calls. */
  businessDay: string;
  /** How many times this call has been repeated (重呼). */
  recallCount: number;
  seq: number;
}

/** Enough of the day's latest calls for a zone display to fill its list from its own windows. */
const RECENT = 60;

/**
 * What the hall display shows: the current call at each window and the most recent calls,
 * kept up to date from events. Applying an event says whether it is something to announce.
 */
export class CallBoard {
  readonly current = new Map<number, CurrentCall>();
  recent: CurrentCall[] = [];
  /** The newest business day seen; calls of earlier days leave the list. */
  day = '';

  /** A new business day has begun (a snapshot, a call, or the display's clock says so): earlier days' calls go. */
  startDay(day: string): void {
    if (day <= this.day) return;
    this.day = day;
    this.recent = this.recent.filter((c) => c.businessDay >= day);
  }

  /** Starts from a REST snapshot (its lastSeq is where the feed continues). */
  load(snapshot: QueueSnapshot): void {
    this.current.clear();
    this.recent = [];
    for (const w of snapshot.windows) {
      if (!w.current || w.current.calledAt === null) continue;
      this.current.set(w.windowId, {
        windowId: w.windowId, windowNumber: w.number, ticketId: w.current.id, displayNumber: w.current.displayNumber,
        serviceId: w.current.serviceId, calledAt: w.current.calledAt, businessDay: w.current.businessDay, recallCount: w.current.recallCount, seq: snapshot.lastSeq,
      });
    }
    this.recent = [...this.current.values()].sort((a, b) => b.calledAt - a.calledAt).slice(0, RECENT);
    this.startDay(snapshot.businessDay);
  }

  /** Returns the call to announce for `ticket:called` / `ticket:recalled`, otherwise null. */
  apply(event: HallEvent): CurrentCall | null {
    if (!isTicketEvent(event)) return null;
    const { ticket, window } = event.payload;
    if ((event.type === 'ticket:called' || event.type === 'ticket:recalled') && window) {
      const call: CurrentCall = {
        windowId: window.id, windowNumber: window.number, ticketId: ticket.id, displayNumber: ticket.displayNumber,
        serviceId: ticket.serviceId, calledAt: event.at, businessDay: ticket.businessDay, recallCount: ticket.recallCount, seq: event.seq,
      };
      this.current.set(window.id, call);
      this.startDay(call.businessDay);
      this.recent = [call, ...this.recent.filter((c) => c.ticketId !== ticket.id)].slice(0, RECENT);
      return call;
    }
    // The citizen has left the window: the call is no longer current.
    if (LEFT_WINDOW_EVENTS.has(event.type)) {
      for (const [windowId, call] of this.current) if (call.ticketId === ticket.id) this.current.delete(windowId);
    }
    return null;
  }
}
