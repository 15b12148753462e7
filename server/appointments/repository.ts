import type { Insertable, Kysely, Updateable } from 'kysely';
import type { AppointmentRow, AppointmentsTable, Database } from '../db/schema.js';

/** Bookings that hold a place: booked, or already checked in. */
const HOLDING = ['booked', 'checked_in'] as const;

export async function insertAppointment(db: Kysely<Database>, row: Insertable<AppointmentsTable>): Promise<AppointmentRow> {
  return db.insertInto('appointments').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateAppointment(db: Kysely<Database>, id: number, changes: Updateable<AppointmentsTable>): Promise<AppointmentRow> {
  return db.updateTable('appointments').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function findByCode(db: Kysely<Database>, code: string): Promise<AppointmentRow | undefined> {
  return db.selectFrom('appointments').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findAppointment(db: Kysely<Database>, hallId: number, id: number): Promise<AppointmentRow | undefined> {
  return db.selectFrom('appointments').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
}

export async function codeTaken(db: Kysely<Database>, code: string): Promise<boolean> {
  return (await db.selectFrom('appointments').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** Places taken per slot start of one service between two instants. */
export async function takenBySlot(db: Kysely<Database>, hallId: number, serviceId: number, from: number, to: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom('appointments')
    .select(['slot_start', (eb) => eb.fn.countAll<number>().as('n')])
    .where('hall_id', '=', hallId).where('service_id', '=', serviceId)
    .where('slot_start', '>=', from).where('slot_start', '<', to)
    .where('status', 'in', HOLDING)
    .groupBy('slot_start')
    .execute();
  return new Map(rows.map((r) => [r.slot_start, Number(r.n)]));
}

/** A proven phone number's bookings in a hall still ahead (booked, slot not yet over). */
export async function upcomingOfPhone(db: Kysely<Database>, hallId: number, phone: string, now: number): Promise<AppointmentRow[]> {
  return db.selectFrom('appointments').selectAll()
    .where('hall_id', '=', hallId).where('phone', '=', phone).where('phone_verified', '=', 1).where('status', '=', 'booked').where('slot_end', '>', now)
    .execute();
}

/** Bookings made with a proven phone number since `since`, in every hall (cancelled ones count too). */
export async function bookedSince(db: Kysely<Database>, phone: string, since: number): Promise<number> {
  const row = await db.selectFrom('appointments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('phone', '=', phone).where('phone_verified', '=', 1).where('created_at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Online bookings made from one address key since `since`, in every hall (cancelled ones too). */
export async function onlineOfClient(db: Kysely<Database>, clientKey: string, since: number): Promise<AppointmentRow[]> {
  return db.selectFrom('appointments').selectAll().where('client_key', '=', clientKey).where('created_at', '>=', since).execute();
}

/** Places of a slot held by bookings without a proven number. */
export async function unconfirmedInSlot(db: Kysely<Database>, hallId: number, serviceId: number, slotStart: number): Promise<number> {
  const row = await db.selectFrom('appointments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('hall_id', '=', hallId).where('service_id', '=', serviceId).where('slot_start', '=', slotStart)
    .where('phone_verified', '=', 0).where('status', 'in', HOLDING).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listAppointments(
  db: Kysely<Database>, hallId: number, filter: { day: string; serviceId?: number; status?: AppointmentRow['status'] },
): Promise<AppointmentRow[]> {
  let q = db.selectFrom('appointments').selectAll().where('hall_id', '=', hallId).where('day', '=', filter.day);
  if (filter.serviceId !== undefined) q = q.where('service_id', '=', filter.serviceId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return q.orderBy('slot_start').orderBy('id').execute();
}

/** Bookings of days before `day` never checked in: recorded as missed (爽约). */
export async function markMissedBefore(db: Kysely<Database>, hallId: number, day: string): Promise<number> {
  const result = await db.updateTable('appointments').set({ status: 'missed' })
    .where('hall_id', '=', hallId).where('status', '=', 'booked').where('day', '<', day)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
