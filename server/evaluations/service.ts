import type { Kysely } from 'kysely';
import {
  type CaseState, caseStates, type CaseView, type EvaluationSource, type EvaluationView, isBadLevel, levelNumber, levelOf,
  type PhoneRateBody, type RateBody,
} from '../../protocol/evaluations.js';
import type { EvaluatorCurrent } from '../../protocol/evaluations.js';
import type { CaseRow, Database, DeviceRow, EvaluationRow, StaffRow, TicketRow } from '../db/schema.js';
import { write, type Write, type WriteDeps } from '../db/write.js';
import { workingDaysAfter } from '../calendar/service.js';
import { businessDay } from '../domain/business-day.js';
import { invalidateDay } from '../rollups/rollup.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { type Hall, loadHall } from '../halls/service.js';
import { findLiveByToken, findTicket, ticketRefOf } from '../tickets/repository.js';
import { activeTicketOfWindow } from '../windows/repository.js';
import { loadWindow } from '../windows/service.js';
import {
  caseIdsOf, findCase, findCaseOfEvaluation, findEvaluation, findEvaluationOfTicket, insertEvaluation, listEvaluations, stepsOf,
} from './repository.js';
import { evaluatorRatingUntil, maskContact, phoneRatingUntil, seesFullContact } from './rules.js';


export interface Viewer {
  /** Managers and admins see contacts in full; everyone else masked. */
  fullContact: boolean;
}

export function evaluationView(row: EvaluationRow, displayNumber: string, caseId: number | null, viewer: Viewer): EvaluationView {
  return {
    id: row.id,
    hallId: row.hall_id,
    ticketId: row.ticket_id,
    displayNumber,
    serviceId: row.service_id,
    windowId: row.window_id,
    staffId: row.staff_id,
    level: levelOf(row.level),
    tags: JSON.parse(row.tags) as string[],
    comment: row.comment,
    contact: row.contact === null ? null : viewer.fullContact ? row.contact : maskContact(row.contact),
    source: row.source,
    createdAt: row.created_at,
    appealState: row.appeal_state,
    appealReason: row.appeal_reason,
    decisionReason: row.decision_reason,
    caseId,
  };
}

async function displayNumbers(db: Kysely<Database>, ticketIds: readonly number[]): Promise<Map<number, string>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db.selectFrom('tickets').select(['id', 'display_number']).where('id', 'in', ticketIds).execute();
  return new Map(rows.map((r) => [r.id, r.display_number]));
}

export async function evaluationViews(db: Kysely<Database>, rows: EvaluationRow[], viewer: Viewer): Promise<EvaluationView[]> {
  const [numbers, cases] = await Promise.all([displayNumbers(db, rows.map((r) => r.ticket_id)), caseIdsOf(db, rows.map((r) => r.id))]);
  return rows.map((r) => evaluationView(r, numbers.get(r.ticket_id) ?? '', cases.get(r.id) ?? null, viewer));
}

/* ---------------- rating ---------------- */

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
    const opened = await w.trx.insertInto('evaluation_cases').values({
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
    }).returning('id').executeTakeFirstOrThrow();
    caseId = opened.id;
    await w.trx.insertInto('case_steps').values({ case_id: caseId, from_state: null, to_state: 'open', note: '差评自动立案', staff_id: null, at: w.now }).execute();
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

