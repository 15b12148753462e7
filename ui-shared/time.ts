export { clockTime } from '../protocol/clock-time.js';

/** The calendar day (YYYY-MM-DD) of an instant in the hall's timezone. */
export function calendarDay(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString('en-CA', { timeZone });
}

/** A figure with its unit, or — when there is none. */
export function figure(v: number | null, unit = ''): string {
  return v === null ? '—' : `${v}${unit}`;
}

/** The instant of a wall-clock time ("2026-11-25T17:00", as a datetime-local input gives it) in the hall's timezone. */
export function instantInZone(local: string, timeZone: string): number {
  const guess = Date.parse(`${local}:00Z`);
  const wall = new Date(guess).toLocaleString('sv-SE', { timeZone }).replace(' ', 'T');
  return guess - (Date.parse(`${wall}Z`) - guess);
}

/** The reverse: an instant as a datetime-local value in the hall's timezone. */
export function localInZone(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleString('sv-SE', { timeZone }).replace(' ', 'T').slice(0, 16);
}
