import type { LightMyRequestResponse } from 'fastify';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { HallEvent } from '../../protocol/events.js';
import { Client, clerkAt, expectStatus, hallUrl, MINUTE, type TestHall, windowUrl } from '../helpers.js';
import { closeAfterEach, eachHallOnPort, rawSocket, sessionCookie, waitFor } from './helpers.js';

/**
 * The ticket token on the slip is the citizen's only key (follow, cancel, rate). It may leave the
 * server only in the issue response, to the kiosk or helper that issued it, and to the phone page
 * that holds it. Everything any other principal receives over REST or Socket.IO is searched here.
 */
let t: TestHall;
let base: string;
const track = closeAfterEach();
eachHallOnPort((hall, url) => {
  t = hall;
  base = url;
});

/** Everything one principal was sent: REST bodies and socket payloads. */
class Seen {
  readonly texts: string[] = [];
  add(text: string) {
    this.texts.push(text);
  }
  watch(client: Client, ownIssues?: string[]): Client {
    const request = client.request.bind(client);
    client.request = async (...args: Parameters<Client['request']>): Promise<LightMyRequestResponse> => {
      const res = await request(...args);
      const isIssue = args[0] === 'POST' && /\/tickets$/.test(args[1]) && res.statusCode === 201;
      // The issue response goes to the issuer on purpose: it prints the token on the slip.
      if (isIssue && ownIssues) ownIssues.push(res.json().ticket.token);
      else this.add(res.body);
      return res;
    };
    return client;
  }
  #maxSeq = 0;
  #waiters: { seq: number; resolve: () => void }[] = [];
  socket(s: Socket): Socket {
    s.onAny((name: string, ...args: unknown[]) => {
      this.add(`${name} ${JSON.stringify(args)}`);
      const seq = (args[0] as { seq?: unknown } | undefined)?.seq;
      if (typeof seq === 'number') this.#maxSeq = Math.max(this.#maxSeq, seq);
      for (const w of this.#waiters.filter((x) => x.seq <= this.#maxSeq)) w.resolve();
    });
    return track(s);
  }
  /** Resolves once a socket of this principal has been sent the event `seq` (or its stub). */
  reached(seq: number): Promise<void> {
    if (this.#maxSeq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }
}

describe('the ticket token reaches only its owner', () => {
  it('no other principal sees any token in a busy hall, over REST or sockets', async () => {
    const seen = {
      kiosk: new Seen(), display: new Seen(), evaluator: new Seen(), manager: new Seen(), clerk1: new Seen(),
      clerk2: new Seen(), admin: new Seen(), phone: new Seen(), stranger: new Seen(),
    };
    const kioskIssued: string[] = [];
    const managerIssued: string[] = [];
    const manager = seen.manager.watch(await t.as('manager'), managerIssued);
    const admin = seen.admin.watch(await t.as('admin'));
    const kiosk = seen.kiosk.watch(t.device('kiosk'), kioskIssued);
    const display = seen.display.watch(t.device('display'));
    const evaluatorDevice = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'evaluator', name: '1号评价器', windowId: t.demo.windowIds['1'] }), 201);
    const evaluator = seen.evaluator.watch(new Client(t.app, { token: evaluatorDevice.token }));
    const clerk1 = seen.clerk1.watch(await clerkAt(t, 'clerk01', '1'));
    const clerk2 = seen.clerk2.watch(await clerkAt(t, 'clerk02', '2'));
    const displayToken = t.demo.devices.find((d) => d.kind === 'display')!.token;
    const kioskToken = t.demo.devices.find((d) => d.kind === 'kiosk')!.token;

    const sockets = {
      display: seen.display.socket(rawSocket(base, { auth: { token: displayToken } })),
      kiosk: seen.kiosk.socket(rawSocket(base, { auth: { token: kioskToken } })),
      evaluator: seen.evaluator.socket(rawSocket(base, { auth: { token: evaluatorDevice.token } })),
      manager: seen.manager.socket(rawSocket(base, { cookie: sessionCookie(manager) })),
      clerk1: seen.clerk1.socket(rawSocket(base, { cookie: sessionCookie(clerk1) })),
      clerk2: seen.clerk2.socket(rawSocket(base, { cookie: sessionCookie(clerk2) })),
      admin: seen.admin.socket(rawSocket(base, { cookie: sessionCookie(admin), auth: { hallId: t.demo.hallId } })),
    };
    await Promise.all(Object.values(sockets).map((s) => waitFor(s, 'catchup:completed')));

    const svc = t.demo.serviceIds;
    for (const [i, code] of ['social_security', 'social_security', 'medical_insurance', 'tax', 'social_security', 'household'].entries()) {
      // Some citizens leave a number: their SMS carry their link, which staff must not read.
      expectStatus(await kiosk.post(hallUrl(t, '/tickets'), { serviceId: svc[code], ...(i % 2 === 0 ? { phone: '13812345678' } : {}) }), 201);
    }
    // A booking made on a phone (its code is the citizen's key too), reminded by SMS.
    const booked = expectStatus(await t.app.inject({
      method: 'POST', url: `/api/v1/public/halls/${t.demo.hallId}/appointments`,
      payload: { serviceId: svc.social_security, slotStart: t.clock.now() + 60 * MINUTE, name: '王五', phone: '13700001111' },
    }), 201);
    await t.app.notifier.remind(t.demo.hallId);
    expectStatus(await manager.post(hallUrl(t, '/tickets'), { serviceId: svc.social_security, priorityClass: 'priority', priorityReason: '老年人' }), 201);
    expectStatus(await manager.post(hallUrl(t, '/tickets'), { serviceId: svc.tax }), 201);
    const tokens = [...kioskIssued, ...managerIssued];
    expect(tokens).toHaveLength(8);
    const secrets = [...tokens, booked.code as string];

    // The citizen holding the first kiosk ticket follows it on their phone.
    const phoneToken = kioskIssued[0]!;
    const phone = seen.phone.socket(rawSocket(base, { auth: { ticketToken: phoneToken } }));
    await waitFor(phone, 'catchup:completed');

    // Window 1: call, recall, serve, finish, rated at the evaluator.
    const lastSeq = () => t.published.at(-1)!.seq;
    const first = expectStatus(await clerk1.post(windowUrl(t, '1', 'call-next')), 200).ticket;
    expectStatus(await clerk1.post(windowUrl(t, '1', 'recall')), 200);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'start')), 200);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'finish')), 200);
    expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200);
    expectStatus(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: first.id, level: 'dissatisfied', comment: '等太久' }), 201);
    // Window 1 again: hold and call back, then transfer to tax.
    expectStatus(await clerk1.post(windowUrl(t, '1', 'call-next')), 200);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'start')), 200);
    const held = expectStatus(await clerk1.post(windowUrl(t, '1', 'hold'), { reason: '复印身份证' }), 200).ticket;
    expectStatus(await clerk1.post(windowUrl(t, '1', 'call-back'), { ticketId: held.id }), 200);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'start')), 200);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'transfer'), { serviceId: svc.tax, reason: '先办税' }), 200);
    // Window 2: call, no-show, requeue; call again, serve.
    expectStatus(await clerk2.post(windowUrl(t, '2', 'call-next')), 200);
    expectStatus(await clerk2.post(windowUrl(t, '2', 'no-show')), 200);
    const current = expectStatus(await clerk2.post(windowUrl(t, '2', 'call-next')), 200).ticket;
    expectStatus(await clerk2.post(windowUrl(t, '2', 'start')), 200);
    expectStatus(await clerk2.post(windowUrl(t, '2', 'finish'), { ticketId: current.id }), 200);
    // A citizen rates from the phone, another cancels from theirs (the phone page's own calls).
    const served = await t.db.selectFrom('tickets').select('token').where('id', '=', current.id).executeTakeFirstOrThrow();
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${served.token}/evaluation`, payload: { level: 'very_satisfied' } }), 201);
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${kioskIssued[5]!}/cancel` }), 200);
    const waiting = await t.db.selectFrom('tickets').select('id').where('status', '=', 'waiting').executeTakeFirstOrThrow();
    expectStatus(await manager.post(hallUrl(t, `/tickets/${waiting.id}/cancel`)), 200);
    t.clock.advance(MINUTE);
    await t.app.inject({ method: 'POST', url: hallUrl(t, '/expire') });

    // Everything staff and devices read back.
    for (const client of [manager, admin, clerk1, clerk2]) {
      await t.app.notifier.idle;
      for (const path of ['/queue', '/tickets', `/tickets/${first.id}`, `/tickets/${held.id}`, '/events?after=0', '/evaluations', '/cases', '/stats/live', '/windows', '/services', '/notifications', '/appointments?day=2026-11-25']) {
        await client.get(hallUrl(t, path));
      }
      await client.get('/api/v1/auth/me');
    }
    for (const device of [kiosk, display, evaluator]) {
      await device.get(hallUrl(t, '/queue'));
      await device.get(hallUrl(t, '/events?after=0'));
      await device.get('/api/v1/devices/me');
    }
    await manager.get(hallUrl(t, '/stats.csv?table=services'));
    seen.stranger.watch(new Client(t.app, null));
    await seen.stranger.watch(new Client(t.app, null)).get(hallUrl(t, '/queue'));
    // Gap fetches over the sockets.
    for (const [name, s] of Object.entries(sockets)) {
      const res = await s.emitWithAck('events:fetch', { after: 0 });
      expect(res.ok, name).toBe(true);
      (seen as Record<string, Seen>)[name]!.add(JSON.stringify(res));
    }
    const phoneFetch = await phone.emitWithAck('events:fetch', { after: 0 });
    seen.phone.add(JSON.stringify(phoneFetch));
    // Every live event has arrived before searching.
    await Promise.all(Object.entries(sockets).map(([name]) => (seen as Record<string, Seen>)[name]!.reached(lastSeq())));
    let searched = 0;
    for (const [name, s] of Object.entries(seen)) {
      const text = s.texts.join('\n');
      searched += s.texts.length;
      for (const token of secrets) {
        // The phone page may be sent its own token back; nobody else, any token or booking code at all.
        if (name === 'phone' && token === phoneToken) continue;
        expect(text.includes(token), `${name} saw the token of a ticket or a booking's code`).toBe(false);
      }
    }
    expect(searched).toBeGreaterThan(150);
    // Every event of the scenario matches its type's own payload schema (no token field in any).
    const types = new Set(t.published.map((e) => e.type));
    expect(types.size).toBeGreaterThan(10);
    for (const e of t.published) expect(() => HallEvent.parse(e), `${e.type} #${e.seq}`).not.toThrow();
    // The phone page still follows its own ticket: it received its ticket's events.
    expect(seen.phone.texts.some((x) => x.startsWith('ticket:called') || x.includes('"ticket:called"'))).toBe(true);
  });

  it('a clerk cannot rate as the citizen: nothing they receive carries the token', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const kioskTicket = expectStatus(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.social_security }), 201).ticket;
    const called = expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    expect(called.ticket).not.toHaveProperty('token');
    expect(JSON.stringify(called)).not.toContain(kioskTicket.token);
    const detail = await clerk.get(hallUrl(t, `/tickets/${kioskTicket.id}`));
    expect(detail.body).not.toContain(kioskTicket.token);
  });
});
