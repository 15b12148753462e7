import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { TicketStatus } from '../../protocol/enums.js';
import { AT_WINDOW_STATUSES, OPEN_STATUSES } from '../../protocol/transitions.js';
import { isPostgres } from '../db/postgres.js';
import { prepared } from '../db/prepared.js';
import type { Database, NewTicket, TicketRow, TicketsTable, TicketTransitionsTable, TransitionRow } from '../db/schema.js';

/** Takes the next number of the day for a service. The counter row is the only source. */
export async function takeNextNumber(db: Kysely<Database>, hallId: number, serviceId: number, day: string): Promise<number> {
  const row = await nextNumber.first(db, hallId, serviceId, day);
  return row!.last_number;
}

const nextNumber = prepared((db, hallId: number, serviceId: number, day: string) => db
  .insertInto('ticket_counters')
  .values({ hall_id: hallId, service_id: serviceId, business_day: day, last_number: 1 })
  .onConflict((oc) => oc.columns(['hall_id', 'service_id', 'business_day']).doUpdateSet({ last_number: sql`ticket_counters.last_number + 1` }))
  .returning('last_number'));

/** Numbers handed out today per service of the hall. */
export async function issuedCounts(db: Kysely<Database>, hallId: number, day: string): Promise<Map<number, number>> {
  const rows = await db.selectFrom('ticket_counters').select(['service_id', 'last_number'])
    .where('hall_id', '=', hallId).where('business_day', '=', day).execute();
  return new Map(rows.map((r) => [r.service_id, r.last_number]));
}

/** Every column a new ticket row is written with (those it leaves out are null). */
const NEW_TICKET_COLUMNS = [
  'hall_id', 'service_id', 'business_day', 'number', 'display_number', 'token', 'channel', 'priority_class', 'status',
  'window_id', 'staff_id', 'target_window_id', 'parent_ticket_id', 'avoid_window_id', 'recall_count', 'requeue_count',
  'issued_at', 'queued_at', 'called_at', 'started_at', 'finished_at', 'appointment_start', 'appointment_end',
  'issued_by_staff_id', 'issued_by_device_id', 'updated_at', 'follows_ticket_id', 'note', 'priority_reason',
  'priority_granted_by', 'phone', 'arrived_at', 'arrival_code',
] as const satisfies readonly (keyof NewTicket)[];

const ticketInsert = prepared((db, ...values: unknown[]) => db.insertInto('tickets')
  .values(Object.fromEntries(NEW_TICKET_COLUMNS.map((column, i) => [column, values[i]])) as NewTicket)
  .returningAll());

export async function insertTicket(db: Kysely<Database>, row: NewTicket): Promise<TicketRow> {
  return (await ticketInsert.first(db, ...NEW_TICKET_COLUMNS.map((column) => row[column] ?? null)))!;
}

const ticketById = prepared((db, hallId: number, id: number) => db.selectFrom('tickets').selectAll().where('hall_id', '=', hallId).where('id', '=', id));

export async function findTicket(db: Kysely<Database>, hallId: number, id: number): Promise<TicketRow | undefined> {
  return ticketById.first(db, hallId, id);
}

/** The live entry a ticket token names (after a transfer, the newest entry of the chain). */
export async function findLiveByToken(db: Kysely<Database>, token: string): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('token', '=', token).where('status', '<>', 'transferred').executeTakeFirst();
}

/**
 * The internal ref of a citizen's ticket: the id of its first entry, which a transfer keeps.
 * It names the phone page's room, so events never need to carry the token.
 */
export async function ticketRefOf(db: Kysely<Database>, ticket: Pick<TicketRow, 'id' | 'parent_ticket_id'>): Promise<number> {
  return ticket.parent_ticket_id === null ? ticket.id : (await chainOf(db, ticket))[0]!;
}

