// Kept free of zod: every page imports it.

/** "09:30" in the hall's timezone, whatever the browser's or server's own zone (a slot, a call, a message). */
export function clockTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}
