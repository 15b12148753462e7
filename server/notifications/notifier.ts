import type { HallEvent } from '../../protocol/events.js';
import { type NotificationKind, renderTemplate, SMS_MAX } from '../../protocol/notifications.js';
import type { NotificationsTable } from '../db/schema.js';
import type { WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import { localTime } from '../domain/calendar.js';
import { type Hall, loadHall } from '../halls/service.js';
import { serviceRows, ticketEstimate } from '../tickets/estimates.js';
import { busyWindowIds, findTicket, waitingTickets } from '../tickets/repository.js';
import { windowsOfHall } from '../windows/service.js';
import {
  bookingsToRemind, claimDue, insertOnce, markFailedAttempt, markKept, markSent, phonedWaiting,
} from './repository.js';
import type { Sender } from './sender.js';

/** Attempts before a message is given up (recorded as failed): 1, then retries after 30 s, 1, 2, 4 and 8 min. */
const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 30_000;
const BATCH = 50;
/** How long a claimed message is this sender's: longer than a whole batch of gateway timeouts would be. */
const SEND_LEASE_MS = 10 * 60_000;

/** What a number taken online is told about arriving: the code for the kiosk, and the place kept. */
function arrivalNote(code: string, graceMinutes: number): string {
  return `到厅后请扫描入口二维码，或在取号机输入到厅码 ${code} 确认到达；轮到您时未到厅的，号码保留 ${graceMinutes} 分钟。`;
}

function withArrival(text: string, note: string): string {
  return `${text}${note}`.slice(0, SMS_MAX);
}

/** When the next attempt is due after `attempts` failed ones, or null to give up. */
export function retryAt(now: number, attempts: number): number | null {
  return attempts >= MAX_ATTEMPTS ? null : now + FIRST_RETRY_MS * 2 ** (attempts - 1);
}

export interface NotifierDeps {
  deps: WriteDeps;
  sender: Sender;
  /** Absolute base of the citizen's links (PUBLIC_URL), '' when not configured. */
  publicUrl: string;
  log: { warn(obj: object, msg: string): void };
}

/**
 * Makes the SMS notices from committed events and hands them to the sender. It runs after the
 * commit and apart from the request, so a slow or failing gateway never holds up the queue;
 * every message is first stored (the outbox), then delivered with retries.
 */
export class Notifier {
  /** Settles when the messages of the events seen so far are stored (tests wait on it). */
  idle: Promise<void> = Promise.resolve();

  constructor(private readonly n: NotifierDeps) {}

  /** Called for every committed event: a bus listener, so it must not throw. */
  onEvent(event: HallEvent): void {
    this.idle = this.idle.then(() => this.#fromEvent(event)).catch((err: unknown) => this.n.log.warn({ err, seq: event.seq }, 'could not make the SMS notice of an event'));
  }

  async #store(hall: Hall, row: Omit<NotificationsTable, 'id' | 'attempts' | 'status' | 'next_attempt_at' | 'last_error' | 'created_at' | 'sent_at' | 'hall_id'>): Promise<void> {
    const now = this.n.deps.clock.now();
    await insertOnce(this.n.deps.db, { ...row, hall_id: hall.id, status: 'pending', next_attempt_at: now, last_error: null, created_at: now, sent_at: null });
  }

  async #fromEvent(event: HallEvent): Promise<void> {
    if (event.type !== 'ticket:issued' && event.type !== 'ticket:called' && event.type !== 'ticket:finished') return;
    const db = this.n.deps.db;
    const view = event.payload.ticket;
    const hall = await loadHall(db, event.hallId);
    // The queue moved: citizens now close enough are told so, once.
    if (event.type === 'ticket:called') await this.#ahead(hall);
    // A transfer's new entry is not a new number: no "issued" message for it.
    if (event.type === 'ticket:issued' && event.payload.transferredFrom !== undefined) return;
    const kind: Exclude<NotificationKind, 'verification' | 'reply'> = event.type === 'ticket:issued' ? 'issued' : event.type === 'ticket:called' ? 'called' : 'rate';
    await this.#forTicket(hall, view.id, kind, {
      ahead: event.type === 'ticket:issued' ? event.payload.estimate?.peopleAhead ?? '' : '',
      window: event.payload.window?.number ?? '',
    });
  }

  async #forTicket(hall: Hall, ticketId: number, kind: Exclude<NotificationKind, 'verification' | 'reply'>, more: { ahead?: number | string; window?: string }): Promise<void> {
    const db = this.n.deps.db;
    const ticket = await findTicket(db, hall.id, ticketId);
    if (!ticket?.phone) return;
    const service = (await serviceRows(db, hall.id)).get(ticket.service_id);
    let text = renderTemplate(hall.settings.smsTemplates[kind], {
      hall: hall.name, number: ticket.display_number, service: service?.name_zh ?? '', link: `${this.n.publicUrl}/t/${ticket.token}`, ...more,
    });
    // 在线排队: how to say "I am here", with the code for the kiosk.
    if (kind === 'issued' && ticket.arrived_at === null && ticket.arrival_code !== null) text = withArrival(text, arrivalNote(ticket.arrival_code, hall.settings.onlineGraceMinutes));
    await this.#store(hall, { ticket_id: ticket.id, appointment_id: null, kind, phone: ticket.phone, text });
  }

  /** A number left after taking the ticket (kiosk, phone page): the "issued" notice goes now, with the people ahead now. */
  async phoneAdded(hall: Hall, ticketId: number, peopleAhead: number | null): Promise<void> {
    await this.#forTicket(hall, ticketId, 'issued', { ahead: peopleAhead ?? '' });
  }

  async #ahead(hall: Hall): Promise<void> {
    const at = hall.settings.smsAheadAt;
    if (at === 0) return;
    const db = this.n.deps.db;
    const now = this.n.deps.clock.now();
    const day = businessDay(now, hall.timezone);
    // Usually nobody waiting left a number: one small query, and done.
    const phoned = new Set((await phonedWaiting(db, hall.id, day)).map((r) => r.id));
    if (phoned.size === 0) return;
    const waiting = await waitingTickets(db, hall.id, day);
    const [windows, services, busy] = await Promise.all([windowsOfHall(db, hall.id), serviceRows(db, hall.id), busyWindowIds(db, hall.id)]);
    for (const ticket of waiting.filter((x) => phoned.has(x.id))) {
      const service = services.get(ticket.service_id)!;
      const estimate = ticketEstimate(ticket, service, waiting, windows, busy, now, hall.settings);
      if (!estimate || estimate.peopleAhead > at) continue;
      let text = renderTemplate(hall.settings.smsTemplates.ahead, { hall: hall.name, number: ticket.display_number, service: service.name_zh, ahead: estimate.peopleAhead });
      // Taken online and not in the hall yet: come now.
      if (ticket.arrived_at === null) text = withArrival(text, `请在 ${Math.max(5, estimate.estimatedWaitMinutes ?? hall.settings.onlineGraceMinutes)} 分钟内到厅，扫描入口二维码确认到达。`);
      await this.#store(hall, { ticket_id: ticket.id, appointment_id: null, kind: 'ahead', phone: ticket.phone!, text });
    }
  }

  /** Bookings starting within the hall's reminder time get their reminder, once. */
  async remind(hallId: number): Promise<number> {
    const db = this.n.deps.db;
    const hall = await loadHall(db, hallId);
    const now = this.n.deps.clock.now();
    const due = await bookingsToRemind(db, hallId, now, hall.settings.smsReminderMinutes * 60_000);
    const services = await serviceRows(db, hallId);
    for (const booking of due) {
      const text = renderTemplate(hall.settings.smsTemplates.reminder, {
        hall: hall.name, service: services.get(booking.service_id)?.name_zh ?? '', time: localTime(booking.slot_start, hall.timezone),
        link: `${this.n.publicUrl}/book#code=${booking.code}`,
      });
      await this.#store(hall, { ticket_id: null, appointment_id: booking.id, kind: 'reminder', phone: booking.phone, text });
      await db.updateTable('appointments').set({ reminded_at: now }).where('id', '=', booking.id).execute();
    }
    return due.length;
  }

  /** Hands every message that is due to the sender; a failure is retried later, never thrown. */
  async deliverDue(): Promise<{ sent: number; failed: number; kept: number }> {
    const db = this.n.deps.db;
    const now = this.n.deps.clock.now();
    let sent = 0;
    let failed = 0;
    let kept = 0;
    for (const message of await claimDue(db, now, BATCH, now + SEND_LEASE_MS)) {
      try {
        await this.n.sender.send({ id: message.id, to: message.phone, text: message.text });
        if (this.n.sender.keepsOnly) {
          await markKept(db, message.id);
          kept++;
        } else {
          await markSent(db, message.id, this.n.deps.clock.now());
          sent++;
        }
      } catch (err) {
        failed++;
        const attempts = message.attempts + 1;
        await markFailedAttempt(db, message.id, err instanceof Error ? err.message : String(err), retryAt(this.n.deps.clock.now(), attempts));
        this.n.log.warn({ notification: message.id, attempts, sender: this.n.sender.name, err }, 'SMS not delivered; will retry');
      }
    }
    // Without a gateway nothing is sent: the messages are kept, and said to be (未发送).
    return { sent, failed, kept };
  }
}
