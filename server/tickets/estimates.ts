import type { Kysely } from 'kysely';
import { listServices } from '../services/repository.js';
import type { HallSettings } from '../../protocol/halls.js';
import type { WaitEstimate } from '../../protocol/tickets.js';
import type { Database, ServiceRow, TicketRow } from '../db/schema.js';
import { estimateWait } from '../domain/estimate.js';
import { canServe, rankCandidates, type RoutingTicket } from '../domain/routing.js';
import type { HallWindow } from '../windows/service.js';

export function routingTicket(row: TicketRow): RoutingTicket {
  return {
    id: row.id,
    serviceId: row.service_id,
    priorityClass: row.priority_class,
    targetWindowId: row.target_window_id,
    avoidWindowId: row.avoid_window_id,
    queuedAt: row.queued_at,
    appointmentStart: row.appointment_start,
    appointmentEnd: row.appointment_end,
  };
}

/** Windows that could take this service now or after a pause: open or paused, and serving it. */
export function windowsServing(windows: readonly HallWindow[], serviceId: number): number {
  return windows.filter((w) => w.active && w.state !== 'closed' && canServe(w, { serviceId, targetWindowId: null })).length;
}

/** Windows open (not paused) and serving this service with nobody at them: `busy` holds the windows with a citizen. */
export function freeWindowsServing(windows: readonly HallWindow[], serviceId: number, busy: ReadonlySet<number>): number {
  return windows.filter((w) => w.active && w.state === 'open' && !busy.has(w.id) && canServe(w, { serviceId, targetWindowId: null })).length;
}

/** For someone taking a number now: everyone already waiting for the service is ahead. */
export function serviceEstimate(service: ServiceRow, waitingCount: number, windows: readonly HallWindow[], busy: ReadonlySet<number>): WaitEstimate {
  return estimateWait(waitingCount, windowsServing(windows, service.id), freeWindowsServing(windows, service.id, busy), service.ewma_handling_ms);
}

/**
 * For a waiting ticket: the people its service's queue calls before it (same order as a
 * comprehensive window would call them), over the windows able to serve it.
 */
export function ticketEstimate(
  ticket: TicketRow, service: ServiceRow, waiting: readonly TicketRow[], windows: readonly HallWindow[], busy: ReadonlySet<number>,
  now: number, settings: HallSettings,
): WaitEstimate | null {
  if (ticket.status !== 'waiting') return null;
  const target = ticket.target_window_id;
  const sameQueue = waiting.filter((t) => (target !== null ? t.target_window_id === target : t.service_id === ticket.service_id && t.target_window_id === null));
  const pseudoWindow = { id: target ?? -1, kind: 'comprehensive' as const, tiers: [] };
  const order = rankCandidates(pseudoWindow, sameQueue.map(routingTicket), now, settings);
  const ahead = Math.max(0, order.findIndex((t) => t.id === ticket.id));
  const serving = target !== null
    ? windows.filter((w) => w.id === target && w.state !== 'closed').length
    : windowsServing(windows, ticket.service_id);
  const free = target !== null
    ? windows.filter((w) => w.id === target && w.state === 'open' && !busy.has(w.id)).length
    : freeWindowsServing(windows, ticket.service_id, busy);
  return estimateWait(ahead, serving, free, service.ewma_handling_ms);
}

export async function serviceRows(db: Kysely<Database>, hallId: number): Promise<Map<number, ServiceRow>> {
  const rows = await listServices(db, hallId);
  return new Map(rows.map((r) => [r.id, r]));
}
