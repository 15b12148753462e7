import type { Insertable, Kysely } from 'kysely';
import type { CaseRow, Database, EvaluationRow, EvaluationsTable } from '../db/schema.js';

export async function findEvaluationOfTicket(db: Kysely<Database>, ticketId: number): Promise<EvaluationRow | undefined> {
  return db.selectFrom('evaluations').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
}

export async function findEvaluation(db: Kysely<Database>, hallId: number, id: number): Promise<EvaluationRow | undefined> {
  return db.selectFrom('evaluations').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
}

export async function insertEvaluation(db: Kysely<Database>, row: Insertable<EvaluationsTable>): Promise<EvaluationRow> {
  return db.insertInto('evaluations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listEvaluations(
  db: Kysely<Database>, hallId: number,
  filter: { from?: string; to?: string; level?: number; appealState?: EvaluationRow['appeal_state']; windowId?: number; staffId?: number; limit: number },
): Promise<EvaluationRow[]> {
  let q = db.selectFrom('evaluations').selectAll().where('hall_id', '=', hallId);
  if (filter.from) q = q.where('business_day', '>=', filter.from);
  if (filter.to) q = q.where('business_day', '<=', filter.to);
  if (filter.level) q = q.where('level', '=', filter.level);
  if (filter.appealState) q = q.where('appeal_state', '=', filter.appealState);
  if (filter.windowId) q = q.where('window_id', '=', filter.windowId);
  if (filter.staffId) q = q.where('staff_id', '=', filter.staffId);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function findCase(db: Kysely<Database>, hallId: number, id: number): Promise<CaseRow | undefined> {
  return db.selectFrom('evaluation_cases').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
}

export async function findCaseOfEvaluation(db: Kysely<Database>, evaluationId: number): Promise<CaseRow | undefined> {
  return db.selectFrom('evaluation_cases').selectAll().where('evaluation_id', '=', evaluationId).executeTakeFirst();
}

export async function caseIdsOf(db: Kysely<Database>, evaluationIds: readonly number[]): Promise<Map<number, number>> {
  if (evaluationIds.length === 0) return new Map();
  const rows = await db.selectFrom('evaluation_cases').select(['id', 'evaluation_id']).where('evaluation_id', 'in', evaluationIds).execute();
  return new Map(rows.map((r) => [r.evaluation_id, r.id]));
}

export async function stepsOf(db: Kysely<Database>, caseId: number) {
  return db.selectFrom('case_steps').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}
