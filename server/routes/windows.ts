import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { actorOf } from '../plugins/actor.js';
import { ALL_STAFF, auditBy, hallOf, MANAGERS, requireStaff } from '../plugins/auth.js';
import type { FastifyRequest } from 'fastify';
import type { WindowActor } from '../windows/service.js';
import * as engine from '../tickets/service.js';
import { ticketView } from '../tickets/views.js';
import {
  changeWindow, createWindow, loadWindow, pauseWindow, resumeWindow, signInToWindow, signOutOfWindow, windowsOfHall, windowView,
} from '../windows/service.js';

/** Who acts on the window, for the record when it is not its own clerk (a manager from the live view). */
function windowActor(request: FastifyRequest): WindowActor {
  return { ...auditBy(request), staffId: requireStaff(request).staff.id };
}

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['windows'];

  app.get('/halls/:hallId/windows', {
    schema: { tags, summary: 'Windows of the hall with their tiers and state', ...API['GET /halls/:hallId/windows'] },
    onRequest: app.authorize({ roles: ALL_STAFF, devices: ['display'] }),
  }, async (request) => (await windowsOfHall(deps.db, request.params.hallId)).map(windowView));

  app.post('/halls/:hallId/windows', {
    schema: { tags, summary: 'Add a window', ...API['POST /halls/:hallId/windows'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request, reply) => reply.code(201).send(windowView(await createWindow(deps, request.params.hallId, request.body))));

  app.get('/halls/:hallId/windows/:windowId', {
    schema: { tags, summary: 'One window', ...API['GET /halls/:hallId/windows/:windowId'] },
    onRequest: app.authorize({ roles: ALL_STAFF, devices: ['display', 'evaluator'] }),
  }, async (request) => windowView(await loadWindow(deps.db, request.params.hallId, request.params.windowId)));

  app.patch('/halls/:hallId/windows/:windowId', {
    schema: { tags, summary: 'Change number, kind, purpose, tiers or active flag', ...API['PATCH /halls/:hallId/windows/:windowId'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => windowView(await changeWindow(deps, request.params.hallId, request.params.windowId, request.body)));

  /* ---- the clerk at the window ---- */
  const tagsAct = ['window actions'];
  const own = app.authorize({ roles: ALL_STAFF, ownWindow: true });

  app.post('/halls/:hallId/windows/:windowId/sign-in', {
    schema: { tags: tagsAct, summary: 'Take this window: it opens under your name', ...API['POST /halls/:hallId/windows/:windowId/sign-in'] },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const { staff, session } = requireStaff(request);
    return windowView(await signInToWindow(deps, request.params.hallId, request.params.windowId, staff, session));
  });

  app.post('/halls/:hallId/windows/:windowId/sign-out', {
    schema: { tags: tagsAct, summary: 'Leave the window: it closes', ...API['POST /halls/:hallId/windows/:windowId/sign-out'] },
    onRequest: own,
  }, async (request) => windowView(await signOutOfWindow(deps, request.params.hallId, request.params.windowId, windowActor(request))));

  app.post('/halls/:hallId/windows/:windowId/pause', {
    schema: { tags: tagsAct, summary: '暂停: stop calling for a while', ...API['POST /halls/:hallId/windows/:windowId/pause'] },
    onRequest: own,
  }, async (request) => windowView(await pauseWindow(
    deps, request.params.hallId, request.params.windowId, request.body?.reason ?? 'other', hallOf(request).timezone, windowActor(request),
  )));

  app.post('/halls/:hallId/windows/:windowId/resume', {
    schema: { tags: tagsAct, summary: 'Resume calling', ...API['POST /halls/:hallId/windows/:windowId/resume'] },
    onRequest: own,
  }, async (request) => windowView(await resumeWindow(deps, request.params.hallId, request.params.windowId, windowActor(request))));

  app.post('/halls/:hallId/windows/:windowId/call-next', {
    schema: { tags: tagsAct, summary: '叫号: call the next citizen by the routing rule (ticket is null when nobody waits)', ...API['POST /halls/:hallId/windows/:windowId/call-next'] },
    onRequest: own,
  }, async (request) => {
    const ticket = await engine.callNext(deps, request.params.hallId, request.params.windowId, actorOf(request));
    return { ticket: ticket ? ticketView(ticket) : null };
  });

  app.post('/halls/:hallId/windows/:windowId/call', {
    schema: { tags: tagsAct, summary: '选叫: call a particular waiting ticket, with a reason', ...API['POST /halls/:hallId/windows/:windowId/call'] },
    onRequest: own,
  }, async (request) => {
    const { hallId, windowId } = request.params;
    return { ticket: ticketView(await engine.callSpecific(deps, hallId, windowId, request.body.ticketId, request.body.reason, actorOf(request))) };
  });

  // Actions on the window's current citizen; the optional ticketId guards against a stale screen.
  // The body may be absent altogether (Fastify then passes null).
  const onCurrent = [
    ['recall', '重呼: announce the current ticket again (past the recall limit: no-show)', engine.recall],
    ['start', 'Start serving the called citizen', engine.start],
    ['no-show', '过号: the called citizen did not come', engine.noShow],
  ] as const;
  for (const [path, summary, action] of onCurrent) {
    app.post(`/halls/:hallId/windows/:windowId/${path}`, {
      schema: { tags: tagsAct, summary, ...API[`POST /halls/:hallId/windows/:windowId/${path}`] },
      onRequest: own,
    }, async (request) => {
      const { hallId, windowId } = request.params;
      return { ticket: ticketView(await action(deps, hallId, windowId, request.body?.ticketId, actorOf(request))) };
    });
  }

  app.post('/halls/:hallId/windows/:windowId/finish', {
    schema: { tags: tagsAct, summary: 'Finish serving, with the outcome: 办结, 补正告知 (the missing materials) or 不予受理 (the reason)', ...API['POST /halls/:hallId/windows/:windowId/finish'] },
    onRequest: own,
  }, async (request) => {
    const { hallId, windowId } = request.params;
    const { ticketId, ...result } = request.body ?? { outcome: 'done' as const };
    return { ticket: ticketView(await engine.finish(deps, hallId, windowId, ticketId, actorOf(request), result)) };
  });

  app.post('/halls/:hallId/windows/:windowId/hold', {
    schema: { tags: tagsAct, summary: '挂起: the citizen steps away; the window is free', ...API['POST /halls/:hallId/windows/:windowId/hold'] },
    onRequest: own,
  }, async (request) => {
    const { hallId, windowId } = request.params;
    return { ticket: ticketView(await engine.hold(deps, hallId, windowId, request.body?.ticketId, request.body?.reason, actorOf(request))) };
  });

  app.post('/halls/:hallId/windows/:windowId/call-back', {
    schema: { tags: tagsAct, summary: '回呼: call a held citizen back to this window ahead of the queue', ...API['POST /halls/:hallId/windows/:windowId/call-back'] },
    onRequest: own,
  }, async (request) => {
    const { hallId, windowId } = request.params;
    return { ticket: ticketView(await engine.callBack(deps, hallId, windowId, request.body.ticketId, actorOf(request))) };
  });

  app.post('/halls/:hallId/windows/:windowId/transfer', {
    schema: { tags: tagsAct, summary: '转办: send the citizen to another service and/or window, keeping their place in time', ...API['POST /halls/:hallId/windows/:windowId/transfer'] },
    onRequest: own,
  }, async (request) => {
    const { hallId, windowId } = request.params;
    const { ticketId, ...target } = request.body;
    const { from, to } = await engine.transfer(deps, hallId, windowId, ticketId, target, actorOf(request));
    return { ticket: ticketView(from), transferredTo: ticketView(to) };
  });

  app.post('/halls/:hallId/windows/:windowId/requeue', {
    schema: { tags: tagsAct, summary: '过号重排: put a no-show citizen back in the queue (once a day)', ...API['POST /halls/:hallId/windows/:windowId/requeue'] },
    onRequest: own,
  }, async (request) => {
    const { hallId, windowId } = request.params;
    return { ticket: ticketView(await engine.requeue(deps, hallId, windowId, request.body.ticketId, actorOf(request))) };
  });
};

export default routes;
