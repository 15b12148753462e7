const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

function isWeekend(ms: number, timeZone: string): boolean {
  let f = weekdayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
    weekdayFormatters.set(timeZone, f);
  }
  const day = f.format(ms);
  return day === 'Sat' || day === 'Sun';
}

const DAY = 86_400_000;

/**
 * The moment `days` working days (Monday–Friday in the hall's timezone) after `from`, at the
 * same time of day. Public holidays and their make-up working days (调休) are not modelled: a
 * locality's calendar would be a hall setting.
 */
export function addWorkingDays(from: number, days: number, timeZone: string): number {
  let at = from;
  let left = days;
  while (left > 0) {
    at += DAY;
    if (!isWeekend(at, timeZone)) left--;
  }
  return at;
}
