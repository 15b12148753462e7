import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, type Client, clerkAt, expectError, expectStatus, hallUrl, issue, type TestHall, windowUrl } from '../helpers.js';

/** 授权事项: what each clerk may handle, with the window's own services. */
let t: TestHall;
let manager: Client;
beforeEach(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
});
afterEach(async () => t.close());

const idOf = async (username: string): Promise<number> =>
  expectStatus(await manager.get(hallUrl(t, '/staff')), 200).find((s: { username: string }) => s.username === username).id;

describe('授权事项 (staff skills)', () => {
  it('call-next takes what both the window and the clerk may serve; 选叫 and transfers respect it; the counter\'s snapshot and the staff list carry it', async () => {
    const s = t.demo.serviceIds;
    const zhang = await idOf('clerk01');
    const url = hallUrl(t, `/staff/${zhang}/skills`);
    expect(expectStatus(await manager.request('PUT', url, { skills: [{ serviceId: s.tax, level: 'lead' }, { serviceId: s.housing_fund, level: 'assist' }] }), 200))
      .toEqual([{ serviceId: s.housing_fund, level: 'assist' }, { serviceId: s.tax, level: 'lead' }].sort((a, b) => a.serviceId! - b.serviceId!));
    expect(expectStatus(await manager.get(hallUrl(t, '/staff')), 200).find((x: { id: number }) => x.id === zhang).skills).toHaveLength(2);

    const one = await clerkAt(t, 'clerk01', '1');
    const two = await clerkAt(t, 'clerk02', '2');
    const a1 = await issue(t, 'social_security');
    const g1 = await issue(t, 'tax');
    // Window 1 serves everything; its clerk handles tax and 公积金 only: A001 waits for someone else.
    expect(expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200).ticket.displayNumber).toBe(g1.displayNumber);
    const snapshot = expectStatus(await one.get(hallUrl(t, '/queue')), 200);
    expect(snapshot.windows.find((w: { number: string }) => w.number === '1').staffSkills.sort()).toEqual([s.tax, s.housing_fund].sort());
    expect(snapshot.windows.find((w: { number: string }) => w.number === '2').staffSkills).toBeNull();
    for (const x of ['start', 'finish']) expectStatus(await one.post(windowUrl(t, '1', x)), 200);
    expect(expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200).ticket).toBeNull();
    expectError(await one.post(windowUrl(t, '1', 'call'), { ticketId: a1.id, reason: '老人等候较久' }), 409, 'CLERK_NOT_AUTHORIZED');

    // Window 2's clerk may not send a 社保 citizen to window 1, but may send a tax one.
    expect(expectStatus(await two.post(windowUrl(t, '2', 'call-next')), 200).ticket.displayNumber).toBe(a1.displayNumber);
    expectStatus(await two.post(windowUrl(t, '2', 'start')), 200);
    expect(expectError(await two.post(windowUrl(t, '2', 'transfer'), { windowId: t.demo.windowIds['1'] }), 409, 'CLERK_NOT_AUTHORIZED').details.field).toBe('body.windowId');
    expectStatus(await two.post(windowUrl(t, '2', 'transfer'), { serviceId: s.tax, windowId: t.demo.windowIds['1'] }), 200);
    expect(expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200).ticket.displayNumber).toBe(a1.displayNumber);

    // An empty list lifts the restriction.
    for (const x of ['start', 'finish']) expectStatus(await one.post(windowUrl(t, '1', x)), 200);
    const a2 = await issue(t, 'social_security');
    expectStatus(await manager.request('PUT', url, { skills: [] }), 200);
    expect(expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200).ticket.displayNumber).toBe(a2.displayNumber);
  });

  it('are refused for a service of another hall or listed twice, and set only by managers', async () => {
    const zhang = await idOf('clerk01');
    const url = hallUrl(t, `/staff/${zhang}/skills`);
    expect(expectError(await manager.request('PUT', url, { skills: [{ serviceId: 999_999, level: 'lead' }] }), 400, 'SKILL_SERVICE_UNKNOWN').details.field).toBe('body.skills.0.serviceId');
    const s = t.demo.serviceIds;
    expect(expectError(await manager.request('PUT', url, { skills: [{ serviceId: s.tax, level: 'lead' }, { serviceId: s.tax, level: 'assist' }] }), 400, 'VALIDATION_FAILED')
      .details.map((d: { field: string }) => d.field)).toContain('body.skills.1.serviceId');
    expect(expectError(await manager.request('PUT', url, { skills: [{ serviceId: s.tax, level: 'boss' }] }), 400, 'VALIDATION_FAILED').details[0].field).toBe('body.skills.0.level');
    expectError(await (await t.as('clerk01')).request('PUT', url, { skills: [] }), 403, 'ROLE_FORBIDDEN');
    expect(await t.db.selectFrom('staff_skills').selectAll().execute()).toEqual([]);
  });
});
