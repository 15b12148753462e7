import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestHall, clerkAt, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl, openAllDay } from '../helpers.js';

let t: TestHall;
beforeEach(async () => {
  t = await buildTestHall();
});
afterEach(async () => t.close());

async function detail(ticketId: number) {
  const manager = await t.as('manager');
  return expectStatus(await manager.get(hallUrl(t, `/tickets/${ticketId}`)), 200);
}

describe('issuing (取号)', () => {
  it('a kiosk issues sequential numbers per service with prefix and three digits', async () => {
    const a1 = await issue(t, 'social_security');
    const a2 = await issue(t, 'social_security');
    const b1 = await issue(t, 'medical_insurance');
    expect([a1.displayNumber, a2.displayNumber, b1.displayNumber]).toEqual(['A001', 'A002', 'B001']);
    expect(a1).toMatchObject({ status: 'waiting', channel: 'kiosk', priorityClass: 'normal', businessDay: '2026-11-25' });
    expect(a1.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a1.token).not.toBe(a2.token);
  });

  it('answers with the wait estimate: people ahead, serving windows, handling time', async () => {
    await clerkAt(t, 'clerk01', '1');
    await clerkAt(t, 'clerk02', '2');
    await issue(t, 'social_security');
    await issue(t, 'social_security');
    const res = await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.social_security });
    const { estimate } = expectStatus(res, 201);
    // Two ahead, two open comprehensive windows (+0: green channel window is closed), 10 min each:
    // the two free windows take the two ahead, then this citizen waits for the first to finish.
    expect(estimate).toEqual({ peopleAhead: 2, servingWindows: 2, meanHandlingMinutes: 10, estimatedWaitMinutes: 5 });
  });

  it('staff issue as helper (帮办); a kiosk may not claim the helper channel', async () => {
    const manager = await t.as('manager');
    const res = await manager.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, priorityClass: 'priority', priorityReason: '孕妇' });
    expect(expectStatus(res, 201).ticket).toMatchObject({ channel: 'helper', priorityClass: 'priority', displayNumber: 'G001' });
    const bad = await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.tax, channel: 'helper' });
    expect(expectError(bad, 400, 'CHANNEL_NOT_ALLOWED').details).toEqual({ field: 'body.channel' });
  });

  it('the plain issue route refuses appointment tickets: only a check-in makes one', async () => {
    const url = hallUrl(t, '/tickets');
    const slot = { appointmentStart: t.clock.now(), appointmentEnd: t.clock.now() + 30 * MINUTE };
    for (const issuer of [t.device('kiosk'), await t.as('manager')]) {
      const asAppointment = expectError(await issuer.post(url, { serviceId: t.demo.serviceIds.tax, priorityClass: 'appointment', channel: 'appointment', ...slot }), 400, 'VALIDATION_FAILED');
      expect(asAppointment.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['body.priorityClass', 'body.channel', 'body.appointmentStart']));
      expectError(await issuer.post(url, { serviceId: t.demo.serviceIds.tax, priorityClass: 'appointment' }), 400, 'VALIDATION_FAILED');
      expectError(await issuer.post(url, { serviceId: t.demo.serviceIds.tax, ...slot }), 400, 'VALIDATION_FAILED');
    }
    expect(await t.db.selectFrom('tickets').select('id').execute()).toHaveLength(0);
  });

  it('refuses an inactive service and an exhausted daily quota with 409, numbering unharmed', async () => {
    const manager = await t.as('manager');
    const serviceId = t.demo.serviceIds.household!;
    expectStatus(await manager.patch(hallUrl(t, `/services/${serviceId}`), { dailyQuota: 2 }), 200);
    await issue(t, 'household');
    await issue(t, 'household');
    const full = await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId });
    expect(expectError(full, 409, 'QUOTA_EXHAUSTED').details).toEqual({ dailyQuota: 2 });
    // Raising the quota hands out the next number, not a skipped one.
    expectStatus(await manager.patch(hallUrl(t, `/services/${serviceId}`), { dailyQuota: 5 }), 200);
    expect((await issue(t, 'household')).displayNumber).toBe('F003');

    expectStatus(await manager.patch(hallUrl(t, `/services/${serviceId}`), { active: false }), 200);
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId }), 409, 'SERVICE_INACTIVE');
  });

  it('numbers restart each business day in the hall timezone and never repeat within one', async () => {
    await openAllDay(t); // a 24-hour self-service area: numbers at 23:00 and 00:01
    expect((await issue(t, 'tax')).displayNumber).toBe('G001');
    t.clock.advance(14 * 60 * MINUTE); // 23:00 Shanghai, same day
    expect((await issue(t, 'tax')).displayNumber).toBe('G002');
    t.clock.advance(61 * MINUTE); // 00:01 next day
    const next = await issue(t, 'tax');
    expect(next).toMatchObject({ displayNumber: 'G001', businessDay: '2026-11-26' });
  });

  it('records who issued it, where and when', async () => {
    const a = await issue(t, 'social_security');
    const d = await detail(a.id);
    expect(d.transitions).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'waiting', action: 'issue', deviceId: expect.any(Number), staffId: null, at: t.clock.now() }),
    ]);
  });
});

