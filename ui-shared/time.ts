/** "09:30" in the hall's timezone, whatever the browser's own zone (a booking's slot, a call). */
export function clockTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** The calendar day (YYYY-MM-DD) of an instant in the hall's timezone. */
export function calendarDay(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString('en-CA', { timeZone });
}

/** A figure with its unit, or — when there is none. */
export function figure(v: number | null, unit = ''): string {
  return v === null ? '—' : `${v}${unit}`;
}
