import type { WindowKind } from './enums.js';

/** What decides which services a window serves: its kind and, unless comprehensive, its tiers. */
export interface ServingWindow {
  kind: WindowKind;
  /** Service ids per tier, tier 1 first. Ignored for comprehensive windows, which serve all. */
  tiers: readonly (readonly number[])[];
}

/** The tier (0-based) at which a window serves a service, or -1 when it does not serve it. */
export function tierOf(window: ServingWindow, serviceId: number): number {
  if (window.kind === 'comprehensive') return 0;
  return window.tiers.findIndex((tier) => tier.includes(serviceId));
}

/** Whether a window serves a service at all (the routing rule, the counter's queue list, the transfer dialog). */
export function serves(window: ServingWindow, serviceId: number): boolean {
  return tierOf(window, serviceId) !== -1;
}

/** Whether a window may call a waiting ticket: one sent to a window only there, any other where its service is served. */
export function waitsFor(window: ServingWindow & { id: number }, ticket: { serviceId: number; targetWindowId: number | null }): boolean {
  return ticket.targetWindowId === null ? serves(window, ticket.serviceId) : ticket.targetWindowId === window.id;
}

/**
 * Whether another window in use serves a service: a citizen transferred to it from `ownWindowId`
 * is then passed over there (they go elsewhere), and is not when none does. The transfer and the
 * counter's transfer dialog ask this same question.
 */
export function servedElsewhere(windows: readonly (ServingWindow & { id: number; active: boolean })[], ownWindowId: number, serviceId: number): boolean {
  return windows.some((w) => w.active && w.id !== ownWindowId && serves(w, serviceId));
}
