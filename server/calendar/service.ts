import type { Kysely } from 'kysely';
import type { CalendarEntry } from '../../protocol/calendar.js';
import type { Database } from '../db/schema.js';
import { writeInHall, type WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import { addDays, addWorkingDays, type DutyWindow, dutyWindowsAt, type Exceptions, hoursWithDuty, issueWindow, localTime } from '../domain/calendar.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { type Hall, hallView, subtree } from '../halls/service.js';
import { raiseConfigVersion } from '../db/event-log.js';
import { exceptionsBetween, replaceYear } from './repository.js';

/** How far ahead the calendar is read: deadlines of 15 working days and the next opening fit in it. */
const LOOKAHEAD_DAYS = 90;

export async function upcomingExceptions(db: Kysely<Database>, hall: Hall, now: number): Promise<Exceptions> {
  const today = businessDay(now, hall.timezone);
  return exceptionsBetween(db, hall.id, today, addDays(today, LOOKAHEAD_DAYS));
}

/** Working-day deadline for 差评 follow-up: weekends and holidays skipped, 调休 days counted. */
export async function workingDaysAfter(db: Kysely<Database>, hall: Hall, from: number, days: number): Promise<number> {
  return addWorkingDays(from, days, hall.timezone, await upcomingExceptions(db, hall, from));
}

/**
 * Refuses a number outside the hours of the service — the hall's, and those of the 值班窗口 that
 * serve it — (HALL_CLOSED; NOT_ON_DUTY while duty windows take other services) or past the
 * service's cut-off (SERVICE_CLOSED), naming when numbers can be taken again.
 */
export function assertIssuing(
  hall: Hall, calendar: Exceptions, windows: readonly (DutyWindow & { number: string })[],
  service: { id: number; name_zh: string; issue_cutoff_minutes: number }, now: number,
): void {
  const state = issueWindow(now, hoursWithDuty(hall.openingHours, windows, service.id), calendar, hall.timezone, service.issue_cutoff_minutes);
  if (state.open) return;
  const next = state.nextOpening === null ? null : localTime(state.nextOpening, hall.timezone);
  const details = { nextOpening: state.nextOpening, nextOpeningLocal: next };
  if (state.reason === 'service_closed') {
    throw new ConflictError('SERVICE_CLOSED', `${service.name_zh} has stopped taking numbers for today${next ? `; next from ${next}` : ''}.`, details);
  }
  const onDuty = issueWindow(now, hall.openingHours, calendar, hall.timezone).open ? [] : dutyWindowsAt(now, windows, calendar, hall.timezone);
  if (onDuty.length > 0) {
    const numbers = onDuty.map((w) => w.number);
    throw new ConflictError(
      'NOT_ON_DUTY',
      `Outside the hall's hours only the duty windows (${numbers.join(', ')}) take numbers, and not for ${service.name_zh}${next ? `; it is served again from ${next}` : ''}.`,
      { ...details, dutyWindows: numbers.join('、') },
    );
  }
  throw new ConflictError('HALL_CLOSED', `The hall is closed now${next ? `; it opens again at ${next}` : ''}.`, details);
}

export async function setYear(deps: WriteDeps, hallId: number, year: number, days: CalendarEntry[]): Promise<void> {
  const wrong = days.findIndex((d) => !d.day.startsWith(`${year}-`));
  if (wrong >= 0) throw new BadRequestError('VALIDATION_FAILED', `Invalid body.days.${wrong}.day: not in ${year}.`, [{ field: `body.days.${wrong}.day`, message: `not in ${year}` }]);
  await writeInHall(deps, hallId, async (w) => {
    await replaceYear(w.trx, hallId, year, days);
    // The halls below inherit these days: their kept configuration is out of date too. Kiosks and
    // the manager pages of each reload the hall's open state.
    const halls = await subtree(w.trx, hallId);
    await raiseConfigVersion(w.trx, halls.filter((h) => h.id !== hallId).map((h) => h.id));
    for (const hall of halls) await w.record(hall.id, { type: 'hall:changed', payload: { hall: hallView(hall, w.now) } });
  });
}

