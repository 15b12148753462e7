import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, clerkAt, expectError, expectStatus, hallUrl, MINUTE, type TestHall, windowUrl } from '../helpers.js';

/** What a dishonest or curious insider (another clerk, a helper, a device) may not read or do. */
let t: TestHall;
beforeEach(async () => {
  t = await buildTestHall();
});
afterEach(async () => t.close());

describe('a ticket\'s personal details', () => {
  it('reach managers and the clerk who serves it; other clerks and helpers see the ticket without them', async () => {
    const helper = await t.as('helper01');
    const issued = expectStatus(await helper.post(hallUrl(t, '/tickets'), {
      serviceId: t.demo.serviceIds.social_security, priorityClass: 'priority', priorityReason: '残疾人', note: '轮椅，请到低位窗口',
    }), 201);
    const url = hallUrl(t, `/tickets/${issued.ticket.id}`);
    const clerk1 = await clerkAt(t, 'clerk01', '1');
    const clerk2 = await clerkAt(t, 'clerk02', '2');
    const manager = await t.as('manager');
    const hidden = { note: null, priorityReason: null, outcome: null, personalDetails: false };
    const shown = { note: '轮椅，请到低位窗口', priorityReason: '残疾人', personalDetails: true };

    // Waiting: no clerk serves it yet.
    expect(expectStatus(await clerk1.get(url), 200)).toMatchObject(hidden);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'call-next')), 200);
    expect(expectStatus(await clerk1.get(url), 200)).toMatchObject(shown);
    expect(expectStatus(await manager.get(url), 200)).toMatchObject(shown);
    for (const other of [clerk2, helper]) expect(expectStatus(await other.get(url), 200)).toMatchObject(hidden);

    expectStatus(await clerk1.post(windowUrl(t, '1', 'start')), 200);
    t.clock.advance(5 * MINUTE);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'finish'), { outcome: 'supplement', materials: ['户口簿原件'] }), 200);
    // Finished: the clerk who served it still reads what they told the citizen; the others do not.
    expect(expectStatus(await clerk1.get(url), 200)).toMatchObject({ ...shown, outcome: { outcome: 'supplement', materials: ['户口簿原件'] } });
    for (const other of [clerk2, helper]) {
      const seen = expectStatus(await other.get(url), 200);
      expect(seen).toMatchObject(hidden);
      expect(JSON.stringify(seen)).not.toMatch(/户口簿|残疾人|轮椅/);
    }
    expect(expectStatus(await manager.get(url), 200).outcome.materials).toEqual(['户口簿原件']);
    expectError(await t.device('kiosk').get(url), 403, 'DEVICE_FORBIDDEN');
  });
});

describe('free text that can only mislead', () => {
  it('control characters, line breaks in a name and text-direction marks are refused by field', async () => {
    const helper = await t.as('helper01');
    const slot = Date.UTC(2026, 10, 25, 2, 0); // 10:00 Shanghai, today
    for (const name of ['王小明\n管理员已核验', '王小明\u0000', '王\u0007小明', '\u202e明小王', '王小明\u2066x\u2069']) {
      const error = expectError(await helper.post(hallUrl(t, '/appointments'), {
        serviceId: t.demo.serviceIds.social_security, slotStart: slot, name, phone: '13812345678', source: 'phone',
      }), 400, 'VALIDATION_FAILED');
      expect(error.details.map((d: { field: string }) => d.field)).toEqual(['body.name']);
    }
    const note = expectError(await helper.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, note: '请优先\u202e办理' }), 400, 'VALIDATION_FAILED');
    expect(note.details[0].field).toBe('body.note');
    // A plain name with an interpunct or a Latin letter is fine.
    expectStatus(await helper.post(hallUrl(t, '/appointments'), {
      serviceId: t.demo.serviceIds.social_security, slotStart: slot, name: '阿依古丽·买买提', phone: '13812345678', source: 'phone',
    }), 201);
  });

  it('templates and notices: one line, and a bounded length once filled in', async () => {
    const manager = await t.as('manager');
    const refused = async (settings: Record<string, unknown>, field: string) => {
      const error = expectError(await manager.patch(hallUrl(t), { settings }), 400, 'VALIDATION_FAILED');
      expect(error.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await refused({ announcementTemplate: '请{number}号'.repeat(12) }, 'body.settings.announcementTemplate');
    await refused({ displayNotice: '今日停电\n请到二楼' }, 'body.settings.displayNotice');
    await refused({ smsTemplates: { issued: '{hall}{service}{link}'.repeat(4) } }, 'body.settings.smsTemplates.issued');
    expectStatus(await manager.patch(hallUrl(t), { settings: { displayNotice: '今日 12:00–13:30 午间照常办理', announcementTemplate: '请{number}号到{window}号窗口' } }), 200);
  });
});

