import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { deviceKinds } from '../../protocol/constants.js';
import { hallView, loadHall } from '../halls/service.js';
import { loadWindow } from '../windows/service.js';
import { auditBy, MANAGERS, requireDevice } from '../plugins/auth.js';
import { recordSound } from '../devices/repository.js';
import { createDevice, deviceView, devicesOfHall, revokeDevice } from '../devices/service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['devices'];

  app.get('/devices/me', {
    schema: { tags, summary: 'The calling device and its hall (the kiosk, display, evaluator and keypad pages start here)', ...API['GET /devices/me'] },
    onRequest: app.authorize({ devices: [...deviceKinds] }),
  }, async (request) => {
    const device = requireDevice(request);
    const hall = await loadHall(deps.db, device.hall_id);
    const window = device.window_id === null ? null : await loadWindow(deps.db, device.hall_id, device.window_id);
    return { device: deviceView(device), hall: hallView(hall, deps.clock.now()), windowNumber: window?.number ?? null };
  });
  app.post('/devices/me/sound', {
    schema: { tags, summary: 'A display reports whether it may play sound without a tap and has a Chinese voice', ...API['POST /devices/me/sound'] },
    onRequest: app.authorize({ devices: ['display'] }),
  }, async (request) => {
    await recordSound(deps.db, requireDevice(request).id, request.body, deps.clock.now());
    return { ok: true as const };
  });

  const managersOnly = app.authorize({ roles: MANAGERS });

  app.get('/halls/:hallId/devices', {
    schema: { tags, summary: 'Kiosks, displays and evaluators of the hall', ...API['GET /halls/:hallId/devices'] },
    onRequest: managersOnly,
  }, async (request) => (await devicesOfHall(deps.db, request.params.hallId)).map(deviceView));

  app.post('/halls/:hallId/devices', {
    schema: { tags, summary: 'Register a device; its token is shown once', ...API['POST /halls/:hallId/devices'] },
    onRequest: managersOnly,
  }, async (request, reply) => {
    const { device, token } = await createDevice(deps, request.params.hallId, request.body, auditBy(request));
    return reply.code(201).send({ device: deviceView(device), token });
  });

  app.post('/halls/:hallId/devices/:deviceId/revoke', {
    schema: { tags, summary: 'Revoke a device token at once', ...API['POST /halls/:hallId/devices/:deviceId/revoke'] },
    onRequest: managersOnly,
  }, async (request) => deviceView(await revokeDevice(deps, request.params.hallId, request.params.deviceId, auditBy(request))));
};

export default routes;
