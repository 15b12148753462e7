import type { IssuedTicket, OutcomeDetail, TicketDetail, TicketView, WaitEstimate } from '../../protocol/tickets.js';
import type { TicketRow, TransitionRow } from '../db/schema.js';

/**
 * A ticket's public shapes, one presenter each: `ticketView` for anyone in the hall,
 * `issuedTicketView` for whoever took the number (the only shape with its token), and
 * `ticketDetailView` trimmed by what the asking staff member may see of the citizen.
 */

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
    arrivedAt: row.arrived_at,
    passedAt: row.passed_at,
  };
}

/** The ticket as handed to whoever took it: with its token, the citizen's key to the phone page. */
export function issuedTicketView(row: TicketRow, estimate: WaitEstimate): IssuedTicket {
  return { ticket: { ...ticketView(row), token: row.token }, estimate };
}

export interface TicketDetailParts {
  ticket: TicketRow;
  transitions: TransitionRow[];
  estimate: WaitEstimate | null;
  follows: TicketRow | null;
}

/**
 * A ticket with its whole history. `full`: the asker may read what the citizen told the hall
 * (note, 绿色通道 reason, the 补正 list); `fullFollows`: the same of the earlier visit it follows.
 */
export function ticketDetailView(d: TicketDetailParts, seen: { full: boolean; fullFollows: boolean }): TicketDetail {
  const { ticket, follows } = d;
  return {
    ticket: ticketView(ticket),
    outcome: seen.full ? outcomeDetail(ticket) : null,
    note: seen.full ? ticket.note : null,
    priorityReason: seen.full ? ticket.priority_reason : null,
    follows: follows && { id: follows.id, displayNumber: follows.display_number, businessDay: follows.business_day, outcome: seen.fullFollows ? outcomeDetail(follows) : null },
    personalDetails: seen.full,
    transitions: d.transitions.map((t) => ({
      fromStatus: t.from_status, toStatus: t.to_status, action: t.action, staffId: t.staff_id,
      // A finish's reason repeats the 补正 list or the 不予受理 reason.
      deviceId: t.device_id, windowId: t.window_id, reason: seen.full ? t.reason : null, at: t.at,
    })),
    estimate: d.estimate,
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
