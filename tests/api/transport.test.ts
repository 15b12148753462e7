import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestHall, scratch } from '../helpers.js';

const { keep } = scratch('transport');

describe('HSTS', () => {
  it('is sent over HTTPS (directly or from a trusted proxy) and never over plain HTTP', async () => {
    const t = keep(await buildTestHall({ config: { trustProxy: ['127.0.0.1'] } }));
    const plain = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const page = await t.app.inject({ method: 'GET', url: '/kiosk' });
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const secure = await t.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    // A client that is not the proxy cannot make a plain connection look secure.
    const spoofed = await t.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-forwarded-proto': 'https' }, remoteAddress: '203.0.113.4' });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('shutting down', () => {
  it('a request arriving while the server closes gets the one error shape with a code, and the one in flight finishes', async () => {
    // A sign-in hashed at a high cost (an unknown name costs the configured one) is in flight long
    // enough to close the server under it.
    const t = keep(await buildTestHall({ config: { passwordHashCost: 1 << 16 } }));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as net.AddressInfo;
    const body = JSON.stringify({ username: 'nobody', password: 'some-guess' });
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await expect.poll(() => t.app.hashGate.load.running).toBe(1);
    const closed = t.app.close();
    // The server stops listening once it is closing; the open connection may still send.
    await expect.poll(() => t.app.server.listening).toBe(false);
    socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
    await ended;
    await closed;
    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 401/);
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    const json = JSON.parse(second!.slice(second!.indexOf('\r\n\r\n') + 4));
    expect(json).toMatchObject({ error: { code: 'SHUTTING_DOWN' } });
    expect(typeof json.requestId).toBe('string');
  });
});
