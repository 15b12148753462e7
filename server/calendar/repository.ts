import { sql, type Kysely } from 'kysely';
import type { CalendarEntry } from '../../protocol/calendar.js';
import type { Database } from '../db/schema.js';
import type { Exceptions } from '../domain/calendar.js';

export async function calendarEntries(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<CalendarEntry[]> {
  const rows = await db.selectFrom('hall_calendar').selectAll()
    .where('hall_id', '=', hallId).where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();
  return rows.map((r) => ({ day: r.day, kind: r.kind, name: r.name, hoursOfWeekday: r.hours_of_weekday }));
}

export type InheritedEntry = CalendarEntry & { hallId: number; hallName: string };

/**
 * The days that apply to a hall: its own and those of every hall above it (the district sets the
 * public holidays once; a street or community hall adds its own). For a day listed at several
 * levels the nearest hall's entry wins, so a hall may also open on a day its district closes.
 * One statement on both stores (a recursive walk up the tree).
 */
export async function effectiveEntries(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<InheritedEntry[]> {
  const { rows } = await sql<{ day: string; kind: CalendarEntry['kind']; name: string; hours_of_weekday: number | null; hall_id: number; hall_name: string }>`
    with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from halls where id = ${hallId}
      union all
      select h.id, h.parent_id, chain.depth + 1 from halls h join chain on h.id = chain.parent_id where chain.depth < 10
    )
    select c.day, c.kind, c.name, c.hours_of_weekday, h.id as hall_id, h.name as hall_name
    from hall_calendar c join chain on c.hall_id = chain.id join halls h on h.id = chain.id
    where c.day >= ${from} and c.day <= ${to}
    order by c.day, chain.depth`.execute(db);
  const nearest = new Map<string, InheritedEntry>();
  for (const r of rows) {
    if (!nearest.has(r.day)) nearest.set(r.day, { day: r.day, kind: r.kind, name: r.name, hoursOfWeekday: r.hours_of_weekday, hallId: r.hall_id, hallName: r.hall_name });
  }
  return [...nearest.values()];
}

/** The exceptions between two days, as the pure calendar functions take them (inherited days included). */
export async function exceptionsBetween(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<Exceptions> {
  const entries = await effectiveEntries(db, hallId, from, to);
  return new Map(entries.map((e) => [e.day, { kind: e.kind, hoursOfWeekday: e.hoursOfWeekday }]));
}

export async function replaceYear(db: Kysely<Database>, hallId: number, year: number, days: CalendarEntry[]): Promise<void> {
  await db.deleteFrom('hall_calendar').where('hall_id', '=', hallId).where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
  if (days.length === 0) return;
  await db.insertInto('hall_calendar').values(days.map((d) => ({
    hall_id: hallId, day: d.day, kind: d.kind, name: d.name, hours_of_weekday: d.kind === 'workday' ? d.hoursOfWeekday : null,
  }))).execute();
}
