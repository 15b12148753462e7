import { skillsOfHall } from '../staff/skills.js';
import type { Kysely } from 'kysely';
import type { QueueSnapshot } from '../../protocol/queue.js';
import type { WaitEstimate } from '../../protocol/tickets.js';
import type { Database, ServiceRow, TicketRow, TransitionRow } from '../db/schema.js';
import { businessDay } from '../domain/business-day.js';
import { NotFoundError } from '../errors.js';
import { lastSeq } from '../db/event-log.js';
import { upcomingExceptions } from '../calendar/service.js';
import { AT_WINDOW_STATUSES } from '../../protocol/transitions.js';
import { hallIssuing, hoursWithDuty, issueWindow } from '../domain/calendar.js';
import { type Hall, loadHall } from '../halls/service.js';
import { windowsOfHall } from '../windows/service.js';
import { materialsOf } from '../services/service.js';
import { serviceEstimate, serviceRows, ticketEstimate } from './estimates.js';
import { activeAndHeldOfHall, busyWindowIds, chainOf, findTicket, issuedCounts, transitionsOf, waitingTickets } from './repository.js';
import { ticketView } from './views.js';

/** A waiting ticket's estimate as of now; the caller has the hall and its services at hand. */
export async function estimateFor(db: Kysely<Database>, ticket: TicketRow, hall: Hall, service: ServiceRow, now: number): Promise<WaitEstimate | null> {
  if (ticket.status !== 'waiting') return null;
  const [waiting, windows, busy] = await Promise.all([
    waitingTickets(db, ticket.hall_id, ticket.business_day),
    windowsOfHall(db, ticket.hall_id),
    busyWindowIds(db, ticket.hall_id),
  ]);
  return ticketEstimate(ticket, service, waiting, windows, busy, now, hall.settings);
}

export async function ticketDetail(db: Kysely<Database>, hall: Hall, id: number, now: number): Promise<{
  ticket: TicketRow; transitions: TransitionRow[]; estimate: WaitEstimate | null; follows: TicketRow | null; followsTransitions: TransitionRow[];
}> {
  const ticket = await findTicket(db, hall.id, id);
  if (!ticket) throw new NotFoundError('TICKET_NOT_FOUND', `Ticket ${id} does not exist in hall ${hall.id}.`);
  // The history of a transferred citizen spans every entry of the chain.
  const transitions = await transitionsOf(db, await chainOf(db, ticket));
  const estimate = ticket.status === 'waiting'
    ? await estimateFor(db, ticket, hall, (await serviceRows(db, hall.id)).get(ticket.service_id)!, now)
    : null;
  const follows = ticket.follows_ticket_id === null ? null : (await findTicket(db, hall.id, ticket.follows_ticket_id)) ?? null;
  const followsTransitions = follows ? await transitionsOf(db, await chainOf(db, follows)) : [];
  return { ticket, transitions, estimate, follows, followsTransitions };
}

export async function queueSnapshot(db: Kysely<Database>, hallId: number, now: number): Promise<QueueSnapshot> {
  // Read in one transaction so the seq matches the rows: a realtime client resumes after it.
  return db.transaction().setAccessMode('read only').execute(async (trx) => {
    const hall = await loadHall(trx, hallId);
    const day = businessDay(now, hall.timezone);
    const [seq, services, waiting, windows, busy, issued, exceptions, skills] = await Promise.all([
      lastSeq(trx, hallId),
      serviceRows(trx, hallId),
      waitingTickets(trx, hallId, day),
      windowsOfHall(trx, hallId),
      activeAndHeldOfHall(trx, hallId),
      issuedCounts(trx, hallId, day),
      upcomingExceptions(trx, hall, now),
      skillsOfHall(trx, hallId),
    ]);
    const atWindows = new Set(busy.filter((b) => b.window_id !== null && AT_WINDOW_STATUSES.includes(b.status)).map((b) => b.window_id!));
    const hallState = hallIssuing(now, hall.openingHours, windows, exceptions, hall.timezone);
    const sortedServices = [...services.values()].sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
    return {
      hallId,
      businessDay: day,
      lastSeq: seq,
      at: now,
      issuing: hallState,
      services: sortedServices.map((s) => {
        const mine = waiting.filter((t) => t.service_id === s.id);
        const state = issueWindow(now, hoursWithDuty(hall.openingHours, windows, s.id), exceptions, hall.timezone, s.issue_cutoff_minutes);
        const oldest = mine.reduce<number | null>((min, t) => (min === null || t.issued_at < min ? t.issued_at : min), null);
        return {
          serviceId: s.id,
          code: s.code,
          nameZh: s.name_zh,
          nameEn: s.name_en,
          prefix: s.prefix,
          active: s.active === 1,
          waiting: mine.length,
          issuedToday: issued.get(s.id) ?? 0,
          dailyQuota: s.daily_quota,
          longestWaitMs: oldest === null ? null : now - oldest,
          estimate: serviceEstimate(s, mine.length, windows, atWindows),
          issuing: state.open,
          nextOpening: state.open ? null : state.nextOpening,
          materials: materialsOf(s),
        };
      }),
      windows: windows.map((w) => ({
        windowId: w.id,
        number: w.number,
        kind: w.kind,
        specialPurpose: w.specialPurpose,
        state: w.state,
        pauseReason: w.pauseReason,
        pausedAt: w.pausedAt,
        staffName: w.staffName,
        staffSkills: w.staffId === null || !skills.has(w.staffId) ? null : skills.get(w.staffId)!.map((x) => x.serviceId),
        current: (() => {
          const t = busy.find((b) => b.window_id === w.id && AT_WINDOW_STATUSES.includes(b.status));
          return t ? ticketView(t) : null;
        })(),
        held: busy.filter((b) => b.window_id === w.id && b.status === 'on_hold').map(ticketView),
      })),
    };
  });
}
