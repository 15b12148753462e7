import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../server/domain/calendar.js';
import { erasePersonalData } from '../../server/privacy/retention.js';
import { toHall } from '../../server/halls/service.js';
import { sql } from 'kysely';
import * as complaintsMigration from '../../migrations/2026_12_05_0019_complaints.js';
import { isPostgres, SchemaForPostgres } from '../../server/db/postgres.js';
import { buildTestHall, clerkAt, expectError, expectStatus, hallUrl, issue, MINUTE, type TestHall, windowUrl } from '../helpers.js';

/** Complaints from the other channels (意见簿, 12345, a call) follow the 差评 loop as cases of their own source. */
let t: TestHall;
beforeEach(async () => {
  t = await buildTestHall();
});
afterEach(async () => t.close());

/** A ticket served at window 1 by clerk01. */
async function served() {
  const clerk = await clerkAt(t, 'clerk01', '1');
  const ticket = await issue(t, 'social_security');
  for (const a of ['call-next', 'start']) expectStatus(await clerk.post(windowUrl(t, '1', a)), 200);
  t.clock.advance(8 * MINUTE);
  expectStatus(await clerk.post(windowUrl(t, '1', 'finish')), 200);
  return ticket;
}

describe('complaints from other channels', () => {
  it('a 12345 complaint about a ticket opens a case on its clerk and window, walks the same loop, and counts under its own source', async () => {
    const ticket = await served();
    const manager = await t.as('manager');
    const staff = expectStatus(await manager.get(hallUrl(t, '/staff')), 200);
    const clerk01 = staff.find((s: { username: string }) => s.username === 'clerk01').id;
    const receivedAt = t.clock.now() - 30 * MINUTE;
    const opened = expectStatus(await manager.post(hallUrl(t, '/complaints'), {
      source: 'hotline_12345', displayNumber: ticket.displayNumber.toLowerCase(), content: '窗口人员未一次性告知所需材料，跑了两趟',
      contact: '13812345678', reference: 'GD20261125-0042', receivedAt,
    }), 201);
    expect(opened).toMatchObject({
      source: 'hotline_12345', state: 'open', evaluationId: null, evaluation: null, ownerStaffId: null,
      verifyDueAt: addWorkingDays(receivedAt, 1, 'Asia/Shanghai'), rectifyDueAt: addWorkingDays(receivedAt, 5, 'Asia/Shanghai'),
      complaint: {
        source: 'hotline_12345', ticketId: ticket.id, displayNumber: ticket.displayNumber, serviceId: t.demo.serviceIds.social_security,
        windowId: t.demo.windowIds['1'], staffId: clerk01, content: '窗口人员未一次性告知所需材料，跑了两趟',
        contact: '13812345678', reference: 'GD20261125-0042', receivedAt,
      },
    });
    expect(opened.steps).toMatchObject([{ fromState: null, toState: 'open', note: '12345 热线投诉登记（GD20261125-0042）' }]);
    expect(t.published.filter((e) => e.type === 'case:changed').at(-1)).toMatchObject({ windowId: t.demo.windowIds['1'], payload: { caseId: opened.id, state: 'open' } });

    // The clerk it concerns sees it (the contact masked); another clerk does not.
    const own = expectStatus(await (await t.as('clerk01')).get(hallUrl(t, `/cases/${opened.id}`)), 200);
    expect(own.complaint.contact).toBe('138****5678');
    expectError(await (await t.as('clerk03')).get(hallUrl(t, `/cases/${opened.id}`)), 403, 'NOT_YOUR_CASE');

    // Listed with the ratings' cases, and by its own source, window and clerk.
    const list = (q: string) => manager.get(hallUrl(t, `/cases${q}`)).then((r) => expectStatus(r, 200).map((c: { id: number }) => c.id));
    expect(await list('')).toEqual([opened.id]);
    expect(await list('?source=hotline_12345')).toEqual([opened.id]);
    expect(await list('?source=rating')).toEqual([]);
    expect(await list('?source=comment_book')).toEqual([]);
    expect(await list(`?windowId=${t.demo.windowIds['1']}`)).toEqual([opened.id]);
    expect(await list(`?staffId=${clerk01}`)).toEqual([opened.id]);
    expect(await list(`?windowId=${t.demo.windowIds['2']}`)).toEqual([]);

    const base = hallUrl(t, `/cases/${opened.id}/advance`);
    for (const [to, note] of [['verified', '已电话核实'], ['rectified', '已组织窗口人员学习一次性告知制度'], ['replied', '已答复来电人']]) {
      expectStatus(await manager.post(base, { to, note }), 200);
    }
    expect(expectStatus(await manager.post(base, { to: 'closed', note: '回访满意', citizenSatisfied: true }), 200)).toMatchObject({ state: 'closed', citizenSatisfied: true });

    const report = expectStatus(await manager.get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(report.complaints).toEqual([{
      source: 'hotline_12345', received: 1, replied: 1, rectified: 1, closed: 1, overdue: 0, replyRate: 100, rectifyRate: 100, satisfactionRate: 100,
    }]);
    // The 好差评 indicators stay the ratings' own.
    expect(report.cases).toEqual({ opened: 0, closed: 0, overdue: 0 });
    expect(report.indicators.badReplyRate).toBeNull();
  });

  it('a 意见簿 complaint may name only a window; it goes overdue like a 差评 and its contact goes with the retention period', async () => {
    const manager = await t.as('manager');
    const opened = expectStatus(await manager.post(hallUrl(t, '/complaints'), {
      source: 'comment_book', windowId: t.demo.windowIds['2'], content: '2号窗口午休时无人值守', contact: '13912345678',
    }), 201);
    expect(opened.complaint).toMatchObject({ ticketId: null, displayNumber: null, serviceId: null, windowId: t.demo.windowIds['2'], staffId: null, receivedAt: t.clock.now() });
    expect(opened.steps[0].note).toBe('意见簿投诉登记');
    t.clock.advance(2 * 24 * 60 * MINUTE);
    const late = await t.as('manager');
    const report = expectStatus(await late.get(hallUrl(t, '/stats?from=2026-11-25&to=2026-11-25')), 200);
    expect(report.complaints).toEqual([{
      source: 'comment_book', received: 1, replied: 0, rectified: 0, closed: 0, overdue: 1, replyRate: 0, rectifyRate: 0, satisfactionRate: null,
    }]);
    const [c] = expectStatus(await late.get(hallUrl(t, '/cases?overdue=true')), 200);
    expect(c.id).toBe(opened.id);

    const row = await t.db.selectFrom('halls').selectAll().where('id', '=', t.demo.hallId).executeTakeFirstOrThrow();
    t.clock.advance(400 * 24 * 60 * MINUTE);
    expect(await erasePersonalData({ db: t.db, clock: t.clock, bus: t.bus }, toHall(row))).toMatchObject({ complaints: 1 });
    const after = expectStatus(await (await t.as('manager')).get(hallUrl(t, `/cases/${opened.id}`)), 200);
    expect(after.complaint).toMatchObject({ contact: null, content: '2号窗口午休时无人值守' });
  });

  it('refuses what it cannot tie to the hall, with the field, and writes nothing', async () => {
    const ticket = await served();
    const manager = await t.as('manager');
    const post = (body: Record<string, unknown>) => manager.post(hallUrl(t, '/complaints'), { source: 'phone_call', content: '态度生硬', ...body });
    const refused = async (body: Record<string, unknown>, code: string, field: string) => {
      const error = expectError(await post(body), 400, code);
      expect(code === 'VALIDATION_FAILED' ? error.details.map((d: { field: string }) => d.field) : [error.details.field]).toContain(field);
    };
    await refused({}, 'COMPLAINT_SUBJECT_REQUIRED', 'body.displayNumber');
    await refused({ displayNumber: 'Z999' }, 'COMPLAINT_TICKET_UNKNOWN', 'body.displayNumber');
    await refused({ displayNumber: ticket.displayNumber, businessDay: '2026-11-24' }, 'COMPLAINT_TICKET_UNKNOWN', 'body.displayNumber');
    await refused({ displayNumber: ticket.displayNumber, windowId: t.demo.windowIds['2'] }, 'WINDOW_NOT_THE_TICKETS', 'body.windowId');
    await refused({ windowId: 999_999 }, 'COMPLAINT_WINDOW_UNKNOWN', 'body.windowId');
    await refused({ windowId: t.demo.windowIds['1'], receivedAt: t.clock.now() + 60_000 }, 'RECEIVED_IN_FUTURE', 'body.receivedAt');
    await refused({ windowId: t.demo.windowIds['1'], source: 'wechat' }, 'VALIDATION_FAILED', 'body.source');
    await refused({ windowId: t.demo.windowIds['1'], content: '  ' }, 'VALIDATION_FAILED', 'body.content');
    await refused({ windowId: t.demo.windowIds['1'], contact: 'call me' }, 'VALIDATION_FAILED', 'body.contact');
    await refused({ displayNumber: 'A1' }, 'VALIDATION_FAILED', 'body.displayNumber');
    // Only managers enter complaints.
    expectError(await (await t.as('clerk02')).post(hallUrl(t, '/complaints'), { source: 'phone_call', content: 'x', windowId: t.demo.windowIds['1'] }), 403, 'ROLE_FORBIDDEN');
    expect(await t.db.selectFrom('complaints').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('evaluation_cases').selectAll().execute()).toEqual([]);
  });

  it('the migration that let a case be a complaint keeps every rating case and its steps (built again on SQLite)', async () => {
    const ticket = await served();
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${ticket.token}/evaluation`, payload: { level: 'dissatisfied', comment: '态度差' } }), 201);
    const manager = await t.as('manager');
    const [c] = expectStatus(await manager.get(hallUrl(t, '/cases')), 200);
    expectStatus(await manager.post(hallUrl(t, `/cases/${c.id}/advance`), { to: 'verified', note: '已核实' }), 200);
    const before = expectStatus(await manager.get(hallUrl(t, `/cases/${c.id}`)), 200);

    // Undo and apply the migration again over a hall that has a rating case with steps.
    const db = isPostgres(t.db) ? t.db.withPlugin(new SchemaForPostgres()) : t.db;
    await complaintsMigration.down(db);
    await complaintsMigration.up(db);
    if (!isPostgres(t.db)) {
      expect((await sql`pragma foreign_key_check`.execute(t.db)).rows).toEqual([]);
      const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'case_steps'`.execute(t.db);
      expect(rows[0]!.sql).toMatch(/references "?evaluation_cases"? \("?id"?\) on delete cascade/i);
    }

    expect(expectStatus(await manager.get(hallUrl(t, `/cases/${c.id}`)), 200)).toEqual(before);
    expectStatus(await manager.post(hallUrl(t, `/cases/${c.id}/advance`), { to: 'rectified', note: '已整改' }), 200);
    const opened = expectStatus(await manager.post(hallUrl(t, '/complaints'), { source: 'phone_call', windowId: t.demo.windowIds['1'], content: '态度生硬' }), 201);
    expect(opened.id).toBeGreaterThan(c.id);
    expect(expectStatus(await manager.get(hallUrl(t, '/cases')), 200).map((x: { id: number; source: string }) => [x.id, x.source])).toEqual([[opened.id, 'phone_call'], [c.id, 'rating']]);
    // A case is about exactly one thing.
    await expect(t.db.insertInto('evaluation_cases').values({
      hall_id: t.demo.hallId, evaluation_id: null, complaint_id: null, state: 'open', owner_staff_id: null, verify_due_at: 0, rectify_due_at: 0,
      citizen_satisfied: null, created_at: 0, updated_at: 0, closed_at: null,
    }).execute()).rejects.toThrow();
  });
});
