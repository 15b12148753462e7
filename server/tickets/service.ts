import { mayHandle, skillsOf } from '../staff/skills.js';
import type { Kysely, Updateable } from 'kysely';
import type { TicketStatus } from '../../protocol/enums.js';
import type { IssueRequest, Outcome, WaitEstimate } from '../../protocol/tickets.js';
import type { Database, NewTicket, TicketRow, TicketsTable } from '../db/schema.js';
import type { NewHallEvent } from '../db/event-log.js';
import { write, type WriteDeps } from '../db/write.js';
import { nextHandlingAverage } from '../domain/estimate.js';
import { canServe, rankCandidates } from '../domain/routing.js';
import { newTicketToken } from '../domain/secrets.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { type Actor, citizen, system } from '../domain/actor.js';
import { canApply, type Mover, type TicketAction, TRANSITIONS } from '../../protocol/transitions.js';
import { invalidateDay } from '../rollups/rollup.js';
import { assertIssuing } from '../calendar/service.js';
import { type HallChange, inHall, openHallChange } from '../changes/hall-change.js';
import { serviceOf, windowOf } from '../changes/hall-config.js';
import { handlingAverage, setHandlingAverage } from '../services/repository.js';
import type { HallWindow } from '../windows/service.js';
import { servedElsewhere } from '../../protocol/serving.js';
import { routingTicket, serviceEstimate, ticketEstimate } from './estimates.js';
import {
  busyWindowIds, callCandidates, claimable, findLiveByToken, lockHallAndAdjustWaiting, findTicket, insertTicket, insertTransition, openTicketsBefore, takeNextNumber, ticketRefOf, updateTicketIf,
  adjustWaiting, lapsedOnline, waitingTickets,
} from './repository.js';
import { activeTicketOfWindow } from '../windows/repository.js';
import { displayNumber, ticketView } from './views.js';

interface Step {
  action: TicketAction;
  actor: Actor;
  window: HallWindow | null;
  reason?: string | null;
  changes?: Updateable<TicketsTable>;
  extra?: Record<string, unknown>;
}

/** Records a transition: who, where, when; and the event that tells the hall. */
async function recordStep(w: HallChange, ticket: TicketRow, from: TicketStatus | null, step: Step): Promise<void> {
  await insertTransition(w.trx, transitionRow(w, ticket, from, step));
  await moveQueueSize(w, ticket, from);
  await w.record(await stepEvent(w, ticket, step));
}

/**
 * The live queue's size follows every transition into or out of waiting (no transition changes
 * where a ticket is sent, so the after row says it for both sides). Gives the size after the
 * move, or null when this transition leaves it alone.
 */
async function moveQueueSize(w: HallChange, ticket: TicketRow, from: TicketStatus | null): Promise<number | null> {
  if (ticket.target_window_id !== null) return null;
  const delta = (ticket.status === 'waiting' ? 1 : 0) - (from === 'waiting' ? 1 : 0);
  return delta === 0 ? null : adjustWaiting(w.trx, ticket.hall_id, ticket.business_day, ticket.service_id, delta);
}

function transitionRow(w: HallChange, ticket: TicketRow, from: TicketStatus | null, step: Step) {
  return {
    ticket_id: ticket.id,
    hall_id: ticket.hall_id,
    from_status: from,
    to_status: ticket.status,
    action: step.action,
    staff_id: step.actor.staffId,
    device_id: step.actor.deviceId,
    window_id: step.window?.id ?? null,
    reason: step.reason ?? null,
    at: w.now,
  };
}

async function stepEvent(w: HallChange, ticket: TicketRow, step: Step): Promise<NewHallEvent> {
  return {
    type: TRANSITIONS[step.action].event,
    windowId: step.window?.id ?? ticket.window_id,
    ticketRef: await ticketRefOf(w.trx, ticket),
    // Events reach displays and kiosks: no token (the phone page's key) and no reason (it may
    // name the citizen); staff read the reason from the ticket's history.
    payload: {
      action: step.action,
      ticket: ticketView(ticket),
      window: step.window ? { id: step.window.id, number: step.window.number } : null,
      ...step.extra,
    },
  };
}

