import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeviceParams, HallParams } from '../../protocol/common.js';
import { CreateDeviceBody, DeviceView, DeviceWithToken } from '../../protocol/devices.js';
import { MANAGERS } from '../plugins/auth.js';
import { createDevice, deviceView, devicesOfHall, revokeDevice } from './service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['devices'];
  const managersOnly = app.authorize({ roles: MANAGERS });

  app.get('/halls/:hallId/devices', {
    schema: { tags, summary: 'Kiosks, displays and evaluators of the hall', params: HallParams, response: { 200: z.array(DeviceView) } },
    onRequest: managersOnly,
  }, async (request) => (await devicesOfHall(deps.db, request.params.hallId)).map(deviceView));

  app.post('/halls/:hallId/devices', {
    schema: { tags, summary: 'Register a device; its token is shown once', params: HallParams, body: CreateDeviceBody, response: { 201: DeviceWithToken } },
    onRequest: managersOnly,
  }, async (request, reply) => {
    const { device, token } = await createDevice(deps, request.params.hallId, request.body);
    return reply.code(201).send({ device: deviceView(device), token });
  });

  app.post('/halls/:hallId/devices/:deviceId/revoke', {
    schema: { tags, summary: 'Revoke a device token at once', params: DeviceParams, response: { 200: DeviceView } },
    onRequest: managersOnly,
  }, async (request) => deviceView(await revokeDevice(deps, request.params.hallId, request.params.deviceId)));
};

export default routes;