export async function listTickets(
  db: Kysely<Database>, hallId: number,
  filter: { status?: TicketStatus; serviceId?: number; windowId?: number; businessDay?: string; displayNumber?: string; outcome?: TicketRow['outcome']; limit: number },
): Promise<TicketRow[]> {
  let q = db.selectFrom('tickets').selectAll().where('hall_id', '=', hallId);
  if (filter.displayNumber) q = q.where('display_number', '=', filter.displayNumber);
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.serviceId) q = q.where('service_id', '=', filter.serviceId);
  if (filter.windowId) q = q.where('window_id', '=', filter.windowId);
  if (filter.businessDay) q = q.where('business_day', '=', filter.businessDay);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function waitingTickets(db: Kysely<Database>, hallId: number, day: string): Promise<TicketRow[]> {
  return db.selectFrom('tickets').selectAll()
    .where('hall_id', '=', hallId).where('business_day', '=', day).where('status', '=', 'waiting')
    .execute();
}

/**
 * Moves the live queue's size of a service by `delta` (the transition's own transaction) and
 * gives the size after it: the row is locked from here to the commit, so the size is exact.
 */
export async function adjustWaiting(db: Kysely<Database>, hallId: number, day: string, serviceId: number, delta: number): Promise<number> {
  return (await waitingMove.first(db, hallId, day, serviceId, delta))!.waiting;
}

/**
 * The same for a new ticket that has not taken its hall's lock yet: takes the lock and moves the
 * size in one statement (on PostgreSQL a locking read in a CTE the insert reads from, so the
 * lock comes first); from here to the commit this change is the hall's only writer. SQLite has
 * one writer at a time already.
 */
export async function lockHallAndAdjustWaiting(db: Kysely<Database>, hallId: number, day: string, serviceId: number, delta: number): Promise<number> {
  if (!isPostgres(db)) return adjustWaiting(db, hallId, day, serviceId, delta);
  const row = await lockedWaitingMove.first(db, hallId, day, serviceId, delta);
  if (!row) throw new Error(`hall ${hallId} has no event counter`);
  return row.waiting;
}

const lockedWaitingMove = prepared((db, hallId: number, day: string, serviceId: number, delta: number) => db
  .with('hall_lock', (w) => w.selectFrom('hall_event_counters').select('hall_id').where('hall_id', '=', hallId).forUpdate())
  .insertInto('queue_counts')
  .columns(['hall_id', 'business_day', 'service_id', 'waiting'])
  .expression((eb) => eb.selectFrom('hall_lock').select([
    'hall_lock.hall_id', sql<string>`${day}::text`.as('business_day'), sql<number>`${serviceId}::integer`.as('service_id'), sql<number>`${delta}::integer`.as('waiting'),
  ]))
  .onConflict((oc) => oc.columns(['hall_id', 'business_day', 'service_id']).doUpdateSet({ waiting: sql`queue_counts.waiting + ${delta}` }))
  .returning('waiting'));

const waitingMove = prepared((db, hallId: number, day: string, serviceId: number, delta: number) => db
  .insertInto('queue_counts').values({ hall_id: hallId, business_day: day, service_id: serviceId, waiting: delta })
  .onConflict((oc) => oc.columns(['hall_id', 'business_day', 'service_id']).doUpdateSet({ waiting: sql`queue_counts.waiting + ${delta}` }))
  .returning('waiting'));

/**
 * The waiting tickets one of which a window calls next, without reading the whole queue: in each
 * service and class, only the head (oldest queue time, then id) can come first, because within
 * one service and class the routing order is queue time (aging lifts exactly the oldest). So:
 * the head of each service's priority and normal queues (one index seek each), every
 * appointment (whose rank depends on the hour), every ticket sent to this window and every
 * ticket taken online whose citizen is not in the hall yet (heads are of those in the hall); the
 * last three are few. Tickets sent to other windows, or sent away from this one, never come, nor do
 * those in `passOver` (held by another change right now): the heads are then the next ones.
 */
