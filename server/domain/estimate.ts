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
 * People ahead ÷ windows serving the service × recent mean handling time. With nobody able to
 * serve the service there is no honest figure, so the estimate is null.
 */
export function estimateWait(peopleAhead: number, servingWindows: number, meanHandlingMs: number): WaitEstimate {
  const meanHandlingMinutes = Math.round((meanHandlingMs / 60_000) * 10) / 10;
  if (servingWindows <= 0) {
    return { peopleAhead, servingWindows: 0, meanHandlingMinutes, estimatedWaitMinutes: null };
  }
  const minutes = (peopleAhead / servingWindows) * (meanHandlingMs / 60_000);
  return { peopleAhead, servingWindows, meanHandlingMinutes, estimatedWaitMinutes: Math.ceil(minutes) };
}
