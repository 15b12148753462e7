import type { PriorityClass } from '../../protocol/enums.js';
import { type ServingWindow, tierOf } from '../../protocol/serving.js';

export interface RoutingWindow extends ServingWindow {
  id: number;
}

export interface RoutingTicket {
  id: number;
  serviceId: number;
  priorityClass: PriorityClass;
  targetWindowId: number | null;
  /** The window that transferred the citizen away: its 叫号 passes them over. */
  avoidWindowId: number | null;
  queuedAt: number;
  appointmentStart: number | null;
  appointmentEnd: number | null;
}

export interface RoutingSettings {
  agingMinutes: number;
}

const NOT_SERVED = -1;

function classRank(ticket: RoutingTicket, now: number): number {
  if (ticket.priorityClass === 'priority') return 0;
  // An appointment is honoured inside its slot; early or late, it queues like everyone else.
  if (
    ticket.priorityClass === 'appointment' &&
    ticket.appointmentStart !== null && ticket.appointmentEnd !== null &&
    now >= ticket.appointmentStart && now <= ticket.appointmentEnd
  ) {
    return 1;
  }
  return 2;
}

/**
 * Every waiting ticket this window may call, best first:
 * 1. tickets transferred to this window specifically;
 * 2. priority class (priority, appointment inside its slot, normal);
 * 3. the window's service tier — unless the ticket has waited past the aging threshold, when it
 *    counts as tier 1, so no service starves behind a busy first tier;
 * 4. oldest queue time, then id.
 * Tickets transferred to another window, or transferred away from this one, are never candidates here.
 */
export function rankCandidates(
  window: RoutingWindow,
  waiting: readonly RoutingTicket[],
  now: number,
  settings: RoutingSettings,
): RoutingTicket[] {
  const agingMs = settings.agingMinutes * 60_000;
  const keyed: { ticket: RoutingTicket; key: number[] }[] = [];
  for (const ticket of waiting) {
    let targeted: number;
    let tier: number;
    if (ticket.targetWindowId !== null) {
      if (ticket.targetWindowId !== window.id) continue;
      targeted = 0;
      tier = 0;
    } else {
      tier = tierOf(window, ticket.serviceId);
      if (tier === NOT_SERVED || ticket.avoidWindowId === window.id) continue;
      targeted = 1;
      if (now - ticket.queuedAt >= agingMs) tier = 0;
    }
    keyed.push({ ticket, key: [targeted, classRank(ticket, now), tier, ticket.queuedAt, ticket.id] });
  }
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const d = a.key[i]! - b.key[i]!;
      if (d !== 0) return d;
    }
    return 0;
  });
  return keyed.map((k) => k.ticket);
}

/** The ticket this window calls next, or null when it has nobody to call. */
export function pickNext(
  window: RoutingWindow,
  waiting: readonly RoutingTicket[],
  now: number,
  settings: RoutingSettings,
): RoutingTicket | null {
  return rankCandidates(window, waiting, now, settings)[0] ?? null;
}

/** Whether this window may serve this ticket at all (used for 选叫, calling out of order). */
export function canServe(window: RoutingWindow, ticket: Pick<RoutingTicket, 'serviceId' | 'targetWindowId'>): boolean {
  if (ticket.targetWindowId !== null) return ticket.targetWindowId === window.id;
  return tierOf(window, ticket.serviceId) !== NOT_SERVED;
}
