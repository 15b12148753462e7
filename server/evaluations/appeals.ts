import type { Kysely } from 'kysely';
import { isBadLevel, levelOf } from '../../protocol/evaluations.js';
import { mayAppeal } from '../access/policies.js';
import type { Database, EvaluationRow, StaffRow } from '../db/schema.js';
import { writeInHall, type WriteDeps } from '../db/write.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { invalidateDay } from '../rollups/rollup.js';
import { moveCase } from './cases.js';
import { findCaseOfEvaluation, findEvaluation, updateEvaluation } from './repository.js';

/* 申诉: a clerk disputes a 差评; a manager upholds or voids it. */

async function loadEvaluation(db: Kysely<Database>, hallId: number, id: number): Promise<EvaluationRow> {
  const row = await findEvaluation(db, hallId, id);
  if (!row) throw new NotFoundError('EVALUATION_NOT_FOUND', `Evaluation ${id} does not exist in hall ${hallId}.`);
  return row;
}

/** 申诉: the clerk who served (or a manager for them) disputes a 差评 as mistaken or malicious. */
export async function appeal(deps: WriteDeps, hallId: number, id: number, reason: string, staff: StaffRow): Promise<EvaluationRow> {
  return writeInHall(deps, hallId, async (w) => {
    const row = await loadEvaluation(w.trx, hallId, id);
    if (!mayAppeal(staff, row)) throw new ForbiddenError('NOT_YOUR_EVALUATION', 'A clerk may appeal only ratings of their own service.');
    if (!isBadLevel(levelOf(row.level))) throw new ConflictError('APPEAL_NOT_ALLOWED', 'Only a 差评 can be appealed.');
    if (row.appeal_state !== 'none') throw new ConflictError('ALREADY_APPEALED', 'This rating has already been appealed.');
    const updated = await updateEvaluation(w.trx, id, { appeal_state: 'pending', appeal_reason: reason, appealed_by: staff.id, appealed_at: w.now });
    await w.record(hallId, { type: 'evaluation:appealed', windowId: row.window_id, payload: { evaluationId: id, appealState: 'pending' } });
    return updated;
  });
}

/** A manager upholds the rating, or voids it: a voided rating leaves every indicator and its case closes. */
export async function decideAppeal(deps: WriteDeps, hallId: number, id: number, decision: 'uphold' | 'void', reason: string, staff: StaffRow): Promise<EvaluationRow> {
  return writeInHall(deps, hallId, async (w) => {
    const row = await loadEvaluation(w.trx, hallId, id);
    if (row.appeal_state !== 'pending') throw new ConflictError('NO_PENDING_APPEAL', 'This rating has no appeal waiting for a decision.');
    const state = decision === 'void' ? 'voided' : 'upheld';
    if (decision === 'void') await invalidateDay(w.trx, hallId, row.business_day);
    const updated = await updateEvaluation(w.trx, id, { appeal_state: state, decision_reason: reason, decided_by: staff.id, decided_at: w.now });
    const c = await findCaseOfEvaluation(w.trx, id);
    if (c && decision === 'void' && c.state !== 'closed') {
      await moveCase(w, c, 'closed', `申诉成立，评价作废：${reason}`, staff.id, { closed_at: w.now });
    }
    await w.record(hallId, { type: 'evaluation:appealed', windowId: row.window_id, payload: { evaluationId: id, appealState: state } });
    return updated;
  });
}
