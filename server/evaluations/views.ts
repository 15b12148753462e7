import type { Kysely } from 'kysely';
import { type CaseState, type CaseView, type EvaluationView, levelOf } from '../../protocol/evaluations.js';
import type { CaseRow, Database, EvaluationRow } from '../db/schema.js';
import { caseIdsOf, displayNumbersOf, findEvaluation, stepsOf } from './repository.js';
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
