import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HallParams, ServiceParams } from '../../protocol/common.js';
import { CreateServiceBody, ServiceView, UpdateServiceBody } from '../../protocol/services.js';
import { ALL_STAFF, MANAGERS } from '../plugins/auth.js';
import { changeService, createService, serviceView, servicesOfHall } from './service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['services'];

  app.get('/halls/:hallId/services', {
    schema: { tags, summary: 'Services (事项) of the hall', params: HallParams, response: { 200: z.array(ServiceView) } },
    onRequest: app.authorize({ roles: ALL_STAFF, devices: ['kiosk', 'display'] }),
  }, async (request) => (await servicesOfHall(deps.db, request.params.hallId)).map(serviceView));

  app.post('/halls/:hallId/services', {
    schema: { tags, summary: 'Add a service', params: HallParams, body: CreateServiceBody, response: { 201: ServiceView } },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request, reply) => reply.code(201).send(serviceView(await createService(deps, request.params.hallId, request.body))));

  app.patch('/halls/:hallId/services/:serviceId', {
    schema: { tags, summary: 'Change a service', params: ServiceParams, body: UpdateServiceBody, response: { 200: ServiceView } },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => serviceView(await changeService(deps, request.params.hallId, request.params.serviceId, request.body)));
};

export default routes;
