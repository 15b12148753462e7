import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../server/domain/calendar.js';
import { buildTestHall, Client, type TestHall, clerkAt, expectError, expectStatus, hallUrl, issue, MINUTE, windowUrl } from '../helpers.js';

let t: TestHall;
let evaluator: Client;
beforeEach(async () => {
  t = await buildTestHall();
  const manager = await t.as('manager');
  const created = expectStatus(await manager.post(hallUrl(t, '/devices'), { kind: 'evaluator', name: '1号窗评价器', windowId: t.demo.windowIds['1'] }), 201);
  evaluator = new Client(t.app, { token: created.token });
});
afterEach(async () => t.close());

/** Issues, calls, serves and finishes one ticket at window 1; returns it. */
async function serveOne(clerk: Client, code = 'social_security') {
  const ticket = await issue(t, code);
  await clerk.post(windowUrl(t, '1', 'call-next'));
  await clerk.post(windowUrl(t, '1', 'start'));
  t.clock.advance(10 * MINUTE);
  await clerk.post(windowUrl(t, '1', 'finish'));
  return ticket;
}

describe('working days', () => {
  it('skip weekends in the hall timezone', () => {
    const wed = Date.UTC(2026, 10, 25, 2, 0); // Wednesday 10:00 Shanghai
    const day = 86_400_000;
    expect(addWorkingDays(wed, 1, 'Asia/Shanghai')).toBe(wed + day); // Thursday
    expect(addWorkingDays(wed, 3, 'Asia/Shanghai')).toBe(wed + 5 * day); // Monday
    expect(addWorkingDays(wed, 5, 'Asia/Shanghai')).toBe(wed + 7 * day); // next Wednesday
    expect(addWorkingDays(wed, 15, 'Asia/Shanghai')).toBe(wed + 21 * day);
  });
});

describe('the evaluator at the window', () => {
  it('shows the clerk while serving, then offers the rating, then accepts one rating only', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    expect(expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200)).toMatchObject({ phase: 'idle', window: { number: '1', staffName: '张敏' } });
    const ticket = await issue(t, 'social_security');
    await clerk.post(windowUrl(t, '1', 'call-next'));
    expect(expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200)).toMatchObject({ phase: 'serving', ticket: { displayNumber: 'A001' } });
    await clerk.post(windowUrl(t, '1', 'start'));
    // Not before the service is finished.
    expectError(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: ticket.id, level: 'satisfied' }), 409, 'NOT_SERVED_YET');
    await clerk.post(windowUrl(t, '1', 'finish'));
    const current = expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200);
    expect(current).toMatchObject({ phase: 'rating', ticket: { id: ticket.id }, ratingUntil: t.clock.now() + 90_000 });
    expectStatus(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: ticket.id, level: 'very_satisfied', tags: ['热情'] }), 201);
    expectError(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: ticket.id, level: 'satisfied' }), 409, 'ALREADY_EVALUATED');
    expect(expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200).phase).toBe('idle');
    // Nor from the phone afterwards.
    expectError(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload: { level: 'satisfied' } }), 409, 'ALREADY_EVALUATED');
  });

  it('after the timeout the ticket counts as not rated; no default rating is invented', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const ticket = await serveOne(clerk);
    t.clock.advance(91_000);
    expect(expectStatus(await evaluator.get('/api/v1/evaluator/current'), 200).phase).toBe('idle');
    expectError(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: ticket.id, level: 'satisfied' }), 409, 'EVALUATION_PERIOD_OVER');
    const manager = await t.as('manager');
    expect(expectStatus(await manager.get(hallUrl(t, '/evaluations')), 200)).toEqual([]);
  });

  it('rates only its own window\'s citizens', async () => {
    const clerk = await clerkAt(t, 'clerk02', '2');
    const ticket = await issue(t, 'tax');
    await clerk.post(windowUrl(t, '2', 'call-next'));
    await clerk.post(windowUrl(t, '2', 'start'));
    await clerk.post(windowUrl(t, '2', 'finish'));
    expectError(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: ticket.id, level: 'satisfied' }), 403, 'NOT_THIS_WINDOW');
  });
});

