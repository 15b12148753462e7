export { clockTime } from '../protocol/clock-time.js';

/** The calendar day (YYYY-MM-DD) of an instant in the hall's timezone. */
export function calendarDay(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString('en-CA', { timeZone });
}

/** A figure with its unit, or — when there is none. */
export function figure(v: number | null, unit = ''): string {
  return v === null ? '—' : `${v}${unit}`;
}