describe('calling and serving', () => {
  it('walks waiting → called → serving → done, recording each step', async () => {
    const a = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    t.clock.advance(3 * MINUTE);
    const called = expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket;
    expect(called).toMatchObject({ id: a.id, status: 'called', windowId: t.demo.windowIds['1'], calledAt: t.clock.now() });
    t.clock.advance(MINUTE);
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'start'), { ticketId: a.id }), 200).ticket.status).toBe('serving');
    t.clock.advance(12 * MINUTE);
    const done = expectStatus(await clerk.post(windowUrl(t, '1', 'finish'), { ticketId: a.id }), 200).ticket;
    expect(done).toMatchObject({ status: 'done', finishedAt: t.clock.now() });

    const d = await detail(a.id);
    expect(d.transitions.map((x: any) => `${x.fromStatus}→${x.toStatus}:${x.action}`)).toEqual([
      'null→waiting:issue', 'waiting→called:call', 'called→serving:start', 'serving→done:finish',
    ]);
    const clerkId = d.transitions[1].staffId;
    expect(clerkId).toEqual(expect.any(Number));
    expect(d.transitions.slice(1).every((x: any) => x.windowId === t.demo.windowIds['1'] && x.staffId === clerkId)).toBe(true);
  });

  it('finishing feeds the service handling-time average used by estimates', async () => {
    await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    await clerk.post(windowUrl(t, '1', 'start'));
    t.clock.advance(20 * MINUTE);
    await clerk.post(windowUrl(t, '1', 'finish'));
    const snap = expectStatus(await clerk.get(hallUrl(t, '/queue')), 200);
    const service = snap.services.find((s: any) => s.code === 'social_security');
    expect(service.estimate.meanHandlingMinutes).toBe(12); // 10 + 0.2 × (20 − 10)
  });

  it('call-next with nobody waiting answers ticket null', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200)).toEqual({ ticket: null });
  });

  it('a window with a citizen cannot call again (double click calls once)', async () => {
    await issue(t, 'social_security');
    await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    const [first, second] = await Promise.all([clerk.post(windowUrl(t, '1', 'call-next')), clerk.post(windowUrl(t, '1', 'call-next'))]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    expectError(first.statusCode === 409 ? first : second, 409, 'WINDOW_BUSY');
  });

  it('refuses illegal transitions with 409 ILLEGAL_TRANSITION', async () => {
    const a = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectError(await clerk.post(windowUrl(t, '1', 'finish')), 409, 'NO_CURRENT_TICKET');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    const err = expectError(await clerk.post(windowUrl(t, '1', 'finish')), 409, 'ILLEGAL_TRANSITION');
    expect(err.details).toEqual({ status: 'called', action: 'finish' });
    expectError(await clerk.post(windowUrl(t, '1', 'hold')), 409, 'ILLEGAL_TRANSITION');
    expectError(await clerk.post(windowUrl(t, '1', 'transfer'), { serviceId: t.demo.serviceIds.tax }), 409, 'ILLEGAL_TRANSITION');
    await clerk.post(windowUrl(t, '1', 'start'));
    expectError(await clerk.post(windowUrl(t, '1', 'recall')), 409, 'ILLEGAL_TRANSITION');
    expectError(await clerk.post(windowUrl(t, '1', 'no-show')), 409, 'ILLEGAL_TRANSITION');
    expectError(await clerk.post(windowUrl(t, '1', 'start')), 409, 'ILLEGAL_TRANSITION');
    expectError(await clerk.post(hallUrl(t, `/tickets/${a.id}/cancel`)), 409, 'ILLEGAL_TRANSITION');
  });

  it('a stale screen acting on a ticket that is no longer current gets TICKET_NOT_CURRENT', async () => {
    const a = await issue(t, 'social_security');
    const b = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    const err = expectError(await clerk.post(windowUrl(t, '1', 'start'), { ticketId: b.id }), 409, 'TICKET_NOT_CURRENT');
    expect(err.details).toEqual({ currentTicketId: a.id });
  });

  it('选叫 calls a particular waiting ticket out of order and records the reason', async () => {
    await issue(t, 'social_security');
    const b = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectError(await clerk.post(windowUrl(t, '1', 'call'), { ticketId: b.id }), 400, 'VALIDATION_FAILED');
    const res = await clerk.post(windowUrl(t, '1', 'call'), { ticketId: b.id, reason: '老人行动不便' });
    expect(expectStatus(res, 200).ticket).toMatchObject({ id: b.id, status: 'called' });
    const d = await detail(b.id);
    expect(d.transitions.at(-1)).toMatchObject({ action: 'call_specific', reason: '老人行动不便' });
  });

  it('选叫 refuses a ticket this window does not serve', async () => {
    const estate = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '9'); // domain window: real estate, then tax + housing fund
    expectError(await clerk.post(windowUrl(t, '9', 'call'), { ticketId: estate.id, reason: 'x' }), 409, 'TICKET_NOT_SERVED_HERE');
    expectError(await clerk.post(windowUrl(t, '9', 'call'), { ticketId: 999999, reason: 'x' }), 404, 'TICKET_NOT_FOUND');
  });
});

