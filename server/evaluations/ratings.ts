import type { Kysely } from 'kysely';
import {
  type EvaluationSource, type EvaluationView, type EvaluatorCurrent, isBadLevel, levelNumber, type PhoneRateBody, type RateBody,
} from '../../protocol/evaluations.js';
import { workingDaysAfter } from '../calendar/service.js';
import type { Database, DeviceRow, EvaluationRow, StaffRow, TicketRow } from '../db/schema.js';
import { write, type Write, type WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { type Hall, loadHall } from '../halls/service.js';
import { invalidateDay } from '../rollups/rollup.js';
import { findLiveByToken, findTicket, ticketRefOf } from '../tickets/repository.js';
import { activeTicketOfWindow } from '../windows/repository.js';
import { loadWindow, recordWindow } from '../windows/service.js';
import { updateWindow } from '../windows/repository.js';
import { findEvaluationOfTicket, insertCase, insertCaseStep, insertEvaluation, lastFinishedAtWindow, listEvaluations } from './repository.js';
import { seesAllRatings, seesFullContact } from '../access/policies.js';
import { evaluatorRatingUntil, phoneRatingUntil } from './rules.js';
import { evaluationViews } from './views.js';

/* 好差评 ratings: at the window's evaluator, or later from the phone page (一次一评). */

/**
 * 一次一评: one rating per served ticket. A 差评 (levels 4–5) opens a follow-up case in the
 * same transaction, the serving window and clerk responsible, with deadlines in working days.
 */
async function record(w: Write, hall: Hall, ticket: TicketRow, body: RateBody & { contact?: string }, source: EvaluationSource): Promise<EvaluationRow> {
  if (ticket.status !== 'done') throw new ConflictError('NOT_SERVED_YET', `Ticket ${ticket.display_number} has not been served yet.`);
  if (await findEvaluationOfTicket(w.trx, ticket.id)) {
    throw new ConflictError('ALREADY_EVALUATED', `Ticket ${ticket.display_number} has already been rated (一次一评).`);
  }
  const evaluation = await insertEvaluation(w.trx, {
    hall_id: ticket.hall_id,
    ticket_id: ticket.id,
    service_id: ticket.service_id,
    window_id: ticket.window_id,
    staff_id: ticket.staff_id,
    level: levelNumber(body.level),
    tags: JSON.stringify(body.tags),
    comment: body.comment || null,
    contact: body.contact || null,
    source,
    business_day: ticket.business_day,
    created_at: w.now,
    appeal_state: 'none',
    appeal_reason: null,
    appealed_by: null,
    appealed_at: null,
    decision_reason: null,
    decided_by: null,
    decided_at: null,
  });
  let caseId: number | null = null;
  if (isBadLevel(body.level)) {
    const opened = await insertCase(w.trx, {
      hall_id: ticket.hall_id,
      evaluation_id: evaluation.id,
      state: 'open',
      owner_staff_id: null,
      verify_due_at: await workingDaysAfter(w.trx, hall, w.now, hall.settings.verifyWorkingDays),
      rectify_due_at: await workingDaysAfter(w.trx, hall, w.now, hall.settings.rectifyWorkingDays),
      citizen_satisfied: null,
      created_at: w.now,
      updated_at: w.now,
      closed_at: null,
    });
    caseId = opened.id;
    await insertCaseStep(w.trx, { case_id: caseId, from_state: null, to_state: 'open', note: '差评自动立案', staff_id: null, at: w.now });
  }
  // A late rating changes a closed day's figures.
  if (ticket.business_day < businessDay(w.now, hall.timezone)) await invalidateDay(w.trx, ticket.hall_id, ticket.business_day);
  await w.record(ticket.hall_id, {
    type: 'evaluation:recorded',
    windowId: ticket.window_id,
    ticketRef: await ticketRefOf(w.trx, ticket),
    payload: { evaluationId: evaluation.id, ticketId: ticket.id, windowId: ticket.window_id, level: body.level, source, caseId },
  });
  return evaluation;
}

/**
 * 评价 on the window's keypad: the citizen just served is asked to rate, and the window's evaluator
 * offers the rating screen again from now for its usual time. Refused when there is nothing to rate.
 * Returns the number invited to rate.
 */
export async function inviteRating(deps: WriteDeps, windowId: number, hallId: number): Promise<string> {
  return write(deps, async (w) => {
    const hall = await loadHall(w.trx, hallId);
    const last = await lastFinishedAtWindow(w.trx, windowId);
    if (!last) throw new ConflictError('NOTHING_TO_RATE', 'Nobody has been served at this window yet.', { lines: ['暂无可评价', '请先办结'] });
    if (await findEvaluationOfTicket(w.trx, last.id)) {
      throw new ConflictError('ALREADY_EVALUATED', `Ticket ${last.display_number} has already been rated (一次一评).`, { lines: ['已评价', last.display_number] });
    }
    if (phoneRatingUntil(last.finished_at ?? 0, hall.settings) < w.now) {
      throw new ConflictError('EVALUATION_PERIOD_OVER', 'The rating period of the last citizen served here is over.', { lines: ['评价期已过', last.display_number] });
    }
    await updateWindow(w.trx, windowId, { rating_invited_at: w.now });
    await recordWindow(w, hallId, windowId, 'window:changed');
    return last.display_number;
  });
}

/** What the window's evaluator should show now: the clerk while serving, then the rating screen. */
export async function evaluatorCurrent(db: Kysely<Database>, device: DeviceRow, now: number): Promise<EvaluatorCurrent> {
  if (device.window_id === null) throw new ConflictError('EVALUATOR_NOT_PAIRED', 'This evaluator is not paired to a window.');
  const hall = await loadHall(db, device.hall_id);
  const window = await loadWindow(db, device.hall_id, device.window_id);
  const base = { window: { id: window.id, number: window.number, state: window.state, staffName: window.staffName, staffId: window.staffId } };
  const active = await activeTicketOfWindow(db, window.id);
  if (active) return { ...base, phase: 'serving', ticket: { id: active.id, displayNumber: active.display_number }, ratingUntil: null };
  const last = await lastFinishedAtWindow(db, window.id);
  const until = last?.finished_at == null ? null : evaluatorRatingUntil(last.finished_at, hall.settings, window.ratingInvitedAt);
  if (last && until !== null && now <= until && !(await findEvaluationOfTicket(db, last.id))) {
    return { ...base, phase: 'rating', ticket: { id: last.id, displayNumber: last.display_number }, ratingUntil: until };
  }
  return { ...base, phase: 'idle', ticket: null, ratingUntil: null };
}

export async function rateAtEvaluator(deps: WriteDeps, device: DeviceRow, ticketId: number, body: RateBody): Promise<EvaluationRow> {
  return write(deps, async (w) => {
    if (device.window_id === null) throw new ConflictError('EVALUATOR_NOT_PAIRED', 'This evaluator is not paired to a window.');
    const hall = await loadHall(w.trx, device.hall_id);
    const ticket = await findTicket(w.trx, device.hall_id, ticketId);
    if (!ticket) throw new NotFoundError('TICKET_NOT_FOUND', `Ticket ${ticketId} does not exist.`);
    if (ticket.window_id !== device.window_id) throw new ForbiddenError('NOT_THIS_WINDOW', 'This evaluator rates only its own window\'s citizens.');
    const window = await loadWindow(w.trx, device.hall_id, device.window_id);
    if (ticket.status === 'done' && evaluatorRatingUntil(ticket.finished_at ?? 0, hall.settings, window.ratingInvitedAt) < w.now) {
      throw new ConflictError('EVALUATION_PERIOD_OVER', 'The rating screen has timed out; the citizen can still rate from the phone page.');
    }
    return record(w, hall, ticket, body, 'evaluator');
  });
}

/** Rating later from the phone page, within the hall's period (GB/T 39734 allows it). */
export async function rateByToken(deps: WriteDeps, token: string, body: PhoneRateBody): Promise<EvaluationRow> {
  return write(deps, async (w) => {
    const ticket = await findLiveByToken(w.trx, token);
    if (!ticket) throw new NotFoundError('TICKET_NOT_FOUND', 'No ticket has this token.');
    const hall = await loadHall(w.trx, ticket.hall_id);
    if (ticket.status === 'done' && phoneRatingUntil(ticket.finished_at ?? 0, hall.settings) < w.now) {
      throw new ConflictError('EVALUATION_PERIOD_OVER', `Ratings are accepted for ${hall.settings.evaluationPeriodDays} days after service.`);
    }
    return record(w, hall, ticket, body, 'phone');
  });
}

export async function evaluationOfToken(db: Kysely<Database>, ticket: TicketRow, hall: Hall, now: number): Promise<{ evaluation: EvaluationRow | null; canEvaluate: boolean }> {
  const evaluation = (await findEvaluationOfTicket(db, ticket.id)) ?? null;
  if (evaluation || ticket.status !== 'done') return { evaluation, canEvaluate: false };
  return { evaluation, canEvaluate: phoneRatingUntil(ticket.finished_at ?? 0, hall.settings) >= now };
}

export async function evaluationsFor(
  db: Kysely<Database>, hallId: number, staff: StaffRow,
  filter: Parameters<typeof listEvaluations>[2] & { level?: number },
): Promise<EvaluationView[]> {
  const rows = await listEvaluations(db, hallId, seesAllRatings(staff.role) ? filter : { ...filter, staffId: staff.id });
  return evaluationViews(db, rows, { fullContact: seesFullContact(staff.role) });
}
