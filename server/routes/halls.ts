import { createHallLike } from '../changes/copy-hall.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { lastSeq, listEventsAfter } from '../db/event-log.js';
import { homeHall } from '../access/policies.js';
import { scopeOf } from '../realtime/access.js';
import { streamEntries } from '../realtime/stream.js';
import { ForbiddenError } from '../errors.js';
import { auditBy, EVERYONE, hallOf, MANAGERS, requireStaff } from '../plugins/auth.js';
import { queueSnapshot } from '../tickets/queries.js';
import { expireOpenTickets } from '../tickets/service.js';
import { changeHall, createHall, hallsVisibleTo, hallView } from '../halls/service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['halls'];

  app.get('/halls', {
    schema: { tags, summary: 'Halls this account may see', ...API['GET /halls'] },
    onRequest: app.authorize({ roles: EVERYONE }),
  }, async (request) => {
    const halls = await hallsVisibleTo(deps.db, homeHall(request.principal!));
    return halls.map((h) => hallView(h, deps.clock.now()));
  });

  app.post('/halls', {
    schema: { tags, summary: 'Create a hall (admin)', ...API['POST /halls'] },
    onRequest: app.authorize({ roles: ['admin'] }),
  }, async (request, reply) => {
    const { copyFrom } = request.body;
    const hall = copyFrom === undefined ? await createHall(deps, request.body) : await createHallLike(deps, { ...request.body, copyFrom });
    return reply.code(201).send(hallView(hall, deps.clock.now()));
  });

  app.get('/halls/:hallId', {
    schema: { tags, summary: 'A hall with its settings and current business day', ...API['GET /halls/:hallId'] },
    onRequest: app.authorize({ roles: EVERYONE, devices: ['kiosk', 'display', 'evaluator'] }),
  }, async (request) => hallView(hallOf(request), deps.clock.now()));

  app.patch('/halls/:hallId', {
    schema: { tags, summary: 'Change name, timezone, opening hours or settings', ...API['PATCH /halls/:hallId'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => {
    // Where a hall sits in the tree is the admin's to decide, not the hall's own managers'.
    if ((request.body.parentId !== undefined || request.body.level !== undefined) && requireStaff(request).staff.role !== 'admin') {
      throw new ForbiddenError('ROLE_FORBIDDEN', 'Only an admin moves a hall in the tree.');
    }
    return hallView(await changeHall(deps, request.params.hallId, request.body, auditBy(request)), deps.clock.now());
  });

  app.get('/halls/:hallId/queue', {
    schema: { tags, summary: 'Queue snapshot: waiting per service, windows and their citizens', ...API['GET /halls/:hallId/queue'] },
    onRequest: app.authorize({ roles: EVERYONE, devices: ['kiosk', 'display'] }),
  }, async (request) => queueSnapshot(deps.db, request.params.hallId, deps.clock.now()));

  app.get('/halls/:hallId/events', {
    schema: { tags, summary: 'The hall event log after a seq, in order, as the caller\'s socket receives it (for catching up)', ...API['GET /halls/:hallId/events'] },
    // Every principal with a hall socket may read its stream here too (the same rule decides what).
    onRequest: app.authorize({ roles: EVERYONE, devices: ['kiosk', 'display', 'evaluator'] }),
  }, async (request) => {
    const { hallId } = request.params;
    // The same rule as the caller's socket: another window's private events come as a seq only.
    const scope = scopeOf(request.principal!, hallId);
    const [events, seq] = await Promise.all([
      listEventsAfter(deps.db, hallId, request.query.after, request.query.limit),
      lastSeq(deps.db, hallId),
    ]);
    return { events: streamEntries(scope, events), lastSeq: seq };
  });

  app.post('/halls/:hallId/expire', {
    schema: { tags, summary: 'Expire every ticket still open from an earlier business day (also runs on a timer)', ...API['POST /halls/:hallId/expire'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => ({ expired: await expireOpenTickets(deps, request.params.hallId) }));
};

export default routes;