/** What the window's evaluator should show now: the clerk while serving, then the rating screen. */
export async function evaluatorCurrent(db: Kysely<Database>, device: DeviceRow, now: number): Promise<EvaluatorCurrent> {
  if (device.window_id === null) throw new ConflictError('EVALUATOR_NOT_PAIRED', 'This evaluator is not paired to a window.');
  const hall = await loadHall(db, device.hall_id);
  const window = await loadWindow(db, device.hall_id, device.window_id);
  const base = { window: { id: window.id, number: window.number, state: window.state, staffName: window.staffName, staffId: window.staffId } };
  const active = await activeTicketOfWindow(db, window.id);
  if (active) return { ...base, phase: 'serving', ticket: { id: active.id, displayNumber: active.display_number }, ratingUntil: null };
  const last = await db.selectFrom('tickets').selectAll().where('window_id', '=', window.id).where('status', '=', 'done')
    .orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
  const until = last?.finished_at == null ? null : evaluatorRatingUntil(last.finished_at, hall.settings);
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
    if (ticket.status === 'done' && evaluatorRatingUntil(ticket.finished_at ?? 0, hall.settings) < w.now) {
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

/* ---------------- lists, appeals ---------------- */

export async function evaluationsFor(
  db: Kysely<Database>, hallId: number, staff: StaffRow,
  filter: Parameters<typeof listEvaluations>[2] & { level?: number },
): Promise<EvaluationView[]> {
  await loadHall(db, hallId);
  const manager = seesFullContact(staff.role);
  // A clerk sees the ratings of their own service, not their colleagues'.
  const rows = await listEvaluations(db, hallId, manager ? filter : { ...filter, staffId: staff.id });
  return evaluationViews(db, rows, { fullContact: manager });
}

async function loadEvaluation(db: Kysely<Database>, hallId: number, id: number): Promise<EvaluationRow> {
  const row = await findEvaluation(db, hallId, id);
  if (!row) throw new NotFoundError('EVALUATION_NOT_FOUND', `Evaluation ${id} does not exist in hall ${hallId}.`);
  return row;
}

/** 申诉: the clerk who served (or a manager for them) disputes a 差评 as mistaken or malicious. */
export async function appeal(deps: WriteDeps, hallId: number, id: number, reason: string, staff: StaffRow): Promise<EvaluationRow> {
  return write(deps, async (w) => {
    const row = await loadEvaluation(w.trx, hallId, id);
    if (staff.role === 'clerk' && row.staff_id !== staff.id) throw new ForbiddenError('NOT_YOUR_EVALUATION', 'A clerk may appeal only ratings of their own service.');
    if (!isBadLevel(levelOf(row.level))) throw new ConflictError('APPEAL_NOT_ALLOWED', 'Only a 差评 can be appealed.');
    if (row.appeal_state !== 'none') throw new ConflictError('ALREADY_APPEALED', 'This rating has already been appealed.');
    const updated = await w.trx.updateTable('evaluations')
      .set({ appeal_state: 'pending', appeal_reason: reason, appealed_by: staff.id, appealed_at: w.now })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await w.record(hallId, { type: 'evaluation:appealed', windowId: row.window_id, payload: { evaluationId: id, appealState: 'pending' } });
    return updated;
  });
}

/** A manager upholds the rating, or voids it: a voided rating leaves every indicator and its case closes. */
export async function decideAppeal(deps: WriteDeps, hallId: number, id: number, decision: 'uphold' | 'void', reason: string, staff: StaffRow): Promise<EvaluationRow> {
  return write(deps, async (w) => {
    const row = await loadEvaluation(w.trx, hallId, id);
    if (row.appeal_state !== 'pending') throw new ConflictError('NO_PENDING_APPEAL', 'This rating has no appeal waiting for a decision.');
    const state = decision === 'void' ? 'voided' : 'upheld';
    if (decision === 'void') await invalidateDay(w.trx, hallId, row.business_day);
    const updated = await w.trx.updateTable('evaluations')
      .set({ appeal_state: state, decision_reason: reason, decided_by: staff.id, decided_at: w.now })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const c = await findCaseOfEvaluation(w.trx, id);
    if (c && decision === 'void' && c.state !== 'closed') {
      await moveCase(w, c, 'closed', `申诉成立，评价作废：${reason}`, staff.id, { closed_at: w.now });
    }
    await w.record(hallId, { type: 'evaluation:appealed', windowId: row.window_id, payload: { evaluationId: id, appealState: state } });
    return updated;
  });
}

/* ---------------- follow-up cases ---------------- */

export function isOverdue(c: CaseRow, now: number): boolean {
  const rank = caseStates.indexOf(c.state);
  return (rank < caseStates.indexOf('verified') && now > c.verify_due_at) || (rank < caseStates.indexOf('rectified') && now > c.rectify_due_at);
}

async function moveCase(w: Write, c: CaseRow, to: CaseState, note: string, staffId: number | null, extra: Partial<CaseRow> = {}): Promise<CaseRow> {
  const moved = await w.trx.updateTable('evaluation_cases').set({ ...extra, state: to, updated_at: w.now })
    .where('id', '=', c.id).where('state', '=', c.state).returningAll().executeTakeFirst();
  if (!moved) throw new ConflictError('CASE_CHANGED', 'The case was changed by someone else; reload.');
  await w.trx.insertInto('case_steps').values({ case_id: c.id, from_state: c.state, to_state: to, note, staff_id: staffId, at: w.now }).execute();
  const evaluation = await w.trx.selectFrom('evaluations').select('window_id').where('id', '=', c.evaluation_id).executeTakeFirst();
  await w.record(c.hall_id, { type: 'case:changed', windowId: evaluation?.window_id ?? null, payload: { caseId: c.id, state: to } });
  return moved;
}

async function loadCase(db: Kysely<Database>, hallId: number, id: number): Promise<CaseRow> {
  const row = await findCase(db, hallId, id);
  if (!row) throw new NotFoundError('CASE_NOT_FOUND', `Case ${id} does not exist in hall ${hallId}.`);
  return row;
}

export async function caseView(db: Kysely<Database>, c: CaseRow, now: number, viewer: Viewer): Promise<CaseView> {
  const evaluation = (await evaluationViews(db, [(await findEvaluation(db, c.hall_id, c.evaluation_id))!], viewer))[0]!;
  const steps = await stepsOf(db, c.id);
  return {
    id: c.id,
    hallId: c.hall_id,
    evaluationId: c.evaluation_id,
    state: c.state,
    ownerStaffId: c.owner_staff_id,
    verifyDueAt: c.verify_due_at,
    rectifyDueAt: c.rectify_due_at,
    overdue: isOverdue(c, now),
    citizenSatisfied: c.citizen_satisfied === null ? null : c.citizen_satisfied === 1,
    createdAt: c.created_at,
    closedAt: c.closed_at,
    evaluation,
    steps: steps.map((s) => ({ fromState: s.from_state as CaseState | null, toState: s.to_state as CaseState, note: s.note, staffId: s.staff_id, at: s.at })),
  };
}

export async function listCases(db: Kysely<Database>, hallId: number, filter: { state?: CaseState; overdue?: boolean; limit: number }, now: number, viewer: Viewer): Promise<CaseView[]> {
  await loadHall(db, hallId);
  let q = db.selectFrom('evaluation_cases').selectAll().where('hall_id', '=', hallId);
  if (filter.state) q = q.where('state', '=', filter.state);
  const rows = (await q.orderBy('id', 'desc').execute()).filter((c) => filter.overdue === undefined || isOverdue(c, now) === filter.overdue);
  return Promise.all(rows.slice(0, filter.limit).map((c) => caseView(db, c, now, viewer)));
}

export async function getCase(db: Kysely<Database>, hallId: number, id: number, now: number, viewer: Viewer): Promise<CaseView> {
  return caseView(db, await loadCase(db, hallId, id), now, viewer);
}

export async function assignCase(deps: WriteDeps, hallId: number, id: number, ownerStaffId: number, actor: StaffRow): Promise<CaseRow> {
  return write(deps, async (w) => {
    const c = await loadCase(w.trx, hallId, id);
    const owner = await w.trx.selectFrom('staff').select(['id', 'hall_id', 'disabled']).where('id', '=', ownerStaffId).executeTakeFirst();
    if (!owner || owner.hall_id !== hallId || owner.disabled) throw new BadRequestError('OWNER_NOT_IN_HALL', 'The owner must be an active staff member of this hall.', { field: 'body.ownerStaffId' });
    const updated = await w.trx.updateTable('evaluation_cases').set({ owner_staff_id: ownerStaffId, updated_at: w.now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await w.trx.insertInto('case_steps').values({ case_id: id, from_state: c.state, to_state: c.state, note: `指定责任人 #${ownerStaffId}`, staff_id: actor.id, at: w.now }).execute();
    return updated;
  });
}

/** Moves the case one step along open → verified → rectified → replied → closed, with a note. */
export async function advanceCase(
  deps: WriteDeps, hallId: number, id: number, to: CaseState, note: string, citizenSatisfied: boolean | undefined, actor: StaffRow,
): Promise<CaseRow> {
  return write(deps, async (w) => {
    const c = await loadCase(w.trx, hallId, id);
    if (actor.role === 'clerk' && c.owner_staff_id !== actor.id) throw new ForbiddenError('NOT_CASE_OWNER', 'Only the case owner or a manager may move this case.');
    const expected = caseStates[caseStates.indexOf(c.state) + 1];
    if (to !== expected) {
      throw new ConflictError('ILLEGAL_CASE_STEP', `The case is ${c.state}; the next step is ${expected ?? 'none'}.`, { state: c.state, to });
    }
    if (to === 'closed' && citizenSatisfied === undefined) {
      throw new BadRequestError('CITIZEN_SATISFIED_REQUIRED', 'Closing records whether the citizen was satisfied at the return visit.', { field: 'body.citizenSatisfied' });
    }
    return moveCase(w, c, to, note, actor.id, to === 'closed' ? { closed_at: w.now, citizen_satisfied: citizenSatisfied ? 1 : 0 } : {});
  });
}

