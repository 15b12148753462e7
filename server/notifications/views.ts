import type { NotificationView } from '../../protocol/notifications.js';
import { maskContact } from '../../protocol/masking.js';
import { TICKET_TOKEN } from '../../protocol/constants.js';
import type { NotificationRow } from '../db/schema.js';

/**
 * A message as staff may read it: the citizen's links carry their ticket token or booking code,
 * and a verification message its one-time code; these are the citizen's keys and reach only them
 * (by SMS), so they are cut out here.
 */
export function withoutSecrets(text: string): string {
  return text.replace(new RegExp(`/t/${TICKET_TOKEN.source.slice(1, -1)}`, 'g'), '/t/…').replace(/code=\d{8}/g, 'code=…').replace(/验证码是 \d{6}/g, '验证码是 ******');
}

/** The outbox as the hall's managers read it: the number masked, the citizen's keys cut out. */
export function notificationView(n: NotificationRow): NotificationView {
  return {
    id: n.id, kind: n.kind, to: maskContact(n.phone), text: withoutSecrets(n.text), status: n.status, attempts: n.attempts, lastError: n.last_error,
    createdAt: n.created_at, sentAt: n.sent_at, ticketId: n.ticket_id, appointmentId: n.appointment_id,
  };
}
