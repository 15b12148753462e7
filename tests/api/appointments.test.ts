import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markMissed } from '../../server/appointments/service.js';
import { instantOf } from '../../server/domain/calendar.js';
import {
  buildTestHall, clerkAt, Client, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl,
} from '../helpers.js';

const at = (day: string, hhmm: string) => instantOf(day, hhmm, 'Asia/Shanghai');
const TODAY = '2026-11-25'; // a Wednesday; the test clock starts at 09:00

let t: TestHall;
let citizen: Client;

function bookUrl(path = '/appointments') {
  return `/api/v1/public/halls/${t.demo.hallId}${path}`;
}
/** The code last sent to a number, as the citizen reads it from the SMS. */
async function codeSentTo(hall: TestHall, phone: string): Promise<string | undefined> {
  const row = await hall.db.selectFrom('notifications').select(['text', 'created_at']).where('kind', '=', 'verification').where('phone', '=', phone)
    .orderBy('id', 'desc').executeTakeFirst();
  return row && row.created_at > hall.clock.now() - 10 * MINUTE ? /验证码是 (\d{6})/.exec(row.text)![1] : undefined;
}
/** Books online as a citizen does where the hall proves numbers by SMS: a code (one per 10 minutes), then the booking. */
async function book(phone: string, slotStart: number, service = 'social_security', name = '王小明') {
  let code = await codeSentTo(t, phone);
  if (!code) {
    expectStatus(await citizen.post(bookUrl('/phone-codes'), { phone }), 202);
    code = await codeSentTo(t, phone);
  }
  return citizen.post(bookUrl(), { serviceId: t.demo.serviceIds[service], slotStart, name, phone, code });
}
async function slots(service = 'social_security') {
  return expectStatus(await citizen.get(bookUrl(`/services/${t.demo.serviceIds[service]}/slots`)), 200).days as
    { day: string; slots: { start: number; end: number; capacity: number; left: number }[] }[];
}
function moveTo(instant: number) {
  t.clock.advance(instant - t.clock.now());
}

