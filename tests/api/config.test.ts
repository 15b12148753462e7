import { defaultSmsTemplates } from '../../protocol/notifications.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, type Client, clerkAt, expectError, expectStatus, hallUrl, issue, login, type TestHall, windowUrl, OWN_PASSWORD } from '../helpers.js';

let t: TestHall;
let manager: Client;
beforeEach(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
});
afterEach(async () => t.close());

describe('the demo hall', () => {
  it('is a realistic district centre', async () => {
    const hall = expectStatus(await manager.get(hallUrl(t)), 200);
    expect(hall).toMatchObject({ name: '示例区政务服务中心', timezone: 'Asia/Shanghai', businessDay: '2026-11-25' });
    expect(hall.settings).toEqual({ slaTargetWaitMinutes: 20, staffingGoalPercent: 80, recallLimit: 2, agingMinutes: 30, announcementTemplate: '请{number}号到{window}号窗口办理', announcementRepeat: 2, displayNotice: '', displayNoticeUntil: null,
      verifyWorkingDays: 1, rectifyWorkingDays: 5, evaluationPeriodDays: 7, evaluatorTimeoutSeconds: 90, requireTwoFactor: false, silentCalls: false,
      appointmentEarlyMinutes: 15, appointmentLateMinutes: 15, bookingsPerPhone: 3, smsTemplates: defaultSmsTemplates, smsAheadAt: 3, smsReminderMinutes: 120,
      unverifiedBooking: 'hold_unconfirmed', unconfirmedPerSlot: 1, personalDataRetentionDays: 180, displayZones: [], kioskGreenChannel: 'self', smsNumber: null, onlineQueue: true, onlineGraceMinutes: 15,
    });
    const services = expectStatus(await manager.get(hallUrl(t, '/services')), 200);
    expect(services.map((s: any) => s.prefix)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    const windows = expectStatus(await manager.get(hallUrl(t, '/windows')), 200);
    expect(windows.filter((w: any) => w.kind === 'comprehensive')).toHaveLength(8);
    expect(windows.find((w: any) => w.number === '9')).toMatchObject({ kind: 'domain', tiers: [[t.demo.serviceIds.real_estate], [t.demo.serviceIds.housing_fund, t.demo.serviceIds.tax].sort((a, b) => a! - b!)] });
    expect(windows.filter((w: any) => w.kind === 'special').map((w: any) => w.specialPurpose)).toEqual(['green_channel', 'complaint']);
    const devices = expectStatus(await manager.get(hallUrl(t, '/devices')), 200);
    expect(devices.map((d: any) => d.kind)).toEqual(['kiosk', 'display']);
  });
});

describe('display zones', () => {
  it('name this hall\'s windows and displays in use, each display in one zone; every display hears the change', async () => {
    const devices = expectStatus(await manager.get(hallUrl(t, '/devices')), 200) as { id: number; kind: string }[];
    const display = devices.find((d) => d.kind === 'display')!.id;
    const kiosk = devices.find((d) => d.kind === 'kiosk')!.id;
    const w = (n: string) => t.demo.windowIds[n]!;
    const zones = (displayZones: unknown) => manager.patch(hallUrl(t), { settings: { displayZones } });
    expect(expectError(await zones([{ name: 'A', windowIds: [w('1'), 99999], displayIds: [] }]), 400, 'ZONE_WINDOW_UNKNOWN').details)
      .toEqual({ field: 'body.settings.displayZones.0.windowIds.1' });
    expect(expectError(await zones([{ name: 'A', windowIds: [w('1')], displayIds: [kiosk] }]), 400, 'ZONE_DISPLAY_UNKNOWN').details)
      .toEqual({ field: 'body.settings.displayZones.0.displayIds.0' });
    expect(expectError(await zones([{ name: 'A', windowIds: [w('1')], displayIds: [display] }, { name: 'B', windowIds: [w('2')], displayIds: [display] }]), 400, 'ZONE_DISPLAY_TWICE').details)
      .toEqual({ field: 'body.settings.displayZones.1.displayIds.0' });
    expect(expectError(await zones([{ name: 'A', windowIds: [w('1')], displayIds: [] }, { name: 'A', windowIds: [w('2')], displayIds: [] }]), 400, 'ZONE_NAME_TAKEN').details)
      .toEqual({ field: 'body.settings.displayZones.1.name' });
    expectError(await zones([{ name: 'A', windowIds: [], displayIds: [] }]), 400, 'VALIDATION_FAILED');
    expectError(await zones([{ name: 'A', windowIds: [w('1')], displayIds: [], extra: 1 }]), 400, 'VALIDATION_FAILED');
    // Nothing refused was stored.
    expect(expectStatus(await manager.get(hallUrl(t)), 200).settings.displayZones).toEqual([]);

    const zone = { name: '不动产专区', windowIds: [w('9')], displayIds: [display] };
    expect(expectStatus(await zones([zone]), 200).settings.displayZones).toEqual([zone]);
    const changed = t.published.filter((e) => e.type === 'hall:changed').at(-1)!;
    expect((changed.payload as { hall: { settings: { displayZones: unknown } } }).hall.settings.displayZones).toEqual([zone]);
    // A revoked display cannot be put in a zone.
    expectStatus(await manager.post(hallUrl(t, `/devices/${display}/revoke`)), 200);
    expectError(await zones([zone]), 400, 'ZONE_DISPLAY_UNKNOWN');
  });
});

describe('services', () => {
  it('are created, changed and deactivated; changes reach the event log', async () => {
    const created = expectStatus(await manager.post(hallUrl(t, '/services'), {
      code: 'exit_entry', nameZh: '出入境', nameEn: 'Exit and entry', prefix: 'J', expectedMinutes: 9, dailyQuota: 80,
    }), 201);
    expect(created).toMatchObject({ prefix: 'J', dailyQuota: 80, active: true, sortOrder: 0 });
    const changed = expectStatus(await manager.patch(hallUrl(t, `/services/${created.id}`), { nameEn: 'Exit & entry', dailyQuota: null }), 200);
    expect(changed).toMatchObject({ nameEn: 'Exit & entry', dailyQuota: null, prefix: 'J', active: true });
    const types = t.published.slice(-2).map((e) => e.type);
    expect(types).toEqual(['service:changed', 'service:changed']);
    expectError(await manager.patch(hallUrl(t, `/services/${created.id}`), { prefix: 'A' }), 409, 'PREFIX_TAKEN');
  });
});

describe('windows', () => {
  it('domain and special windows need tiers of this hall\'s services, without repeats', async () => {
    expectError(await manager.post(hallUrl(t, '/windows'), { number: '30', kind: 'domain' }), 400, 'TIERS_REQUIRED');
    expectError(await manager.post(hallUrl(t, '/windows'), { number: '30', kind: 'domain', tiers: [[99999]] }), 400, 'SERVICE_NOT_IN_HALL');
    const tax = t.demo.serviceIds.tax!;
    expectError(await manager.post(hallUrl(t, '/windows'), { number: '30', kind: 'domain', tiers: [[tax], [tax]] }), 400, 'DUPLICATE_TIER_SERVICE');
    expectError(await manager.post(hallUrl(t, '/windows'), { number: '30', kind: 'special', tiers: [[tax]] }), 400, 'SPECIAL_PURPOSE_REQUIRED');
    expectError(await manager.post(hallUrl(t, '/windows'), { number: '30', kind: 'domain', specialPurpose: 'one_thing', tiers: [[tax]] }), 400, 'SPECIAL_PURPOSE_NOT_ALLOWED');
    const w = expectStatus(await manager.post(hallUrl(t, '/windows'), { number: '30', kind: 'special', specialPurpose: 'cross_province', tiers: [[tax]] }), 201);
    expect(w).toMatchObject({ number: '30', kind: 'special', specialPurpose: 'cross_province', tiers: [[tax]], state: 'closed' });
    // Becoming comprehensive drops tiers and purpose.
    const c = expectStatus(await manager.patch(hallUrl(t, `/windows/${w.id}`), { kind: 'comprehensive' }), 200);
    expect(c).toMatchObject({ kind: 'comprehensive', specialPurpose: null, tiers: [] });
  });

  it('retiering changes who a window calls', async () => {
    const estate = await issue(t, 'real_estate');
    const tax = await issue(t, 'tax');
    expectStatus(await manager.patch(windowUrl(t, '9'), { tiers: [[t.demo.serviceIds.tax], [t.demo.serviceIds.real_estate]] }), 200);
    const clerk = await clerkAt(t, 'clerk01', '9');
    expect(expectStatus(await clerk.post(windowUrl(t, '9', 'call-next')), 200).ticket.id).toBe(tax.id);
    expect(estate.status).toBe('waiting');
  });

  it('a window in use cannot be deactivated; an inactive one cannot be taken', async () => {
    await clerkAt(t, 'clerk01', '1');
    expectError(await manager.patch(windowUrl(t, '1'), { active: false }), 409, 'WINDOW_IN_USE');
    expectStatus(await manager.patch(windowUrl(t, '2'), { active: false }), 200);
    const clerk = await t.as('clerk02');
    expectError(await clerk.post(windowUrl(t, '2', 'sign-in')), 409, 'WINDOW_INACTIVE');
  });
});

describe('staff', () => {
  it('a manager creates clerks with a one-time password, renames, disables and re-enables them', async () => {
    const created = expectStatus(await manager.post(hallUrl(t, '/staff'), { username: 'clerk99', displayName: '孙丽', role: 'clerk' }), 201);
    expect(created.staff).toMatchObject({ username: 'clerk99', role: 'clerk', disabled: false, hallId: t.demo.hallId });
    const clerk = await login(t.app, 'clerk99', created.password);
    const listed = expectStatus(await manager.get(hallUrl(t, '/staff')), 200);
    expect(JSON.stringify(listed)).not.toMatch(/password|scrypt/);
    expectStatus(await manager.patch(hallUrl(t, `/staff/${created.staff.id}`), { disabled: true }), 200);
    // Disabling takes effect at once, not at the next sign-in.
    expectError(await clerk.get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
    expectStatus(await manager.patch(hallUrl(t, `/staff/${created.staff.id}`), { disabled: false }), 200);
    // The clerk replaced the one-time password at first sign-in (login() does): the new one works.
    await expect(login(t.app, 'clerk99', OWN_PASSWORD)).resolves.toBeDefined();
    expectError(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk99', password: created.password } }), 401, 'INVALID_CREDENTIALS');
  });

  it('a manager can choose the password, but cannot lock themselves out', async () => {
    const created = expectStatus(await manager.post(hallUrl(t, '/staff'), { username: 'mgr2', displayName: '副主任', role: 'manager', password: 'a-long-passphrase' }), 201);
    expect(created.password).toBe('a-long-passphrase');
    const me = expectStatus(await manager.get('/api/v1/auth/me'), 200);
    expectError(await manager.patch(hallUrl(t, `/staff/${me.staff.id}`), { disabled: true }), 409, 'CANNOT_CHANGE_SELF');
    expectError(await manager.patch(hallUrl(t, `/staff/${me.staff.id}`), { role: 'clerk' }), 409, 'CANNOT_CHANGE_SELF');
  });
});

describe('halls', () => {
  it('settings change partially and are announced', async () => {
    const res = expectStatus(await manager.patch(hallUrl(t), { settings: { slaTargetWaitMinutes: 15 } }), 200);
    expect(res.settings).toMatchObject({ slaTargetWaitMinutes: 15, recallLimit: 2 });
    expect(t.published.at(-1)).toMatchObject({ type: 'hall:changed', hallId: t.demo.hallId });
  });

  it('an admin creates a new hall with defaults', async () => {
    const admin = await t.as('admin');
    const hall = expectStatus(await admin.post('/api/v1/halls', { name: '某社区便民服务站', timezone: 'Asia/Urumqi' }), 201);
    expect(hall).toMatchObject({ name: '某社区便民服务站', timezone: 'Asia/Urumqi', settings: { recallLimit: 2 } });
    expect(expectStatus(await admin.get(`/api/v1/halls/${hall.id}/queue`), 200)).toMatchObject({ services: [], windows: [], lastSeq: 0 });
  });
});