describe('recall and no-show (重呼, 过号)', () => {
  it('recalls up to the hall limit, then the next recall marks no-show', async () => {
    const a = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    // Demo hall: recallLimit 2.
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'recall')), 200).ticket).toMatchObject({ status: 'called', recallCount: 1 });
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'recall')), 200).ticket).toMatchObject({ status: 'called', recallCount: 2 });
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'recall')), 200).ticket).toMatchObject({ id: a.id, status: 'no_show' });
    expect((await detail(a.id)).transitions.at(-1)).toMatchObject({ action: 'recall_limit', toStatus: 'no_show' });
    // The window is free again.
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket).toBeNull();
  });

  it('the recall limit comes from hall settings', async () => {
    const manager = await t.as('manager');
    expectStatus(await manager.patch(hallUrl(t), { settings: { recallLimit: 0 } }), 200);
    await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'recall')), 200).ticket.status).toBe('no_show');
  });

  it('a no-show may be requeued once, queueing from now', async () => {
    const a = await issue(t, 'social_security');
    t.clock.advance(MINUTE);
    const b = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'no-show'), { ticketId: a.id }), 200).ticket.status).toBe('no_show');
    t.clock.advance(MINUTE);
    const re = expectStatus(await clerk.post(windowUrl(t, '1', 'requeue'), { ticketId: a.id }), 200).ticket;
    expect(re).toMatchObject({ status: 'waiting', requeueCount: 1, queuedAt: t.clock.now(), issuedAt: a.issuedAt });
    // b has waited longer in the queue now.
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket.id).toBe(b.id);
    await clerk.post(windowUrl(t, '1', 'no-show'));
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket.id).toBe(a.id);
    await clerk.post(windowUrl(t, '1', 'no-show'));
    expectError(await clerk.post(windowUrl(t, '1', 'requeue'), { ticketId: a.id }), 409, 'REQUEUE_LIMIT');
    expectError(await clerk.post(windowUrl(t, '1', 'requeue'), { ticketId: b.id + 1000 }), 404, 'TICKET_NOT_FOUND');
  });

  it('requeue only applies to a no-show', async () => {
    const a = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectError(await clerk.post(windowUrl(t, '1', 'requeue'), { ticketId: a.id }), 409, 'ILLEGAL_TRANSITION');
  });
});