describe('预约 appointments', () => {
  beforeEach(async () => {
    // An SMS gateway (here one that is never reached: the outbox keeps the codes) proves numbers.
    t = await buildTestHall({ config: { smsWebhook: { url: 'http://127.0.0.1:9/sms', secret: 'a-secret-of-the-gateway-0123456789' } } });
    citizen = new Client(t.app, null);
  });
  afterEach(async () => t.close());

  it('offers half-hour slots inside the opening hours, from now to the last bookable day; holidays and Sundays have none', async () => {
    const info = expectStatus(await citizen.get(bookUrl('/booking')), 200);
    expect(info.hall.name).toBe('示例区政务服务中心');
    expect(info.services.map((s: { nameZh: string }) => s.nameZh)).toEqual(['社会保险', '不动产登记']);
    expect(expectStatus(await citizen.get('/api/v1/public/halls'), 200)).toEqual([{ id: t.demo.hallId, name: '示例区政务服务中心', timezone: 'Asia/Shanghai' }]);

    // A 法定节假日 on Friday.
    const manager = await t.as('manager');
    expectStatus(await manager.request('PUT', hallUrl(t, '/calendar/2026'), { days: [{ day: '2026-11-27', kind: 'holiday', name: '测试假日' }] }), 200);
    const days = await slots();
    expect(days.map((d) => d.day)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    const today = days[0]!.slots;
    // 09:00 has begun: the first slot left today is 09:30; the last 16:30–17:00.
    expect(today[0]).toEqual({ start: at(TODAY, '09:30'), end: at(TODAY, '10:00'), capacity: 4, left: 4 });
    expect(today.at(-1)!.start).toBe(at(TODAY, '16:30'));
    expect(today).toHaveLength(15);
    expect(days[1]!.slots).toHaveLength(16);
    expect(days[2]!.slots).toEqual([]); // the holiday
    expect(days[3]!.slots.map((s) => s.start)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((h) => at('2026-11-28', h))); // Saturday morning
    expect(days[4]!.slots).toEqual([]); // Sunday
    // 不动产 stops issuing 30 minutes before closing: no slot starts in that half hour.
    expect((await slots('real_estate'))[1]!.slots.at(-1)!.start).toBe(at('2026-11-26', '16:00'));
    expectError(await citizen.get(bookUrl(`/services/${t.demo.serviceIds.tax}/slots`)), 409, 'SERVICE_NOT_BOOKABLE');
    expectError(await citizen.get('/api/v1/public/halls/999/booking'), 404, 'HALL_NOT_FOUND');
  });

  it('books a slot: the code goes to the citizen alone; name and phone are masked to anyone holding the code, in full only to managers', async () => {
    const slot = at('2026-11-26', '10:00');
    const booked = expectStatus(await book('13812345678', slot), 201);
    expect(booked.code).toMatch(/^\d{8}$/);
    expect(booked.appointment).toMatchObject({
      hallName: '示例区政务服务中心', serviceNameZh: '社会保险', day: '2026-11-26', slotStart: slot, slotEnd: slot + 30 * MINUTE,
      name: '王*明', phone: '138****5678', status: 'booked', late: null, ticketNumber: null,
    });
    expect(expectStatus(await citizen.get(`/api/v1/public/appointments/${booked.code}`), 200)).toEqual(booked.appointment);
    expect((await slots())[1]!.slots.find((s) => s.start === slot)!.left).toBe(3);

    const manager = await t.as('manager');
    const [listed] = expectStatus(await manager.get(hallUrl(t, '/appointments?day=2026-11-26')), 200);
    expect(listed).toMatchObject({ name: '王小明', phone: '13812345678', source: 'online', status: 'booked' });
    expect(JSON.stringify(listed)).not.toContain(booked.code);
    expectError(await (await t.as('clerk01')).get(hallUrl(t, '/appointments?day=2026-11-26')), 403, 'ROLE_FORBIDDEN');
    // An operator enters a booking taken by phone (电话预约).
    const byPhone = expectStatus(await manager.post(hallUrl(t, '/appointments'), { serviceId: t.demo.serviceIds.social_security, slotStart: slot, name: '李四', phone: '13900001111', source: 'phone' }), 201);
    expect(byPhone.appointment).toMatchObject({ source: 'phone', phone: '13900001111' });
    expect(byPhone.code).not.toBe(booked.code);

    // Cancelled by the citizen: the place is free again; cancelling twice is no error.
    expect(expectStatus(await citizen.post(`/api/v1/public/appointments/${booked.code}/cancel`), 200).status).toBe('cancelled');
    expect(expectStatus(await citizen.post(`/api/v1/public/appointments/${booked.code}/cancel`), 200).status).toBe('cancelled');
    expect((await slots())[1]!.slots.find((s) => s.start === slot)!.left).toBe(3);
    expect(expectStatus(await manager.post(hallUrl(t, `/appointments/${byPhone.appointment.id}/cancel`)), 200).status).toBe('cancelled');
    expectError(await citizen.get('/api/v1/public/appointments/00000000'), 404, 'APPOINTMENT_NOT_FOUND');
    expectError(await citizen.get('/api/v1/public/appointments/123'), 400, 'VALIDATION_FAILED');
  });

  it('never overbooks a slot, however many citizens book it at once', async () => {
    const slot = at('2026-11-26', '14:00');
    // Twelve citizens, each on their own phone and network.
    const phones = Array.from({ length: 12 }, (_, i) => `1390000${String(1000 + i)}`);
    const codes: string[] = [];
    for (const [i, phone] of phones.entries()) {
      expectStatus(await t.app.inject({ method: 'POST', url: bookUrl('/phone-codes'), payload: { phone }, remoteAddress: `203.0.113.${i + 1}` }), 202);
      codes.push((await codeSentTo(t, phone))!);
    }
    const answers = await Promise.all(phones.map((phone, i) => t.app.inject({
      method: 'POST', url: bookUrl(), remoteAddress: `203.0.113.${i + 1}`,
      payload: { serviceId: t.demo.serviceIds.social_security, slotStart: slot, name: '王小明', phone, code: codes[i] },
    })));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array(4).fill(201), ...Array(8).fill(409)]);
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json().error.code).toBe('SLOT_FULL');
    expect((await slots())[1]!.slots.find((s) => s.start === slot)!.left).toBe(0);
    const rows = await t.db.selectFrom('appointments').select('id').where('slot_start', '=', slot).execute();
    expect(rows).toHaveLength(4);
  });

  it('refuses bad bookings by field: a made-up time, a past slot, too far ahead, a service without booking, a wrong phone', async () => {
    const ss = t.demo.serviceIds.social_security;
    const slotErr = (res: Awaited<ReturnType<typeof book>>) => expect(expectError(res, 400, 'SLOT_NOT_OFFERED').details.field).toBe('body.slotStart');
    slotErr(await book('13812345678', at('2026-11-26', '10:10')));
    slotErr(await book('13812345678', at(TODAY, '09:00'))); // begun already
    slotErr(await book('13812345678', at('2026-12-03', '10:00'))); // 8 days ahead, 7 allowed
    slotErr(await book('13812345678', at('2026-11-29', '10:00'))); // Sunday
    expect(expectError(await book('13812345678', at('2026-11-26', '10:00'), 'tax'), 409, 'SERVICE_NOT_BOOKABLE').details.field).toBe('body.serviceId');
    const bad = expectError(await citizen.post(bookUrl(), { serviceId: ss, slotStart: at('2026-11-26', '10:00'), name: ' ', phone: '12345' }), 400, 'VALIDATION_FAILED');
    expect(bad.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.name', 'body.phone']);
    expectError(await citizen.post(bookUrl(), { serviceId: ss, slotStart: 'tomorrow', name: '王', phone: '13812345678' }), 400, 'VALIDATION_FAILED');
    expect(await t.db.selectFrom('appointments').select('id').execute()).toEqual([]);
  });

  it('limits bookings per phone (upcoming in the hall, and made in a day) and per address', async () => {
    const phone = '13812345678';
    for (const day of ['2026-11-26', '2026-11-27', '2026-11-30']) expectStatus(await book(phone, at(day, '10:00')), 201);
    expectError(await book(phone, at('2026-11-26', '11:00')), 409, 'ALREADY_BOOKED');
    const limit = expectError(await book(phone, at('2026-11-26', '11:00'), 'real_estate'), 409, 'TOO_MANY_BOOKINGS');
    expect(limit.details).toMatchObject({ field: 'body.phone', limit: 3 });
    // Cancelling frees a place in the limit, but not in the day's count of bookings made.
    const { code } = expectStatus(await book('13700000000', at('2026-11-26', '09:00')), 201);
    expectStatus(await citizen.post(`/api/v1/public/appointments/${code}/cancel`), 200);
    for (let i = 0; i < 5; i++) {
      const { code: again } = expectStatus(await book('13700000000', at('2026-11-26', '09:30')), 201);
      expectStatus(await citizen.post(`/api/v1/public/appointments/${again}/cancel`), 200);
    }
    expectError(await book('13700000000', at('2026-11-26', '10:00')), 429, 'BOOKING_RATE_LIMITED');

    // Per address: a few requests a minute from one address, then 429.
    const strict = await buildTestHall({ config: { bookingRequestsPerMinute: 3 } });
    try {
      const url = `/api/v1/public/appointments/00000000`;
      for (let i = 0; i < 3; i++) expectError(await strict.app.inject({ url }), 404, 'APPOINTMENT_NOT_FOUND');
      expectError(await strict.app.inject({ url }), 429, 'RATE_LIMITED');
    } finally {
      await strict.close();
    }
  });

  it('near midnight: no slot crosses 00:00; a slot belongs to the day it starts and checks in on that day', async () => {
    const manager = await t.as('manager');
    // Open Wednesday 08:15 to midnight and Thursday from midnight; no last-issue cut-off.
    expectStatus(await manager.patch(hallUrl(t), { openingHours: [{ weekday: 3, open: '08:15', close: '24:00' }, { weekday: 4, open: '00:00', close: '12:00' }] }), 200);
    expectStatus(await manager.patch(hallUrl(t, `/services/${t.demo.serviceIds.social_security}`), { issueCutoffMinutes: 0 }), 200);
    const days = await slots();
    for (const { day, slots: list } of days) {
      for (const slot of list) {
        expect(slot.start >= at(day, '00:00') && slot.end <= at(day, '24:00'), `${day} ${slot.start}`).toBe(true);
      }
    }
    const wednesday = days.find((d) => d.day === TODAY)!.slots;
    // 08:15 + 30 minutes at a time: 23:15–23:45 is the last that ends by midnight; 23:45–00:15 is not offered.
    expect(wednesday.at(-1)).toMatchObject({ start: at(TODAY, '23:15'), end: at(TODAY, '23:45') });
    expect(days.find((d) => d.day === '2026-11-26')!.slots[0]).toMatchObject({ start: at('2026-11-26', '00:00'), end: at('2026-11-26', '00:30') });

    const late = expectStatus(await book('13812345678', at(TODAY, '23:15')), 201).code;
    const afterMidnight = expectStatus(await book('13912345678', at('2026-11-26', '00:00')), 201).code;
    const kiosk = t.device('kiosk');
    const checkIn = (code: string) => kiosk.post(hallUrl(t, '/appointments/check-in'), { code });
    moveTo(at(TODAY, '23:20'));
    expect(expectStatus(await checkIn(late), 201).ticket).toMatchObject({ businessDay: TODAY, appointmentStart: at(TODAY, '23:00') });
    // Before midnight the 00:00 slot is tomorrow's: a number taken now would belong to today and end with it.
    moveTo(at(TODAY, '23:55'));
    expect(expectError(await checkIn(afterMidnight), 409, 'APPOINTMENT_NOT_TODAY').details).toMatchObject({ day: '2026-11-26' });
    moveTo(at('2026-11-26', '00:00'));
    expect(expectStatus(await checkIn(afterMidnight), 201).ticket).toMatchObject({ businessDay: '2026-11-26' });
  });

  it('check-in at the kiosk: inside the window the citizen is called ahead; late is a normal ticket; each booking checks in once, on its day', async () => {
    const kiosk = t.device('kiosk');
    const checkIn = (code: string) => kiosk.post(hallUrl(t, '/appointments/check-in'), { code });
    const onTime = expectStatus(await book('13812345678', at(TODAY, '10:00')), 201).code;
    const late = expectStatus(await book('13912345678', at(TODAY, '10:30')), 201).code;
    const tomorrow = expectStatus(await book('13712345678', at('2026-11-26', '10:00')), 201).code;

    // Two citizens took numbers before the appointment arrives.
    moveTo(at(TODAY, '09:30'));
    await issue(t, 'social_security');
    await issue(t, 'social_security');
    moveTo(at(TODAY, '09:40'));
    const checked = expectStatus(await checkIn(onTime), 201);
    expect(checked.ticket).toMatchObject({
      displayNumber: 'A003', channel: 'appointment', priorityClass: 'appointment',
      appointmentStart: at(TODAY, '09:45'), appointmentEnd: at(TODAY, '10:15'),
    });
    expect(checked.ticket.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(checked.appointment).toMatchObject({ status: 'checked_in', late: false, ticketNumber: 'A003' });
    expect(expectError(await checkIn(onTime), 409, 'APPOINTMENT_CHECKED_IN').details).toEqual({ ticketNumber: 'A003' });

    // Early (09:40): the appointment waits like everyone else; from 09:45 it is called first.
    const clerk = await clerkAt(t, 'clerk01', '1');
    const call = async () => expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket.displayNumber;
    expect(await call()).toBe('A001');
    expectStatus(await clerk.post(windowUrl(t, '1', 'no-show')), 200);
    moveTo(at(TODAY, '09:50'));
    expect(await call()).toBe('A003');
    expectStatus(await clerk.post(windowUrl(t, '1', 'no-show')), 200);

    // After 10:45 the 10:30 booking is late: a normal ticket, after those already waiting.
    moveTo(at(TODAY, '10:50'));
    const lateTicket = expectStatus(await checkIn(late), 201);
    expect(lateTicket.ticket).toMatchObject({ channel: 'appointment', priorityClass: 'normal', appointmentStart: null });
    expect(lateTicket.appointment.late).toBe(true);
    expect(await call()).toBe('A002');

    expect(expectError(await checkIn(tomorrow), 409, 'APPOINTMENT_NOT_TODAY').details).toEqual({ day: '2026-11-26' });
    expectError(await checkIn('00000000'), 404, 'APPOINTMENT_NOT_FOUND');
    expectError(await checkIn('12ab'), 400, 'VALIDATION_FAILED');
    const cancelled = expectStatus(await book('13612345678', at(TODAY, '16:00')), 201).code;
    expectStatus(await citizen.post(`/api/v1/public/appointments/${cancelled}/cancel`), 200);
    expectError(await checkIn(cancelled), 409, 'APPOINTMENT_CANCELLED');
    expectError(await (await t.as('clerk02')).post(hallUrl(t, '/appointments/check-in'), { code: tomorrow }), 403, 'ROLE_FORBIDDEN');

    // Events tell the hall of the ticket, never the code, the name or the phone.
    const told = JSON.stringify(t.published);
    for (const secret of [onTime, late, '13812345678', '王小明']) expect(told).not.toContain(secret);
  });

  it('a booking never checked in is recorded as missed after its day, and cannot be checked in later', async () => {
    const code = expectStatus(await book('13812345678', at(TODAY, '15:00')), 201).code;
    expectStatus(await book('13912345678', at('2026-11-26', '15:00')), 201);
    moveTo(at('2026-11-26', '09:00'));
    expect(await markMissed(t, t.demo.hallId)).toBe(1);
    expect(expectStatus(await citizen.get(`/api/v1/public/appointments/${code}`), 200).status).toBe('missed');
    expect(expectError(await t.device('kiosk').post(hallUrl(t, '/appointments/check-in'), { code }), 409, 'APPOINTMENT_MISSED').details).toEqual({ day: TODAY });
    expectError(await citizen.post(`/api/v1/public/appointments/${code}/cancel`), 409, 'APPOINTMENT_NOT_CANCELLABLE');
  });

  it('statistics: booked, cancelled, checked in, late and missed per service and day; the share of citizens served by appointment', async () => {
    const kiosk = t.device('kiosk');
    const onTime = expectStatus(await book('13812345678', at(TODAY, '09:30')), 201).code;
    const late = expectStatus(await book('13912345678', at(TODAY, '10:00')), 201).code;
    expectStatus(await book('13712345678', at('2026-11-26', '10:00'), 'real_estate'), 201);
    const dropped = expectStatus(await book('13612345678', at('2026-11-26', '11:00')), 201).code;
    expectStatus(await citizen.post(`/api/v1/public/appointments/${dropped}/cancel`), 200);

    const clerk = await clerkAt(t, 'clerk01', '1');
    const serve = async () => {
      for (const a of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(windowUrl(t, '1', a)), 200);
    };
    moveTo(at(TODAY, '09:20'));
    expectStatus(await kiosk.post(hallUrl(t, '/appointments/check-in'), { code: onTime }), 201);
    await serve();
    await issue(t, 'tax');
    await serve();
    moveTo(at(TODAY, '10:20'));
    expectStatus(await kiosk.post(hallUrl(t, '/appointments/check-in'), { code: late }), 201);

    // Signed in afresh each time: the clock moves by days.
    const stats = async () => expectStatus(await (await t.as('manager')).get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-26')), 200);
    let report = await stats();
    expect(report.appointments.totals).toEqual({ key: 'all', label: '合计', booked: 4, cancelled: 1, checkedIn: 2, late: 1, missed: 0 });
    expect(report.appointments.servedShare).toBe(50);
    expect(report.byChannel.map((r: { label: string; served: number; issued: number }) => [r.label, r.issued, r.served])).toEqual([['取号机', 1, 1], ['预约', 2, 1]]);

    // After its day, the real-estate booking never checked in counts as missed (the sweep need not have run).
    moveTo(at('2026-11-27', '09:00'));
    report = await stats();
    expect(report.appointments.totals).toMatchObject({ booked: 4, missed: 1 });
    expect(report.appointments.byService.map((r: { label: string; booked: number; missed: number }) => [r.label, r.booked, r.missed])).toEqual([['A 社会保险', 3, 0], ['D 不动产登记', 1, 1]]);
    expect(report.appointments.byDay.map((r: { key: string; booked: number }) => [r.key, r.booked])).toEqual([['2026-11-25', 2], ['2026-11-26', 2]]);
    // Closed days are rolled up, and the rollup keeps the channel.
    expect(report.byChannel.find((r: { label: string }) => r.label === '预约').served).toBe(1);
  });
});
