import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHall, Client, clerkAt, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl } from '../helpers.js';

/** A window's keypad (呼叫器) and LED strips: the contracts a vendor's gateway speaks. */
let t: TestHall;
let manager: Client;
beforeEach(async () => {
  t = await buildTestHall();
  manager = await t.as('manager');
});
afterEach(async () => t.close());

async function device(kind: string, windowNumber: string | null, name = `${kind}-${windowNumber ?? 'hall'}`) {
  const created = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind, name, windowId: windowNumber === null ? null : t.demo.windowIds[windowNumber] }), 201);
  return { id: created.device.id as number, token: created.token as string, client: new Client(t.app, { token: created.token }) };
}

describe('the 呼叫器 (a window\'s keypad)', () => {
  it('does each key for the clerk signed in at its window, and answers with the two lines of its display', async () => {
    const pad = await device('caller', '1');
    const keypad = pad.client;
    const press = (key: string, extra: Record<string, unknown> = {}) => keypad.post('/api/v1/caller/keys', { key, ...extra });
    // Nobody signed in: every key but 查询 is refused, and the display says why.
    const refused = expectError(await press('call'), 409, 'CALLER_NO_CLERK');
    expect(refused.details.lines).toEqual(['无人登录', '请先登录窗口']);
    expect(expectStatus(await press('status'), 200).lines).toEqual(['窗口未开放', '等候 0 人']);

    await clerkAt(t, 'clerk01', '1');
    expect(expectStatus(await press('call'), 200).lines).toEqual(['无人等候', '1号窗口']);
    const [a1, a2] = [await issue(t, 'social_security'), await issue(t, 'social_security')];
    expect(expectStatus(await press('call'), 200)).toMatchObject({ current: { displayNumber: a1.displayNumber, status: 'called' }, waiting: 1, lines: [`请${a1.displayNumber}号`, '等候 1 人'] });
    expectStatus(await press('recall'), 200);
    expect(t.published.filter((e) => e.type === 'ticket:recalled')).toHaveLength(1);
    expect(expectStatus(await press('start'), 200).lines).toEqual([`办理中 ${a1.displayNumber}`, '等候 1 人']);
    t.clock.advance(5 * MINUTE);
    expect(expectStatus(await press('finish'), 200).lines).toEqual(['空闲', '等候 1 人']);
    // The record says the clerk did it, through this keypad.
    const staff = expectStatus(await manager.get(hallUrl(t, '/staff')), 200);
    const detail = expectStatus(await manager.get(hallUrl(t, `/tickets/${a1.id}`)), 200);
    expect(detail.transitions.at(-1)).toMatchObject({ action: 'finish', staffId: staff.find((s: { username: string }) => s.username === 'clerk01').id, deviceId: pad.id });

    // 评价: the evaluator offers the rating again.
    expect(expectStatus(await press('rate'), 200).lines).toEqual(['请评价', a1.displayNumber]);
    // 过号, then 转移 to window 2 by its number.
    expectStatus(await press('call'), 200);
    expectStatus(await press('no_show'), 200);
    const a3 = await issue(t, 'social_security');
    expectStatus(await press('call'), 200);
    expectStatus(await press('start'), 200);
    expect(expectError(await press('transfer', { windowNumber: '99' }), 409, 'CALLER_UNKNOWN_WINDOW').details.lines).toEqual(['无此窗口', '99']);
    expectStatus(await press('transfer', { windowNumber: '2' }), 200);
    const moved = expectStatus(await manager.get(hallUrl(t, '/tickets?status=waiting')), 200);
    expect(moved.map((x: { displayNumber: string; targetWindowId: number | null }) => [x.displayNumber, x.targetWindowId])).toEqual([[a3.displayNumber, t.demo.windowIds['2']]]);
    expect(a2.displayNumber).not.toBe(a3.displayNumber);

    // 暂停 pauses (临时离开), a second 暂停 resumes.
    expect(expectStatus(await press('pause'), 200)).toMatchObject({ window: { state: 'paused' }, lines: ['暂停服务', '等候 0 人'] });
    expect(expectStatus(await (await t.as('clerk01')).get(hallUrl(t, `/windows/${t.demo.windowIds['1']}`)), 200).pauseReason).toBe('away');
    expect(expectStatus(await press('pause'), 200).window.state).toBe('open');
    // The engine's own refusals come through with their code, and lines the keypad can show.
    expect(expectError(await press('start'), 409, 'NO_CURRENT_TICKET').details.lines).toEqual(['当前无人办理', '1号窗口']);
    expectStatus(await press('pause'), 200);
    expect(expectError(await press('call'), 409, 'WINDOW_PAUSED').details.lines).toEqual(['窗口暂停中', '1号窗口']);
  });

  it('the 评价 key re-offers the rating screen on the window\'s evaluator, once, for the last citizen served', async () => {
    const keypad = (await device('caller', '1')).client;
    const evaluator = (await device('evaluator', '1')).client;
    const clerk = await clerkAt(t, 'clerk01', '1');
    expectError(await keypad.post('/api/v1/caller/keys', { key: 'rate' }), 409, 'NOTHING_TO_RATE');
    const served = await issue(t, 'social_security');
    for (const a of ['call-next', 'start', 'finish']) expectStatus(await clerk.post(windowUrl(t, '1', a)), 200);
    t.clock.advance(10 * MINUTE); // the rating screen has timed out
    expect(expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200).phase).toBe('idle');
    expectStatus(await keypad.post('/api/v1/caller/keys', { key: 'rate' }), 200);
    expect(expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200)).toMatchObject({ phase: 'rating', ticket: { displayNumber: served.displayNumber } });
    expectStatus(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: served.id, level: 'satisfied' }), 201);
    expect(expectError(await keypad.post('/api/v1/caller/keys', { key: 'rate' }), 409, 'ALREADY_EVALUATED').details.lines).toEqual(['已评价', served.displayNumber]);
  });

  it('is a device of its own kind, paired to a window; other tokens and bad keys are refused', async () => {
    expect(expectError(await manager.post(hallUrl(t, '/devices'), { kind: 'caller', name: '无窗呼叫器', windowId: null }), 400, 'WINDOW_REQUIRED').details.field).toBe('body.windowId');
    const kiosk = t.device('kiosk');
    expectError(await kiosk.post('/api/v1/caller/keys', { key: 'call' }), 403, 'DEVICE_FORBIDDEN');
    expectError(await (await t.as('clerk01')).post('/api/v1/caller/keys', { key: 'call' }), 403, 'ROLE_FORBIDDEN');
    const keypad = (await device('caller', '1')).client;
    expect(expectError(await keypad.post('/api/v1/caller/keys', { key: 'explode' }), 400, 'VALIDATION_FAILED').details[0].field).toBe('body.key');
    expectError(await new Client(t.app, { token: 'x'.repeat(43) }).post('/api/v1/caller/keys', { key: 'call' }), 401, 'DEVICE_TOKEN_INVALID');
  });
});

