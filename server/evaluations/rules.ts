import type { HallSettings } from '../../protocol/halls.js';
import { caseStates } from '../../protocol/evaluations.js';
import type { CaseRow } from '../db/schema.js';
import { DAY_MS } from '../../protocol/constants.js';

/** 好差评 rules, stated once; services and routes call these. */


/**
 * Until when the window's evaluator offers the rating screen after a ticket is finished, or after
 * the clerk invited a rating again (评价 on the keypad) once it was finished.
 */
export function evaluatorRatingUntil(finishedAt: number, settings: Pick<HallSettings, 'evaluatorTimeoutSeconds'>, invitedAt: number | null = null): number {
  return Math.max(finishedAt, invitedAt ?? 0) + settings.evaluatorTimeoutSeconds * 1000;
}

/** Until when the citizen may still rate from the phone page (GB/T 39734 allows later rating). */
export function phoneRatingUntil(finishedAt: number, settings: Pick<HallSettings, 'evaluationPeriodDays'>): number {
  return finishedAt + settings.evaluationPeriodDays * DAY_MS;
}

/** A case is overdue while a step is still owed past its working-day deadline. */
export function isOverdue(c: CaseRow, now: number): boolean {
  const rank = caseStates.indexOf(c.state);
  return (rank < caseStates.indexOf('verified') && now > c.verify_due_at) || (rank < caseStates.indexOf('rectified') && now > c.rectify_due_at);
}
