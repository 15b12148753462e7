import type { Kysely } from 'kysely';
import type { CalendarEntry } from '../../protocol/calendar.js';
import type { Database } from '../db/schema.js';
import type { Exceptions } from '../domain/calendar.js';

export async function calendarEntries(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<CalendarEntry[]> {
  const rows = await db.selectFrom('hall_calendar').selectAll()
    .where('hall_id', '=', hallId).where('day', '>=', from).where('day', '<=', to).orderBy('day').execute();
  return rows.map((r) => ({ day: r.day, kind: r.kind, name: r.name, hoursOfWeekday: r.hours_of_weekday }));
}

/** The exceptions between two days, as the pure calendar functions take them. */
export async function exceptionsBetween(db: Kysely<Database>, hallId: number, from: string, to: string): Promise<Exceptions> {
  const entries = await calendarEntries(db, hallId, from, to);
  return new Map(entries.map((e) => [e.day, { kind: e.kind, hoursOfWeekday: e.hoursOfWeekday }]));
}

export async function replaceYear(db: Kysely<Database>, hallId: number, year: number, days: CalendarEntry[]): Promise<void> {
  await db.deleteFrom('hall_calendar').where('hall_id', '=', hallId).where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
  if (days.length === 0) return;
  await db.insertInto('hall_calendar').values(days.map((d) => ({
    hall_id: hallId, day: d.day, kind: d.kind, name: d.name, hours_of_weekday: d.kind === 'workday' ? d.hoursOfWeekday : null,
  }))).execute();
}