describe('hold and call back (挂起, 回呼)', () => {
  it('frees the window while the citizen fetches a document, then calls them back ahead of the queue', async () => {
    const a = await issue(t, 'social_security');
    const b = await issue(t, 'social_security');
    const c = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    await clerk.post(windowUrl(t, '1', 'start'));
    const held = expectStatus(await clerk.post(windowUrl(t, '1', 'hold'), { reason: '回家取户口本' }), 200).ticket;
    expect(held).toMatchObject({ id: a.id, status: 'on_hold', windowId: t.demo.windowIds['1'] });

    const snap = expectStatus(await clerk.get(hallUrl(t, '/queue')), 200);
    const w1 = snap.windows.find((w: any) => w.number === '1');
    expect(w1.current).toBeNull();
    expect(w1.held.map((h: any) => h.id)).toEqual([a.id]);

    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket.id).toBe(b.id);
    // While b is at the window, a cannot be called back.
    expectError(await clerk.post(windowUrl(t, '1', 'call-back'), { ticketId: a.id }), 409, 'WINDOW_BUSY');
    await clerk.post(windowUrl(t, '1', 'start'));
    await clerk.post(windowUrl(t, '1', 'finish'));
    // c has waited, but the held citizen comes back first.
    const back = expectStatus(await clerk.post(windowUrl(t, '1', 'call-back'), { ticketId: a.id }), 200).ticket;
    expect(back).toMatchObject({ id: a.id, status: 'called' });
    await clerk.post(windowUrl(t, '1', 'start'));
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200).ticket).toMatchObject({ id: a.id, status: 'done' });
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket.id).toBe(c.id);
  });

  it('only the window that held a citizen calls them back', async () => {
    const a = await issue(t, 'social_security');
    const one = await clerkAt(t, 'clerk01', '1');
    const two = await clerkAt(t, 'clerk02', '2');
    await one.post(windowUrl(t, '1', 'call-next'));
    await one.post(windowUrl(t, '1', 'start'));
    await one.post(windowUrl(t, '1', 'hold'));
    expectError(await two.post(windowUrl(t, '2', 'call-back'), { ticketId: a.id }), 409, 'HELD_AT_ANOTHER_WINDOW');
    expectError(await one.post(windowUrl(t, '1', 'call-back'), { ticketId: (await issue(t, 'tax')).id }), 409, 'ILLEGAL_TRANSITION');
  });
});