describe('LED strips', () => {
  it('poll plain text: a window\'s state and calls, the hall\'s or a zone\'s latest calls, in UTF-8 or GBK', async () => {
    const one = await clerkAt(t, 'clerk01', '1');
    const two = await clerkAt(t, 'clerk02', '2');
    const above1 = await device('led', '1');
    const door = await device('led', null, '大门条屏');
    const get = (token: string, query: string) => t.app.inject({ method: 'GET', url: `/api/v1/led/text?${query}`, headers: { authorization: `Bearer ${token}` } });
    const text = async (token: string, query = '') => {
      const res = await get(token, query);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      return res.body.trimEnd().split('\r\n');
    };
    expect(await text(above1.token)).toEqual(['1号窗口 空闲']);
    expect(await text(door.token)).toEqual(['示例区政务服务中心 欢迎您']);
    const [a1, a2] = [await issue(t, 'social_security'), await issue(t, 'social_security')];
    expectStatus(await one.post(windowUrl(t, '1', 'call-next')), 200);
    expectStatus(await two.post(windowUrl(t, '2', 'call-next')), 200);
    expect(await text(above1.token)).toEqual([`请${a1.displayNumber}号到1号窗口`]);
    expectStatus(await one.post(windowUrl(t, '1', 'start')), 200);
    expect(await text(above1.token, 'lines=3')).toEqual([`1号窗口 正在办理${a1.displayNumber}号`]);
    expect(await text(door.token, 'lines=5')).toEqual([`请${a2.displayNumber}号到2号窗口`, `请${a1.displayNumber}号到1号窗口`]);

    // A zone of window 2 only.
    expectStatus(await manager.patch(hallUrl(t), { settings: { displayZones: [{ name: '二号区', windowIds: [t.demo.windowIds['2']], displayIds: [] }] } }), 200);
    expect(await text(door.token, `lines=5&zone=${encodeURIComponent('二号区')}`)).toEqual([`请${a2.displayNumber}号到2号窗口`]);
    expect(expectError(await get(door.token, `zone=${encodeURIComponent('三号区')}`), 400, 'ZONE_UNKNOWN').details.field).toBe('querystring.zone');

    // GBK (and gb2312) for controllers that want it: decodes back to the same text.
    for (const charset of ['gbk', 'gb2312']) {
      const res = await get(door.token, `lines=2&charset=${charset}`);
      expect(res.headers['content-type']).toBe(`text/plain; charset=${charset === 'gbk' ? 'GBK' : 'GB2312'}`);
      expect(res.rawPayload.equals(Buffer.from(`请${a2.displayNumber}号到2号窗口\r\n`, 'utf8'))).toBe(false);
      expect(new TextDecoder('gbk').decode(res.rawPayload)).toBe(`请${a2.displayNumber}号到2号窗口\r\n请${a1.displayNumber}号到1号窗口\r\n`);
    }
    // A controller that can only poll a URL puts the token in it; the log never shows it.
    const byUrl = await t.app.inject({ method: 'GET', url: `/api/v1/led/text?token=${door.token}&lines=1` });
    expect(byUrl.statusCode).toBe(200);
    expect(byUrl.body).toBe(`请${a2.displayNumber}号到2号窗口\r\n`);
    // Paused, with the reason.
    expectStatus(await two.post(windowUrl(t, '2', 'no-show')), 200);
    expectStatus(await two.post(windowUrl(t, '2', 'pause'), { reason: 'lunch' }), 200);
    const above2 = await device('led', '2');
    expect((await text(above2.token))[0]).toBe('2号窗口 暂停服务（午休）');
    // Only LED tokens; a wrong one is 401.
    expectError(await t.device('kiosk').get('/api/v1/led/text'), 403, 'DEVICE_FORBIDDEN');
    expectError(await t.app.inject({ method: 'GET', url: `/api/v1/led/text?token=${'y'.repeat(43)}` }), 401, 'UNAUTHENTICATED');
    expect(expectError(await get(door.token, 'lines=0'), 400, 'VALIDATION_FAILED').details[0].field).toBe('querystring.lines');
  });
});
