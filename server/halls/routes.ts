import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HallParams } from '../../protocol/common.js';
import { EventsPage, EventsQuery } from '../../protocol/events.js';
import { CreateHallBody, HallView, UpdateHallBody } from '../../protocol/halls.js';
import { QueueSnapshot } from '../../protocol/queue.js';
import { lastSeq, listEventsAfter } from '../db/event-log.js';
import { ALL_STAFF, MANAGERS, principalHallId, auditBy } from '../plugins/auth.js';
import { queueSnapshot } from '../tickets/queries.js';
import { expireOpenTickets } from '../tickets/service.js';
import { changeHall, createHall, hallsVisibleTo, hallView, loadHall } from './service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['halls'];

  app.get('/halls', {
    schema: { tags, summary: 'Halls this account may see', response: { 200: z.array(HallView) } },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const halls = await hallsVisibleTo(deps.db, principalHallId(request.principal!));
    return halls.map((h) => hallView(h, deps.clock.now()));
  });

  app.post('/halls', {
    schema: { tags, summary: 'Create a hall (admin)', body: CreateHallBody, response: { 201: HallView } },
    onRequest: app.authorize({ roles: ['admin'] }),
  }, async (request, reply) => {
    const hall = await createHall(deps, request.body);
    return reply.code(201).send(hallView(hall, deps.clock.now()));
  });

  app.get('/halls/:hallId', {
    schema: { tags, summary: 'A hall with its settings and current business day', params: HallParams, response: { 200: HallView } },
    onRequest: app.authorize({ roles: ALL_STAFF, devices: ['kiosk', 'display', 'evaluator'] }),
  }, async (request) => hallView(await loadHall(deps.db, request.params.hallId), deps.clock.now()));

  app.patch('/halls/:hallId', {
    schema: { tags, summary: 'Change name, timezone, opening hours or settings', params: HallParams, body: UpdateHallBody, response: { 200: HallView } },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => hallView(await changeHall(deps, request.params.hallId, request.body, auditBy(request)), deps.clock.now()));

  app.get('/halls/:hallId/queue', {
    schema: { tags, summary: 'Queue snapshot: waiting per service, windows and their citizens', params: HallParams, response: { 200: QueueSnapshot } },
    onRequest: app.authorize({ roles: ALL_STAFF, devices: ['kiosk', 'display'] }),
  }, async (request) => queueSnapshot(deps.db, request.params.hallId, deps.clock.now()));

  app.get('/halls/:hallId/events', {
    schema: { tags, summary: 'The hall event log after a seq, in order (for catching up)', params: HallParams, querystring: EventsQuery, response: { 200: EventsPage } },
    onRequest: app.authorize({ roles: ALL_STAFF, devices: ['kiosk', 'display'] }),
  }, async (request) => {
    const { hallId } = request.params;
    await loadHall(deps.db, hallId);
    const [events, seq] = await Promise.all([
      listEventsAfter(deps.db, hallId, request.query.after, request.query.limit),
      lastSeq(deps.db, hallId),
    ]);
    return { events, lastSeq: seq };
  });

  app.post('/halls/:hallId/expire', {
    schema: {
      tags, summary: 'Expire every ticket still open from an earlier business day (also runs on a timer)',
      params: HallParams, response: { 200: z.object({ expired: z.number().int() }) },
    },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => ({ expired: await expireOpenTickets(deps, request.params.hallId) }));
};

export default routes;
