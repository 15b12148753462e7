import { describe, expect, it } from 'vitest';
import type { StreamEntry } from '../../protocol/events.js';
import { Client, clerkAt, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl } from '../helpers.js';
import { closeAfterEach, eachHallOnPort, rawSocket, sessionCookie, waitFor } from './helpers.js';

/**
 * REST catch-up (`GET /halls/{id}/events`) and the socket stream apply one visibility rule: each
 * principal reads exactly the entries its socket receives, and another window's 差评 is a seq only.
 */
let t: TestHall;
let base: string;
const track = closeAfterEach();
eachHallOnPort((hall, url) => {
  t = hall;
  base = url;
});

/** Everything a socket of these credentials replays from seq 0, as stream entries. */
async function replayed(auth: { token?: string; cookie?: string }): Promise<StreamEntry[]> {
  const socket = track(rawSocket(base, { auth: { ...(auth.token ? { token: auth.token } : {}), lastSeq: 0 }, cookie: auth.cookie }));
  const entries: StreamEntry[] = [];
  socket.onAny((name: string, payload: any) => {
    if (name === 'event:withheld') entries.push({ withheld: true, ...payload });
    else if (name !== 'catchup:completed' && typeof payload?.seq === 'number') entries.push(payload);
  });
  await waitFor(socket, 'catchup:completed');
  return entries;
}

describe('the event log over REST', () => {
  it('gives every principal exactly what its socket receives, over a busy scenario with a 差评', async () => {
    const manager = await t.as('manager');
    const evaluatorDevice = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'evaluator', name: '1号评价器', windowId: t.demo.windowIds['1'] }), 201);
    const evaluator = new Client(t.app, { token: evaluatorDevice.token });
    const clerk1 = await clerkAt(t, 'clerk01', '1');
    const clerk2 = await clerkAt(t, 'clerk02', '2');
    const helper = await t.as('helper01');
    for (let i = 0; i < 4; i++) await issue(t, 'social_security');
    for (const clerk of [clerk1, clerk2]) {
      expectStatus(await clerk.post(windowUrl(t, clerk === clerk1 ? '1' : '2', 'call-next')), 200);
    }
    const served = expectStatus(await clerk1.post(windowUrl(t, '1', 'start')), 200);
    t.clock.advance(5 * MINUTE);
    expectStatus(await clerk1.post(windowUrl(t, '1', 'finish')), 200);
    expect(expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200).phase).toBe('rating');
    expectStatus(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: served.ticket.id, level: 'very_dissatisfied' }), 201);
    expectStatus(await clerk2.post(windowUrl(t, '2', 'start')), 200);

    const principals: Record<string, { rest: Client; auth: { token?: string; cookie?: string } }> = {
      display: { rest: t.device('display'), auth: { token: t.demo.devices.find((d) => d.kind === 'display')!.token } },
      kiosk: { rest: t.device('kiosk'), auth: { token: t.demo.devices.find((d) => d.kind === 'kiosk')!.token } },
      evaluator: { rest: evaluator, auth: { token: evaluatorDevice.token } },
      clerk1: { rest: clerk1, auth: { cookie: sessionCookie(clerk1) } },
      clerk2: { rest: clerk2, auth: { cookie: sessionCookie(clerk2) } },
      helper: { rest: helper, auth: { cookie: sessionCookie(helper) } },
      manager: { rest: manager, auth: { cookie: sessionCookie(manager) } },
    };
    const byPrincipal: Record<string, StreamEntry[]> = {};
    for (const [name, p] of Object.entries(principals)) {
      const rest = expectStatus(await p.rest.get(hallUrl(t, '/events?after=0&limit=1000')), 200).events as StreamEntry[];
      expect(rest, name).toEqual(await replayed(p.auth));
      byPrincipal[name] = rest;
    }
    const rated = (entries: StreamEntry[]) => entries.filter((e) => 'type' in e && e.type === 'evaluation:recorded');
    // The 差评 is window 1's: its clerk and the manager read it; everyone else gets its seq only.
    expect(rated(byPrincipal.clerk1!)).toHaveLength(1);
    expect(rated(byPrincipal.manager!)).toHaveLength(1);
    for (const other of ['display', 'kiosk', 'evaluator', 'clerk2', 'helper']) {
      expect(rated(byPrincipal[other]!), other).toEqual([]);
      const seqs = byPrincipal[other]!.map((e) => e.seq);
      expect(seqs, `${other} has a gap-free stream`).toEqual(byPrincipal.manager!.map((e) => e.seq));
      expect(JSON.stringify(byPrincipal[other])).not.toContain('very_dissatisfied');
    }
  });
});
