import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API } from '../../protocol/api.js';
import { deviceOfToken } from '../access/credentials.js';
import { callerState, pressKey } from '../hardware/caller.js';
import { ledBody, ledLines } from '../hardware/led.js';
import { windowScreen } from '../hardware/window-screen.js';
import { requireDevice } from '../plugins/auth.js';

/** A window's keypad (呼叫器) and LED strip controllers: small contracts a vendor's gateway can speak. */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['hardware'];
  const callerOnly = app.authorize({ devices: ['caller'] });

  app.post('/caller/keys', {
    schema: { tags, summary: '呼叫器: one key for the clerk at the keypad\'s window; answers with the two lines its display shows', ...API['POST /caller/keys'] },
    onRequest: callerOnly,
  }, async (request) => pressKey(deps, requireDevice(request), request.body));

  app.get('/caller/state', {
    schema: { tags, summary: '呼叫器: what its display shows now (the citizen at the window, who waits)', ...API['GET /caller/state'] },
    onRequest: callerOnly,
  }, async (request) => callerState(deps.db, requireDevice(request), deps.clock.now()));

  app.get('/window-screen/current', {
    schema: { tags, summary: '窗口屏: the window, the citizen at it, and the staff member on duty (工作人员公示)', ...API['GET /window-screen/current'] },
    onRequest: app.authorize({ devices: ['window_screen'] }),
  }, async (request) => windowScreen(deps.db, requireDevice(request), deps.clock.now()));

  const ledOnly = app.authorize({ devices: ['led'] });
  app.get('/led/text', {
    schema: { tags, summary: 'LED strip: the latest calls as plain text (UTF-8 or GBK); the device token as Bearer or token=', ...API['GET /led/text'] },
    // Many controllers can only poll a URL: their token may come as `token=` (never logged).
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const token = (request.query as { token?: unknown } | undefined)?.token;
      if (!request.principal && typeof token === 'string') {
        const device = await deviceOfToken(deps.db, token);
        if (device) request.principal = { kind: 'device', device };
      }
      return ledOnly.call(app, request, reply);
    },
  }, async (request, reply) => {
    const { type, body } = ledBody(await ledLines(deps.db, requireDevice(request), request.query, deps.clock.now()), request.query.charset);
    return reply.header('cache-control', 'no-store').type(type).send(body);
  });
};

export default routes;