function moverOf(actor: Actor): Mover {
  if (actor.staffId !== null) return 'staff';
  if (actor.deviceId !== null) return 'device';
  return actor.system ? 'system' : 'citizen';
}

/** Applies `step.action` as the transition table says, or refuses with ILLEGAL_TRANSITION. */
async function move(w: HallChange, ticket: TicketRow, step: Step): Promise<TicketRow> {
  const { to, by } = TRANSITIONS[step.action];
  const mover = moverOf(step.actor);
  if (!(by as readonly Mover[]).includes(mover)) {
    throw new ForbiddenError('ACTION_FORBIDDEN', `A ${mover} may not ${step.action.replace('_', ' ')} a ticket.`);
  }
  if (!canApply(step.action, ticket.status)) {
    throw new ConflictError('ILLEGAL_TRANSITION', `Ticket ${ticket.display_number} is ${ticket.status}; it cannot ${step.action.replace('_', ' ')}.`, {
      status: ticket.status, action: step.action,
    });
  }
  const moved = await updateTicketIf(w.trx, ticket.id, ticket.status, { ...step.changes, status: to, updated_at: w.now });
  if (!moved) throw new ConflictError('TICKET_CHANGED', `Ticket ${ticket.display_number} was changed by someone else; reload.`);
  await recordStep(w, moved, ticket.status, step);
  return moved;
}

async function loadTicket(db: Kysely<Database>, hallId: number, id: number): Promise<TicketRow> {
  const row = await findTicket(db, hallId, id);
  if (!row) throw new NotFoundError('TICKET_NOT_FOUND', `Ticket ${id} does not exist in hall ${hallId}.`);
  return row;
}

/* ---------------- issuing ---------------- */

export interface IssueResult {
  ticket: TicketRow;
  estimate: WaitEstimate;
}

export async function issueTicket(deps: WriteDeps, hallId: number, body: IssueRequest, actor: Actor): Promise<IssueResult> {
  // Issuing needs the hall's lock only from the count of those ahead on (the number comes from
  // the service's own counter row), so on PostgreSQL issues hold it for as short as they can.
  // Locks are always taken counter row → hall → queue size, as calling takes hall → queue size.
  return inHall(deps, hallId, (w) => issueIn(w, body, actor), { lockFirst: false });
}

