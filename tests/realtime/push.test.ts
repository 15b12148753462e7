import { describe, expect, it } from 'vitest';
import { clerkAt, expectStatus, hallUrl, issue, type TestHall, windowUrl } from '../helpers.js';
import { closeAfterEach, eachHallOnPort, rawSocket, record, sessionCookie, waitFor } from './helpers.js';
import type { Socket } from 'socket.io-client';

let t: TestHall;
let base: string;
const track = closeAfterEach();
eachHallOnPort((hall, url) => {
  t = hall;
  base = url;
});

const connect = (opts: Parameters<typeof rawSocket>[1]): Socket => track(rawSocket(base, opts));

const displayToken = () => t.demo.devices.find((d) => d.kind === 'display')!.token;

async function connected(s: Socket): Promise<void> {
  await waitFor(s, 'catchup:completed');
}

describe('live push', () => {
  it('a display receives ticket:called right after a call-next over HTTP', async () => {
    const display = connect({ auth: { token: displayToken() } });
    await connected(display);
    const a = await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    const called = waitFor(display, 'ticket:called');
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    const event = await called;
    expect(event).toMatchObject({
      hallId: t.demo.hallId, type: 'ticket:called', windowId: t.demo.windowIds['1'],
      payload: { ticket: { id: a.id, displayNumber: 'A001', status: 'called' }, window: { number: '1' } },
    });
    expect(event.seq).toBe(t.published.at(-1)!.seq);
    // The citizen's token never reaches a display.
    expect(JSON.stringify(event.payload)).not.toContain(a.token);
  });

  it('halls are isolated', async () => {
    const admin = await t.as('admin');
    const other = expectStatus(await admin.post('/api/v1/halls', { name: '另一个大厅' }), 201);
    const device = expectStatus(await admin.post(`/api/v1/halls/${other.id}/devices`, { kind: 'display', name: '屏' }), 201);
    const otherDisplay = connect({ auth: { token: device.token } });
    const seen = record(otherDisplay);
    await connected(otherDisplay);
    await issue(t, 'social_security'); // hall 1
    const mine = waitFor(otherDisplay, 'service:changed');
    expectStatus(await admin.post(`/api/v1/halls/${other.id}/services`, { code: 'x', nameZh: '综合', nameEn: 'General', prefix: 'A', expectedMinutes: 5 }), 201);
    await mine;
    // Hall 1's event was published first; had it been sent here it would have arrived first.
    expect(seen.map((s) => s.name)).toEqual(['catchup:completed', 'service:changed']);
    expect(seen[1]!.payload.hallId).toBe(other.id);
  });

  it('a clerk receives the hall\'s public events and only their own window\'s private ones', async () => {
    const one = await clerkAt(t, 'clerk01', '1');
    const two = await clerkAt(t, 'clerk02', '2');
    const manager = await t.as('manager');
    const oneSocket = connect({ cookie: sessionCookie(one) });
    const twoSocket = connect({ cookie: sessionCookie(two) });
    const managerSocket = connect({ cookie: sessionCookie(manager) });
    const display = connect({ auth: { token: displayToken() } });
    const twoSeen = record(twoSocket);
    await Promise.all([oneSocket, twoSocket, managerSocket, display].map(connected));

    await issue(t, 'social_security');
    await one.post(windowUrl(t, '1', 'call-next'));
    await one.post(windowUrl(t, '1', 'start'));
    const heldAtOne = waitFor(oneSocket, 'ticket:held');
    const heldAtManager = waitFor(managerSocket, 'ticket:held');
    const stubAtTwo = waitFor(twoSocket, 'event:withheld');
    const stubAtDisplay = waitFor(display, 'event:withheld');
    await one.post(windowUrl(t, '1', 'hold'), { reason: '回家取材料' });
    const full = await heldAtOne;
    expect(full.payload.ticket.status).toBe('on_hold');
    expect((await heldAtManager).seq).toBe(full.seq);
    expect(await stubAtTwo).toEqual({ hallId: t.demo.hallId, seq: full.seq, at: full.at });
    expect(await stubAtDisplay).toEqual({ hallId: t.demo.hallId, seq: full.seq, at: full.at });
    expect(twoSeen.some((s) => s.name === 'ticket:held')).toBe(false);
    // Reasons stay in the ticket history for staff; events carry none.
    expect(JSON.stringify(full)).not.toContain('回家取材料');
    // Public events reach window 2's clerk as usual.
    const calledAtTwo = waitFor(twoSocket, 'ticket:called');
    await issue(t, 'tax');
    await one.post(windowUrl(t, '1', 'call-next'));
    expect((await calledAtTwo).payload.window.number).toBe('1');
  });

  it('a connected clerk who takes another window follows it without reconnecting', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const socket = connect({ cookie: sessionCookie(clerk) });
    await connected(socket);
    const seen = record(socket);
    expectStatus(await clerk.post(windowUrl(t, '2', 'sign-in')), 200);
    const other = await clerkAt(t, 'clerk02', '1');
    await issue(t, 'tax');
    await issue(t, 'tax');
    // A hold at window 1 (no longer theirs) is withheld; a hold at window 2 arrives in full.
    await other.post(windowUrl(t, '1', 'call-next'));
    await other.post(windowUrl(t, '1', 'start'));
    const stub = waitFor(socket, 'event:withheld');
    await other.post(windowUrl(t, '1', 'hold'));
    await stub;
    await clerk.post(windowUrl(t, '2', 'call-next'));
    await clerk.post(windowUrl(t, '2', 'start'));
    const held = waitFor(socket, 'ticket:held');
    await clerk.post(windowUrl(t, '2', 'hold'));
    expect((await held).windowId).toBe(t.demo.windowIds['2']);
    expect(seen.filter((s) => s.name === 'ticket:held')).toHaveLength(1);
  });

  it('a phone page receives only its own ticket\'s events', async () => {
    const mine = await issue(t, 'social_security');
    const other = await issue(t, 'social_security');
    const phone = connect({ auth: { ticketToken: mine.token } });
    const seen = record(phone);
    await connected(phone);
    const clerk = await clerkAt(t, 'clerk01', '1');
    await clerk.post(windowUrl(t, '1', 'call'), { ticketId: other.id, reason: 'test' });
    await clerk.post(windowUrl(t, '1', 'no-show'));
    const calledMe = waitFor(phone, 'ticket:called');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    expect((await calledMe).payload.ticket.id).toBe(mine.id);
    expect(seen.filter((s) => s.name.startsWith('ticket:')).map((s) => `${s.name}:${s.payload.payload.ticket.id}`)).toEqual([`ticket:called:${mine.id}`]);
  });
});

