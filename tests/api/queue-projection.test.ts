import { afterEach, describe, expect, it } from 'vitest';
import { businessDay } from '../../server/domain/business-day.js';
import { pickNext } from '../../server/domain/routing.js';
import { loadHall } from '../../server/halls/service.js';
import { routingTicket } from '../../server/tickets/estimates.js';
import { callCandidates, insertTicket, waitingTickets } from '../../server/tickets/repository.js';
import { expireOpenTickets } from '../../server/tickets/service.js';
import { windowsOfHall } from '../../server/windows/service.js';
import { buildTestHall, clerkAt, expectStatus, hallUrl, issue, MINUTE, openAllDay, type TestHall, windowUrl } from '../helpers.js';

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
        // 在线排队: some normal numbers were taken online and their citizens are not in the hall yet.
        const away = priority === 'normal' && next() < 0.2;
        await insertTicket(t.db, {
          hall_id: t.demo.hallId, service_id: services[Math.floor(next() * services.length)]!, business_day: day, number: 100 * seed + i,
          display_number: `Z${i}`, token: `tok-${seed}-${i}`, channel: away ? 'online' : 'kiosk', arrived_at: away ? null : queuedAt, priority_class: priority, status: next() < 0.8 ? 'waiting' : 'done',
          window_id: null, staff_id: null,
          target_window_id: next() < 0.1 ? windows[Math.floor(next() * windows.length)]!.id : null,
          avoid_window_id: next() < 0.1 ? windows[Math.floor(next() * windows.length)]!.id : null,
          parent_ticket_id: null, recall_count: 0, requeue_count: 0, issued_at: queuedAt, queued_at: queuedAt,
          called_at: null, started_at: null, finished_at: null,
          appointment_start: priority === 'appointment' ? slotStart : null, appointment_end: priority === 'appointment' ? slotStart + 30 * MINUTE : null,
          issued_by_staff_id: null, issued_by_device_id: null, updated_at: queuedAt,
        });
      }
      const waiting = await waitingTickets(t.db, t.demo.hallId, day);
      const all = waiting.filter((x) => x.arrived_at !== null).map(routingTicket);
      const away = waiting.filter((x) => x.arrived_at === null && x.target_window_id === null).map((x) => x.id);
      expect(away.length).toBeGreaterThan(0);
      for (const window of windows) {
        const rows = await callCandidates(t.db, t.demo.hallId, day, window.id);
        const candidates = rows.filter((x) => x.arrived_at !== null).map(routingTicket);
        expect(rows.length).toBeLessThan(waiting.length);
        // Those not in the hall come along (to be passed over), but are never the pick.
        for (const id of away) {
          const row = waiting.find((x) => x.id === id)!;
          if (row.avoid_window_id !== window.id) expect(rows.some((x) => x.id === id), `seed ${seed}: online ${id} among the candidates`).toBe(true);
        }
        expect(pickNext(window, candidates, now, hall.settings)?.id, `seed ${seed}, window ${window.number}`).toBe(pickNext(window, all, now, hall.settings)?.id);
      }
    }
  });
});

describe('the live queue\'s size (queue_counts) that issuing reads', () => {
  it('matches the waiting tickets after every kind of move, and gives the estimate its people ahead', async () => {
    t = await buildTestHall();
    await openAllDay(t);
    const truth = async () => {
      const rows = await t.db.selectFrom('tickets').select(['business_day', 'service_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'waiting').where('target_window_id', 'is', null).groupBy(['business_day', 'service_id']).execute();
      const counts = await t.db.selectFrom('queue_counts').select(['business_day', 'service_id', 'waiting']).where('waiting', '<>', 0).execute();
      return {
        tickets: rows.map((r) => `${r.business_day}/${r.service_id}=${Number(r.n)}`).sort(),
        projection: counts.map((r) => `${r.business_day}/${r.service_id}=${r.waiting}`).sort(),
      };
    };
    const check = async () => {
      const { tickets, projection } = await truth();
      expect(projection).toEqual(tickets);
    };
    const ss = t.demo.serviceIds.social_security!;
    const manager = await t.as('manager');
    const clerk = await clerkAt(t, 'clerk01', '1');
    const a = await issue(t, 'social_security');
    const b = await issue(t, 'social_security');
    const c = await issue(t, 'tax');
    await issue(t, 'social_security');
    await check();
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200); // a: waiting → called
    await check();
    expectStatus(await clerk.post(windowUrl(t, '1', 'no-show')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'requeue'), { ticketId: a.id }), 200); // back to waiting
    await check();
    expectStatus(await manager.post(hallUrl(t, `/tickets/${b.id}/cancel`)), 200);
    await check();
    expectStatus(await clerk.post(windowUrl(t, '1', 'call'), { ticketId: c.id, reason: '老人优先' }), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'transfer'), { serviceId: ss }), 200); // c joins 社保's queue
    await check();
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'transfer'), { windowId: t.demo.windowIds['2'] }), 200); // sent to one window: not in the count
    await check();
    // The next citizen for 社保 is told how many wait before them, from the count.
    const waiting = await t.db.selectFrom('tickets').select('id').where('service_id', '=', ss).where('status', '=', 'waiting').where('target_window_id', 'is', null).execute();
    // a (requeued) and one of the fourth ticket and c (the other was called and sent to window 2).
    expect(waiting.length).toBe(2);
    const res = expectStatus(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: ss }), 201);
    expect(res.estimate.peopleAhead).toBe(2);
    await check();
    // Day end: yesterday's waiting tickets expire and leave the count.
    t.clock.advance(24 * 60 * MINUTE);
    expect(await expireOpenTickets(t.app.deps, t.demo.hallId)).toBeGreaterThan(0);
    await check();
    expect((await truth()).projection).toEqual([]);
  });
});
