import type { OutcomeDetail, TicketView } from '../../protocol/tickets.js';
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
    outcome: row.outcome,
    followsTicketId: row.follows_ticket_id,
  };
}

/** The outcome as the citizen and staff read it, or null before the ticket is finished. */
export function outcomeDetail(row: Pick<TicketRow, 'outcome' | 'outcome_reason' | 'missing_materials'>): OutcomeDetail | null {
  if (row.outcome === null) return null;
  return { outcome: row.outcome, materials: row.missing_materials ? (JSON.parse(row.missing_materials) as string[]) : [], reason: row.outcome_reason };
}


/** The number as printed: prefix and at least three digits (A001 … A999, then A1000). */
export function displayNumber(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(3, '0')}`;
}