describe('rating from the phone', () => {
  it('is possible later, within the hall\'s period, and shows on the phone page', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const ticket = await serveOne(clerk);
    const url = `/api/v1/public/tickets/${ticket.token}`;
    expect(expectStatus(await t.app.inject({ method: 'GET', url }), 200)).toMatchObject({ status: 'done', canEvaluate: true, evaluation: null });
    t.clock.advance(3 * 24 * 60 * MINUTE);
    const res = await t.app.inject({ method: 'POST', url: `${url}/evaluation`, payload: { level: 'satisfied', comment: '很快', contact: '13812345678' } });
    expect(expectStatus(res, 201)).toMatchObject({ canEvaluate: false, evaluation: { level: 'satisfied' } });
  });

  it('is refused after the period', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const ticket = await serveOne(clerk);
    t.clock.advance(8 * 24 * 60 * MINUTE);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload: { level: 'satisfied' } });
    expectError(res, 409, 'EVALUATION_PERIOD_OVER');
  });

  it('validates the rating', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const ticket = await serveOne(clerk);
    const post = (payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload });
    expectError(await post({ level: 'meh' }), 400, 'VALIDATION_FAILED');
    expectError(await post({ level: 'satisfied', comment: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED');
    expectError(await post({ level: 'satisfied', contact: 'call me maybe' }), 400, 'VALIDATION_FAILED');
    expectError(await post({ level: 'satisfied', tags: Array(11).fill('a') }), 400, 'VALIDATION_FAILED');
  });
});