describe('the 绿色通道', () => {
  it('is granted by a helper or manager with a reason, recorded with who granted it; clerks issue no numbers', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    // A clerk cannot hand out a number and call it first (关系号), with or without a reason.
    expectError(await clerk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority' }), 403, 'ROLE_FORBIDDEN');
    expectError(await clerk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityReason: '老年人' }), 403, 'ROLE_FORBIDDEN');
    const helper = await t.as('helper01');
    const noReason = expectError(await helper.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority' }), 400, 'PRIORITY_REASON_REQUIRED');
    expect(noReason.details.field).toBe('body.priorityReason');
    expectStatus(await helper.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityReason: '老年人' }), 201);
    const manager = await t.as('manager');
    expectStatus(await manager.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityReason: '军人' }), 201);
    // The kiosk's 绿色通道 is the citizen's own choice of who it is for: recorded, granted by nobody.
    const kiosk = t.device('kiosk');
    const noCategory = expectError(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority' }), 400, 'PRIORITY_CATEGORY_REQUIRED');
    expect(noCategory.details.field).toBe('body.priorityCategory');
    expectError(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityCategory: 'vip' }), 400, 'VALIDATION_FAILED');
    expectError(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityCategory: 'elderly' }), 400, 'VALIDATION_FAILED');
    const fromKiosk = expectStatus(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityCategory: 'pregnant' }), 201);
    // The clerk who calls it sees who it is for.
    expectStatus(await clerk.post(windowUrl(t, '1', 'call'), { ticketId: fromKiosk.ticket.id, reason: '孕妇优先' }), 200);
    expect(expectStatus(await clerk.get(hallUrl(t, `/tickets/${fromKiosk.ticket.id}`)), 200).priorityReason).toBe('孕妇');
    // A hall where priority is confirmed at the 导办台: the kiosk sends the citizen there.
    expectStatus(await manager.patch(hallUrl(t), { settings: { kioskGreenChannel: 'helper' } }), 200);
    expectError(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityCategory: 'elderly' }), 403, 'PRIORITY_AT_HELPER_DESK');
    expectStatus(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax }), 201);
    expectStatus(await helper.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityCategory: 'elderly' }), 201);
    const rows = await t.db.selectFrom('tickets').select(['channel', 'priority_granted_by']).orderBy('id').execute();
    const ids = Object.fromEntries((await t.db.selectFrom('staff').select(['id', 'username']).execute()).map((s) => [s.username, s.id]));
    expect(rows).toEqual([
      { channel: 'helper', priority_granted_by: ids.helper01 }, { channel: 'helper', priority_granted_by: ids.manager }, { channel: 'kiosk', priority_granted_by: null },
      { channel: 'kiosk', priority_granted_by: null }, { channel: 'helper', priority_granted_by: ids.helper01 },
    ]);
    const reasons = await t.db.selectFrom('tickets').select(['priority_class', 'priority_reason']).orderBy('id').execute();
    expect(reasons.slice(2)).toEqual([
      { priority_class: 'priority', priority_reason: '孕妇' }, { priority_class: 'normal', priority_reason: null }, { priority_class: 'priority', priority_reason: '老年人' },
    ]);
    const report = expectStatus(await manager.get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(report.priorityGrants).toEqual(expect.arrayContaining([
      { grantedBy: ids.helper01, label: '刘导办', channel: 'helper', issued: 2 },
      { grantedBy: null, label: '取号机（群众自选）', channel: 'kiosk', issued: 1 },
    ]));
    expect(report.priorityGrants).toHaveLength(3);
  });
});

describe('check-in code budgets', () => {
  it('are per kiosk and per staff member: guessing at a kiosk does not stop the helper desk on the same LAN', async () => {
    const strict = await buildTestHall({ config: { bookingRequestsPerMinute: 5 } });
    try {
      const url = hallUrl(strict, '/appointments/check-in');
      const kiosk = strict.device('kiosk');
      for (let i = 0; i < 5; i++) expectError(await kiosk.post(url, { code: `1000000${i}` }), 404, 'APPOINTMENT_NOT_FOUND');
      expectError(await kiosk.post(url, { code: '10000009' }), 429, 'RATE_LIMITED');
      // Same address (127.0.0.1), another caller: its own budget.
      const helper = await strict.as('helper01');
      expectError(await helper.post(url, { code: '20000000' }), 404, 'APPOINTMENT_NOT_FOUND');
    } finally {
      await strict.close();
    }
  });
});