/** Issues a number inside a change already open on the hall (issuing itself, a booking's check-in). */
export async function issueIn(w: HallChange, body: IssueRequest, actor: Actor): Promise<IssueResult> {
  const hallId = w.hall.id;
  const service = serviceOf(w, body.serviceId);
  if (!service.active) throw new ConflictError('SERVICE_INACTIVE', `${service.name_zh} is not taking numbers now.`);
  assertIssuing(w.hall, w.calendar, w.windows, service, w.now);
  if (body.followsTicketId !== undefined) {
    const earlier = await findTicket(w.trx, hallId, body.followsTicketId);
    if (!earlier || earlier.outcome !== 'supplement') {
      throw new BadRequestError('NOT_A_SUPPLEMENT', 'Only a ticket finished with 补正告知 can be continued.', { field: 'body.followsTicketId' });
    }
  }
  const day = w.day;
  // Read before the number is taken: on PostgreSQL the service's counter row stays locked
  // from the take to the commit, and issues of the service follow one another on it.
  const [average, busy] = await Promise.all([handlingAverage(w.trx, service.id), busyWindowIds(w.trx, hallId)]);
  const handled = { ...service, ewma_handling_ms: average };
  const number = await takeNextNumber(w.trx, hallId, service.id, day);
  // Checked after taking the number: the counter row is locked now, so the check and the
  // take cannot interleave with another issue. Throwing rolls the number back.
  if (service.daily_quota !== null && number > service.daily_quota) {
    throw new ConflictError('QUOTA_EXHAUSTED', `Today's ${service.daily_quota} numbers for ${service.name_zh} are all taken.`, {
      dailyQuota: service.daily_quota,
    });
  }
  const ticket = await insertTicket(w.trx, waitingEntry({
    hall_id: hallId,
    service_id: service.id,
    business_day: day,
    number,
    display_number: displayNumber(service.prefix, number),
    token: newTicketToken(),
    channel: body.channel,
    priority_class: body.priorityClass,
    target_window_id: null,
    parent_ticket_id: null,
    requeue_count: 0,
    issued_at: w.now,
    appointment_start: body.appointmentStart ?? null,
    appointment_end: body.appointmentEnd ?? null,
    follows_ticket_id: body.followsTicketId ?? null,
    note: body.note ?? null,
    priority_reason: body.priorityReason ?? null,
    // 绿色通道 granted by a helper or manager (a kiosk's is the citizen's own choice).
    priority_granted_by: body.priorityClass === 'priority' ? actor.staffId : null,
    phone: body.phone ?? null,
    // 在线排队: not in the hall until the arrival is confirmed; everyone else took the number here.
    arrived_at: body.channel === 'online' ? null : w.now,
    arrival_code: body.arrivalCode ?? null,
    issued_by_staff_id: actor.staffId,
    issued_by_device_id: actor.deviceId,
  }, w.now));
  const windows = w.windows;
  const step: Step = { action: 'issue', actor, window: null };
  await insertTransition(w.trx, transitionRow(w, ticket, null, step));
  // From here to the commit this change is the hall's only writer: on PostgreSQL the lock is
  // held over two statements (the lock with the queue's size, then the event) and the commit.
  const waitingNow = await lockHallAndAdjustWaiting(w.trx, hallId, day, service.id, 1);
  // A normal ticket is last in its queue: everyone waiting before it is ahead (the queue's
  // size it has just joined, exact under the queue row's lock). Others are ranked.
  const estimate = body.priorityClass === 'normal' && waitingNow !== null
    ? serviceEstimate(handled, waitingNow - 1, windows, busy)
    : ticketEstimate(ticket, handled, await waitingTickets(w.trx, hallId, day), windows, busy, w.now, w.hall.settings) ?? serviceEstimate(handled, 0, windows, busy);
  await w.record(await stepEvent(w, ticket, { ...step, extra: { estimate } }));
  return { ticket, estimate };
}

export async function cancelTicket(deps: WriteDeps, hallId: number, ticketId: number, actor: Actor): Promise<TicketRow> {
  return inHall(deps, hallId, async (w) => move(w, await loadTicket(w.trx, hallId, ticketId), { action: 'cancel', actor, window: null }));
}

/** The citizen gives up their place from the phone page; the token is their credential. */
export async function cancelByToken(deps: WriteDeps, token: string): Promise<TicketRow> {
  return write(deps, async (w) => {
    const found = await findLiveByToken(w.trx, token);
    if (!found) throw new NotFoundError('TICKET_NOT_FOUND', 'No ticket has this token.');
    const change = await openHallChange(deps, w, found.hall_id);
    // Read again under the hall's lock: a window may have called it in the meantime.
    return move(change, await loadTicket(w.trx, found.hall_id, found.id), { action: 'cancel', actor: citizen, window: null });
  });
}

/* ---------------- calling ---------------- */

function openWindow(w: HallChange, windowId: number): HallWindow {
  const window = windowOf(w, windowId);
  if (window.state === 'paused') throw new ConflictError('WINDOW_PAUSED', `Window ${window.number} is paused; resume it first.`);
  if (window.state !== 'open') throw new ConflictError('WINDOW_NOT_OPEN', `Window ${window.number} is not open; sign in to it first.`);
  return window;
}

async function freeWindow(w: HallChange, windowId: number): Promise<HallWindow> {
  const window = openWindow(w, windowId);
  const active = await activeTicketOfWindow(w.trx, window.id);
  if (active) {
    throw new ConflictError('WINDOW_BUSY', `Window ${window.number} is still with ${active.display_number}.`, { ticketId: active.id });
  }
  return window;
}

function callChanges(window: HallWindow, actor: Actor, now: number): Updateable<TicketsTable> {
  return { window_id: window.id, staff_id: actor.staffId, called_at: now, recall_count: 0 };
}