export async function callCandidates(db: Kysely<Database>, hallId: number, day: string, windowId: number, passOver: readonly number[] = []): Promise<TicketRow[]> {
  const skip = passOver.length > 0 ? sql`and h.id not in (${sql.join(passOver)})` : sql``;
  const head = (priorityClass: 'priority' | 'normal') => sql<number | null>`(
    select h.id from tickets h
    where h.hall_id = s.hall_id and h.business_day = ${day} and h.status = 'waiting' and h.priority_class = ${priorityClass}
      and h.target_window_id is null and h.service_id = s.id and (h.avoid_window_id is null or h.avoid_window_id <> ${windowId})
      and h.arrived_at is not null ${skip}
    order by h.queued_at, h.id limit 1)`;
  const heads = await db.selectFrom('services as s').select([head('priority').as('priority'), head('normal').as('normal')])
    .where('s.hall_id', '=', hallId).execute();
  const ids = heads.flatMap((r) => [r.priority, r.normal]).filter((id): id is number => id !== null);
  const waiting = () => db.selectFrom('tickets').selectAll().where('hall_id', '=', hallId).where('business_day', '=', day).where('status', '=', 'waiting');
  return waiting().where('id', 'in', ids.length > 0 ? ids : [-1])
    .unionAll(waiting().where('priority_class', '=', 'appointment').where('target_window_id', 'is', null)
      .where((eb) => eb.or([eb('avoid_window_id', 'is', null), eb('avoid_window_id', '<>', windowId)])))
    .unionAll(waiting().where('priority_class', 'in', ['priority', 'appointment', 'normal']).where('target_window_id', '=', windowId))
    // 在线排队: those not yet in the hall (few: capped per hour) are ranked too, to be passed over.
    .unionAll(waiting().where('arrived_at', 'is', null).where('priority_class', '=', 'normal').where('target_window_id', 'is', null)
      .where((eb) => eb.or([eb('avoid_window_id', 'is', null), eb('avoid_window_id', '<>', windowId)])))
    .execute();
}

/**
 * Which of these tickets are still waiting and free to claim: their rows are locked for this
 * change. On PostgreSQL rows another transaction holds are skipped (FOR UPDATE SKIP LOCKED),
 * not waited for; SQLite has one writer, so nothing is ever held there.
 */
export async function claimable(db: Kysely<Database>, ids: number[]): Promise<Set<number>> {
  let q = db.selectFrom('tickets').select('id').where('id', 'in', ids).where('status', '=', 'waiting');
  // NO KEY UPDATE, not UPDATE: a row that is only referenced right now (an SMS notice for the
  // ticket being stored, which takes KEY SHARE for its foreign key) is not "held" and is called.
  if (isPostgres(db)) q = q.forNoKeyUpdate().skipLocked();
  return new Set((await q.execute()).map((r) => r.id));
}

/** The hall's windows with a citizen at them (called or being served): for wait estimates. */
export async function busyWindowIds(db: Kysely<Database>, hallId: number): Promise<Set<number>> {
  return new Set((await busyWindows.all(db, hallId)).map((r) => r.window_id!));
}

const busyWindows = prepared((db, hallId: number) => db.selectFrom('tickets').select('window_id')
  .where('hall_id', '=', hallId).where('status', 'in', AT_WINDOW_STATUSES).where('window_id', 'is not', null));

export async function activeAndHeldOfHall(db: Kysely<Database>, hallId: number): Promise<TicketRow[]> {
  return db.selectFrom('tickets').selectAll()
    .where('hall_id', '=', hallId).where('status', 'in', [...AT_WINDOW_STATUSES, 'on_hold'])
    .orderBy('id').execute();
}

/** Open tickets of business days before `day`: what the day-end sweep expires. */
export async function openTicketsBefore(db: Kysely<Database>, hallId: number, day: string): Promise<TicketRow[]> {
  return db.selectFrom('tickets').selectAll()
    .where('hall_id', '=', hallId).where('business_day', '<', day)
    .where('status', 'in', OPEN_STATUSES)
    .execute();
}

/**
 * Moves a ticket on only if it is still in the state it was read in. Under SQLite the write
 * transaction already excludes every other writer; the condition is what keeps the claim
 * correct on a database where two transactions can run at once.
 */
export async function updateTicketIf(
  db: Kysely<Database>, id: number, expected: TicketStatus, changes: Updateable<TicketsTable>,
): Promise<TicketRow | undefined> {
  const columns = Object.keys(changes).filter((column) => changes[column as keyof typeof changes] !== undefined).sort() as (keyof TicketsTable)[];
  return ticketUpdate(columns).first(db, id, expected, ...columns.map((column) => changes[column]));
}

/** updateTicketIf's statement for one set of columns (the few each action writes), prepared once. */
const ticketUpdates = new Map<string, ReturnType<typeof preparedTicketUpdate>>();

function ticketUpdate(columns: readonly (keyof TicketsTable)[]) {
  const key = columns.join(',');
  let found = ticketUpdates.get(key);
  if (!found) ticketUpdates.set(key, (found = preparedTicketUpdate(columns)));
  return found;
}

