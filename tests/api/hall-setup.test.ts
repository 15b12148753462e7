import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, type Client, expectError, expectStatus, hallUrl, type TestHall } from '../helpers.js';

/** Setting up a new hall: copied from another, with the district's holidays inherited. */
let t: TestHall;
let admin: Client;
beforeEach(async () => {
  t = await buildTestHall();
  admin = await t.as('admin');
});
afterEach(async () => t.close());

const url = (hallId: number, path = '') => `/api/v1/halls/${hallId}${path}`;

describe('a new hall copied from another', () => {
  it('has the same services, windows with their tiers (on its own services), hours and settings, and nothing of the other hall\'s people or devices', async () => {
    const source = expectStatus(await admin.get(hallUrl(t)), 200);
    const created = expectStatus(await admin.post('/api/v1/halls', {
      name: '东街道便民服务中心', parentId: t.demo.hallId, level: 'street', copyFrom: t.demo.hallId, settings: { recallLimit: 5 },
    }), 201);
    expect(created.openingHours).toEqual(source.openingHours);
    const { displayZones: _z, displayNotice: _n, displayNoticeUntil: _u, recallLimit: _r, ...same } = source.settings;
    expect(created.settings).toMatchObject({ ...same, recallLimit: 5, displayZones: [], displayNotice: '' });

    const [theirs, ours] = await Promise.all([t.demo.hallId, created.id].map(async (id) => expectStatus(await admin.get(url(id, '/services')), 200)));
    const shape = (s: Record<string, unknown>) => { const { id: _, hallId: __, ...rest } = s; return rest; };
    expect(ours.map(shape)).toEqual(theirs.map(shape));
    const codeOf = (list: { id: number; code: string }[]) => (id: number) => list.find((s) => s.id === id)!.code;
    const windows = async (id: number, list: { id: number; code: string }[]) => expectStatus(await admin.get(url(id, '/windows')), 200)
      .map((w: { number: string; kind: string; specialPurpose: string | null; active: boolean; state: string; staffId: number | null; tiers: number[][] }) => ({
        number: w.number, kind: w.kind, specialPurpose: w.specialPurpose, active: w.active, state: w.state, staffId: w.staffId, tiers: w.tiers.map((tier) => tier.map(codeOf(list)).sort()),
      }));
    const copied = await windows(created.id, ours);
    expect(copied).toEqual(await windows(t.demo.hallId, theirs));
    expect(copied.every((w: { state: string; staffId: number | null }) => w.state === 'closed' && w.staffId === null)).toBe(true);
    expect(copied.find((w: { number: string }) => w.number === '9').tiers).toEqual([['real_estate'], ['housing_fund', 'tax']]);
    for (const path of ['/staff', '/devices']) expect(expectStatus(await admin.get(url(created.id, path)), 200)).toEqual([]);

    // It takes numbers from its own counters at once.
    const issued = expectStatus(await admin.post(url(created.id, '/tickets'), { serviceId: ours.find((s: { code: string }) => s.code === 'tax').id }), 201);
    expect(issued.ticket).toMatchObject({ displayNumber: 'G001', hallId: created.id });
  });

  it('refuses an unknown hall to copy, creating nothing; only the admin creates halls', async () => {
    const before = expectStatus(await admin.get('/api/v1/halls'), 200).length;
    const error = expectError(await admin.post('/api/v1/halls', { name: '西街道', parentId: t.demo.hallId, level: 'street', copyFrom: 999_999 }), 400, 'COPY_SOURCE_UNKNOWN');
    expect(error.details.field).toBe('body.copyFrom');
    expect(expectStatus(await admin.get('/api/v1/halls'), 200)).toHaveLength(before);
    expectError(await (await t.as('manager')).post('/api/v1/halls', { name: '西街道', parentId: t.demo.hallId, level: 'street', copyFrom: t.demo.hallId }), 403, 'ROLE_FORBIDDEN');
  });
});

