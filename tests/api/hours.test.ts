import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addWorkingDays, type CalendarDay, type Exceptions, instantOf } from '../../server/domain/calendar.js';
import { buildTestHall, clerkAt, type Client, expectError, expectStatus, hallUrl, issue, MINUTE, MORNING, type TestHall, windowUrl } from '../helpers.js';

/** The hall's rules as stored are the rules enforced: hours, lunch, 错时/延时, cut-offs, holidays. */
let t: TestHall;
let manager: Client;
beforeEach(async () => {
  t = await buildTestHall(); // Wednesday 2026-11-25 09:00 Shanghai; demo hours Mon–Fri 09–17, Sat 09–12
  manager = await t.as('manager');
});
afterEach(async () => t.close());

const at = (day: string, hhmm: string) => instantOf(day, hhmm, 'Asia/Shanghai');
const goTo = (day: string, hhmm: string) => t.clock.advance(at(day, hhmm) - t.clock.now());
const take = (code = 'social_security', issuer = t.device('kiosk')) => issuer.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds[code] });

async function setHours(hours: { weekday: number; open: string; close: string }[]) {
  expectStatus(await manager.patch(hallUrl(t), { openingHours: hours }), 200);
}

describe('opening hours', () => {
  it('refuses numbers in the evening with HALL_CLOSED naming the next opening, for kiosk and helper alike', async () => {
    goTo('2026-11-25', '20:32');
    for (const issuer of [t.device('kiosk'), manager]) {
      const err = expectError(await take('social_security', issuer), 409, 'HALL_CLOSED');
      expect(err.details).toEqual({ nextOpening: at('2026-11-26', '09:00'), nextOpeningLocal: '2026-11-26 09:00' });
    }
    // The kiosk learns it from the snapshot before anyone taps.
    const snap = expectStatus(await t.device('kiosk').get(hallUrl(t, '/queue')), 200);
    expect(snap.issuing).toEqual({ open: false, nextOpening: at('2026-11-26', '09:00'), duty: null });
    expect(snap.services.every((s: { issuing: boolean }) => !s.issuing)).toBe(true);
    expect(await t.db.selectFrom('tickets').select('id').execute()).toHaveLength(0);
    goTo('2026-11-26', '09:00');
    expect((await issue(t, 'social_security')).displayNumber).toBe('A001');
  });

  it('follows the stored days: hours set to Monday only refuse a Wednesday', async () => {
    await setHours([{ weekday: 1, open: '09:00', close: '17:00' }]);
    const err = expectError(await take(), 409, 'HALL_CLOSED');
    expect(err.details.nextOpeningLocal).toBe('2026-11-30 09:00');
  });

  it('closes over lunch and opens for 错时/延时 hours (a Saturday morning)', async () => {
    await setHours([
      ...[1, 2, 3, 4, 5].flatMap((weekday) => [{ weekday, open: '09:00', close: '12:00' }, { weekday, open: '13:30', close: '17:00' }]),
      { weekday: 6, open: '09:00', close: '12:00' },
    ]);
    goTo('2026-11-25', '12:30');
    expect(expectError(await take(), 409, 'HALL_CLOSED').details.nextOpeningLocal).toBe('2026-11-25 13:30');
    goTo('2026-11-25', '13:30');
    expectStatus(await take(), 201);
    goTo('2026-11-28', '10:00'); // Saturday
    expectStatus(await take(), 201);
    goTo('2026-11-29', '10:00'); // Sunday
    expect(expectError(await take(), 409, 'HALL_CLOSED').details.nextOpeningLocal).toBe('2026-11-30 09:00');
  });

  it('a service with a cut-off stops issuing before closing while the others go on (不动产: 30 min)', async () => {
    goTo('2026-11-25', '16:29');
    expectStatus(await take('real_estate'), 201);
    goTo('2026-11-25', '16:31');
    const err = expectError(await take('real_estate'), 409, 'SERVICE_CLOSED');
    expect(err.details.nextOpeningLocal).toBe('2026-11-26 09:00');
    expectStatus(await take('social_security'), 201);
    const snap = expectStatus(await t.device('kiosk').get(hallUrl(t, '/queue')), 200);
    const byCode = Object.fromEntries(snap.services.map((s: { code: string }) => [s.code, s]));
    expect(byCode.real_estate).toMatchObject({ issuing: false, nextOpening: at('2026-11-26', '09:00') });
    expect(byCode.social_security).toMatchObject({ issuing: true, nextOpening: null });
    // The cut-off is a setting of the service.
    expectStatus(await manager.patch(hallUrl(t, `/services/${t.demo.serviceIds.real_estate}`), { issueCutoffMinutes: 0 }), 200);
    expectStatus(await take('real_estate'), 201);
  });
});

