import type { OpeningHours } from '../../protocol/halls.js';
import { businessDay, zoneOffset } from './business-day.js';
import { DAY_MS } from '../../protocol/constants.js';
import { clockTime } from '../../protocol/clock-time.js';
import { serves, type ServingWindow } from '../../protocol/serving.js';

/**
 * The hall's calendar: its weekly opening hours and its exceptions (法定节假日 closed days, 调休
 * make-up working days), in the hall's timezone. Pure: the caller loads the exceptions.
 */
export interface CalendarDay {
  kind: 'holiday' | 'workday';
  /** A make-up working day keeps the hours of this weekday (1 = Monday); Monday when absent. */
  hoursOfWeekday: number | null;
}
export type Exceptions = ReadonlyMap<string, CalendarDay>;

export interface Interval {
  start: number;
  end: number;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar day; the day alone decides it. */
export function weekdayOf(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The instant a wall-clock time ("09:00") happens on `day` in the hall's timezone. */
export function instantOf(day: string, hhmm: string, timeZone: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.parse(`${day}T00:00:00Z`) + (h * 60 + m) * 60_000;
  // Two rounds settle the offset across a daylight-saving change; China has none.
  let at = wall - zoneOffset(wall, timeZone);
  at = wall - zoneOffset(at, timeZone);
  return at;
}

/**
 * The opening intervals of weekly hours on a calendar day, after holidays and make-up working
 * days, in order; hours that overlap or touch (the hall's and a duty window's) make one interval.
 */
export function intervalsOn(day: string, hours: OpeningHours, exceptions: Exceptions, timeZone: string): Interval[] {
  const exception = exceptions.get(day);
  if (exception?.kind === 'holiday') return [];
  const weekday = exception?.kind === 'workday' ? exception.hoursOfWeekday ?? 1 : weekdayOf(day);
  const sorted = hours
    .filter((h) => h.weekday === weekday && h.close > h.open)
    .map((h) => ({ start: instantOf(day, h.open, timeZone), end: instantOf(day, h.close, timeZone) }))
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/** A window as the hours of a service see it: in use or not, what it serves, its own 值班 hours. */
export interface DutyWindow extends ServingWindow {
  active: boolean;
  dutyHours: OpeningHours;
}

/**
 * The weekly hours in which numbers are taken: the hall's, and those of every 值班窗口 in use
 * (that serves the service, when one is named). A hall with no hours takes numbers at any time,
 * duty windows or not.
 */
export function hoursWithDuty(hallHours: OpeningHours, windows: readonly DutyWindow[], serviceId?: number): OpeningHours {
  if (hallHours.length === 0) return hallHours;
  const duty = windows.filter((w) => w.active && w.dutyHours.length > 0 && (serviceId === undefined || serves(w, serviceId)));
  return duty.length === 0 ? hallHours : [...hallHours, ...duty.flatMap((w) => w.dutyHours)];
}

/** The duty windows whose own hours hold `now` (the hall's calendar applied). */
export function dutyWindowsAt<W extends DutyWindow>(now: number, windows: readonly W[], exceptions: Exceptions, timeZone: string): W[] {
  const today = businessDay(now, timeZone);
  return windows.filter((w) => w.active && intervalsOn(today, w.dutyHours, exceptions, timeZone).some((i) => i.start <= now && now < i.end));
}

export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export type IssueWindow =
  | { open: true }
  | { open: false; reason: 'hall_closed' | 'service_closed'; nextOpening: number | null };

/**
 * Whether a number may be taken now: inside an opening interval (a lunch break is the gap
 * between two), and for a service with a cut-off, not within that many minutes of the day's last
 * closing. With no hours configured at all the hall is treated as always open (a new hall).
 */
export function issueWindow(now: number, hours: OpeningHours, exceptions: Exceptions, timeZone: string, cutoffMinutes = 0): IssueWindow {
  if (hours.length === 0) return { open: true };
  const today = businessDay(now, timeZone);
  const todays = intervalsOn(today, hours, exceptions, timeZone);
  const inside = todays.some((i) => i.start <= now && now < i.end);
  const cutoff = todays.length > 0 ? todays.at(-1)!.end - cutoffMinutes * 60_000 : 0;
  if (inside && now < cutoff) return { open: true };
  const serviceOnly = inside; // the hall is open, only this service stopped for the day
  return { open: false, reason: serviceOnly ? 'service_closed' : 'hall_closed', nextOpening: nextOpening(now, hours, exceptions, timeZone, cutoffMinutes, serviceOnly) };
}

/** Whether the hall takes numbers now; outside its own hours, possibly through 值班窗口 only (which, and when its hours begin again). */
export interface HallIssuing {
  open: boolean;
  nextOpening: number | null;
  duty: { windows: string[]; mainOpening: number | null } | null;
}

export function hallIssuing(now: number, hallHours: OpeningHours, windows: readonly (DutyWindow & { number: string })[], exceptions: Exceptions, timeZone: string): HallIssuing {
  const main = issueWindow(now, hallHours, exceptions, timeZone);
  if (main.open) return { open: true, nextOpening: null, duty: null };
  const any = issueWindow(now, hoursWithDuty(hallHours, windows), exceptions, timeZone);
  if (!any.open) return { open: false, nextOpening: any.nextOpening, duty: null };
  const onDuty = dutyWindowsAt(now, windows, exceptions, timeZone).map((w) => w.number);
  return { open: true, nextOpening: null, duty: { windows: onDuty, mainOpening: main.nextOpening } };
}

/** The next moment numbers can be taken (for a service with a cut-off, not before tomorrow's opening). */
function nextOpening(now: number, hours: OpeningHours, exceptions: Exceptions, timeZone: string, cutoffMinutes: number, skipToday: boolean): number | null {
  const today = businessDay(now, timeZone);
  for (let i = skipToday ? 1 : 0; i <= 60; i++) {
    const day = addDays(today, i);
    const intervals = intervalsOn(day, hours, exceptions, timeZone);
    if (intervals.length === 0) continue;
    const cutoff = intervals.at(-1)!.end - cutoffMinutes * 60_000;
    const next = intervals.find((x) => x.start > now && x.start < cutoff);
    if (next) return next.start;
  }
  return null; // nothing open in the next two months
}

/** Whether a calendar day is a working day: Monday–Friday unless a holiday, or a make-up working day. */
export function isWorkingDay(day: string, exceptions: Exceptions): boolean {
  const exception = exceptions.get(day);
  if (exception) return exception.kind === 'workday';
  return weekdayOf(day) <= 5;
}

/**
 * The moment `days` working days after `from`, at the same time of day: weekends and public
 * holidays skipped, make-up working days (调休) counted. Deadlines for 差评 follow-up use it.
 */
export function addWorkingDays(from: number, days: number, timeZone: string, exceptions: Exceptions = new Map()): number {
  let at = from;
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    if (isWorkingDay(businessDay(at, timeZone), exceptions)) left--;
  }
  return at;
}

/** "2026-11-26 09:00" in the hall's timezone, for messages. */
export function localTime(ms: number, timeZone: string): string {
  return `${businessDay(ms, timeZone)} ${clockTime(ms, timeZone)}`;
}
