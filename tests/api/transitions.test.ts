import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketStatuses, type TicketStatus } from '../../protocol/enums.js';
import { canApply, LEFT_WINDOW_EVENTS, OPEN_STATUSES, type TicketAction, ticketActions, TRANSITIONS } from '../../protocol/transitions.js';
import { buildTestHall, type Client, clerkAt, expectStatus, hallUrl, issue, openAllDay, type TestHall, windowUrl } from '../helpers.js';

/**
 * Every (state, action) pair against the one transition table: where the table allows the move,
 * the engine makes it and lands where the table says; everywhere else it refuses and the ticket
 * is left as it was.
 */
let t: TestHall;
let clerk: Client;
beforeAll(async () => {
  t = await buildTestHall();
  await openAllDay(t);
  clerk = await clerkAt(t, 'clerk01', '1');
});
afterAll(async () => t.close());

const AT_WINDOW: readonly TicketStatus[] = ['called', 'serving', 'on_hold', 'no_show', 'done', 'transferred'];

/** A fresh ticket, put straight into `status` (at window 1 where that state has a window). */
async function ticketIn(status: TicketStatus, recallCount = 0): Promise<number> {
  // Nothing else open: the window is free and no other ticket is waiting.
  await t.db.updateTable('tickets').set({ status: 'done', window_id: null }).where('status', 'in', [...OPEN_STATUSES]).execute();
  const { id } = await issue(t, 'social_security');
  const windowId = AT_WINDOW.includes(status) ? t.demo.windowIds['1']! : null;
  await t.db.updateTable('tickets').set({ status, window_id: windowId, recall_count: recallCount, called_at: windowId ? t.clock.now() : null })
    .where('id', '=', id).execute();
  return id;
}

async function perform(action: Exclude<TicketAction, 'issue' | 'expire' | 'pass_over' | 'lapse'>, id: number) {
  const w = (path: string, body: object = { ticketId: id }) => clerk.post(windowUrl(t, '1', path), body);
  switch (action) {
    case 'call': return w('call-next', {});
    case 'call_specific': return w('call', { ticketId: id, reason: '老年人优先' });
    case 'call_back': return w('call-back');
    case 'recall':
    case 'recall_limit': return w('recall');
    case 'start': return w('start');
    case 'finish': return w('finish');
    case 'no_show': return w('no-show');
    case 'hold': return w('hold');
    case 'transfer': return w('transfer', { ticketId: id, serviceId: t.demo.serviceIds.tax });
    case 'requeue': return w('requeue');
    case 'cancel': return clerk.post(hallUrl(t, `/tickets/${id}/cancel`));
    case 'arrive':
      // As if taken online: not in the hall yet.
      await t.db.updateTable('tickets').set({ channel: 'online', arrived_at: null }).where('id', '=', id).execute();
      return clerk.post(hallUrl(t, `/tickets/${id}/arrive`));
  }
}

const statusOf = async (id: number) => (await t.db.selectFrom('tickets').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('the transition table', () => {
  // Issue, the day end and the passing over of a citizen not yet in the hall are not asked for: the engine makes them (tests/api/online-queue.test.ts).
  const actions = ticketActions.filter((a): a is Exclude<TicketAction, 'issue' | 'expire' | 'pass_over' | 'lapse'> => !['issue', 'expire', 'pass_over', 'lapse'].includes(a));
  for (const action of actions) {
    it(`${action}: allowed exactly from ${TRANSITIONS[action].from.join(', ')}`, async () => {
      for (const status of ticketStatuses) {
        // The recall past the hall's limit (2) is the table's recall_limit; below it, a recall.
        const id = await ticketIn(status, action === 'recall_limit' ? 2 : 0);
        const res = await perform(action, id);
        const allowed = canApply(action, status);
        if (allowed) {
          expect(res.statusCode, `${action} from ${status}: ${res.body}`).toBe(200);
          expect(await statusOf(id), `${action} from ${status}`).toBe(TRANSITIONS[action].to);
        } else {
          expect(res.statusCode >= 400 && res.statusCode < 500 || (action === 'call' && res.json().ticket === null), `${action} from ${status}: ${res.statusCode} ${res.body}`).toBe(true);
          expect(await statusOf(id), `${action} from ${status} left it`).toBe(status);
        }
      }
    });
  }

  it('expire: the day end closes exactly the open states', async () => {
    const ids = new Map<TicketStatus, number>();
    for (const status of ticketStatuses) {
      const { id } = await issue(t, 'social_security');
      await t.db.updateTable('tickets').set({ status, window_id: null }).where('id', '=', id).execute();
      ids.set(status, id);
    }
    t.clock.advance(86_400_000);
    expectStatus(await (await t.as('manager')).post(hallUrl(t, '/expire')), 200);
    for (const [status, id] of ids) expect(await statusOf(id), status).toBe(canApply('expire', status) ? 'expired' : status);
  });

  it('derives the status lists the pages and the repository use', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(['called', 'on_hold', 'serving', 'waiting']);
    expect([...LEFT_WINDOW_EVENTS].sort()).toEqual(['ticket:expired', 'ticket:finished', 'ticket:held', 'ticket:no_show', 'ticket:transferred']);
    // Every action's event is a hall event type, and every ticket state is reachable.
    const reached = new Set(Object.values(TRANSITIONS).map((tr) => tr.to));
    expect([...reached].sort()).toEqual([...ticketStatuses].sort());
  });
});