describe('值班窗口 (duty windows: hours of a window beyond the hall\'s)', () => {
  // The hall closes over lunch and on Saturday afternoon; window 9 (不动产 first, then 税务 and 公积金) stays open then.
  const LUNCH_AND_SATURDAY = [
    ...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, open: '12:00', close: '13:30' })),
    { weekday: 6, open: '12:00', close: '17:00' },
  ];
  const window9 = () => hallUrl(t, `/windows/${t.demo.windowIds['9']}`);
  const snapshot = async () => {
    const snap = expectStatus(await t.device('kiosk').get(hallUrl(t, '/queue')), 200);
    return { issuing: snap.issuing, byCode: Object.fromEntries(snap.services.map((s: { code: string }) => [s.code, s])) };
  };
  beforeEach(async () => {
    await setHours([
      ...[1, 2, 3, 4, 5].flatMap((weekday) => [{ weekday, open: '09:00', close: '12:00' }, { weekday, open: '13:30', close: '17:00' }]),
      { weekday: 6, open: '09:00', close: '12:00' },
    ]);
    const changed = expectStatus(await manager.patch(window9(), { dutyHours: LUNCH_AND_SATURDAY }), 200);
    expect(changed.dutyHours).toEqual(LUNCH_AND_SATURDAY);
  });

  it('outside the hall\'s hours only what an open duty window serves takes numbers; the kiosk is told which windows and until when', async () => {
    goTo('2026-11-25', '12:30'); // Wednesday lunch
    const refused = expectError(await take('social_security'), 409, 'NOT_ON_DUTY');
    expect(refused.details).toEqual({ nextOpening: at('2026-11-25', '13:30'), nextOpeningLocal: '2026-11-25 13:30', dutyWindows: '9' });
    expect((await issue(t, 'real_estate')).displayNumber).toBe('D001');
    expect((await issue(t, 'tax')).displayNumber).toBe('G001');
    const lunch = await snapshot();
    expect(lunch.issuing).toEqual({ open: true, nextOpening: null, duty: { windows: ['9'], mainOpening: at('2026-11-25', '13:30') } });
    expect(lunch.byCode.real_estate).toMatchObject({ issuing: true, nextOpening: null });
    expect(lunch.byCode.social_security).toMatchObject({ issuing: false, nextOpening: at('2026-11-25', '13:30') });
    // The clerk on duty calls them as at any time.
    const clerk = await clerkAt(t, 'clerk01', '9');
    expect(expectStatus(await clerk.post(windowUrl(t, '9', 'call-next')), 200).ticket.displayNumber).toBe('D001');
    goTo('2026-11-25', '13:30');
    expect((await snapshot()).issuing).toEqual({ open: true, nextOpening: null, duty: null });
    expectStatus(await take('social_security'), 201);

    // Saturday afternoon: the hall's morning and the duty afternoon are one day, so 不动产's 30-minute cut-off counts from 17:00.
    goTo('2026-11-28', '14:00');
    expect(expectError(await take('social_security'), 409, 'NOT_ON_DUTY').details.nextOpeningLocal).toBe('2026-11-30 09:00');
    expectStatus(await take('housing_fund'), 201);
    goTo('2026-11-28', '16:29');
    expectStatus(await take('real_estate'), 201);
    goTo('2026-11-28', '16:31');
    expectError(await take('real_estate'), 409, 'SERVICE_CLOSED');
    expectStatus(await take('tax'), 201);
    goTo('2026-11-28', '17:00');
    expect(expectError(await take('tax'), 409, 'HALL_CLOSED').details.nextOpeningLocal).toBe('2026-11-30 09:00');
    expect((await snapshot()).issuing).toEqual({ open: false, nextOpening: at('2026-11-30', '09:00'), duty: null });
  });

  it('a public holiday closes the duty windows too; a window out of use keeps no duty; an empty list ends it', async () => {
    expectStatus(await manager.request('PUT', hallUrl(t, '/calendar/2026'), { days: [{ day: '2026-11-28', kind: 'holiday', name: '测试假日' }] }), 200);
    goTo('2026-11-28', '14:00');
    expect(expectError(await take('real_estate'), 409, 'HALL_CLOSED').details.nextOpeningLocal).toBe('2026-11-30 09:00');
    goTo('2026-11-30', '12:10'); // Monday lunch
    expectStatus(await take('real_estate'), 201);
    manager = await t.as('manager'); // days later: signed in again
    expectStatus(await manager.patch(window9(), { active: false }), 200);
    expectError(await take('real_estate'), 409, 'HALL_CLOSED');
    expectStatus(await manager.patch(window9(), { active: true, dutyHours: [] }), 200);
    expect((await snapshot()).issuing.open).toBe(false);
    expectError(await take('real_estate'), 409, 'HALL_CLOSED');
  });

  it('bookings offer the duty hours of the services a duty window serves, and such a booking checks in then', async () => {
    const slotsOf = async (code: string) => (expectStatus(await manager.get(`/api/v1/public/halls/${t.demo.hallId}/services/${t.demo.serviceIds[code]}/slots`), 200).days as
      { day: string; slots: { start: number }[] }[]).find((d) => d.day === '2026-11-26')!.slots.map((s) => s.start);
    const thursday = (hhmm: string) => at('2026-11-26', hhmm);
    expect(await slotsOf('real_estate')).toEqual(expect.arrayContaining([thursday('12:00'), thursday('12:30'), thursday('13:00'), thursday('13:30')]));
    expect(await slotsOf('social_security')).not.toContain(thursday('12:30'));
    expect(await slotsOf('social_security')).toContain(thursday('13:30'));
    const refused = await manager.post(hallUrl(t, '/appointments'), { serviceId: t.demo.serviceIds.social_security, slotStart: thursday('12:30'), name: '李四', phone: '13900001111', source: 'phone' });
    expectError(refused, 400, 'SLOT_NOT_OFFERED');
    const booked = expectStatus(await manager.post(hallUrl(t, '/appointments'), { serviceId: t.demo.serviceIds.real_estate, slotStart: thursday('12:30'), name: '李四', phone: '13900001111', source: 'phone' }), 201);
    goTo('2026-11-26', '12:20');
    const checkedIn = expectStatus(await t.device('kiosk').post(hallUrl(t, '/appointments/check-in'), { code: booked.code }), 201);
    expect(checkedIn.ticket.displayNumber).toBe('D001');
  });

  it('refuses hours that do not make sense, naming the field, and changes nothing', async () => {
    for (const dutyHours of [[{ weekday: 8, open: '12:00', close: '13:00' }], [{ weekday: 1, open: '13:00', close: '12:00' }], [{ weekday: 1, open: '12:00' }], 'lunch']) {
      const err = expectError(await manager.patch(window9(), { dutyHours }), 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(err.details)).toContain('body.dutyHours');
    }
    expectError(await (await t.as('clerk01')).patch(window9(), { dutyHours: [] }), 403, 'ROLE_FORBIDDEN');
    expect(expectStatus(await manager.get(hallUrl(t, '/windows')), 200).find((w: { number: string }) => w.number === '9').dutyHours).toEqual(LUNCH_AND_SATURDAY);
  });
});

