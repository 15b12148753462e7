import type { Kysely } from 'kysely';
import type { CaseRow, ComplaintRow, Database } from '../db/schema.js';

/** The names the report's rows are labelled with. */
export async function labelsOfHall(db: Kysely<Database>, hallId: number) {
  const [services, windows, staff] = await Promise.all([
    db.selectFrom('services').select(['id', 'name_zh', 'prefix']).where('hall_id', '=', hallId).execute(),
    db.selectFrom('windows').select(['id', 'number']).where('hall_id', '=', hallId).execute(),
    db.selectFrom('staff').select(['id', 'display_name']).where('hall_id', '=', hallId).execute(),
  ]);
  return { services, windows, staff };
}

/** 差评 cases of ratings given in a range of business days, with the rating's appeal state. */
export async function casesOfPeriod(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<(CaseRow & { appeal_state: string })[]> {
  return db.selectFrom('evaluation_cases').innerJoin('evaluations', 'evaluations.id', 'evaluation_cases.evaluation_id')
    .selectAll('evaluation_cases').select(['evaluations.appeal_state'])
    .where('evaluation_cases.hall_id', '=', hallId).where('evaluations.business_day', '>=', from).where('evaluations.business_day', '<=', to)
    .execute();
}

/** Cases of complaints from other channels received in a range of business days, with the channel. */
export async function complaintCasesOfPeriod(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<(CaseRow & { source: ComplaintRow['source'] })[]> {
  return db.selectFrom('evaluation_cases').innerJoin('complaints', 'complaints.id', 'evaluation_cases.complaint_id')
    .selectAll('evaluation_cases').select(['complaints.source'])
    .where('evaluation_cases.hall_id', '=', hallId).where('complaints.business_day', '>=', from).where('complaints.business_day', '<=', to)
    .execute();
}

/** Citizens each clerk served in a range of days, per service (from the tickets themselves). */
export async function servedByStaffAndService(db: Kysely<Database>, hallId: number, from: string, to: string) {
  return db.selectFrom('tickets')
    .select(['staff_id', 'service_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('hall_id', '=', hallId).where('business_day', '>=', from).where('business_day', '<=', to)
    .where('status', '=', 'done').where('staff_id', 'is not', null)
    .groupBy(['staff_id', 'service_id'])
    .execute();
}

/** The 补正告知 of a range of days: each ticket's service and what was missing (JSON). */
export async function supplementsOfPeriod(db: Kysely<Database>, hallId: number, from: string, to: string) {
  return db.selectFrom('tickets')
    .select(['service_id', 'missing_materials'])
    .where('hall_id', '=', hallId).where('business_day', '>=', from).where('business_day', '<=', to)
    .where('outcome', '=', 'supplement')
    .execute();
}

/** 绿色通道 tickets of a range of days (not transfers' new entries), counted by who granted them and channel. */
export async function priorityGrants(db: Kysely<Database>, hallId: number, from: string, to: string) {
  return db.selectFrom('tickets')
    .select(['priority_granted_by', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('hall_id', '=', hallId).where('business_day', '>=', from).where('business_day', '<=', to)
    .where('priority_class', '=', 'priority').where('parent_ticket_id', 'is', null)
    .groupBy(['priority_granted_by', 'channel'])
    .execute();
}

/** Bookings of a range of days, counted by service, day and status (late ones apart). */
export async function appointmentCounts(db: Kysely<Database>, hallId: number, from: string, to: string) {
  return db.selectFrom('appointments')
    .select(['service_id', 'day', 'status', 'late', (eb) => eb.fn.countAll<number>().as('n')])
    .where('hall_id', '=', hallId).where('day', '>=', from).where('day', '<=', to)
    .groupBy(['service_id', 'day', 'status', 'late'])
    .execute();
}

/** Pauses that began on the days of a range, by window and reason: how many, and their minutes (an open one counts until `now`). */
export async function pausesOfPeriod(db: Kysely<Database>, hallId: number, from: string, to: string, now: number) {
  const rows = await db.selectFrom('window_pauses').select(['window_id', 'reason', 'started_at', 'ended_at'])
    .where('hall_id', '=', hallId).where('business_day', '>=', from).where('business_day', '<=', to).execute();
  const out = new Map<string, { windowId: number; reason: string; count: number; ms: number }>();
  for (const r of rows) {
    const key = `${r.window_id}\u0000${r.reason}`;
    const g = out.get(key) ?? { windowId: r.window_id, reason: r.reason, count: 0, ms: 0 };
    g.count++;
    g.ms += Math.max(0, (r.ended_at ?? now) - r.started_at);
    out.set(key, g);
  }
  return [...out.values()];
}
