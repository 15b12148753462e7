import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { rateByToken } from '../evaluations/ratings.js';
import { cancelByToken } from '../tickets/service.js';
import { publicTicket } from '../phone/queries.js';

/** The citizen's phone page: the 128-bit token on the slip is the only credential. */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;

  app.get('/public/tickets/:token', {
    schema: { tags: ['public'], summary: 'Status of a ticket for the phone page', ...API['GET /public/tickets/:token'] },
  }, async (request) => publicTicket(deps.db, request.params.token, deps.clock.now()));

  app.post('/public/tickets/:token/cancel', {
    schema: { tags: ['public'], summary: 'The citizen gives up their place', ...API['POST /public/tickets/:token/cancel'] },
  }, async (request) => {
    await cancelByToken(deps, request.params.token);
    return publicTicket(deps.db, request.params.token, deps.clock.now());
  });

  app.post('/public/tickets/:token/evaluation', {
    schema: { tags: ['public'], summary: 'The citizen rates the service from the phone page (also later, within the hall\'s period)', ...API['POST /public/tickets/:token/evaluation'] },
  }, async (request, reply) => {
    await rateByToken(deps, request.params.token, request.body);
    return reply.code(201).send(await publicTicket(deps.db, request.params.token, deps.clock.now()));
  });
};

export default routes;