describe('the holiday calendar', () => {
  const put = (year: number, days: unknown[], who: Client = manager) => who.request('PUT', hallUrl(t, `/calendar/${year}`), { days });

  it('closes on public holidays and opens on make-up working days with weekday hours', async () => {
    expectStatus(await put(2026, [
      { day: '2026-11-26', kind: 'holiday', name: '测试假日' },
      { day: '2026-11-27', kind: 'holiday', name: '测试假日' },
      { day: '2026-11-29', kind: 'workday', name: '调休上班', hoursOfWeekday: 1 },
    ]), 200);
    const year = expectStatus(await manager.get(hallUrl(t, '/calendar/2026')), 200);
    expect(year.days.map((d: { day: string }) => d.day)).toEqual(['2026-11-26', '2026-11-27', '2026-11-29']);
    goTo('2026-11-25', '18:00');
    // Thursday and Friday off; Saturday's morning hours; then the Sunday make-up day.
    expect(expectError(await take(), 409, 'HALL_CLOSED').details.nextOpeningLocal).toBe('2026-11-28 09:00');
    goTo('2026-11-26', '10:00');
    expectError(await take(), 409, 'HALL_CLOSED');
    goTo('2026-11-28', '12:30');
    expect(expectError(await take(), 409, 'HALL_CLOSED').details.nextOpeningLocal).toBe('2026-11-29 09:00');
    goTo('2026-11-29', '16:00');
    expectStatus(await take(), 201);
  });

  it('an import replaces the year; bad lists and clerks are refused', async () => {
    expectStatus(await put(2026, [{ day: '2026-10-01', kind: 'holiday', name: '国庆节' }]), 200);
    expectStatus(await put(2026, [{ day: '2026-10-02', kind: 'holiday', name: '国庆节' }]), 200);
    expect(expectStatus(await manager.get(hallUrl(t, '/calendar/2026')), 200).days).toEqual([{ day: '2026-10-02', kind: 'holiday', name: '国庆节', hoursOfWeekday: null }]);
    expectError(await put(2026, [{ day: '2027-01-01', kind: 'holiday', name: '元旦' }]), 400, 'VALIDATION_FAILED');
    expectError(await put(2026, [{ day: '2026-02-30', kind: 'holiday', name: 'x' }]), 400, 'VALIDATION_FAILED');
    expectError(await put(2026, [{ day: '2026-05-01', kind: 'holiday', name: 'a' }, { day: '2026-05-01', kind: 'workday', name: 'b' }]), 400, 'VALIDATION_FAILED');
    expectError(await put(2026, [{ day: '2026-05-01', kind: 'vacation', name: 'a' }]), 400, 'VALIDATION_FAILED');
    expectError(await put(1999, []), 400, 'VALIDATION_FAILED');
    expectError(await put(2026, [], await t.as('clerk01')), 403, 'ROLE_FORBIDDEN');
    expect(expectStatus(await manager.get(hallUrl(t, '/calendar/2026')), 200).days).toHaveLength(1);
  });

  it('差评 deadlines count working days: holidays skipped, make-up days counted', () => {
    const tz = 'Asia/Shanghai';
    const wed = at('2026-09-30', '10:00');
    const exceptions: Exceptions = new Map<string, CalendarDay>([
      ...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((d): [string, CalendarDay] => [d, { kind: 'holiday', hoursOfWeekday: null }]),
      ['2026-10-10', { kind: 'workday', hoursOfWeekday: 1 }],
    ]);
    expect(addWorkingDays(wed, 1, tz, exceptions)).toBe(at('2026-10-08', '10:00'));
    expect(addWorkingDays(wed, 3, tz, exceptions)).toBe(at('2026-10-10', '10:00')); // the Saturday make-up day
    expect(addWorkingDays(wed, 1, tz)).toBe(at('2026-10-01', '10:00')); // without the calendar
  });

  it('a 差评 case opened before a holiday is due after it', async () => {
    expectStatus(await put(2026, [{ day: '2026-11-26', kind: 'holiday', name: '测试假日' }]), 200);
    const a = await issue(t, 'social_security');
    const clerk = await t.as('clerk01');
    expectStatus(await clerk.post(hallUrl(t, `/windows/${t.demo.windowIds['1']}/sign-in`)), 200);
    for (const step of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(hallUrl(t, `/windows/${t.demo.windowIds['1']}/${step}`)), 200);
    t.clock.advance(MINUTE);
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${a.token}/evaluation`, payload: { level: 'very_dissatisfied' } }), 201);
    const [c] = expectStatus(await manager.get(hallUrl(t, '/cases')), 200);
    // Wednesday + 1 working day, Thursday off: Friday.
    expect(c.verifyDueAt).toBe(MORNING + MINUTE + 2 * 86_400_000);
  });
});
