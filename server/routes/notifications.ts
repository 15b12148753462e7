import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { maskContact } from '../../protocol/masking.js';
import { NotFoundError } from '../errors.js';
import { loadHall } from '../halls/service.js';
import { publicTicket } from '../phone/queries.js';
import { hallOf, MANAGERS } from '../plugins/auth.js';
import { findLiveByToken, setTicketPhone } from '../tickets/repository.js';
import { listNotifications } from '../notifications/repository.js';
import { TICKET_TOKEN } from '../../protocol/constants.js';

/**
 * A message as staff may read it: the citizen's links carry their ticket token or booking code,
 * and a verification message its one-time code; these are the citizen's keys and reach only them
 * (by SMS), so they are cut out here.
 */
export function withoutSecrets(text: string): string {
  return text.replace(new RegExp(`/t/${TICKET_TOKEN.source.slice(1, -1)}`, 'g'), '/t/…').replace(/code=\d{8}/g, 'code=…').replace(/验证码是 \d{6}/g, '验证码是 ******');
}

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['notifications'];

  app.get('/halls/:hallId/notifications', {
    schema: { tags, summary: 'The SMS outbox: every notice made, its delivery state and last error', ...API['GET /halls/:hallId/notifications'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => (await listNotifications(deps.db, hallOf(request).id, request.query)).map((n) => ({
    id: n.id, kind: n.kind, to: maskContact(n.phone), text: withoutSecrets(n.text), status: n.status, attempts: n.attempts, lastError: n.last_error,
    createdAt: n.created_at, sentAt: n.sent_at, ticketId: n.ticket_id, appointmentId: n.appointment_id,
  })));

  app.post('/public/tickets/:token/phone', {
    schema: { tags: ['public'], summary: 'The citizen leaves a mobile number for SMS notices (issued, N ahead, called, rating link)', ...API['POST /public/tickets/:token/phone'] },
    config: { rateLimit: { max: deps.config.bookingRequestsPerMinute, timeWindow: 60_000 } },
  }, async (request) => {
    const ticket = await findLiveByToken(deps.db, request.params.token);
    if (!ticket || (ticket.status !== 'waiting' && ticket.status !== 'called')) throw new NotFoundError('TICKET_NOT_FOUND', 'No waiting ticket has this token.');
    await setTicketPhone(deps.db, ticket.id, request.body.phone);
    const view = await publicTicket(deps.db, request.params.token, deps.clock.now());
    await app.notifier.phoneAdded(await loadHall(deps.db, ticket.hall_id), ticket.id, view.estimate?.peopleAhead ?? null);
    return view;
  });
};

export default routes;