describe('refused connections', () => {
  it('without any credential', async () => {
    const s = connect({});
    const err = await waitFor<Error & { data: { code: string } }>(s, 'connect_error');
    expect(err.data.code).toBe('UNAUTHENTICATED');
    expect(s.connected).toBe(false);
  });

  it('with a wrong, revoked or malformed token', async () => {
    const wrong = connect({ auth: { token: 'z'.repeat(43) } });
    expect((await waitFor<any>(wrong, 'connect_error')).data.code).toBe('DEVICE_TOKEN_INVALID');
    const bad = connect({ auth: { lastSeq: 'yesterday' } });
    expect((await waitFor<any>(bad, 'connect_error')).data.code).toBe('INVALID_HANDSHAKE');
    const ticket = connect({ auth: { ticketToken: 'A'.repeat(22) } });
    expect((await waitFor<any>(ticket, 'connect_error')).data.code).toBe('TICKET_NOT_FOUND');
    const manager = await t.as('manager');
    const created = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'display', name: '临时屏' }), 201);
    expectStatus(await manager.post(hallUrl(t, `/devices/${created.device.id}/revoke`)), 200);
    const revoked = connect({ auth: { token: created.token } });
    expect((await waitFor<any>(revoked, 'connect_error')).data.code).toBe('DEVICE_TOKEN_INVALID');
  });

  it('from a foreign Origin, while the server\'s own origin is accepted', async () => {
    const foreign = connect({ auth: { token: displayToken() }, origin: 'http://evil.example' });
    const err = await waitFor<Error>(foreign, 'connect_error');
    expect(err).toBeInstanceOf(Error);
    expect(foreign.connected).toBe(false);
    const own = connect({ auth: { token: displayToken() }, origin: base });
    await connected(own);
    expect(own.connected).toBe(true);
  });

  it('an admin must name the hall; another hall\'s manager cannot follow this one', async () => {
    const admin = await t.as('admin');
    const noHall = connect({ cookie: sessionCookie(admin) });
    expect((await waitFor<any>(noHall, 'connect_error')).data.code).toBe('HALL_REQUIRED');
    const withHall = connect({ cookie: sessionCookie(admin), auth: { hallId: t.demo.hallId } });
    await connected(withHall);
    const manager = await t.as('manager');
    const elsewhere = connect({ cookie: sessionCookie(manager), auth: { hallId: t.demo.hallId + 1 } });
    expect((await waitFor<any>(elsewhere, 'connect_error')).data.code).toBe('HALL_FORBIDDEN');
  });

  it('signing out disconnects the session\'s sockets; revoking a device disconnects it', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const s = connect({ cookie: sessionCookie(clerk) });
    await connected(s);
    const gone = waitFor(s, 'disconnect');
    expectStatus(await clerk.post('/api/v1/auth/logout'), 200);
    expect(await gone).toBe('io server disconnect');

    const manager = await t.as('manager');
    const created = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'kiosk', name: '临时' }), 201);
    const kiosk = connect({ auth: { token: created.token } });
    await connected(kiosk);
    const kioskGone = waitFor(kiosk, 'disconnect');
    await manager.post(hallUrl(t, `/devices/${created.device.id}/revoke`));
    expect(await kioskGone).toBe('io server disconnect');
  });

  it('when the hall starts requiring a second factor, managers without one are disconnected and asked to set it up; clerks stay', async () => {
    const manager = await t.as('manager');
    const clerk = await clerkAt(t, 'clerk01', '1');
    const managerSocket = connect({ cookie: sessionCookie(manager) });
    const clerkSocket = connect({ cookie: sessionCookie(clerk) });
    await Promise.all([connected(managerSocket), connected(clerkSocket)]);
    const gone = waitFor(managerSocket, 'disconnect');
    expectStatus(await manager.patch(hallUrl(t), { settings: { requireTwoFactor: true } }), 200);
    expect(await gone).toBe('io server disconnect');
    const again = connect({ cookie: sessionCookie(manager) });
    expect((await waitFor<any>(again, 'connect_error')).data.code).toBe('TWO_FACTOR_SETUP_REQUIRED');
    // The clerk's connection carries on: the hall's next event reaches it.
    const next = waitFor(clerkSocket, 'ticket:issued');
    await issue(t, 'tax');
    await next;
    expect(clerkSocket.connected).toBe(true);
  });
});