function preparedTicketUpdate(columns: readonly (keyof TicketsTable)[]) {
  return prepared((db, id: number, expected: TicketStatus, ...values: unknown[]) => db.updateTable('tickets')
    .set(Object.fromEntries(columns.map((column, i) => [column, values[i]])) as Updateable<TicketsTable>)
    .where('id', '=', id).where('status', '=', expected).returningAll());
}

const TRANSITION_COLUMNS = ['ticket_id', 'hall_id', 'from_status', 'to_status', 'action', 'staff_id', 'device_id', 'window_id', 'reason', 'at'] as const;

const transitionInsert = prepared((db, ...values: unknown[]) => db.insertInto('ticket_transitions')
  .values(Object.fromEntries(TRANSITION_COLUMNS.map((column, i) => [column, values[i]])) as Insertable<TicketTransitionsTable>));

export async function insertTransition(db: Kysely<Database>, row: Insertable<TicketTransitionsTable>): Promise<void> {
  await transitionInsert.run(db, ...TRANSITION_COLUMNS.map((column) => row[column] ?? null));
}

export async function transitionsOf(db: Kysely<Database>, ticketIds: readonly number[]): Promise<TransitionRow[]> {
  return db.selectFrom('ticket_transitions').selectAll().where('ticket_id', 'in', ticketIds).orderBy('id').execute();
}

/** Ids of a transfer chain, oldest first, ending with this ticket: up `parent_ticket_id` by primary key (a chain is as long as the citizen's transfers). */
export async function chainOf(db: Kysely<Database>, ticket: Pick<TicketRow, 'id' | 'parent_ticket_id'>): Promise<number[]> {
  const ids = [ticket.id];
  let parent = ticket.parent_ticket_id;
  while (parent !== null) {
    ids.unshift(parent);
    parent = (await parentOf.first(db, parent))?.parent_ticket_id ?? null;
  }
  return ids;
}

const parentOf = prepared((db, id: number) => db.selectFrom('tickets').select('parent_ticket_id').where('id', '=', id));

/** The citizen's mobile number for SMS notices, left after taking the ticket. */
export async function setTicketPhone(db: Kysely<Database>, id: number, phone: string): Promise<void> {
  await db.updateTable('tickets').set({ phone }).where('id', '=', id).execute();
}

/* ---- 在线排队 ---- */

export async function arrivalCodeTaken(db: Kysely<Database>, hallId: number, day: string, code: string): Promise<boolean> {
  return (await db.selectFrom('tickets').select('id').where('hall_id', '=', hallId).where('business_day', '=', day).where('arrival_code', '=', code).executeTakeFirst()) !== undefined;
}

/** Today's live entry of the number with this arrival code. */
export async function findByArrivalCode(db: Kysely<Database>, hallId: number, day: string, code: string): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('hall_id', '=', hallId).where('business_day', '=', day).where('arrival_code', '=', code)
    .where('status', '<>', 'transferred').executeTakeFirst();
}

/** Numbers a phone took online since an instant, in every hall (first entries only). */
export async function onlineOfPhone(db: Kysely<Database>, phone: string, since: number): Promise<TicketRow[]> {
  return db.selectFrom('tickets').selectAll().where('channel', '=', 'online').where('phone', '=', phone)
    .where('issued_at', '>=', since).where('parent_ticket_id', 'is', null).execute();
}

/** Numbers of a service taken online from an instant on (this clock hour's, for its cap). */
export async function onlineInHourOf(db: Kysely<Database>, hallId: number, serviceId: number, from: number): Promise<number> {
  const row = await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('hall_id', '=', hallId).where('service_id', '=', serviceId).where('channel', '=', 'online')
    .where('issued_at', '>=', from).where('parent_ticket_id', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Waiting tickets of a day passed over while not in the hall whose grace period began before `before`. */
export async function lapsedOnline(db: Kysely<Database>, hallId: number, day: string, before: number): Promise<TicketRow[]> {
  return db.selectFrom('tickets').selectAll().where('hall_id', '=', hallId).where('business_day', '=', day).where('status', '=', 'waiting')
    .where('arrived_at', 'is', null).where('passed_at', '<=', before).execute();
}
