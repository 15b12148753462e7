import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestHall, clerkAt, type Client, expectError, expectStatus, hallUrl, issue, type TestHall, windowUrl,
} from '../helpers.js';

let t: TestHall;
let clerk: Client;

/** Calls the next citizen at window 1 and starts serving. */
async function callAndStart() {
  expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
  return expectStatus(await clerk.post(windowUrl(t, '1', 'start')), 200).ticket;
}

describe('outcomes at the window: 办结, 补正告知, 不予受理', () => {
  beforeEach(async () => {
    t = await buildTestHall();
    clerk = await clerkAt(t, 'clerk01', '1');
  });
  afterEach(async () => t.close());

  it('records how each matter ended; the citizen sees what to bring or why; statistics count 一次办结率', async () => {
    const done = await issue(t, 'social_security');
    const missing = await issue(t, 'social_security');
    const refused = await issue(t, 'social_security');
    const finishUrl = windowUrl(t, '1', 'finish');

    await callAndStart();
    // A body-less finish is 办结, as before outcomes existed.
    expect(expectStatus(await clerk.request('POST', finishUrl), 200).ticket).toMatchObject({ id: done.id, outcome: 'done' });

    await callAndStart();
    // Refused: 补正 without the list, materials or a reason with the wrong outcome.
    const noList = expectError(await clerk.post(finishUrl, { outcome: 'supplement' }), 400, 'VALIDATION_FAILED');
    expect(noList.details.map((d: { field: string }) => d.field)).toEqual(['body.materials']);
    const stray = expectError(await clerk.post(finishUrl, { outcome: 'done', materials: ['身份证'], reason: '无' }), 400, 'VALIDATION_FAILED');
    expect(stray.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.materials', 'body.reason']);
    expectError(await clerk.post(finishUrl, { outcome: 'supplement', materials: [] }), 400, 'VALIDATION_FAILED');
    expectError(await clerk.post(finishUrl, { outcome: 'maybe' }), 400, 'VALIDATION_FAILED');
    const materials = ['户口簿原件', '近期一寸免冠照片 2 张'];
    const finished = expectStatus(await clerk.post(finishUrl, { ticketId: missing.id, outcome: 'supplement', materials }), 200).ticket;
    expect(finished).toMatchObject({ id: missing.id, status: 'done', outcome: 'supplement' });

    await callAndStart();
    expectError(await clerk.post(finishUrl, { outcome: 'rejected' }), 400, 'VALIDATION_FAILED');
    expectStatus(await clerk.post(finishUrl, { outcome: 'rejected', reason: '不属于本中心受理范围，请到市不动产登记中心办理' }), 200);

    // The citizen's phone page: the list to bring, or the reason.
    const phone = async (token: string) => expectStatus(await clerk.app.inject({ url: `/api/v1/public/tickets/${token}` }), 200);
    expect((await phone(missing.token)).outcome).toEqual({ outcome: 'supplement', materials, reason: null });
    expect((await phone(refused.token)).outcome).toEqual({ outcome: 'rejected', materials: [], reason: '不属于本中心受理范围，请到市不动产登记中心办理' });
    expect((await phone(done.token)).outcome).toEqual({ outcome: 'done', materials: [], reason: null });
    // Staff read it in the ticket's detail; events carry only the outcome, never the list or the reason.
    const detail = expectStatus(await clerk.get(hallUrl(t, `/tickets/${missing.id}`)), 200);
    expect(detail.outcome).toEqual({ outcome: 'supplement', materials, reason: null });
    expect(detail.transitions.at(-1)).toMatchObject({ action: 'finish', reason: '补正：户口簿原件、近期一寸免冠照片 2 张' });
    const told = JSON.stringify(t.published);
    expect(told).toContain('"outcome":"supplement"');
    for (const words of [...materials, '不属于本中心受理范围']) expect(told).not.toContain(words);

    const manager = await t.as('manager');
    const report = expectStatus(await manager.get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    const social = report.byService.find((r: { label: string }) => r.label === 'A 社会保险');
    expect(social).toMatchObject({ served: 3, completed: 1, supplement: 1, rejected: 1, firstTimeRate: 33.3 });
    expect(report.totals).toMatchObject({ completed: 1, supplement: 1, rejected: 1 });
    const csv = (await manager.get(hallUrl(t, '/stats.csv?from=2026-11-25&to=2026-11-25&table=service'))).body.split('\r\n');
    const header = csv[0]!.replace('\uFEFF', '').split(',');
    const row = csv.find((l) => l.startsWith('A 社会保险'))!.split(',');
    expect(row[header.indexOf('补正告知')]).toBe('1');
    expect(row[header.indexOf('一次办结率%')]).toBe('33.3');
  });

  it('a citizen back with the materials gets a ticket linked to the earlier one; the clerk sees what was missing', async () => {
    const first = await issue(t, 'household');
    await callAndStart();
    expectStatus(await clerk.post(windowUrl(t, '1', 'finish'), { outcome: 'supplement', materials: ['户口簿原件'] }), 200);
    const other = await issue(t, 'household');
    await callAndStart();
    expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200);

    const manager = await t.as('manager');
    const back = expectStatus(await manager.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.household, followsTicketId: first.id }), 201).ticket;
    expect(back).toMatchObject({ channel: 'helper', followsTicketId: first.id });
    const detail = expectStatus(await clerk.get(hallUrl(t, `/tickets/${back.id}`)), 200);
    expect(detail.follows).toEqual({
      id: first.id, displayNumber: first.displayNumber, businessDay: '2026-11-25', outcome: { outcome: 'supplement', materials: ['户口簿原件'], reason: null },
    });
    // Only a 补正 can be continued, only by staff.
    const notSupplement = expectError(await manager.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.household, followsTicketId: other.id }), 400, 'NOT_A_SUPPLEMENT');
    expect(notSupplement.details.field).toBe('body.followsTicketId');
    expectError(await manager.post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.household, followsTicketId: 999999 }), 400, 'NOT_A_SUPPLEMENT');
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: t.demo.serviceIds.household, followsTicketId: first.id }), 400, 'CHANNEL_NOT_ALLOWED');
  });
});
