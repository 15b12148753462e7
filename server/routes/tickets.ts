import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { GREEN_CATEGORY_ZH } from '../../protocol/tickets.js';
import { issuingChannels, seesTicketPrivate } from '../access/policies.js';
import { BadRequestError, ForbiddenError } from '../errors.js';
import { actorOf } from '../plugins/actor.js';
import { EVERYONE, hallOf, ISSUERS, requireStaff } from '../plugins/auth.js';
import { ticketDetail } from '../tickets/queries.js';
import { listTickets } from '../tickets/repository.js';
import { cancelTicket, issueTicket } from '../tickets/service.js';
import { issuedTicketView, ticketDetailView, ticketView } from '../tickets/views.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['tickets'];

  app.post('/halls/:hallId/tickets', {
    schema: { tags, summary: '取号: issue a ticket (kiosk device, or a helper or manager for a citizen; a 绿色通道 granted by staff needs a reason)', ...API['POST /halls/:hallId/tickets'] },
    // Clerks call numbers; they do not hand them out (a number issued at a window and called
    // there first would be a 关系号). Helpers and managers issue for citizens, kiosks for themselves.
    onRequest: app.authorize({ roles: ISSUERS, devices: ['kiosk'] }),
  }, async (request, reply) => {
    const p = request.principal!;
    const allowed = issuingChannels(p.kind);
    const channel = request.body.channel ?? allowed[0]!;
    if (!allowed.includes(channel)) {
      throw new BadRequestError('CHANNEL_NOT_ALLOWED', `A ${p.kind === 'device' ? 'kiosk' : 'staff member'} cannot issue ${channel} tickets.`, { field: 'body.channel' });
    }
    // What only staff can vouch for: the earlier ticket of a returning citizen, a note, a 绿色通道 reason.
    if (p.kind === 'device') {
      const field = (['followsTicketId', 'note', 'priorityReason'] as const).find((f) => request.body[f] !== undefined);
      if (field) throw new BadRequestError('CHANNEL_NOT_ALLOWED', `A kiosk cannot set ${field}: staff issue for the citizen.`, { field: `body.${field}` });
    }
    const { priorityCategory, ...body } = request.body;
    if (body.priorityClass === 'priority') {
      // At the kiosk the citizen says who the 绿色通道 is for, where the hall lets them choose it themselves.
      if (p.kind === 'device' && hallOf(request).settings.kioskGreenChannel === 'helper') {
        throw new ForbiddenError('PRIORITY_AT_HELPER_DESK', 'In this hall the 绿色通道 is granted at the 导办台 (helper desk), not at the kiosk.');
      }
      if (p.kind === 'device' && priorityCategory === undefined) {
        throw new BadRequestError('PRIORITY_CATEGORY_REQUIRED', 'Say who the 绿色通道 is for (elderly, disabled, pregnant, military, other).', { field: 'body.priorityCategory' });
      }
      // Staff grant it only with a reason (or a category), recorded with who granted it.
      if (p.kind === 'staff' && body.priorityReason === undefined && priorityCategory === undefined) {
        throw new BadRequestError('PRIORITY_REASON_REQUIRED', 'Say why this citizen goes by the 绿色通道 (老年人, 残疾人, 孕妇, 军人…).', { field: 'body.priorityReason' });
      }
    }
    const priorityReason = body.priorityReason ?? (priorityCategory && GREEN_CATEGORY_ZH[priorityCategory]);
    const { ticket, estimate } = await issueTicket(deps, request.params.hallId, { ...body, ...(priorityReason ? { priorityReason } : {}), channel }, actorOf(request));
    return reply.code(201).send(issuedTicketView(ticket, estimate));
  });

  app.get('/halls/:hallId/tickets', {
    schema: { tags, summary: 'Tickets of the hall, newest first', ...API['GET /halls/:hallId/tickets'] },
    onRequest: app.authorize({ roles: EVERYONE }),
  }, async (request) => (await listTickets(deps.db, request.params.hallId, request.query)).map(ticketView));

  app.get('/halls/:hallId/tickets/:ticketId', {
    schema: { tags, summary: 'A ticket with its full history (who, where, when)', ...API['GET /halls/:hallId/tickets/:ticketId'] },
    onRequest: app.authorize({ roles: EVERYONE }),
  }, async (request) => {
    const detail = await ticketDetail(deps.db, hallOf(request), request.params.ticketId, deps.clock.now());
    const { ticket, transitions, follows, followsTransitions } = detail;
    const { staff, session } = requireStaff(request);
    const full = seesTicketPrivate(staff, session, ticket, transitions);
    // The earlier visit's 补正 list: for whoever serves this one, and for the clerk who wrote it.
    const fullFollows = full || (follows !== null && seesTicketPrivate(staff, session, follows, followsTransitions));
    return ticketDetailView(detail, { full, fullFollows });
  });

  app.post('/halls/:hallId/tickets/:ticketId/cancel', {
    schema: { tags, summary: 'Cancel a waiting ticket', ...API['POST /halls/:hallId/tickets/:ticketId/cancel'] },
    onRequest: app.authorize({ roles: EVERYONE }),
  }, async (request) => ticketView(await cancelTicket(deps, request.params.hallId, request.params.ticketId, actorOf(request))));
};

export default routes;
