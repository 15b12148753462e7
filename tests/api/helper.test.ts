import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import {
  buildTestHall, clerkAt, type Client, expectError, expectStatus, hallUrl, type TestHall, windowUrl,
} from '../helpers.js';

let t: TestHall;
let helper: Client;

describe('帮办 helpers', () => {
  beforeEach(async () => {
    t = await buildTestHall();
    // The demo hall has a helper (and so does `npm start`'s).
    helper = await t.as('helper01');
  });
  afterEach(async () => t.close());

  it('issue for a citizen with a 绿色通道 reason and a note the clerk reads; events carry neither', async () => {
    const issued = expectStatus(await helper.post(hallUrl(t, '/tickets'), {
      serviceId: t.demo.serviceIds.social_security, priorityClass: 'priority', priorityReason: '80 岁老人', note: '老人听力不好，请大声叫号并当面核对身份证',
    }), 201);
    expect(issued.ticket).toMatchObject({ channel: 'helper', priorityClass: 'priority', displayNumber: 'A001' });
    expect(issued.ticket.token).toMatch(/^[A-Za-z0-9_-]{22}$/); // for the QR the helper shows or prints

    const clerk = await clerkAt(t, 'clerk01', '1');
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    const detail = expectStatus(await clerk.get(hallUrl(t, `/tickets/${issued.ticket.id}`)), 200);
    expect(detail).toMatchObject({ note: '老人听力不好，请大声叫号并当面核对身份证', priorityReason: '80 岁老人' });
    const told = JSON.stringify(t.published);
    expect(told).not.toContain('听力');
    expect(told).not.toContain('80 岁');

    // A reason goes with the 绿色通道 only; a kiosk vouches for nothing.
    const stray = expectError(await helper.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityReason: '孕妇' }), 400, 'VALIDATION_FAILED');
    expect(stray.details.map((d: { field: string }) => d.field)).toEqual(['body.priorityReason']);
    for (const field of ['note', 'priorityReason']) {
      const body = { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', [field]: '代填' };
      expect(expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), body), 400, 'CHANNEL_NOT_ALLOWED').details.field).toBe(`body.${field}`);
    }

    // Counted apart in statistics.
    const report = expectStatus(await (await t.as('manager')).get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(report.byChannel.map((r: { label: string; issued: number }) => [r.label, r.issued])).toEqual([['帮办代取', 1]]);
  });

  it('books and checks in appointments for citizens, seeing phone numbers masked; calls no one and sees no statistics, ratings or staff', async () => {
    const slot = instantOf('2026-11-25', '10:00', 'Asia/Shanghai');
    const booked = expectStatus(await helper.post(hallUrl(t, '/appointments'), {
      serviceId: t.demo.serviceIds.social_security, slotStart: slot, name: '张阿姨', phone: '13812345678', source: 'onsite',
    }), 201);
    expect(booked.appointment).toMatchObject({ phone: '138****5678', source: 'onsite' });
    const [listed] = expectStatus(await helper.get(hallUrl(t, '/appointments?day=2026-11-25')), 200);
    expect(listed.phone).toBe('138****5678');
    const checked = expectStatus(await helper.post(hallUrl(t, '/appointments/check-in'), { code: booked.code }), 201);
    expect(checked.ticket).toMatchObject({ channel: 'appointment', priorityClass: 'appointment' });
    for (const url of ['/queue', '/services', '']) expectStatus(await helper.get(hallUrl(t, url)), 200);
    expectStatus(await helper.get(hallUrl(t, '/tickets?status=waiting')), 200);

    const forbidden: [string, string][] = [
      ['POST', windowUrl(t, '1', 'sign-in')], ['POST', windowUrl(t, '1', 'call-next')], ['GET', hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')],
      ['GET', hallUrl(t, '/stats/live')], ['GET', hallUrl(t, '/evaluations')], ['GET', hallUrl(t, '/cases')], ['GET', hallUrl(t, '/staff')],
      ['PATCH', hallUrl(t)], ['GET', hallUrl(t, '/devices')], ['GET', hallUrl(t, '/windows')],
    ];
    for (const [method, url] of forbidden) {
      const res = await helper.request(method as 'GET', url, method === 'GET' ? undefined : {});
      expect([res.statusCode, res.json().error?.code], `${method} ${url}`).toEqual([403, 'ROLE_FORBIDDEN']);
    }
  });
});
