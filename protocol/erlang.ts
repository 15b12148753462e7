/**
 * Erlang C, the queue of a pool of c windows with Poisson arrivals and exponential handling: how
 * many wait, how long, and how many windows hold a wait target. Pure and zod-free: the server's
 * staffing advice and the manager page's what-if both use it.
 */

/** P(a citizen waits at all) with c windows and offered load a = λ/μ; 1 when the pool cannot keep up. */
export function erlangC(c: number, a: number): number {
  if (c <= 0 || a >= c) return 1;
  if (a <= 0) return 0;
  // Erlang B by its recursion (stable for large c), then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/** Share of citizens who wait at most `targetMin` minutes (等候达标率), 0–1. */
export function serviceLevel(c: number, perMinute: number, handlingMin: number, targetMin: number): number {
  if (perMinute <= 0) return 1;
  const a = perMinute * handlingMin;
  if (c <= a) return 0;
  return 1 - erlangC(c, a) * Math.exp(-(c / handlingMin - perMinute) * targetMin);
}

/** Mean wait in minutes, or null when the pool cannot keep up (the queue grows without end). */
export function meanWaitMinutes(c: number, perMinute: number, handlingMin: number): number | null {
  if (perMinute <= 0) return 0;
  const a = perMinute * handlingMin;
  if (c <= a) return null;
  return erlangC(c, a) / (c / handlingMin - perMinute);
}

/** The fewest windows that hold the target for at least `goal` (0–1) of citizens; 0 with nobody arriving. */
export function windowsNeeded(perMinute: number, handlingMin: number, targetMin: number, goal: number, max = 100): number {
  if (perMinute <= 0) return 0;
  for (let c = 1; c <= max; c++) if (serviceLevel(c, perMinute, handlingMin, targetMin) >= goal) return c;
  return max;
}

/**
 * The coming hour of a pool with `c` windows, from the queue now: the wait of whoever takes a
 * number now (the `waiting` ahead shared by c windows), and in an hour (the queue grown by the
 * arrivals and shrunk by what c windows handle), and the 达标率 of the hour's arrivals (Erlang C).
 * A wait is null with no window open.
 */
export function hourAhead(c: number, waiting: number, perMinute: number, handlingMin: number, targetMin: number): { waitNow: number | null; waitInHour: number | null; level: number } {
  if (c <= 0) return { waitNow: null, waitInHour: null, level: perMinute > 0 || waiting > 0 ? 0 : 1 };
  const later = Math.max(0, waiting + perMinute * 60 - (c / handlingMin) * 60);
  return { waitNow: (waiting * handlingMin) / c, waitInHour: (later * handlingMin) / c, level: serviceLevel(c, perMinute, handlingMin, targetMin) };
}

/** The fewest windows that keep both waits within the target and hold it for `goal` of the hour's arrivals; 0 with nobody waiting or coming. */
export function windowsForHour(waiting: number, perMinute: number, handlingMin: number, targetMin: number, goal: number, max = 100): number {
  if (waiting <= 0 && perMinute <= 0) return 0;
  for (let c = 1; c <= max; c++) {
    const h = hourAhead(c, waiting, perMinute, handlingMin, targetMin);
    if (h.waitNow! <= targetMin && h.waitInHour! <= targetMin && h.level >= goal) return c;
  }
  return max;
}
