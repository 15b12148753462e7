import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { API } from '../../protocol/api.js';
import { addressKey, callerKey } from '../domain/addresses.js';
import { businessDay } from '../domain/business-day.js';
import { ConflictError } from '../errors.js';
import { actorOf } from '../plugins/actor.js';
import { EVERYONE, hallOf, MANAGERS } from '../plugins/auth.js';
import { provePhone } from '../appointments/verification.js';
import { arriveByCode, arriveByEntrance, onlineQueueInfo, queueOnline, todaysEntranceCode } from '../appointments/online-queue.js';
import { publicTicket } from '../phone/queries.js';
import { arriveTicket } from '../tickets/service.js';
import { issuedTicketView, ticketView } from '../tickets/views.js';

/**
 * 在线排队. Public: the services a hall gives today's numbers for online, and taking one with a
 * proven phone number (the booking page's 「现在排队」 and a 一网通办 portal); the phone page
 * confirms the arrival with the hall's entrance code. In the hall: the kiosk (or staff) confirms
 * it with the ticket's arrival code, staff by the ticket; the kiosk shows the day's entrance code.
 */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const smsGateway = deps.config.smsWebhook !== null;
  const tags = ['online queue'];
  const perAddress = { rateLimit: { max: deps.config.bookingRequestsPerMinute, timeWindow: 60_000 } };
  const perCaller = {
    rateLimit: { max: deps.config.bookingRequestsPerMinute, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => callerKey(req) },
  };

  app.get('/public/halls/:hallId/queue', {
    schema: { tags, summary: 'The services that give today\'s numbers online, with this hour\'s left and the queue now', ...API['GET /public/halls/:hallId/queue'] },
    onRequest: app.openHall,
  }, async (request) => onlineQueueInfo(deps.db, hallOf(request), deps.clock.now(), smsGateway));

  app.post('/public/halls/:hallId/queue', {
    schema: { tags, summary: '在线排队: today\'s number from afar with a proven phone number; answers its token and arrival code (only here)', ...API['POST /public/halls/:hallId/queue'] },
    onRequest: app.openHall,
    config: perAddress,
  }, async (request, reply) => {
    const hall = hallOf(request);
    if (!hall.settings.onlineQueue) throw new ConflictError('ONLINE_QUEUE_OFF', 'This hall takes no numbers online now: take one at the kiosk.');
    // Online numbers are for proven numbers only: without a gateway to send the code, none are given.
    if (!smsGateway) throw new ConflictError('SMS_NOT_AVAILABLE', 'This hall cannot send the code that proves a phone number: take a number at the kiosk.');
    const { serviceId, phone, code } = request.body;
    await provePhone(deps, hall.id, phone, code);
    const { ticket, estimate, arrivalCode } = await queueOnline(deps, hall.id, { serviceId, phone }, addressKey(request.ip));
    return reply.code(201).send({ ...issuedTicketView(ticket, estimate), arrivalCode });
  });

  app.post('/public/tickets/:token/arrive', {
    schema: { tags, summary: '到厅确认 from the phone page with the hall\'s entrance code of the day (five wrong codes, then at the kiosk)', ...API['POST /public/tickets/:token/arrive'] },
    config: perAddress,
  }, async (request) => {
    await arriveByEntrance(deps, request.params.token, request.body.code);
    return publicTicket(deps.db, request.params.token, deps.clock.now());
  });

  app.post('/halls/:hallId/tickets/arrive', {
    schema: { tags, summary: '到厅确认 at the kiosk or by staff with the ticket\'s arrival code', ...API['POST /halls/:hallId/tickets/arrive'] },
    onRequest: app.authorize({ roles: EVERYONE, devices: ['kiosk'] }),
    config: perCaller,
  }, async (request) => ticketView(await arriveByCode(deps, request.params.hallId, request.body.code, actorOf(request))));

  app.post('/halls/:hallId/tickets/:ticketId/arrive', {
    schema: { tags, summary: '到厅确认 by staff who see the citizen (a helper at the 导办台)', ...API['POST /halls/:hallId/tickets/:ticketId/arrive'] },
    onRequest: app.authorize({ roles: EVERYONE }),
  }, async (request) => ticketView(await arriveTicket(deps, request.params.hallId, request.params.ticketId, actorOf(request))));

  app.get('/halls/:hallId/entrance', {
    schema: { tags, summary: 'Today\'s entrance code and the address of its QR code (the kiosk at the entrance shows it)', ...API['GET /halls/:hallId/entrance'] },
    onRequest: app.authorize({ roles: MANAGERS, devices: ['kiosk'] }),
  }, async (request) => {
    const hall = hallOf(request);
    const day = businessDay(deps.clock.now(), hall.timezone);
    const code = todaysEntranceCode(deps.secretKey, hall.id, day);
    return { day, code, path: `/arrive/${hall.id}#${code}` };
  });
};

export default routes;
