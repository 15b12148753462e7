import type { Kysely } from 'kysely';
import { type CaseSource, type CaseState, caseStates, type CaseView } from '../../protocol/evaluations.js';
import { mayMoveCase } from '../access/policies.js';
import type { CaseRow, Database, StaffRow } from '../db/schema.js';
import { writeInHall, type Write, type WriteDeps } from '../db/write.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { findStaff } from '../staff/repository.js';
import { findCase, findComplaint, findEvaluation, insertCaseStep, listCaseRows, updateCaseIf } from './repository.js';
import { isOverdue } from './rules.js';
import { caseView, type Viewer } from './views.js';

/* 差评 follow-up cases: open → verified (回访核实) → rectified (整改) → replied → closed. */

export async function moveCase(w: Write, c: CaseRow, to: CaseState, note: string, staffId: number | null, extra: Partial<CaseRow> = {}): Promise<CaseRow> {
  const moved = await updateCaseIf(w.trx, c.id, c.state, { ...extra, state: to, updated_at: w.now });
  if (!moved) throw new ConflictError('CASE_CHANGED', 'The case was changed by someone else; reload.');
  await insertCaseStep(w.trx, { case_id: c.id, from_state: c.state, to_state: to, note, staff_id: staffId, at: w.now });
  await w.record(c.hall_id, { type: 'case:changed', windowId: await caseWindowId(w.trx, c), payload: { caseId: c.id, state: to } });
  return moved;
}

/** The window a case is about (its events go to that window's room too). */
async function caseWindowId(db: Kysely<Database>, c: CaseRow): Promise<number | null> {
  if (c.evaluation_id !== null) return (await findEvaluation(db, c.hall_id, c.evaluation_id))?.window_id ?? null;
  return c.complaint_id === null ? null : (await findComplaint(db, c.hall_id, c.complaint_id))?.window_id ?? null;
}

async function loadCase(db: Kysely<Database>, hallId: number, id: number): Promise<CaseRow> {
  const row = await findCase(db, hallId, id);
  if (!row) throw new NotFoundError('CASE_NOT_FOUND', `Case ${id} does not exist in hall ${hallId}.`);
  return row;
}

export async function listCases(
  db: Kysely<Database>, hallId: number,
  filter: { state?: CaseState; source?: CaseSource; overdue?: boolean; windowId?: number; staffId?: number; before?: number; limit: number },
  now: number, viewer: Viewer,
): Promise<CaseView[]> {
  const rows = (await listCaseRows(db, hallId, filter)).filter((c) => filter.overdue === undefined || isOverdue(c, now) === filter.overdue);
  return Promise.all(rows.slice(0, filter.limit).map((c) => caseView(db, c, now, viewer)));
}

export async function getCase(db: Kysely<Database>, hallId: number, id: number, now: number, viewer: Viewer): Promise<CaseView> {
  return caseView(db, await loadCase(db, hallId, id), now, viewer);
}

export async function assignCase(deps: WriteDeps, hallId: number, id: number, ownerStaffId: number, actor: StaffRow): Promise<CaseRow> {
  return writeInHall(deps, hallId, async (w) => {
    const c = await loadCase(w.trx, hallId, id);
    const owner = await findStaff(w.trx, hallId, ownerStaffId);
    if (!owner || owner.hall_id !== hallId || owner.disabled) throw new BadRequestError('OWNER_NOT_IN_HALL', 'The owner must be an active staff member of this hall.', { field: 'body.ownerStaffId' });
    const updated = await updateCaseIf(w.trx, id, c.state, { owner_staff_id: ownerStaffId, updated_at: w.now });
    if (!updated) throw new ConflictError('CASE_CHANGED', 'The case was changed by someone else; reload.');
    await insertCaseStep(w.trx, { case_id: id, from_state: c.state, to_state: c.state, note: `指定责任人：${owner.display_name}`, staff_id: actor.id, at: w.now });
    return updated;
  });
}

/** Moves the case one step along open → verified → rectified → replied → closed, with a note. */
export async function advanceCase(
  deps: WriteDeps, hallId: number, id: number, to: CaseState, note: string, citizenSatisfied: boolean | undefined, actor: StaffRow,
): Promise<CaseRow> {
  return writeInHall(deps, hallId, async (w) => {
    const c = await loadCase(w.trx, hallId, id);
    if (!mayMoveCase(actor, c)) throw new ForbiddenError('NOT_CASE_OWNER', 'Only the case owner or a manager may move this case.');
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
