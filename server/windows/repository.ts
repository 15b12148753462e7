import { AT_WINDOW_STATUSES } from '../../protocol/transitions.js';
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, TicketRow, WindowPausesTable, WindowRow, WindowsTable } from '../db/schema.js';
import { prepared } from '../db/prepared.js';

export type WindowWithStaff = WindowRow & { staff_name: string | null };

function selectWindows(db: Kysely<Database>) {
  return db
    .selectFrom('windows')
    .leftJoin('staff', 'staff.id', 'windows.staff_id')
    .selectAll('windows')
    .select('staff.display_name as staff_name');
}

export async function listWindows(db: Kysely<Database>, hallId: number): Promise<WindowWithStaff[]> {
  return selectWindows(db).where('windows.hall_id', '=', hallId).orderBy('windows.id').execute();
}

export async function findWindow(db: Kysely<Database>, hallId: number, id: number): Promise<WindowWithStaff | undefined> {
  return selectWindows(db).where('windows.hall_id', '=', hallId).where('windows.id', '=', id).executeTakeFirst();
}

export async function findWindowByNumber(db: Kysely<Database>, hallId: number, number: string): Promise<WindowRow | undefined> {
  return db.selectFrom('windows').selectAll().where('hall_id', '=', hallId).where('number', '=', number).executeTakeFirst();
}

export async function findWindowOfStaff(db: Kysely<Database>, staffId: number): Promise<WindowRow | undefined> {
  return db.selectFrom('windows').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
}

export async function insertWindow(db: Kysely<Database>, row: Insertable<WindowsTable>): Promise<WindowRow> {
  return db.insertInto('windows').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateWindow(db: Kysely<Database>, id: number, changes: Updateable<WindowsTable>): Promise<void> {
  await db.updateTable('windows').set(changes).where('id', '=', id).execute();
}

/** Tiers per window of the hall: window id → service ids per tier, tier 1 first. */
export async function tiersOfHall(db: Kysely<Database>, hallId: number): Promise<Map<number, number[][]>> {
  const rows = await db
    .selectFrom('window_services')
    .innerJoin('windows', 'windows.id', 'window_services.window_id')
    .select(['window_services.window_id', 'window_services.service_id', 'window_services.tier'])
    .where('windows.hall_id', '=', hallId)
    .orderBy('window_services.tier')
    .orderBy('window_services.service_id')
    .execute();
  const byWindow = new Map<number, number[][]>();
  for (const r of rows) {
    const tiers = byWindow.get(r.window_id) ?? [];
    (tiers[r.tier - 1] ??= []).push(r.service_id);
    byWindow.set(r.window_id, tiers);
  }
  return byWindow;
}

export async function replaceTiers(db: Kysely<Database>, windowId: number, tiers: readonly (readonly number[])[]): Promise<void> {
  await db.deleteFrom('window_services').where('window_id', '=', windowId).execute();
  const rows = tiers.flatMap((serviceIds, i) => serviceIds.map((service_id) => ({ window_id: windowId, service_id, tier: i + 1 })));
  if (rows.length > 0) await db.insertInto('window_services').values(rows).execute();
}

/** The ticket a window is with now (called or being served), if any. */
export async function activeTicketOfWindow(db: Kysely<Database>, windowId: number): Promise<TicketRow | undefined> {
  return activeOfWindow.first(db, windowId);
}

const activeOfWindow = prepared((db, windowId: number) => db.selectFrom('tickets').selectAll()
  .where('window_id', '=', windowId).where('status', 'in', AT_WINDOW_STATUSES));

/** A pause begins: one row per pause, for the statistics. */
export async function insertPause(db: Kysely<Database>, row: Insertable<WindowPausesTable>): Promise<void> {
  await db.insertInto('window_pauses').values(row).execute();
}

/** The window's open pause (if any) ends now. */
export async function endPause(db: Kysely<Database>, windowId: number, at: number): Promise<void> {
  await db.updateTable('window_pauses').set({ ended_at: at }).where('window_id', '=', windowId).where('ended_at', 'is', null).execute();
}

