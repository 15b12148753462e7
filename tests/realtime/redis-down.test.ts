import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect.js';
import { buildTestHall, clerkAt, expectStatus, hallUrl, type TestHall } from '../helpers.js';
import { listen, rawSocket, waitFor } from './helpers.js';

let t: TestHall | undefined;
afterEach(async () => t?.close());

describe('Redis unreachable', () => {
  it('the process keeps serving: numbers are issued, its own displays still hear every call, rate limits do not refuse', async () => {
    // Nothing listens on port 1: every Redis command fails, and the client keeps reconnecting.
    t = await buildTestHall({ db: openDatabase(':memory:'), config: { redis: { url: 'redis://127.0.0.1:1', prefix: 'test:down' } } });
    const base = await listen(t);
    const display = rawSocket(base, { auth: { token: t.demo.devices.find((d) => d.kind === 'display')!.token } });
    await waitFor(display, 'catchup:completed');
    const heard = waitFor<{ payload: { ticket: { displayNumber: string } } }>(display, 'ticket:issued');
    const issued = expectStatus(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.social_security }), 201);
    expect((await heard).payload.ticket.displayNumber).toBe(issued.ticket.displayNumber);
    // A clerk taking a window is told to the other processes too: that message is lost, quietly.
    await clerkAt(t, 'clerk01', '1');
    const health = expectStatus(await t.app.inject({ method: 'GET', url: '/api/v1/health' }), 200);
    expect(health.processes).toBe(1);
    display.close();
  });
});