describe('transfer (转办)', () => {
  it('to another service: keeps number, token and issue time; the history follows the citizen', async () => {
    const a = await issue(t, 'social_security');
    t.clock.advance(10 * MINUTE);
    const later = await issue(t, 'tax');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    await clerk.post(windowUrl(t, '1', 'start'));
    const res = expectStatus(await clerk.post(windowUrl(t, '1', 'transfer'), { serviceId: t.demo.serviceIds.tax, reason: '需先办理税务' }), 200);
    expect(res.ticket).toMatchObject({ id: a.id, status: 'transferred' });
    expect(res.transferredTo).toMatchObject({
      status: 'waiting', serviceId: t.demo.serviceIds.tax, displayNumber: 'A001',
      issuedAt: a.issuedAt, queuedAt: a.issuedAt, parentTicketId: a.id, targetWindowId: null,
    });
    // The new entry keeps the citizen's token (their slip still works), which the clerk never sees.
    expect(JSON.stringify(res)).not.toContain(a.token);
    const entry = await t.db.selectFrom('tickets').select('token').where('id', '=', res.transferredTo.id).executeTakeFirstOrThrow();
    expect(entry.token).toBe(a.token);
    // Window 9 serves tax in tier 2; the transferred citizen (older issue time) goes before the later tax ticket.
    const nine = await clerkAt(t, 'clerk02', '9');
    expect(expectStatus(await nine.post(windowUrl(t, '9', 'call-next')), 200).ticket.id).toBe(res.transferredTo.id);
    expect(later.status).toBe('waiting');
    const d = await detail(res.transferredTo.id);
    expect(d.transitions.map((x: any) => x.action)).toEqual(['issue', 'call', 'start', 'transfer', 'issue', 'call']);
    expect(d.transitions[3].reason).toBe('需先办理税务');
    // The phone page follows the token to the live entry.
    const pub = expectStatus(await clerk.get(`/api/v1/public/tickets/${a.token}`), 200);
    expect(pub).toMatchObject({ displayNumber: 'A001', status: 'called', serviceNameZh: '税务办理', windowNumber: '9' });
    // Transferred again: every event about any entry of the chain names the citizen by the first entry's id.
    await nine.post(windowUrl(t, '9', 'start'));
    const again = expectStatus(await nine.post(windowUrl(t, '9', 'transfer'), { serviceId: t.demo.serviceIds.social_security }), 200);
    expect(again.transferredTo.parentTicketId).toBe(res.transferredTo.id);
    const third = await t.db.selectFrom('tickets').select('token').where('id', '=', again.transferredTo.id).executeTakeFirstOrThrow();
    expect(third.token).toBe(a.token);
    const refs = t.published.filter((e) => e.type === 'ticket:issued' || e.type === 'ticket:called' || e.type === 'ticket:transferred')
      .filter((e) => 'payload' in e && [a.id, res.transferredTo.id, again.transferredTo.id].includes((e.payload as { ticket?: { id: number } }).ticket?.id ?? -1))
      .map((e) => e.ticketRef);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    expect(new Set(refs)).toEqual(new Set([a.id]));
  });

  it('is not called back to the window that sent the citizen away, while another window serves the new service', async () => {
    const a = await issue(t, 'social_security');
    const one = await clerkAt(t, 'clerk01', '1');
    await one.post(windowUrl(t, '1', 'call-next'));
    await one.post(windowUrl(t, '1', 'start'));
    const res = expectStatus(await one.post(windowUrl(t, '1', 'transfer'), { serviceId: t.demo.serviceIds.tax }), 200);
    // Window 1 (comprehensive) serves tax too, but 叫号 there passes A001 over: nobody else waits.
    expect(expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200).ticket).toBeNull();
    const later = await issue(t, 'tax');
    expect(expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200).ticket.id).toBe(later.id);
    // Another window calls the transferred citizen first (older issue time).
    const two = await clerkAt(t, 'clerk02', '2');
    expect(expectStatus(await two.post(windowUrl(t, '2', 'call-next')), 200).ticket.id).toBe(res.transferredTo.id);
    expect(a.id).toBe(res.transferredTo.parentTicketId);
  });

  it('comes back to the sending window when no other window in use serves the new service', async () => {
    const manager = await t.as('manager');
    // Only window 1 stays in use.
    for (const n of Object.keys(t.demo.windowIds)) {
      if (n !== '1') expectStatus(await manager.patch(windowUrl(t, n), { active: false }), 200);
    }
    await issue(t, 'social_security');
    const one = await clerkAt(t, 'clerk01', '1');
    await one.post(windowUrl(t, '1', 'call-next'));
    await one.post(windowUrl(t, '1', 'start'));
    const res = expectStatus(await one.post(windowUrl(t, '1', 'transfer'), { serviceId: t.demo.serviceIds.tax }), 200);
    expect(expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200).ticket.id).toBe(res.transferredTo.id);
  });

  it('to a specific window: only that window calls it, ahead of its own queue', async () => {
    const a = await issue(t, 'social_security');
    await issue(t, 'social_security');
    const one = await clerkAt(t, 'clerk01', '1');
    const two = await clerkAt(t, 'clerk02', '2');
    const three = await clerkAt(t, 'clerk03', '3');
    await one.post(windowUrl(t, '1', 'call-next'));
    await one.post(windowUrl(t, '1', 'start'));
    const res = expectStatus(await one.post(windowUrl(t, '1', 'transfer'), { windowId: t.demo.windowIds['3'] }), 200);
    expect(res.transferredTo).toMatchObject({ targetWindowId: t.demo.windowIds['3'], serviceId: t.demo.serviceIds.social_security });
    const third = await issue(t, 'social_security');
    const callTwo = expectStatus(await two.post(windowUrl(t, '2', 'call-next')), 200).ticket;
    expect(callTwo.id).not.toBe(res.transferredTo.id);
    expect(expectStatus(await three.post(windowUrl(t, '3', 'call-next')), 200).ticket.id).toBe(res.transferredTo.id);
    expect(third.id).toBeGreaterThan(a.id);
  });

  it('refuses a transfer to nowhere new, to itself or to an unknown target', async () => {
    await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    await clerk.post(windowUrl(t, '1', 'start'));
    expectError(await clerk.post(windowUrl(t, '1', 'transfer'), {}), 400, 'VALIDATION_FAILED');
    expectError(await clerk.post(windowUrl(t, '1', 'transfer'), { serviceId: t.demo.serviceIds.social_security }), 409, 'TRANSFER_TO_SAME_SERVICE');
    expectError(await clerk.post(windowUrl(t, '1', 'transfer'), { windowId: t.demo.windowIds['1'] }), 409, 'TRANSFER_TO_SELF');
    expectError(await clerk.post(windowUrl(t, '1', 'transfer'), { serviceId: 424242 }), 404, 'SERVICE_NOT_FOUND');
    expectError(await clerk.post(windowUrl(t, '1', 'transfer'), { windowId: 424242 }), 404, 'WINDOW_NOT_FOUND');
  });
});