/** 叫号: the next citizen by the routing rule, or null when nobody is waiting for this window. */
export async function callNext(deps: WriteDeps, hallId: number, windowId: number, actor: Actor): Promise<TicketRow | null> {
  return inHall(deps, hallId, async (w) => {
    const window = await freeWindow(w, windowId);
    const skills = await skillsOf(w.trx, window.staffId);
    // A ticket another change holds right now (a citizen cancelling from their phone) is passed
    // over for the next one, not waited for and then refused.
    const held: number[] = [];
    for (let round = 0; round < 3; round++) {
      // 授权事项: what both the window and its clerk may serve (a citizen sent to this window comes here).
      const waiting = (await callCandidates(w.trx, hallId, w.day, window.id, held))
        .filter((t) => t.target_window_id === window.id || mayHandle(skills, t.service_id));
      const ranked = rankCandidates(window, waiting.map(routingTicket), w.now, w.hall.settings);
      const rowOf = (id: number) => waiting.find((t) => t.id === id)!;
      // 在线排队: citizens ahead who are not in the hall are passed over, keeping their place.
      const head = ranked.findIndex((t) => rowOf(t.id).arrived_at !== null);
      if (round === 0) for (const t of head === -1 ? ranked : ranked.slice(0, head)) await passOver(w, rowOf(t.id), actor, window);
      const inHall = ranked.filter((t) => rowOf(t.id).arrived_at !== null);
      if (inHall.length === 0) return null;
      const free = await claimable(w.trx, inHall.map((t) => t.id));
      const next = inHall.find((t) => free.has(t.id));
      if (next) return move(w, waiting.find((t) => t.id === next.id)!, { action: 'call', actor, window, changes: callChanges(window, actor, w.now) });
      held.push(...inHall.map((t) => t.id));
    }
    throw new ConflictError('TICKET_CHANGED', 'The next tickets are being changed right now; call again.');
  });
}

/**
 * A citizen who took their number online is not in the hall when it is their turn: the first
 * time, their grace period starts (the phone page says until when); once it has ended, the
 * number lapses to a no-show like any other.
 */
async function passOver(w: HallChange, ticket: TicketRow, actor: Actor, window: HallWindow): Promise<void> {
  if (ticket.passed_at === null) {
    await move(w, ticket, { action: 'pass_over', actor, window: null, reason: `not in the hall when window ${window.number} called`, changes: { passed_at: w.now } });
  } else if (w.now >= ticket.passed_at + w.hall.settings.onlineGraceMinutes * 60_000) {
    await move(w, ticket, { action: 'lapse', actor, window: null, reason: 'not in the hall within the grace period' });
  }
}

/** 到厅确认: the citizen who took the number online is in the hall; from now on they are called like everyone. Confirming twice is not an error. */
export async function arriveIn(w: HallChange, ticket: TicketRow, actor: Actor): Promise<TicketRow> {
  if (ticket.arrived_at !== null && ticket.status === 'waiting') return ticket;
  return move(w, ticket, { action: 'arrive', actor, window: null, changes: { arrived_at: w.now } });
}

/** 到厅确认 by staff who see the citizen (a helper at the 导办台), by the ticket. */
export async function arriveTicket(deps: WriteDeps, hallId: number, ticketId: number, actor: Actor): Promise<TicketRow> {
  return inHall(deps, hallId, async (w) => arriveIn(w, await loadTicket(w.trx, hallId, ticketId), actor));
}

/** Numbers taken online whose grace period ended with their citizen still not in the hall: no-shows. Returns how many. */
export async function lapseOverdue(deps: WriteDeps, hallId: number): Promise<number> {
  return inHall(deps, hallId, async (w) => {
    const overdue = await lapsedOnline(w.trx, hallId, w.day, w.now - w.hall.settings.onlineGraceMinutes * 60_000);
    for (const ticket of overdue) await move(w, ticket, { action: 'lapse', actor: system, window: null, reason: 'not in the hall within the grace period' });
    return overdue.length;
  });
}