describe('差评 follow-up', () => {
  async function badRating() {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const ticket = await serveOne(clerk);
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`,
      payload: { level: 'very_dissatisfied', comment: '等了很久，态度不好', contact: '13812345678', tags: ['等候时间长'] },
    });
    expectStatus(res, 201);
    return { clerk, ticket };
  }

  it('opens a case with deadlines in working days, and walks the closed loop with notes', async () => {
    const { ticket } = await badRating();
    const manager = await t.as('manager');
    const [c] = expectStatus(await manager.get(hallUrl(t, '/cases')), 200);
    expect(c).toMatchObject({
      state: 'open', overdue: false, ownerStaffId: null, citizenSatisfied: null,
      verifyDueAt: addWorkingDays(t.clock.now(), 1, 'Asia/Shanghai'),
      rectifyDueAt: addWorkingDays(t.clock.now(), 5, 'Asia/Shanghai'),
      evaluation: { ticketId: ticket.id, level: 'very_dissatisfied', contact: '13812345678', comment: '等了很久，态度不好' },
    });
    const staff = expectStatus(await manager.get(hallUrl(t, '/staff')), 200);
    const owner = staff.find((s: any) => s.username === 'clerk02');
    expectStatus(await manager.post(hallUrl(t, `/cases/${c.id}/assign`), { ownerStaffId: owner.id }), 200);
    const base = hallUrl(t, `/cases/${c.id}/advance`);
    expectError(await manager.post(base, { to: 'rectified', note: '跳步' }), 409, 'ILLEGAL_CASE_STEP');
    expectStatus(await manager.post(base, { to: 'verified', note: '已电话回访核实' }), 200);
    // The owner, a clerk, carries it on; another clerk may not.
    const other = await t.as('clerk03');
    expectError(await other.post(base, { to: 'rectified', note: 'x' }), 403, 'NOT_CASE_OWNER');
    const ownerClient = await t.as('clerk02');
    expectStatus(await ownerClient.post(base, { to: 'rectified', note: '已增开窗口' }), 200);
    expectStatus(await manager.post(base, { to: 'replied', note: '已答复群众' }), 200);
    expectError(await manager.post(base, { to: 'closed', note: '结案' }), 400, 'CITIZEN_SATISFIED_REQUIRED');
    const closed = expectStatus(await manager.post(base, { to: 'closed', note: '回访满意', citizenSatisfied: true }), 200);
    expect(closed).toMatchObject({ state: 'closed', citizenSatisfied: true, closedAt: t.clock.now() });
    expect(closed.steps.map((s: any) => `${s.fromState}→${s.toState}`)).toEqual([
      'null→open', 'open→open', 'open→verified', 'verified→rectified', 'rectified→replied', 'replied→closed',
    ]);
    expectError(await manager.post(base, { to: 'closed', note: '再次' }), 409, 'ILLEGAL_CASE_STEP');
  });

  it('a case past its deadlines is overdue', async () => {
    await badRating();
    const manager = await t.as('manager');
    expect(expectStatus(await manager.get(hallUrl(t, '/cases?overdue=true')), 200)).toHaveLength(0);
    t.clock.advance(2 * 24 * 60 * MINUTE); // Friday: past the 1-working-day verification
    const late = await t.as('manager');
    const [c] = expectStatus(await late.get(hallUrl(t, '/cases?overdue=true')), 200);
    expect(c.overdue).toBe(true);
  });

  it('a clerk sees their own ratings with the contact masked and may appeal; a manager voids it', async () => {
    const { clerk } = await badRating();
    const [mine] = expectStatus(await clerk.get(hallUrl(t, '/evaluations')), 200);
    expect(mine).toMatchObject({ contact: '138****5678', comment: '等了很久，态度不好' });
    expect(expectStatus(await (await t.as('clerk02')).get(hallUrl(t, '/evaluations')), 200)).toEqual([]);
    expectError(await (await t.as('clerk02')).post(hallUrl(t, `/evaluations/${mine.id}/appeal`), { reason: '不是我' }), 403, 'NOT_YOUR_EVALUATION');
    const appealed = expectStatus(await clerk.post(hallUrl(t, `/evaluations/${mine.id}/appeal`), { reason: '该群众所办事项不属于本窗口' }), 200);
    expect(appealed.appealState).toBe('pending');
    expectError(await clerk.post(hallUrl(t, `/evaluations/${mine.id}/appeal`), { reason: '再申诉' }), 409, 'ALREADY_APPEALED');
    expectError(await clerk.post(hallUrl(t, `/evaluations/${mine.id}/appeal-decision`), { decision: 'void', reason: 'x' }), 403, 'ROLE_FORBIDDEN');
    const manager = await t.as('manager');
    const voided = expectStatus(await manager.post(hallUrl(t, `/evaluations/${mine.id}/appeal-decision`), { decision: 'void', reason: '经核实为误评' }), 200);
    expect(voided).toMatchObject({ appealState: 'voided', decisionReason: '经核实为误评' });
    const [c] = expectStatus(await manager.get(hallUrl(t, '/cases')), 200);
    expect(c.state).toBe('closed');
    expectError(await manager.post(hallUrl(t, `/evaluations/${mine.id}/appeal-decision`), { decision: 'uphold', reason: 'x' }), 409, 'NO_PENDING_APPEAL');
  });

  it('a good rating cannot be appealed and opens no case', async () => {
    const clerk = await clerkAt(t, 'clerk01', '1');
    const ticket = await serveOne(clerk);
    expectStatus(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: ticket.id, level: 'basically_satisfied' }), 201);
    const [e] = expectStatus(await clerk.get(hallUrl(t, '/evaluations')), 200);
    expect(e.caseId).toBeNull();
    expectError(await clerk.post(hallUrl(t, `/evaluations/${e.id}/appeal`), { reason: 'x' }), 409, 'APPEAL_NOT_ALLOWED');
  });

  it('ratings reach the window\'s clerk and managers, withheld from others', async () => {
    await badRating();
    const recorded = t.published.find((e) => e.type === 'evaluation:recorded')!;
    expect(recorded.windowId).toBe(t.demo.windowIds['1']);
    expect(JSON.stringify(recorded.payload)).not.toContain('态度');
    expect(JSON.stringify(recorded.payload)).not.toContain('138');
  });
});

describe('the 好差评 list', () => {
  it('filters by level, service, window, clerk, appeal state and number, and pages without gaps or repeats', async () => {
    const one = await clerkAt(t, 'clerk01', '1');
    const levels = ['satisfied', 'very_dissatisfied', 'satisfied', 'dissatisfied', 'very_satisfied', 'satisfied', 'satisfied'] as const;
    const rated: { id: number; displayNumber: string; level: string }[] = [];
    for (const [i, level] of levels.entries()) {
      const ticket = await serveOne(one, i % 2 ? 'tax' : 'social_security');
      expectStatus(await evaluator.post('/api/v1/evaluator/evaluations', { ticketId: ticket.id, level, tags: level.includes('dis') ? ['未一次性告知'] : [] }), 201);
      rated.push({ id: ticket.id, displayNumber: ticket.displayNumber, level });
    }
    const manager = await t.as('manager');
    const list = async (q: string) => expectStatus(await manager.get(hallUrl(t, `/evaluations?${q}`)), 200) as { id: number; displayNumber: string; level: string; serviceId: number; appealState: string; decisionReason: string | null; appealReason: string | null; tags: string[] }[];
    expect((await list('level=satisfied')).map((e) => e.level)).toEqual(['satisfied', 'satisfied', 'satisfied', 'satisfied']);
    expect((await list(`serviceId=${t.demo.serviceIds.tax}`)).every((e) => e.serviceId === t.demo.serviceIds.tax)).toBe(true);
    expect(await list(`serviceId=${t.demo.serviceIds.tax}`)).toHaveLength(3);
    expect(await list(`windowId=${t.demo.windowIds['1']}`)).toHaveLength(7);
    expect(await list(`windowId=${t.demo.windowIds['2']}`)).toHaveLength(0);
    const staff = expectStatus(await manager.get(hallUrl(t, '/staff')), 200) as { id: number; username: string }[];
    expect(await list(`staffId=${staff.find((s) => s.username === 'clerk01')!.id}`)).toHaveLength(7);
    expect(await list(`staffId=${staff.find((s) => s.username === 'clerk02')!.id}`)).toHaveLength(0);
    // Search by the printed number, in any case.
    const second = rated[1]!;
    const found = await list(`displayNumber=${second.displayNumber.toLowerCase()}`);
    expect(found.map((e) => [e.displayNumber, e.level, e.tags])).toEqual([[second.displayNumber, 'very_dissatisfied', ['未一次性告知']]]);
    expect(expectError(await manager.get(hallUrl(t, '/evaluations?displayNumber=12')), 400, 'VALIDATION_FAILED').details[0].field).toBe('querystring.displayNumber');

    // Appeal and ruling are kept apart.
    const bad = (await list('level=dissatisfied'))[0]!;
    expectStatus(await one.post(hallUrl(t, `/evaluations/${bad.id}/appeal`), { reason: '群众对政策不满' }), 200);
    expect((await list('appealState=pending')).map((e) => [e.id, e.appealReason, e.decisionReason])).toEqual([[bad.id, '群众对政策不满', null]]);
    expectStatus(await manager.post(hallUrl(t, `/evaluations/${bad.id}/appeal-decision`), { decision: 'uphold', reason: '回访核实属实，评价维持' }), 200);
    expect((await list('appealState=upheld')).map((e) => [e.appealReason, e.decisionReason])).toEqual([['群众对政策不满', '回访核实属实，评价维持']]);

    // Pages of 3: newest first, each rating once.
    const seen: number[] = [];
    let before = '';
    for (;;) {
      const page = await list(`limit=3${before}`);
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.id));
      before = `&before=${page.at(-1)!.id}`;
    }
    const all = (await list('limit=100')).map((e) => e.id);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(7);
    expect([...all].sort((a, b) => b - a)).toEqual(all);
  });
});
