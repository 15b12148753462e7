import type { WaitEstimate } from '../../protocol/tickets.js';

/** Weight of the newest handling time in the per-service moving average. */
export const EWMA_ALPHA = 0.2;
// A finish a few seconds after start (mis-click) or hours later (forgotten) says little about
// how long the service takes; clamp before it moves the average.
const MIN_SAMPLE_MS = 30_000;
const MAX_SAMPLE_MS = 2 * 3600_000;

export function nextHandlingAverage(previousMs: number, sampleMs: number): number {
  const clamped = Math.min(MAX_SAMPLE_MS, Math.max(MIN_SAMPLE_MS, sampleMs));
  return previousMs + EWMA_ALPHA * (clamped - previousMs);
}

/**
 * The wait of someone with `peopleAhead` before them, `servingWindows` windows able to serve
 * them (open or paused) of which `freeWindows` are open with nobody at them. A free window takes
 * one of those ahead at once; past the free ones, the citizen waits for windows to free up, one
 * every mean handling time ÷ serving windows (for exponential handling, what is left of a
 * busy window's service is a whole mean again): (ahead − free + 1) ÷ windows × mean, the
 * M/M/c wait of an arrival who finds every window busy. So with every window busy and nobody
 * ahead, the wait is one turn of a window, not zero. With nobody able to serve the service there
 * is no honest figure, so the estimate is null.
 */
export function estimateWait(peopleAhead: number, servingWindows: number, freeWindows: number, meanHandlingMs: number): WaitEstimate {
  const meanHandlingMinutes = Math.round((meanHandlingMs / 60_000) * 10) / 10;
  if (servingWindows <= 0) {
    return { peopleAhead, servingWindows: 0, meanHandlingMinutes, estimatedWaitMinutes: null };
  }
  const turns = Math.max(0, peopleAhead - Math.max(0, freeWindows) + 1);
  const minutes = (turns / servingWindows) * (meanHandlingMs / 60_000);
  // To the nearest minute (rounding up would add half a minute to everyone's estimate), and at
  // least one while the citizen waits for a window: 「预计 0 分钟」 only when a window is free for them.
  return { peopleAhead, servingWindows, meanHandlingMinutes, estimatedWaitMinutes: turns === 0 ? 0 : Math.max(1, Math.round(minutes)) };
}