/** 选叫: a particular waiting ticket, out of order, with the reason recorded. */
export async function callSpecific(deps: WriteDeps, hallId: number, windowId: number, ticketId: number, reason: string, actor: Actor): Promise<TicketRow> {
  return inHall(deps, hallId, async (w) => {
    const window = await freeWindow(w, windowId);
    const ticket = await loadTicket(w.trx, hallId, ticketId);
    if (ticket.status === 'waiting' && ticket.business_day !== w.day) {
      throw new ConflictError('TICKET_FROM_ANOTHER_DAY', `Ticket ${ticket.display_number} was issued on ${ticket.business_day}.`);
    }
    if (ticket.status === 'waiting' && ticket.arrived_at === null) {
      throw new ConflictError('NOT_ARRIVED', `Ticket ${ticket.display_number} was taken online and its citizen is not in the hall yet.`);
    }
    if (ticket.status === 'waiting' && !canServe(window, routingTicket(ticket))) {
      throw new ConflictError('TICKET_NOT_SERVED_HERE', `Window ${window.number} does not serve ticket ${ticket.display_number}.`);
    }
    if (ticket.status === 'waiting' && ticket.target_window_id !== window.id && !mayHandle(await skillsOf(w.trx, window.staffId), ticket.service_id)) {
      throw new ConflictError('CLERK_NOT_AUTHORIZED', `The clerk at window ${window.number} does not handle ticket ${ticket.display_number}'s service.`);
    }
    return move(w, ticket, { action: 'call_specific', actor, window, reason, changes: callChanges(window, actor, w.now) });
  });
}

/** 回呼: a citizen this window put on hold is back; the window calls them ahead of its queue. */
export async function callBack(deps: WriteDeps, hallId: number, windowId: number, ticketId: number, actor: Actor): Promise<TicketRow> {
  return inHall(deps, hallId, async (w) => {
    const window = await freeWindow(w, windowId);
    const ticket = await loadTicket(w.trx, hallId, ticketId);
    if (ticket.status === 'on_hold' && ticket.window_id !== window.id) {
      throw new ConflictError('HELD_AT_ANOTHER_WINDOW', `Ticket ${ticket.display_number} is held at another window.`);
    }
    return move(w, ticket, { action: 'call_back', actor, window, changes: { called_at: w.now, recall_count: 0, staff_id: actor.staffId } });
  });
}

/* ---------------- acting on the window's current citizen ---------------- */

async function currentTicket(w: HallChange, window: HallWindow, expectedId: number | undefined): Promise<TicketRow> {
  const active = await activeTicketOfWindow(w.trx, window.id);
  if (!active) throw new ConflictError('NO_CURRENT_TICKET', `Window ${window.number} has no current citizen.`);
  if (expectedId !== undefined && active.id !== expectedId) {
    throw new ConflictError('TICKET_NOT_CURRENT', `Ticket ${expectedId} is not the current ticket of window ${window.number}.`, { currentTicketId: active.id });
  }
  return active;
}

/**
 * Runs an action on the window's current ticket. A window that is paused or closed can still
 * finish with the citizen in front of it: only calling needs the window open.
 */
async function onCurrent(
  deps: WriteDeps, hallId: number, windowId: number, expectedId: number | undefined,
  act: (w: HallChange, window: HallWindow, ticket: TicketRow) => Promise<TicketRow>,
): Promise<TicketRow> {
  return inHall(deps, hallId, async (w) => {
    const window = windowOf(w, windowId);
    return act(w, window, await currentTicket(w, window, expectedId));
  });
}

/** 重呼: announce again. Past the hall's recall limit the citizen is marked no-show instead. */
export async function recall(deps: WriteDeps, hallId: number, windowId: number, expectedId: number | undefined, actor: Actor): Promise<TicketRow> {
  return onCurrent(deps, hallId, windowId, expectedId, async (w, window, ticket) => {
    if (ticket.status === 'called' && ticket.recall_count >= w.hall.settings.recallLimit) {
      return move(w, ticket, { action: 'recall_limit', actor, window, reason: `recalled ${ticket.recall_count} times` });
    }
    return move(w, ticket, { action: 'recall', actor, window, changes: { recall_count: ticket.recall_count + 1 } });
  });
}

export async function start(deps: WriteDeps, hallId: number, windowId: number, expectedId: number | undefined, actor: Actor): Promise<TicketRow> {
  return onCurrent(deps, hallId, windowId, expectedId, (w, window, ticket) =>
    move(w, ticket, { action: 'start', actor, window, changes: { started_at: w.now, staff_id: actor.staffId ?? ticket.staff_id } }),
  );
}

