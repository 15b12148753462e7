import type { Kysely } from 'kysely';
import { levelOf } from '../../protocol/evaluations.js';
import type { PublicTicket } from '../../protocol/tickets.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { evaluationOfToken } from '../evaluations/ratings.js';
import { loadHall } from '../halls/service.js';
import { materialsOf } from '../services/service.js';
import { serviceRows } from '../tickets/estimates.js';
import { estimateFor } from '../tickets/queries.js';
import { findLiveByToken } from '../tickets/repository.js';
import { outcomeDetail } from '../tickets/views.js';
import { findWindow } from '../windows/repository.js';

/** What the citizen's phone page shows for the token on their slip: nothing about staff or others. */
export async function publicTicket(db: Kysely<Database>, token: string, now: number): Promise<PublicTicket> {
  const ticket = await findLiveByToken(db, token);
  if (!ticket) throw new NotFoundError('TICKET_NOT_FOUND', 'No ticket has this token.');
  const hall = await loadHall(db, ticket.hall_id);
  const service = (await serviceRows(db, ticket.hall_id)).get(ticket.service_id)!;
  const window = ticket.window_id === null ? undefined : await findWindow(db, ticket.hall_id, ticket.window_id);
  const { evaluation, canEvaluate } = await evaluationOfToken(db, ticket, hall, now);
  return {
    displayNumber: ticket.display_number,
    serviceNameZh: service.name_zh,
    serviceNameEn: service.name_en,
    status: ticket.status,
    windowNumber: window?.number ?? null,
    issuedAt: ticket.issued_at,
    calledAt: ticket.called_at,
    estimate: await estimateFor(db, ticket, hall, service, now),
    hallName: hall.name,
    evaluation: evaluation ? { level: levelOf(evaluation.level), createdAt: evaluation.created_at } : null,
    canEvaluate,
    // The citizen sees what they were told at the window: what to bring back, or why not accepted.
    outcome: outcomeDetail(ticket),
    materials: materialsOf(service),
    conditions: service.conditions,
    online: ticket.channel !== 'online' ? null : {
      arrived: ticket.arrived_at !== null,
      // The arrival code is for the kiosk while the citizen is on the way; no use once they are in.
      arrivalCode: ticket.arrived_at === null && ticket.status === 'waiting' ? ticket.arrival_code : null,
      graceUntil: ticket.arrived_at === null && ticket.status === 'waiting' && ticket.passed_at !== null ? ticket.passed_at + hall.settings.onlineGraceMinutes * 60_000 : null,
      timeZone: hall.timezone,
    },
  };
}

/** The hall at a glance: queue per service and every window with its citizen. */
