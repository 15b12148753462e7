import { describe, expect, it } from 'vitest';
import { canServe, pickNext, rankCandidates, type RoutingTicket, type RoutingWindow } from '../../server/domain/routing.js';

const NOW = 1_000_000_000;
const MIN = 60_000;
const settings = { agingMinutes: 30 };

let nextId = 1;
function buildTicket(overrides: Partial<RoutingTicket> = {}): RoutingTicket {
  return {
    id: nextId++,
    serviceId: 1,
    priorityClass: 'normal',
    targetWindowId: null,
    avoidWindowId: null,
    queuedAt: NOW - 5 * MIN,
    appointmentStart: null,
    appointmentEnd: null,
    ...overrides,
  };
}

const comprehensive: RoutingWindow = { id: 1, kind: 'comprehensive', tiers: [] };
const domain: RoutingWindow = { id: 2, kind: 'domain', tiers: [[10], [20, 30]] };

describe('pickNext', () => {
  it('returns null when nobody waits', () => {
    expect(pickNext(comprehensive, [], NOW, settings)).toBeNull();
  });

  it('calls the oldest ticket first, then the lower id on a tie', () => {
    const late = buildTicket({ queuedAt: NOW - 1 * MIN });
    const early = buildTicket({ queuedAt: NOW - 9 * MIN });
    const tieA = buildTicket({ id: 501, queuedAt: NOW - 20 * MIN });
    const tieB = buildTicket({ id: 500, queuedAt: NOW - 20 * MIN });
    expect(rankCandidates(comprehensive, [late, early, tieA, tieB], NOW, settings).map((t) => t.id))
      .toEqual([500, 501, early.id, late.id]);
  });

  it('a comprehensive window serves every service in one tier', () => {
    const a = buildTicket({ serviceId: 7, queuedAt: NOW - 2 * MIN });
    const b = buildTicket({ serviceId: 99, queuedAt: NOW - 3 * MIN });
    expect(pickNext(comprehensive, [a, b], NOW, settings)?.id).toBe(b.id);
  });

  it('priority (绿色通道) goes before appointment in its slot, which goes before normal', () => {
    const normal = buildTicket({ queuedAt: NOW - 25 * MIN });
    const appt = buildTicket({ priorityClass: 'appointment', queuedAt: NOW - 1 * MIN, appointmentStart: NOW - 10 * MIN, appointmentEnd: NOW + 20 * MIN });
    const prio = buildTicket({ priorityClass: 'priority', queuedAt: NOW });
    expect(rankCandidates(comprehensive, [normal, appt, prio], NOW, settings).map((t) => t.id)).toEqual([prio.id, appt.id, normal.id]);
  });

  it('an appointment outside its slot queues like a normal ticket', () => {
    const normal = buildTicket({ queuedAt: NOW - 10 * MIN });
    const early = buildTicket({ priorityClass: 'appointment', queuedAt: NOW - 1 * MIN, appointmentStart: NOW + 30 * MIN, appointmentEnd: NOW + 60 * MIN });
    const late = buildTicket({ priorityClass: 'appointment', queuedAt: NOW - 2 * MIN, appointmentStart: NOW - 90 * MIN, appointmentEnd: NOW - 60 * MIN });
    expect(rankCandidates(comprehensive, [early, late, normal], NOW, settings).map((t) => t.id)).toEqual([normal.id, late.id, early.id]);
  });

  it('a domain window serves tier 1 before tier 2 and never a service outside its tiers', () => {
    const tier2Old = buildTicket({ serviceId: 20, queuedAt: NOW - 20 * MIN });
    const tier1New = buildTicket({ serviceId: 10, queuedAt: NOW - 1 * MIN });
    const foreign = buildTicket({ serviceId: 40, queuedAt: NOW - 29 * MIN });
    expect(rankCandidates(domain, [tier2Old, tier1New, foreign], NOW, settings).map((t) => t.id)).toEqual([tier1New.id, tier2Old.id]);
  });

  it('within a tier, services share one queue by time', () => {
    const s30 = buildTicket({ serviceId: 30, queuedAt: NOW - 8 * MIN });
    const s20 = buildTicket({ serviceId: 20, queuedAt: NOW - 4 * MIN });
    expect(pickNext(domain, [s20, s30], NOW, settings)?.id).toBe(s30.id);
  });

  it('a ticket waiting past the aging threshold jumps tiers, so tier 2 does not starve', () => {
    const aged = buildTicket({ serviceId: 30, queuedAt: NOW - 31 * MIN });
    const fresh = buildTicket({ serviceId: 10, queuedAt: NOW - 2 * MIN });
    expect(pickNext(domain, [fresh, aged], NOW, settings)?.id).toBe(aged.id);
    // Exactly at the threshold counts as aged; a minute short does not.
    const almost = buildTicket({ serviceId: 30, queuedAt: NOW - 29 * MIN });
    expect(pickNext(domain, [fresh, almost], NOW, settings)?.id).toBe(fresh.id);
    const exactly = buildTicket({ serviceId: 30, queuedAt: NOW - 30 * MIN });
    expect(pickNext(domain, [fresh, exactly], NOW, settings)?.id).toBe(exactly.id);
  });

  it('aging does not lift a normal ticket above a priority one', () => {
    const aged = buildTicket({ serviceId: 30, queuedAt: NOW - 120 * MIN });
    const prio = buildTicket({ serviceId: 10, priorityClass: 'priority', queuedAt: NOW });
    expect(pickNext(domain, [aged, prio], NOW, settings)?.id).toBe(prio.id);
  });

  it('tickets transferred to this window come first, whatever their service or class', () => {
    const prio = buildTicket({ priorityClass: 'priority', queuedAt: NOW - 50 * MIN });
    const toMe = buildTicket({ serviceId: 999, targetWindowId: comprehensive.id, queuedAt: NOW });
    expect(pickNext(comprehensive, [prio, toMe], NOW, settings)?.id).toBe(toMe.id);
  });

  it('tickets transferred to another window are never called here', () => {
    const toOther = buildTicket({ targetWindowId: 77, queuedAt: NOW - 60 * MIN });
    expect(pickNext(comprehensive, [toOther], NOW, settings)).toBeNull();
    const normal = buildTicket();
    expect(pickNext(comprehensive, [toOther, normal], NOW, settings)?.id).toBe(normal.id);
  });

  it('a transfer to a domain window is served there even outside its tiers', () => {
    const t = buildTicket({ serviceId: 555, targetWindowId: domain.id });
    expect(pickNext(domain, [t], NOW, settings)?.id).toBe(t.id);
  });

  it('does not reorder or change its input', () => {
    const input = [buildTicket({ queuedAt: NOW - 1 * MIN }), buildTicket({ queuedAt: NOW - 2 * MIN })];
    const copy = structuredClone(input);
    pickNext(comprehensive, input, NOW, settings);
    expect(input).toEqual(copy);
  });
});

describe('canServe', () => {
  it('follows tiers and transfers', () => {
    expect(canServe(domain, { serviceId: 30, targetWindowId: null })).toBe(true);
    expect(canServe(domain, { serviceId: 40, targetWindowId: null })).toBe(false);
    expect(canServe(domain, { serviceId: 40, targetWindowId: domain.id })).toBe(true);
    expect(canServe(comprehensive, { serviceId: 40, targetWindowId: domain.id })).toBe(false);
    expect(canServe(comprehensive, { serviceId: 40, targetWindowId: null })).toBe(true);
  });
});
