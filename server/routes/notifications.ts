import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { NotFoundError } from '../errors.js';
import { loadHall } from '../halls/service.js';
import { publicTicket } from '../phone/queries.js';
import { hallOf, MANAGERS } from '../plugins/auth.js';
import { findLiveByToken, setTicketPhone } from '../tickets/repository.js';
import { listNotifications } from '../notifications/repository.js';
import { notificationView } from '../notifications/views.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['notifications'];

  app.get('/halls/:hallId/notifications', {
    schema: { tags, summary: 'The SMS outbox: every notice made, its delivery state and last error', ...API['GET /halls/:hallId/notifications'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => (await listNotifications(deps.db, hallOf(request).id, request.query)).map(notificationView));

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
