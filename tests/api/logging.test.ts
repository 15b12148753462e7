import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHall, clerkAt, expectStatus, issue, type TestHall, windowUrl } from '../helpers.js';

/**
 * Logs are pino JSON with request ids, and never carry a password, a session or device secret,
 * a ticket token (the phone page's only key) or a citizen's phone number.
 */
describe('logs', () => {
  const lines: string[] = [];
  let t: TestHall;
  let secrets: string[];

  beforeAll(async () => {
    t = await buildTestHall({ config: { logLevel: 'info' }, logStream: { write: (line) => void lines.push(line) } });
    const clerk = await clerkAt(t, 'clerk01', '1');
    const ticket = await issue(t, 'social_security');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    await clerk.post(windowUrl(t, '1', 'start'));
    await clerk.post(windowUrl(t, '1', 'finish'));
    await t.app.inject({ method: 'GET', url: `/api/v1/public/tickets/${ticket.token}` });
    expectStatus(await t.app.inject({
      method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload: { level: 'dissatisfied', contact: '13812345678' },
    }), 201);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk02', password: 'a-wrong-password' } });
    // A check-in code looked up (and one that does not exist) is a booking's key: never logged.
    await t.app.inject({ method: 'GET', url: '/api/v1/public/appointments/93998403' });
    await t.app.inject({ method: 'POST', url: '/api/v1/public/appointments/93998403/cancel' });
    const auth = clerk.auth as { cookie: string; csrf: string };
    secrets = [
      t.demo.credentials.find((c) => c.username === 'clerk01')!.password, 'a-wrong-password', auth.cookie, auth.csrf,
      t.demo.devices[0]!.token, ticket.token, '13812345678', '93998403',
    ];
  });
  afterAll(async () => t.close());

  it('are JSON lines with request ids', () => {
    const requests = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { url: string } }).filter((l) => l.req);
    expect(requests.length).toBeGreaterThan(8);
    expect(requests.every((l) => typeof l.reqId === 'string' && l.reqId.length > 0)).toBe(true);
    expect(requests.some((l) => l.req!.url.includes('/public/tickets/[token]'))).toBe(true);
  });

  it('carry no password, secret, ticket token or phone number', () => {
    const all = lines.join('\n');
    for (const secret of secrets) expect(all.includes(secret), `log contains ${secret.slice(0, 4)}…`).toBe(false);
  });
});
