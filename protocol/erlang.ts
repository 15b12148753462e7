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

/** One hour of a pool: arrivals per minute and the mean handling time in minutes. */
export interface HourLoad {
  perMinute: number;
  handlingMin: number;
}

/** What an hour's arrivals meet: the share who wait at most the target (0–1) and their mean wait (minutes; null when no window is open). */
export interface HourOutcome {
  level: number;
  meanWait: number | null;
}

/** The shortest handling (minutes) and time step the day is followed with. */
const MIN_HANDLING_MIN = 0.1;
const MIN_STEP_MIN = 0.005;

/** The queue lengths a day is followed up to: beyond, arrivals are not counted (a hall never holds that many). */
const MAX_QUEUE = 600;

/** P(a citizen who finds n in the hall waits at most T) with c windows: n − c + 1 completions at rate c/h within T. */
function withinTarget(c: number, handlingMin: number, targetMin: number): Float64Array {
  const within = new Float64Array(MAX_QUEUE + 1);
  const m = (c / handlingMin) * targetMin;
  // P(Poisson(m) ≥ k), k = n − c + 1, from the running sum of the Poisson terms.
  let term = Math.exp(-m);
  let below = 0; // P(Poisson(m) < k)
  for (let n = 0; n <= MAX_QUEUE; n++) {
    if (n < c) {
      within[n] = 1;
      continue;
    }
    const k = n - c + 1;
    below += term; // adds P(Poisson = k − 1)
    term *= m / k;
    within[n] = Math.max(0, 1 - below);
  }
  return within;
}

/**
 * One hour of an M/M/c pool from the distribution of people in it at the hour's start, followed
 * in small steps (the forward equations): what the hour's arrivals meet, and the distribution it
 * leaves for the next hour. Each hour carries the queue the one before left, where Erlang C
 * assumes each hour starts in its own steady state.
 */
function liveHour(start: Float64Array, load: HourLoad, c: number, targetMin: number): { outcome: HourOutcome; end: Float64Array } {
  const { perMinute: lambda } = load;
  // Handling and steps have a floor: a pool whose citizens took no time at all (a test, a clerk
  // who pressed 开始 and 完成 together) must not ask for endless steps.
  const handlingMin = Math.max(MIN_HANDLING_MIN, load.handlingMin);
  const mu = 1 / handlingMin;
  const dt = Math.max(MIN_STEP_MIN, Math.min(1, 0.5 / (lambda + c * mu + 1e-9)));
  const steps = Math.ceil(60 / dt);
  const h = 60 / steps;
  const within = withinTarget(c, handlingMin, targetMin);
  let p = Float64Array.from(start);
  let next = new Float64Array(MAX_QUEUE + 1);
  let level = 0;
  let wait = 0;
  for (let s = 0; s < steps; s++) {
    // What an arrival at this moment meets (arrivals see the time average).
    let l = 0;
    let w = 0;
    for (let n = 0; n <= MAX_QUEUE; n++) {
      if (p[n] === 0) continue;
      l += p[n]! * within[n]!;
      if (n >= c) w += p[n]! * (c === 0 ? Infinity : (n - c + 1) * handlingMin / c);
    }
    level += l / steps;
    wait += w / steps;
    next.fill(0);
    for (let n = 0; n <= MAX_QUEUE; n++) {
      const pn = p[n]!;
      if (pn === 0) continue;
      const up = n < MAX_QUEUE ? lambda * h : 0;
      const down = Math.min(n, c) * mu * h;
      next[n]! += pn * (1 - up - down);
      if (up) next[n + 1]! += pn * up;
      if (down) next[n - 1]! += pn * down;
    }
    [p, next] = [next, p];
  }
  return { outcome: { level: lambda > 0 ? level : 1, meanWait: Number.isFinite(wait) ? wait : null }, end: p };
}

const emptyHall = () => {
  const p = new Float64Array(MAX_QUEUE + 1);
  p[0] = 1;
  return p;
};

/** A day lived hour by hour with `windows[i]` open in hour i, each hour carrying the queue the one before left. */
export function dayAhead(hours: readonly HourLoad[], windows: readonly number[], targetMin: number): HourOutcome[] {
  let p: Float64Array = emptyHall();
  return hours.map((load, i) => {
    const { outcome, end } = liveHour(p, load, windows[i] ?? 0, targetMin);
    p = end;
    return outcome;
  });
}

/**
 * 排班建议 for a day: hour by hour, the fewest windows with which that hour's arrivals meet the
 * target for at least `goal` of them, given the queue the hours before (staffed so) left.
 */
export function adviseDay(hours: readonly HourLoad[], targetMin: number, goal: number, max = 100): number[] {
  let p: Float64Array = emptyHall();
  let before = 0;
  return hours.map((load) => {
    // An hour that starts with a short queue may hold the target with fewer windows than its
    // work (the queue it hands on is the next hour's to clear), so the search starts at one. An
    // hour nobody is expected in keeps the windows before it while a queue is left to clear.
    const queued = p.reduce((sum, pn, n) => sum + pn * n, 0);
    let c = load.perMinute > 0 ? 1 : queued >= 0.5 ? before : 0;
    let lived = liveHour(p, load, c, targetMin);
    while (c < max && lived.outcome.level < goal) lived = liveHour(p, load, ++c, targetMin);
    p = lived.end;
    before = c;
    return c;
  });
}
