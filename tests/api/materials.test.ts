import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instantOf } from '../../server/domain/calendar.js';
import { buildTestHall, clerkAt, type Client, expectError, expectStatus, hallUrl, issue, type TestHall, windowUrl } from '../helpers.js';

/** 办事指南 · 一次性告知: each service's materials list, shown before the citizen comes and ticked at the window. */
let t: TestHall;
let manager: Client;
beforeEach(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
});
afterEach(async () => t.close());

const serviceUrl = (code: string) => hallUrl(t, `/services/${t.demo.serviceIds[code]}`);
const LIST = ['居民身份证 原件', '户口簿 原件及复印件1份', '近期一寸免冠照片 2张'];
const CONDITIONS = '本人办理；委托办理的，另带授权委托书。';

describe('materials lists (办事指南)', () => {
  it('the manager keeps a service\'s list; the kiosk, the phone page and the booking show it', async () => {
    const changed = expectStatus(await manager.patch(serviceUrl('household'), { materials: LIST, conditions: CONDITIONS }), 200);
    expect(changed).toMatchObject({ materials: LIST, conditions: CONDITIONS });
    // The demo hall comes with lists of its own.
    const services = expectStatus(await manager.get(hallUrl(t, '/services')), 200);
    expect(services.find((s: { code: string }) => s.code === 'real_estate').materials).toContain('不动产权证书 原件');

    // The kiosk has it in the queue snapshot (for the slip), the citizen on the phone page while waiting.
    const snap = expectStatus(await t.device('kiosk').get(hallUrl(t, '/queue')), 200);
    expect(snap.services.find((s: { code: string }) => s.code === 'household').materials).toEqual(LIST);
    const ticket = await issue(t, 'household');
    const phone = expectStatus(await t.app.inject({ url: `/api/v1/public/tickets/${ticket.token}` }), 200);
    expect(phone).toMatchObject({ materials: LIST, conditions: CONDITIONS });

    // Booking: the bookable services and the booking itself.
    expectStatus(await manager.patch(serviceUrl('social_security'), { materials: ['社会保障卡'] }), 200);
    const booking = expectStatus(await t.app.inject({ url: `/api/v1/public/halls/${t.demo.hallId}/booking` }), 200);
    expect(booking.services.find((s: { serviceId: number }) => s.serviceId === t.demo.serviceIds.social_security).materials).toEqual(['社会保障卡']);
    const slotStart = instantOf('2026-11-26', '10:00', 'Asia/Shanghai');
    const booked = expectStatus(await manager.post(hallUrl(t, '/appointments'), {
      serviceId: t.demo.serviceIds.social_security, slotStart, name: '李四', phone: '13900001111', source: 'phone',
    }), 201);
    const byCode = expectStatus(await t.app.inject({ url: `/api/v1/public/appointments/${booked.code}` }), 200);
    expect(byCode).toMatchObject({ materials: ['社会保障卡'], conditions: '' });
  });

  it('refuses a list that does not make sense, naming the line, and changes nothing', async () => {
    const before = expectStatus(await manager.get(hallUrl(t, '/services')), 200).find((s: { code: string }) => s.code === 'household');
    const cases: [unknown, string][] = [
      [{ materials: ['身份证', '身份证'] }, 'body.materials.1'],
      [{ materials: ['x'.repeat(101)] }, 'body.materials.0'],
      [{ materials: Array.from({ length: 41 }, (_, i) => `材料${i}`) }, 'body.materials'],
      [{ materials: ['身份证\u202e原件'] }, 'body.materials.0'],
      [{ materials: [''] }, 'body.materials.0'],
      [{ materials: '身份证' }, 'body.materials'],
      [{ conditions: 'x'.repeat(501) }, 'body.conditions'],
    ];
    for (const [body, field] of cases) {
      const err = expectError(await manager.patch(serviceUrl('household'), body), 400, 'VALIDATION_FAILED');
      expect(err.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expectError(await (await t.as('clerk01')).patch(serviceUrl('household'), { materials: LIST }), 403, 'ROLE_FORBIDDEN');
    const after = expectStatus(await manager.get(hallUrl(t, '/services')), 200).find((s: { code: string }) => s.code === 'household');
    expect(after).toEqual(before);
  });

  it('statistics show per service which materials were missing most often, marking those not on the list', async () => {
    expectStatus(await manager.patch(serviceUrl('household'), { materials: LIST }), 200);
    const clerk = await clerkAt(t, 'clerk01', '1');
    const told = [
      [LIST[0]!, LIST[2]!],
      [LIST[2]!],
      [LIST[2]!, '结婚证 原件'],
    ];
    for (const materials of told) {
      const ticket = await issue(t, 'household');
      expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket.id).toBe(ticket.id);
      expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
      expectStatus(await clerk.post(windowUrl(t, '1', 'finish'), { outcome: 'supplement', materials }), 200);
    }
    const report = expectStatus(await manager.get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(report.missingMaterials).toEqual([{
      serviceId: t.demo.serviceIds.household, serviceLabel: 'F 户籍办理', supplements: 3,
      materials: [
        { material: LIST[2], count: 3, inGuide: true },
        { material: LIST[0], count: 1, inGuide: true },
        { material: '结婚证 原件', count: 1, inGuide: false },
      ],
    }]);
    // Longer than a quarter: left out, as the per-clerk services are.
    expect(expectStatus(await manager.get(hallUrl(t, '/stats?from=2026-01-01&to=2026-11-25')), 200).missingMaterials).toBeNull();
  });
});