describe('the holiday calendar set at the district', () => {
  it('applies to the halls below at once (their kept configuration too); a hall adds its own days and may open on a district holiday', async () => {
    const street = expectStatus(await admin.post('/api/v1/halls', { name: '东街道便民服务中心', parentId: t.demo.hallId, level: 'street', copyFrom: t.demo.hallId }), 201);
    const community = expectStatus(await admin.post('/api/v1/halls', { name: '幸福社区', parentId: street.id, level: 'community', copyFrom: t.demo.hallId }), 201);
    const taxOf = async (id: number) => expectStatus(await admin.get(url(id, '/services')), 200).find((s: { code: string }) => s.code === 'tax').id;
    const issueAt = async (id: number) => admin.post(url(id, '/tickets'), { serviceId: await taxOf(id) });
    // Numbers are taken in the community hall (its configuration is now kept in memory).
    expectStatus(await issueAt(community.id), 201);

    // The district closes today (2026-11-25) and adds a make-up day: two levels down, the community hall is closed too.
    expectStatus(await admin.request('PUT', url(t.demo.hallId, '/calendar/2026'), {
      days: [{ day: '2026-11-25', kind: 'holiday', name: '测试闭厅' }, { day: '2026-11-28', kind: 'workday', name: '调休', hoursOfWeekday: 3 }],
    }), 200);
    expectError(await issueAt(community.id), 409, 'HALL_CLOSED');
    expectError(await issueAt(street.id), 409, 'HALL_CLOSED');
    expect(t.published.filter((e) => e.type === 'hall:changed').map((e) => e.hallId).slice(-3).sort()).toEqual([t.demo.hallId, street.id, community.id].sort());

    // The street hall lists the district's days as inherited, and adds one of its own.
    expectStatus(await admin.request('PUT', url(street.id, '/calendar/2026'), { days: [{ day: '2026-12-01', kind: 'holiday', name: '街道活动' }] }), 200);
    const streetYear = expectStatus(await admin.get(url(street.id, '/calendar/2026')), 200);
    expect(streetYear.days).toEqual([{ day: '2026-12-01', kind: 'holiday', name: '街道活动', hoursOfWeekday: null }]);
    expect(streetYear.inherited).toEqual([
      { day: '2026-11-25', kind: 'holiday', name: '测试闭厅', hoursOfWeekday: null, hallId: t.demo.hallId, hallName: '示例区政务服务中心' },
      { day: '2026-11-28', kind: 'workday', name: '调休', hoursOfWeekday: 3, hallId: t.demo.hallId, hallName: '示例区政务服务中心' },
    ]);
    const communityYear = expectStatus(await admin.get(url(community.id, '/calendar/2026')), 200);
    expect(communityYear.inherited.map((d: { day: string; hallId: number }) => [d.day, d.hallId])).toEqual([
      ['2026-11-25', t.demo.hallId], ['2026-11-28', t.demo.hallId], ['2026-12-01', street.id],
    ]);

    // The community hall opens on the district's holiday (its own entry wins for that day).
    expectStatus(await admin.request('PUT', url(community.id, '/calendar/2026'), { days: [{ day: '2026-11-25', kind: 'workday', name: '社区值班', hoursOfWeekday: 3 }] }), 200);
    expectStatus(await issueAt(community.id), 201);
    expectError(await issueAt(street.id), 409, 'HALL_CLOSED');
    expect(expectStatus(await admin.get(url(community.id, '/calendar/2026')), 200).inherited.map((d: { day: string }) => d.day)).toEqual(['2026-11-28', '2026-12-01']);

    // Moved under another district, the street hall leaves the old district's holidays behind.
    const other = expectStatus(await admin.post('/api/v1/halls', { name: '另一区政务服务中心', parentId: null, level: 'district' }), 201);
    expectStatus(await admin.patch(url(street.id), { parentId: other.id }), 200);
    expect(expectStatus(await admin.get(url(street.id, '/calendar/2026')), 200).inherited).toEqual([]);
    expectStatus(await issueAt(street.id), 201);
  });
});
