import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { erasePersonalData } from '../../server/privacy/retention.js';
import { toHall } from '../../server/halls/service.js';
import { buildTestHall, clerkAt, expectStatus, hallUrl, MINUTE, type TestHall, windowUrl } from '../helpers.js';

/** 个人信息保护法: names and phone numbers go after the hall's retention period; statistics stay. */
let t: TestHall;
beforeEach(async () => {
  t = await buildTestHall();
});
afterEach(async () => t.close());

const DAY = 86_400_000;

async function erase() {
  const row = await t.db.selectFrom('halls').selectAll().where('id', '=', t.demo.hallId).executeTakeFirstOrThrow();
  return erasePersonalData({ db: t.db, clock: t.clock, bus: t.bus }, toHall(row));
}

describe('personal data retention', () => {
  it('erases names, numbers, reasons and notes after the retention period, and keeps every count', async () => {
    const manager = await t.as('manager');
    expectStatus(await manager.patch(hallUrl(t), { settings: { personalDataRetentionDays: 180 } }), 200);
    const helper = await t.as('helper01');
    const issued = expectStatus(await helper.post(hallUrl(t, '/tickets'), {
      serviceId: t.demo.serviceIds.social_security, priorityClass: 'priority', priorityReason: '孕妇', note: '需要座位', phone: '13812345678',
    }), 201).ticket;
    const slot = Date.UTC(2026, 10, 25, 6, 0);
    expectStatus(await helper.post(hallUrl(t, '/appointments'), { serviceId: t.demo.serviceIds.social_security, slotStart: slot, name: '李秀英', phone: '13912345678', source: 'phone' }), 201);
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
    t.clock.advance(5 * MINUTE);
    expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200);
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${issued.token}/evaluation`, payload: { level: 'dissatisfied', contact: '13712345678' } }), 201);
    await t.app.notifier.idle;
    const statsBefore = expectStatus(await manager.get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);

    // Within the period nothing goes.
    t.clock.advance(179 * DAY);
    expect(Object.values(await erase()).every((n) => n === 0)).toBe(true);
    t.clock.advance(2 * DAY);
    const erased = await erase();
    expect(erased).toMatchObject({ tickets: 1, appointments: 1, evaluations: 1 });
    expect(erased.messages).toBeGreaterThan(0);

    const everything = JSON.stringify([
      await t.db.selectFrom('tickets').selectAll().execute(),
      await t.db.selectFrom('appointments').selectAll().execute(),
      await t.db.selectFrom('notifications').selectAll().execute(),
      await t.db.selectFrom('evaluations').selectAll().execute(),
    ]);
    for (const personal of ['13812345678', '13912345678', '13712345678', '李秀英', '孕妇', '需要座位']) expect(everything).not.toContain(personal);
    // The visit, its rating and every statistic are still there.
    const ticket = await t.db.selectFrom('tickets').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ display_number: issued.displayNumber, status: 'done', priority_class: 'priority' });
    const statsAfter = expectStatus(await (await t.as('manager')).get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(statsAfter.totals).toEqual(statsBefore.totals);
    expect(statsAfter.appointments.totals.booked).toBe(statsBefore.appointments.totals.booked);
    const log = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'personal_data.erased').execute();
    expect(log).toHaveLength(1);
    // Erased once: a second run finds nothing to do.
    expect(Object.values(await erase()).every((n) => n === 0)).toBe(true);
  });
});
