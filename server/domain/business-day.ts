const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The hall's calendar date at `ms`, as YYYY-MM-DD: numbers restart when it changes. */
export function businessDay(ms: number, timeZone: string): string {
  return formatterFor(timeZone).format(ms);
}
