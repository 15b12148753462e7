import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { EVERYONE, MANAGERS } from '../plugins/auth.js';
import { changeService, createService, serviceView, servicesOfHall } from '../services/service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['services'];

  app.get('/halls/:hallId/services', {
    schema: { tags, summary: 'Services (事项) of the hall', ...API['GET /halls/:hallId/services'] },
    onRequest: app.authorize({ roles: EVERYONE, devices: ['kiosk', 'display'] }),
  }, async (request) => (await servicesOfHall(deps.db, request.params.hallId)).map(serviceView));

  app.post('/halls/:hallId/services', {
    schema: { tags, summary: 'Add a service', ...API['POST /halls/:hallId/services'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request, reply) => reply.code(201).send(serviceView(await createService(deps, request.params.hallId, request.body))));

  app.patch('/halls/:hallId/services/:serviceId', {
    schema: { tags, summary: 'Change a service', ...API['PATCH /halls/:hallId/services/:serviceId'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => serviceView(await changeService(deps, request.params.hallId, request.params.serviceId, request.body)));
};

export default routes;