describe('cancel', () => {
  it('staff cancel a waiting ticket; the citizen can cancel from the phone page by token', async () => {
    const a = await issue(t, 'social_security');
    const b = await issue(t, 'social_security');
    const manager = await t.as('manager');
    expect(expectStatus(await manager.post(hallUrl(t, `/tickets/${a.id}/cancel`)), 200).status).toBe('cancelled');
    const pub = await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${b.token}/cancel` });
    expect(expectStatus(pub, 200).status).toBe('cancelled');
    expectError(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${b.token}/cancel` }), 409, 'ILLEGAL_TRANSITION');
    const clerk = await clerkAt(t, 'clerk01', '1');
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket).toBeNull();
  });
});

describe('day end', () => {
  it('expires everything still open from an earlier business day, and only that', async () => {
    const waiting = await issue(t, 'social_security');
    const served = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call'), { ticketId: served.id, reason: 'test' });
    await clerk.post(windowUrl(t, '1', 'start'));
    expect(expectStatus(await (await t.as('manager')).post(hallUrl(t, '/expire')), 200)).toEqual({ expired: 0 });
    t.clock.advance(24 * 60 * MINUTE);
    const today = await issue(t, 'social_security');
    const manager = await t.as('manager'); // yesterday's session has expired (12 h)
    expect(expectStatus(await manager.post(hallUrl(t, '/expire')), 200)).toEqual({ expired: 2 });
    expect((await detail(waiting.id)).ticket.status).toBe('expired');
    expect((await detail(served.id)).ticket.status).toBe('expired');
    expect((await detail(today.id)).ticket.status).toBe('waiting');
    expect(expectStatus(await manager.post(hallUrl(t, '/expire')), 200)).toEqual({ expired: 0 });
  });

  it('yesterday\'s waiting tickets are never called today, even before the sweep', async () => {
    await issue(t, 'social_security');
    t.clock.advance(24 * 60 * MINUTE);
    const clerk = await clerkAt(t, 'clerk01', '1');
    expect(expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200).ticket).toBeNull();
  });
});
