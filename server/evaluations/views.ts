import type { Kysely } from 'kysely';
import { type CaseState, type CaseView, type ComplaintView, type EvaluationView, levelOf } from '../../protocol/evaluations.js';
import type { CaseRow, ComplaintRow, Database, EvaluationRow } from '../db/schema.js';
import { caseIdsOf, displayNumbersOf, findComplaint, findEvaluation, stepsOf } from './repository.js';
import { contactFor } from '../access/policies.js';
import { isOverdue } from './rules.js';

/** The one place a rating or a case row becomes what the API shows. */

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
    contact: contactFor(viewer, row.contact),
    source: row.source,
    createdAt: row.created_at,
    appealState: row.appeal_state,
    appealReason: row.appeal_reason,
    decisionReason: row.decision_reason,
    caseId,
  };
}


export async function evaluationViews(db: Kysely<Database>, rows: EvaluationRow[], viewer: Viewer): Promise<EvaluationView[]> {
  const [numbers, cases] = await Promise.all([displayNumbersOf(db, rows.map((r) => r.ticket_id)), caseIdsOf(db, rows.map((r) => r.id))]);
  return rows.map((r) => evaluationView(r, numbers.get(r.ticket_id) ?? '', cases.get(r.id) ?? null, viewer));
}

export function complaintView(row: ComplaintRow, displayNumber: string | null, viewer: Viewer): ComplaintView {
  return {
    id: row.id,
    source: row.source,
    ticketId: row.ticket_id,
    displayNumber,
    serviceId: row.service_id,
    windowId: row.window_id,
    staffId: row.staff_id,
    content: row.content,
    contact: contactFor(viewer, row.contact),
    reference: row.reference,
    receivedAt: row.received_at,
    enteredBy: row.entered_by,
  };
}

async function complaintOfCase(db: Kysely<Database>, c: CaseRow, viewer: Viewer): Promise<ComplaintView | null> {
  if (c.complaint_id === null) return null;
  const row = (await findComplaint(db, c.hall_id, c.complaint_id))!;
  const numbers = await displayNumbersOf(db, row.ticket_id === null ? [] : [row.ticket_id]);
  return complaintView(row, row.ticket_id === null ? null : numbers.get(row.ticket_id) ?? null, viewer);
}

async function evaluationOfCase(db: Kysely<Database>, c: CaseRow, viewer: Viewer): Promise<EvaluationView | null> {
  if (c.evaluation_id === null) return null;
  return (await evaluationViews(db, [(await findEvaluation(db, c.hall_id, c.evaluation_id))!], viewer))[0]!;
}

export async function caseView(db: Kysely<Database>, c: CaseRow, now: number, viewer: Viewer): Promise<CaseView> {
  const [evaluation, complaint, steps] = await Promise.all([evaluationOfCase(db, c, viewer), complaintOfCase(db, c, viewer), stepsOf(db, c.id)]);
  return {
    id: c.id,
    hallId: c.hall_id,
    source: complaint?.source ?? 'rating',
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
    complaint,
    steps: steps.map((s) => ({ fromState: s.from_state as CaseState | null, toState: s.to_state as CaseState, note: s.note, staffId: s.staff_id, at: s.at })),
  };
}

/** The window and clerk a case is about: the rated service's, or the complaint's. */
export const subjectOf = (c: Pick<CaseView, 'evaluation' | 'complaint'>): { windowId: number | null; staffId: number | null } =>
  c.evaluation ?? c.complaint ?? { windowId: null, staffId: null };