/** How a matter ended: 办结 unless told otherwise (补正 with the missing materials, 不予受理 with the reason). */
export interface FinishOutcome {
  outcome: Outcome;
  materials?: string[];
  reason?: string;
}

export async function finish(
  deps: WriteDeps, hallId: number, windowId: number, expectedId: number | undefined, actor: Actor, result: FinishOutcome = { outcome: 'done' },
): Promise<TicketRow> {
  return onCurrent(deps, hallId, windowId, expectedId, async (w, window, ticket) => {
    const done = await move(w, ticket, {
      action: 'finish', actor, window,
      // The ticket's history says how it ended: what was missing, or why it was not accepted.
      reason: result.outcome === 'rejected' ? `不予受理：${result.reason}` : result.outcome === 'supplement' ? `补正：${result.materials!.join('、')}` : null,
      changes: {
        finished_at: w.now, outcome: result.outcome, outcome_reason: result.reason ?? null,
        missing_materials: result.materials ? JSON.stringify(result.materials) : null,
      },
    });
    const handled = w.now - (ticket.started_at ?? w.now);
    const average = await handlingAverage(w.trx, ticket.service_id);
    await setHandlingAverage(w.trx, ticket.service_id, nextHandlingAverage(average, handled));
    return done;
  });
}

/** 过号: the called citizen did not come. */
export async function noShow(deps: WriteDeps, hallId: number, windowId: number, expectedId: number | undefined, actor: Actor): Promise<TicketRow> {
  return onCurrent(deps, hallId, windowId, expectedId, (w, window, ticket) =>
    move(w, ticket, { action: 'no_show', actor, window }),
  );
}

/** 挂起: the citizen steps away to fetch a document; the window is free for the next one. */
export async function hold(deps: WriteDeps, hallId: number, windowId: number, expectedId: number | undefined, reason: string | undefined, actor: Actor): Promise<TicketRow> {
  return onCurrent(deps, hallId, windowId, expectedId, (w, window, ticket) =>
    move(w, ticket, { action: 'hold', actor, window, reason }),
  );
}

export interface TransferTarget {
  serviceId?: number;
  windowId?: number;
  reason?: string;
}

/**
 * 转办: this entry ends as `transferred`, and a new waiting entry for the other service or
 * window takes its place. The new entry keeps the number, the token and the original issue
 * time, so the citizen keeps their slip and their place in time.
 */
export async function transfer(
  deps: WriteDeps, hallId: number, windowId: number, expectedId: number | undefined, target: TransferTarget, actor: Actor,
): Promise<{ from: TicketRow; to: TicketRow }> {
  return inHall(deps, hallId, async (w) => {
    const window = windowOf(w, windowId);
    const ticket = await currentTicket(w, window, expectedId);
    const service = serviceOf(w, target.serviceId ?? ticket.service_id);
    if (!service.active) throw new ConflictError('SERVICE_INACTIVE', `${service.name_zh} is not taking numbers now.`);
    let targetWindow: HallWindow | null = null;
    if (target.windowId !== undefined) {
      targetWindow = windowOf(w, target.windowId);
      if (targetWindow.id === window.id) throw new ConflictError('TRANSFER_TO_SELF', 'Transfer to another window, not this one.');
      if (!targetWindow.active) throw new ConflictError('WINDOW_INACTIVE', `Window ${targetWindow.number} is not in use.`);
      // 授权事项: the clerk there must be allowed to handle what the citizen is sent for.
      if (!mayHandle(await skillsOf(w.trx, targetWindow.staffId), service.id)) {
        throw new ConflictError('CLERK_NOT_AUTHORIZED', `The clerk at window ${targetWindow.number} does not handle ${service.name_zh}.`, { field: 'body.windowId' });
      }
    } else if (service.id === ticket.service_id) {
      throw new ConflictError('TRANSFER_TO_SAME_SERVICE', 'Choose another service or a window.');
    }
    // 叫号 at this window passes the citizen over from now on, unless no other window in use
    // serves where they are sent (then this window still has to).
    const elsewhere = targetWindow === null && servedElsewhere(w.windows, window.id, service.id);
    const from = await move(w, ticket, {
      action: 'transfer', actor, window, reason: target.reason ?? null,
      extra: { toServiceId: service.id, toWindowId: targetWindow?.id ?? null },
    });
    const to = await insertTicket(w.trx, waitingEntry({
      hall_id: hallId,
      service_id: service.id,
      business_day: w.day,
      // The citizen keeps their number, key, class, note, 绿色通道, number for SMS and earlier
      // visit across a transfer, and their place by the time they first took the number.
      ...carriedAcrossTransfer(ticket),
      target_window_id: targetWindow?.id ?? null,
      parent_ticket_id: ticket.id,
      avoid_window_id: elsewhere ? window.id : null,
    }, w.now));
    await recordStep(w, to, null, { action: 'issue', actor, window: null, reason: target.reason ?? null, extra: { transferredFrom: ticket.id } });
    return { from, to };
  });
}

