import { afterEach, describe, expect, it } from 'vitest';
import { businessDay } from '../../server/domain/business-day.js';
import { pickNext } from '../../server/domain/routing.js';
import { loadHall } from '../../server/halls/service.js';
import { routingTicket } from '../../server/tickets/estimates.js';
import { callCandidates, insertTicket, waitingTickets } from '../../server/tickets/repository.js';
import { windowsOfHall } from '../../server/windows/service.js';
import { buildTestHall, MINUTE, type TestHall } from '../helpers.js';

let t: TestHall;
afterEach(async () => t?.close());

/** A small deterministic generator, so a failure names a reproducible queue. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('calling reads the head of each queue, not every waiting ticket', () => {
  it('picks what ranking the whole queue would pick, for every window, in mixed queues', async () => {
    t = await buildTestHall();
    const hall = await loadHall(t.db, t.demo.hallId);
    const windows = await windowsOfHall(t.db, t.demo.hallId);
    const services = Object.values(t.demo.serviceIds);
    const now = t.clock.now();
    const day = businessDay(now, hall.timezone);
    for (let seed = 1; seed <= 6; seed++) {
      const next = random(seed);
      await t.db.deleteFrom('tickets').execute();
      for (let i = 0; i < 60; i++) {
        const r = next();
        const priority = r < 0.15 ? 'priority' : r < 0.3 ? 'appointment' : 'normal';
        const queuedAt = now - Math.floor(next() * 90) * MINUTE; // some past the aging threshold
        const slotStart = now + (Math.floor(next() * 5) - 2) * 15 * MINUTE; // some inside their slot
        await insertTicket(t.db, {
          hall_id: t.demo.hallId, service_id: services[Math.floor(next() * services.length)]!, business_day: day, number: 100 * seed + i,
          display_number: `Z${i}`, token: `tok-${seed}-${i}`, channel: 'kiosk', priority_class: priority, status: next() < 0.8 ? 'waiting' : 'done',
          window_id: null, staff_id: null,
          target_window_id: next() < 0.1 ? windows[Math.floor(next() * windows.length)]!.id : null,
          avoid_window_id: next() < 0.1 ? windows[Math.floor(next() * windows.length)]!.id : null,
          parent_ticket_id: null, recall_count: 0, requeue_count: 0, issued_at: queuedAt, queued_at: queuedAt,
          called_at: null, started_at: null, finished_at: null,
          appointment_start: priority === 'appointment' ? slotStart : null, appointment_end: priority === 'appointment' ? slotStart + 30 * MINUTE : null,
          issued_by_staff_id: null, issued_by_device_id: null, updated_at: queuedAt,
        });
      }
      const all = (await waitingTickets(t.db, t.demo.hallId, day)).map(routingTicket);
      for (const window of windows) {
        const candidates = (await callCandidates(t.db, t.demo.hallId, day, window.id)).map(routingTicket);
        expect(candidates.length).toBeLessThan(all.length);
        expect(pickNext(window, candidates, now, hall.settings)?.id, `seed ${seed}, window ${window.number}`).toBe(pickNext(window, all, now, hall.settings)?.id);
      }
    }
  });
});
