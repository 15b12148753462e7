import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addWorkingDays, type CalendarDay, type Exceptions, instantOf } from '../../server/domain/calendar.js';
import { buildTestHall, type Client, expectError, expectStatus, hallUrl, issue, MINUTE, MORNING, type TestHall } from '../helpers.js';

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
    expect(snap.issuing).toEqual({ open: false, nextOpening: at('2026-11-26', '09:00') });
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
