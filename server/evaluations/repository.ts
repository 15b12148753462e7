import type { Insertable, Kysely, Updateable } from 'kysely';
import type { CaseRow, CaseStepsTable, ComplaintRow, ComplaintsTable, Database, EvaluationCasesTable, EvaluationRow, EvaluationsTable, TicketRow } from '../db/schema.js';
import type { CaseSource } from '../../protocol/evaluations.js';

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
  filter: {
    from?: string; to?: string; level?: number; appealState?: EvaluationRow['appeal_state']; serviceId?: number; windowId?: number; staffId?: number;
    displayNumber?: string; before?: number; limit: number;
  },
): Promise<EvaluationRow[]> {
  let q = db.selectFrom('evaluations').selectAll().where('hall_id', '=', hallId);
  if (filter.before) q = q.where('id', '<', filter.before);
  if (filter.serviceId) q = q.where('service_id', '=', filter.serviceId);
  if (filter.displayNumber) {
    const number = filter.displayNumber;
    q = q.where('ticket_id', 'in', (eb) => eb.selectFrom('tickets').select('id').where('hall_id', '=', hallId).where('display_number', '=', number));
  }
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
  return new Map(rows.map((r) => [r.evaluation_id!, r.id]));
}

export async function stepsOf(db: Kysely<Database>, caseId: number) {
  return db.selectFrom('case_steps').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function displayNumbersOf(db: Kysely<Database>, ticketIds: readonly number[]): Promise<Map<number, string>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db.selectFrom('tickets').select(['id', 'display_number']).where('id', 'in', ticketIds).execute();
  return new Map(rows.map((r) => [r.id, r.display_number]));
}

/** The last ticket the window finished: the one its evaluator may offer for rating. */
export async function lastFinishedAtWindow(db: Kysely<Database>, windowId: number): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('window_id', '=', windowId).where('status', '=', 'done')
    .orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
}

export async function updateEvaluation(db: Kysely<Database>, id: number, changes: Updateable<EvaluationsTable>): Promise<EvaluationRow> {
  return db.updateTable('evaluations').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function insertCase(db: Kysely<Database>, row: Insertable<EvaluationCasesTable>): Promise<{ id: number }> {
  return db.insertInto('evaluation_cases').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function insertCaseStep(db: Kysely<Database>, row: Insertable<CaseStepsTable>): Promise<void> {
  await db.insertInto('case_steps').values(row).execute();
}

/** Changes a case only if it is still in the state it was read in; undefined when someone was first. */
export async function updateCaseIf(db: Kysely<Database>, id: number, state: CaseRow['state'], changes: Updateable<EvaluationCasesTable>): Promise<CaseRow | undefined> {
  return db.updateTable('evaluation_cases').set(changes).where('id', '=', id).where('state', '=', state).returningAll().executeTakeFirst();
}

export async function listCaseRows(
  db: Kysely<Database>, hallId: number, filter: { state?: CaseRow['state']; source?: CaseSource; windowId?: number; staffId?: number; before?: number } = {},
): Promise<CaseRow[]> {
  // A case is about a rating or a complaint: the window and clerk are the one it has.
  let q = db.selectFrom('evaluation_cases as c')
    .leftJoin('evaluations as e', 'e.id', 'c.evaluation_id')
    .leftJoin('complaints as k', 'k.id', 'c.complaint_id')
    .selectAll('c').where('c.hall_id', '=', hallId);
  if (filter.state) q = q.where('c.state', '=', filter.state);
  if (filter.source === 'rating') q = q.where('c.evaluation_id', 'is not', null);
  else if (filter.source) q = q.where('k.source', '=', filter.source);
  const windowId = filter.windowId;
  if (windowId) q = q.where((eb) => eb.or([eb('e.window_id', '=', windowId), eb('k.window_id', '=', windowId)]));
  const staffId = filter.staffId;
  if (staffId) q = q.where((eb) => eb.or([eb('e.staff_id', '=', staffId), eb('k.staff_id', '=', staffId)]));
  if (filter.before) q = q.where('c.id', '<', filter.before);
  return q.orderBy('c.id', 'desc').execute();
}

export async function insertComplaint(db: Kysely<Database>, row: Insertable<ComplaintsTable>): Promise<ComplaintRow> {
  return db.insertInto('complaints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findComplaint(db: Kysely<Database>, hallId: number, id: number): Promise<ComplaintRow | undefined> {
  return db.selectFrom('complaints').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
}
