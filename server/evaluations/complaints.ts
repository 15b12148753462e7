import { COMPLAINT_SOURCE_ZH, type ComplaintBody } from '../../protocol/evaluations.js';
import { workingDaysAfter } from '../calendar/service.js';
import type { StaffRow, TicketRow } from '../db/schema.js';
import { writeInHall, type WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import { BadRequestError } from '../errors.js';
import { loadHall } from '../halls/service.js';
import { listTickets } from '../tickets/repository.js';
import { findWindow } from '../windows/repository.js';
import { insertCase, insertCaseStep, insertComplaint } from './repository.js';

/* Complaints from other channels (意见簿, 12345, a call): entered by a manager, followed up as a case. */

/** The entry of a number that was served (after a transfer, the last one), else the newest. */
const servedEntry = (entries: TicketRow[]) => entries.find((x) => x.status === 'done') ?? entries[0];

/**
 * Enters a complaint about a ticket (by its number and day: the service, window and clerk that
 * served it) or about a window, and opens its case with the hall's working-day deadlines counted
 * from when the complaint reached the hall.
 */
export async function enterComplaint(deps: WriteDeps, hallId: number, body: ComplaintBody, actor: StaffRow): Promise<{ id: number }> {
  return writeInHall(deps, hallId, async (w) => {
    const hall = await loadHall(w.trx, hallId);
    const receivedAt = body.receivedAt ?? w.now;
    if (receivedAt > w.now) throw new BadRequestError('RECEIVED_IN_FUTURE', 'A complaint cannot have reached the hall later than now.', { field: 'body.receivedAt' });
    const day = businessDay(receivedAt, hall.timezone);
    let subject: { ticketId: number | null; serviceId: number | null; windowId: number | null; staffId: number | null };
    if (body.displayNumber !== undefined) {
      const ticketDay = body.businessDay ?? day;
      const ticket = servedEntry(await listTickets(w.trx, hallId, { displayNumber: body.displayNumber, businessDay: ticketDay, limit: 20 }));
      if (!ticket) throw new BadRequestError('COMPLAINT_TICKET_UNKNOWN', `No ticket ${body.displayNumber} on ${ticketDay} in this hall.`, { field: 'body.displayNumber' });
      if (body.windowId !== undefined && body.windowId !== ticket.window_id) {
        throw new BadRequestError('WINDOW_NOT_THE_TICKETS', `Ticket ${body.displayNumber} was not served at that window; give the number or the window.`, { field: 'body.windowId' });
      }
      subject = { ticketId: ticket.id, serviceId: ticket.service_id, windowId: ticket.window_id, staffId: ticket.staff_id };
    } else if (body.windowId !== undefined) {
      if (!(await findWindow(w.trx, hallId, body.windowId))) throw new BadRequestError('COMPLAINT_WINDOW_UNKNOWN', `No window ${body.windowId} in this hall.`, { field: 'body.windowId' });
      subject = { ticketId: null, serviceId: null, windowId: body.windowId, staffId: null };
    } else {
      throw new BadRequestError('COMPLAINT_SUBJECT_REQUIRED', 'Name the ticket (its number) or the window the complaint is about.', { field: 'body.displayNumber' });
    }
    const complaint = await insertComplaint(w.trx, {
      hall_id: hallId, source: body.source,
      ticket_id: subject.ticketId, service_id: subject.serviceId, window_id: subject.windowId, staff_id: subject.staffId,
      content: body.content, contact: body.contact ?? null, reference: body.reference ?? null,
      received_at: receivedAt, business_day: day, entered_by: actor.id, created_at: w.now,
    });
    const opened = await insertCase(w.trx, {
      hall_id: hallId, evaluation_id: null, complaint_id: complaint.id, state: 'open', owner_staff_id: null,
      verify_due_at: await workingDaysAfter(w.trx, hall, receivedAt, hall.settings.verifyWorkingDays),
      rectify_due_at: await workingDaysAfter(w.trx, hall, receivedAt, hall.settings.rectifyWorkingDays),
      citizen_satisfied: null, created_at: w.now, updated_at: w.now, closed_at: null,
    });
    const reference = body.reference ? `（${body.reference}）` : '';
    await insertCaseStep(w.trx, { case_id: opened.id, from_state: null, to_state: 'open', note: `${COMPLAINT_SOURCE_ZH[body.source]}投诉登记${reference}`, staff_id: actor.id, at: w.now });
    await w.record(hallId, { type: 'case:changed', windowId: subject.windowId, payload: { caseId: opened.id, state: 'open' } });
    return opened;
  });
}