/** A new entry waiting in a queue: what is not yet known (window, clerk, calls) starts empty. */
function waitingEntry(row: Omit<NewTicket, 'status' | 'window_id' | 'staff_id' | 'recall_count' | 'queued_at' | 'called_at' | 'started_at' | 'finished_at' | 'updated_at'>, now: number): NewTicket {
  return {
    ...row, status: 'waiting', window_id: null, staff_id: null, recall_count: 0,
    queued_at: row.issued_at, called_at: null, started_at: null, finished_at: null, updated_at: now,
  };
}

/** What a transfer's new entry keeps of the citizen's ticket. */
function carriedAcrossTransfer(ticket: TicketRow) {
  return {
    number: ticket.number, display_number: ticket.display_number, token: ticket.token, channel: ticket.channel,
    priority_class: ticket.priority_class, requeue_count: ticket.requeue_count, issued_at: ticket.issued_at,
    appointment_start: ticket.appointment_start, appointment_end: ticket.appointment_end,
    note: ticket.note, priority_reason: ticket.priority_reason, priority_granted_by: ticket.priority_granted_by, phone: ticket.phone,
    follows_ticket_id: ticket.follows_ticket_id, issued_by_staff_id: ticket.issued_by_staff_id, issued_by_device_id: ticket.issued_by_device_id,
    arrived_at: ticket.arrived_at, arrival_code: ticket.arrival_code,
  };
}

/**
 * 过号重排: a no-show citizen who turns up may be put back in the queue, once, the same day.
 * They queue from now: they gave up their place when they did not come.
 */
export async function requeue(deps: WriteDeps, hallId: number, windowId: number, ticketId: number, actor: Actor): Promise<TicketRow> {
  return inHall(deps, hallId, async (w) => {
    const window = windowOf(w, windowId);
    const ticket = await loadTicket(w.trx, hallId, ticketId);
    if (ticket.status === 'no_show' && ticket.requeue_count >= 1) {
      throw new ConflictError('REQUEUE_LIMIT', `Ticket ${ticket.display_number} was already requeued once.`);
    }
    if (ticket.status === 'no_show' && ticket.business_day !== w.day) {
      throw new ConflictError('TICKET_FROM_ANOTHER_DAY', `Ticket ${ticket.display_number} was issued on ${ticket.business_day}.`);
    }
    return move(w, ticket, {
      action: 'requeue', actor, window,
      // Put back by staff who see the citizen: in the hall now, whatever the channel.
      changes: { requeue_count: ticket.requeue_count + 1, queued_at: w.now, window_id: null, recall_count: 0, arrived_at: ticket.arrived_at ?? w.now },
    });
  });
}

/* ---------------- day end ---------------- */

/** Everything still open from an earlier business day becomes `expired`. Returns how many. */
export async function expireOpenTickets(deps: WriteDeps, hallId: number): Promise<number> {
  return inHall(deps, hallId, async (w) => {
    const stale = await openTicketsBefore(w.trx, hallId, w.day);
    for (const ticket of stale) {
      await move(w, ticket, { action: 'expire', actor: system, window: null, reason: 'business day ended' });
    }
    for (const day of new Set(stale.map((t) => t.business_day))) await invalidateDay(w.trx, hallId, day);
    return stale.length;
  });
}
