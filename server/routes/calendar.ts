import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { ALL_STAFF, MANAGERS } from '../plugins/auth.js';
import { calendarEntries, effectiveEntries } from '../calendar/repository.js';
import { setYear } from '../calendar/service.js';

/** The holiday calendar: 法定节假日 and 调休 per year, edited by the hall's managers. */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['halls'];

  app.get('/halls/:hallId/calendar/:year', {
    schema: { tags, summary: 'Public holidays and make-up working days of one year', ...API['GET /halls/:hallId/calendar/:year'] },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const { hallId, year } = request.params;
    const [from, to] = [`${year}-01-01`, `${year}-12-31`];
    const [days, effective] = await Promise.all([calendarEntries(deps.db, hallId, from, to), effectiveEntries(deps.db, hallId, from, to)]);
    return { year, days, inherited: effective.filter((e) => e.hallId !== hallId) };
  });

  app.put('/halls/:hallId/calendar/:year', {
    schema: { tags, summary: 'Replace one year\'s holidays and make-up working days (import the published list)', ...API['PUT /halls/:hallId/calendar/:year'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => {
    await setYear(deps, request.params.hallId, request.params.year, request.body.days);
    return { ok: true as const };
  });
};

export default routes;
