const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
/** Zone offsets change only on whole quarter hours of UTC (every zone's transitions in use). */
const QUARTER_HOUR_MS = 15 * 60_000;

function measuredOffset(ms: number, timeZone: string): number {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The offset of `timeZone` from UTC at `ms`, in ms (Shanghai: +8 h). Asked on every change
 * (the business day, the hall's hours), so it is measured once per zone and quarter hour.
 */
export function zoneOffset(ms: number, timeZone: string): number {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const key = `${timeZone}\u0000${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = measuredOffset(quarter * QUARTER_HOUR_MS, timeZone);
    if (offsets.size >= 4096) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The hall's calendar date at `ms`, as YYYY-MM-DD: numbers restart when it changes. */
export function businessDay(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffset(ms, timeZone)).toISOString().slice(0, 10);
}
