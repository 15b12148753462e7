import type { TicketView } from '../../protocol/tickets.js';
import type { TicketRow } from '../db/schema.js';

export function ticketView(row: TicketRow): TicketView {
  return {
    id: row.id,
    hallId: row.hall_id,
    serviceId: row.service_id,
    businessDay: row.business_day,
    number: row.number,
    displayNumber: row.display_number,
    channel: row.channel,
    priorityClass: row.priority_class,
    status: row.status,
    windowId: row.window_id,
    targetWindowId: row.target_window_id,
    parentTicketId: row.parent_ticket_id,
    recallCount: row.recall_count,
    requeueCount: row.requeue_count,
    issuedAt: row.issued_at,
    queuedAt: row.queued_at,
    calledAt: row.called_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    appointmentStart: row.appointment_start,
    appointmentEnd: row.appointment_end,
  };
}


/** The number as printed: prefix and at least three digits (A001 … A999, then A1000). */
export function displayNumber(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(3, '0')}`;
}
