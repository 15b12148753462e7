import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedRecord } from '../../protocol/feed.js';
import { collectFeed, deliverFeed } from '../../server/feed/service.js';
import { buildTestHall, type Client, clerkAt, expectError, expectStatus, hallUrl, issue, openAllDay, type TestHall, windowUrl, stubWebhook } from '../helpers.js';

/**
 * 好差评 to the provincial platform: each rating, appeal decision and case step becomes one record
 * (made once, however often or by however many processes it is collected), POSTed signed, retried
 * with the same record id after a failure, visible to the manager with its delivery state, and
 * carrying no citizen's contact.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const SECRET = 'the-provincial-platform-secret-42';

/** The stand-in platform, closed after the test. */
async function platform(statuses: number[]) {
  const stub = await stubWebhook(statuses, '/feed');
  closers.push(stub.close);
  return stub;
}

async function serveAndRate(t: TestHall, clerk: Client, rating: object): Promise<number> {
  const ticket = await issue(t, 'social_security');
  expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
  expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200);
  expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200);
  expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload: rating }), 201);
  return ticket.id;
}

describe('the 好差评 feed', () => {
  it('makes each record once, sends it signed, retries a failure with the same record id; the manager sees the delivery state', async () => {
    const target = { ...(await platform([503])), secret: SECRET };
    const t = await buildTestHall({ config: { evaluationFeed: { url: target.url, secret: SECRET } } });
    closers.push(() => t.close());
    await openAllDay(t);
    await t.db.updateTable('staff').set({ staff_number: '0101' }).where('username', '=', 'clerk01').execute();
    const deps = { db: t.db, clock: t.clock, bus: t.bus };
    const clerk = await clerkAt(t, 'clerk01', '1');
    await serveAndRate(t, clerk, { level: 'very_dissatisfied', tags: ['等候时间长'], comment: '等了很久', contact: '13812345678' });
    t.clock.advance(60_000);
    await serveAndRate(t, clerk, { level: 'satisfied' });
    t.clock.advance(60_000);
    const manager = await t.as('manager');
    const [c] = expectStatus(await manager.get(hallUrl(t, '/cases')), 200);
    expectStatus(await manager.post(hallUrl(t, `/cases/${c.id}/advance`), { to: 'verified', note: '已电话回访核实' }), 200);

    // Two ratings, the case opened and verified: four records; collected again (as a second process would), none more.
    expect(await collectFeed(deps, target)).toBe(4);
    expect(await collectFeed(deps, target)).toBe(0);

    // The platform is down for the first one: it is retried later with the same record id.
    expect(await deliverFeed(deps, target)).toEqual({ sent: 3, failed: 1 });
    expect(await deliverFeed(deps, target)).toEqual({ sent: 0, failed: 0 }); // not due yet
    t.clock.advance(30_000);
    expect(await deliverFeed(deps, target)).toEqual({ sent: 1, failed: 0 });
    const bodies = target.received.map((r) => JSON.parse(r.body) as FeedRecord);
    expect(bodies[4]!.recordId).toBe(bodies[0]!.recordId);
    expect(new Set(bodies.map((b) => b.recordId)).size).toBe(4);
    for (const { headers, body } of target.received) {
      const expected = crypto.createHmac('sha256', SECRET).update(`${headers['x-hall-timestamp']}.${body}`).digest('hex');
      expect(headers['x-hall-signature']).toBe(`sha256=${expected}`);
      expect(FeedRecord.safeParse(JSON.parse(body)).success).toBe(true);
      // The citizen's contact never leaves the hall.
      expect(body).not.toContain('13812345678');
    }
    // In the order things happened: the 差评, then the case it opened.
    expect(bodies.slice(0, 4).map((b) => b.type)).toEqual(['rating', 'case_step', 'rating', 'case_step']);
    expect(bodies[0]).toMatchObject({
      recordId: expect.stringMatching(/^rating:\d+$/), version: 1, hall: { id: t.demo.hallId, name: '示例区政务服务中心' },
      rating: {
        level: 5, levelName: '非常不满意', ratingChannel: 'phone', tags: ['等候时间长'], comment: '等了很久',
        service: { code: 'social_security', name: '社会保险' }, window: { number: '1' }, staffNumber: '0101',
        ticket: { displayNumber: 'A001', businessDay: '2026-11-25', channel: 'kiosk' },
      },
    });
    expect(bodies[1]!.caseStep).toMatchObject({ caseId: c.id, state: 'open', fromState: null });
    expect(bodies.find((b) => b.caseStep?.state === 'verified')!.caseStep).toMatchObject({ note: '已电话回访核实', fromState: 'open' });

    const list = expectStatus(await manager.get(hallUrl(t, '/evaluation-feed')), 200);
    expect(list).toHaveLength(4);
    expect(list.every((r: any) => r.status === 'sent')).toBe(true);
    expect(list.find((r: any) => r.recordId === bodies[0]!.recordId)).toMatchObject({ attempts: 2, lastError: null, sentAt: t.clock.now() });
    expectError(await clerk.get(hallUrl(t, '/evaluation-feed')), 403, 'ROLE_FORBIDDEN');
    expectError(await manager.get(hallUrl(t, '/evaluation-feed?status=lost')), 400, 'VALIDATION_FAILED');

    // An appeal decided is a record too.
    const [mine] = expectStatus(await clerk.get(hallUrl(t, '/evaluations')), 200).filter((e: any) => e.level === 'very_dissatisfied');
    expectStatus(await clerk.post(hallUrl(t, `/evaluations/${mine.id}/appeal`), { reason: '所办事项不属于本窗口' }), 200);
    expectStatus(await manager.post(hallUrl(t, `/evaluations/${mine.id}/appeal-decision`), { decision: 'void', reason: '经核实为误评' }), 200);
    // Voiding the 差评 also closes its case: that step is a record as well.
    expect(await collectFeed(deps, target)).toBe(2);
    await deliverFeed(deps, target);
    const last = target.received.slice(-2).map((r) => JSON.parse(r.body) as FeedRecord);
    expect(last.find((b) => b.type === 'appeal')).toMatchObject({ appeal: { evaluationId: mine.id, decision: 'voided' } });
    expect(last.find((b) => b.type === 'case_step')).toMatchObject({ caseStep: { caseId: c.id } });
  });

  it('a platform down for hours: given up after its attempts, then sent again by the manager; without a feed, records are kept and shown', async () => {
    const target = { ...(await platform(Array(20).fill(500))), secret: SECRET };
    const t = await buildTestHall({ config: { evaluationFeed: { url: target.url, secret: SECRET } } });
    closers.push(() => t.close());
    await openAllDay(t);
    const deps = { db: t.db, clock: t.clock, bus: t.bus };
    const clerk = await clerkAt(t, 'clerk01', '1');
    await serveAndRate(t, clerk, { level: 'very_satisfied' });
    expect(await collectFeed(deps, target)).toBe(1);
    for (let i = 0; i < 12; i++) {
      expect(await deliverFeed(deps, target)).toEqual({ sent: 0, failed: 1 });
      t.clock.advance(3600_000);
    }
    const manager = await t.as('manager');
    const [failed] = expectStatus(await manager.get(hallUrl(t, '/evaluation-feed?status=failed')), 200);
    expect(failed).toMatchObject({ attempts: 12, lastError: 'the 好差评 platform answered 500' });
    expect(expectStatus(await manager.post(hallUrl(t, '/evaluation-feed/retry')), 200)).toEqual({ retried: 1 });
    // The platform is back.
    target.statuses.length = 0;
    expect(await deliverFeed(deps, target)).toEqual({ sent: 1, failed: 0 });
    expect(expectStatus(await manager.get(hallUrl(t, '/evaluation-feed')), 200)[0]).toMatchObject({ status: 'sent' });

    const plain = await buildTestHall();
    closers.push(() => plain.close());
    await openAllDay(plain);
    const plainClerk = await clerkAt(plain, 'clerk01', '1');
    await serveAndRate(plain, plainClerk, { level: 'satisfied' });
    expect(await collectFeed({ db: plain.db, clock: plain.clock, bus: plain.bus }, null)).toBe(1);
    const [kept] = expectStatus(await (await plain.as('manager')).get(hallUrl(plain, '/evaluation-feed')), 200);
    expect(kept).toMatchObject({ status: 'kept', type: 'rating', record: { rating: { levelName: '满意' } } });
  });
});
