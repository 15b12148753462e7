import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, Client, clerkAt, expectError, expectStatus, hallUrl, issue, type TestHall, windowUrl } from '../helpers.js';

/** 窗口屏: the screen above one window, and the staff photos it publishes (工作人员公示). */
let t: TestHall;
let manager: Client;
beforeEach(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
});
afterEach(async () => t.close());

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND), made here. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 200, 30, 30]))), chunk('IEND', Buffer.alloc(0))]);
}

async function staffId(username: string): Promise<number> {
  return expectStatus(await manager.get(hallUrl(t, '/staff')), 200).find((s: { username: string }) => s.username === username).id;
}

describe('staff photos for the window screens', () => {
  it('are checked by type and size, stored, served with an ETag (304 when unchanged) to the hall\'s window screens and staff, and removable', async () => {
    const id = await staffId('clerk01');
    const url = hallUrl(t, `/staff/${id}/photo`);
    const put = (body: Buffer, type: string) => manager.request('PUT', url, body, { 'content-type': type });
    expect(expectError(await put(Buffer.from('GIF89a……'), 'image/png'), 400, 'PHOTO_TYPE').details.field).toBe('body');
    expectError(await put(png(), 'image/jpeg'), 400, 'PHOTO_TYPE'); // bytes and declared type must agree
    expectError(await put(Buffer.concat([png(), Buffer.alloc(600 * 1024)]), 'image/png'), 400, 'PHOTO_TOO_LARGE');
    expectError(await put(Buffer.alloc(3 * 1024 * 1024), 'image/png'), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await manager.request('PUT', url, '<svg/>', { 'content-type': 'image/svg+xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await (await t.as('clerk01')).request('PUT', url, png(), { 'content-type': 'image/png' }), 403, 'ROLE_FORBIDDEN');
    expect(expectStatus(await manager.get(hallUrl(t, '/staff')), 200).find((s: { id: number }) => s.id === id).hasPhoto).toBe(false);

    expectStatus(await put(png(), 'image/png'), 200);
    expect(expectStatus(await manager.get(hallUrl(t, '/staff')), 200).find((s: { id: number }) => s.id === id).hasPhoto).toBe(true);
    const screen = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'window_screen', name: '1号窗口屏', windowId: t.demo.windowIds['1'] }), 201);
    const device = new Client(t.app, { token: screen.token });
    const got = await device.get(url);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['cache-control']).toBe('private, max-age=60');
    expect(got.rawPayload.equals(png())).toBe(true);
    const again = await device.request('GET', url, undefined, { 'if-none-match': String(got.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    // Not for other devices; not across halls.
    expectError(await t.device('kiosk').get(url), 403, 'DEVICE_FORBIDDEN');
    expectError(await manager.get(hallUrl(t, '/staff/999999/photo')), 404, 'PHOTO_NOT_FOUND');
    const log = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'staff.photo%').execute();
    expect(log.map((l) => l.action)).toEqual(['staff.photo']);

    expectStatus(await manager.request('DELETE', url), 200);
    expectError(await device.get(url), 404, 'PHOTO_NOT_FOUND');
  });
});

describe('the window screen', () => {
  it('shows its window, what it handles, the citizen called or served, its state, and the clerk on duty with 工号, photo and this month\'s 好评率', async () => {
    const screen = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'window_screen', name: '9号窗口屏', windowId: t.demo.windowIds['9'] }), 201);
    const device = new Client(t.app, { token: screen.token });
    const current = async () => expectStatus(await device.get('/api/v1/window-screen/current'), 200);
    expect(await current()).toMatchObject({
      window: { number: '9', kind: 'domain', state: 'closed', services: [{ prefix: 'D', nameZh: '不动产登记' }, { prefix: 'C' }, { prefix: 'G' }].map((x) => expect.objectContaining(x)) },
      current: null, staff: null,
    });
    const id = await staffId('clerk01');
    expectStatus(await manager.patch(hallUrl(t, `/staff/${id}`), { staffNumber: 'SB-0103' }), 200);
    expect(expectError(await manager.patch(hallUrl(t, `/staff/${id}`), { staffNumber: '工号 1' }), 400, 'VALIDATION_FAILED').details[0].field).toBe('body.staffNumber');
    const clerk = await clerkAt(t, 'clerk01', '9');
    expect((await current()).staff).toEqual({ id, name: '张敏', staffNumber: 'SB-0103', hasPhoto: false, goodRate: null, rated: 0 });

    const a = await issue(t, 'real_estate');
    expectStatus(await clerk.post(windowUrl(t, '9', 'call-next')), 200);
    expect((await current()).current).toEqual({ displayNumber: a.displayNumber, status: 'called' });
    expectStatus(await clerk.post(windowUrl(t, '9', 'start')), 200);
    expect((await current()).current).toEqual({ displayNumber: a.displayNumber, status: 'serving' });
    expectStatus(await clerk.post(windowUrl(t, '9', 'finish')), 200);
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${a.token}/evaluation`, payload: { level: 'satisfied' } }), 201);
    const b = await issue(t, 'real_estate');
    for (const x of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(windowUrl(t, '9', x)), 200);
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${b.token}/evaluation`, payload: { level: 'dissatisfied' } }), 201);
    expectStatus(await clerk.post(windowUrl(t, '9', 'pause'), { reason: 'lunch' }), 200);
    expect(await current()).toMatchObject({ window: { state: 'paused', pauseReason: 'lunch' }, current: null, staff: { goodRate: 50, rated: 2 } });
    // Only window screens read it.
    expectError(await t.device('display').get('/api/v1/window-screen/current'), 403, 'DEVICE_FORBIDDEN');
  });
});
