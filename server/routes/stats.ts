import { staffingAdvice } from '../stats/staffing.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { hallOf, MANAGERS } from '../plugins/auth.js';
import { liveStats, report, toCsv } from '../stats/service.js';
import { treeLive, treeStats } from '../stats/tree.js';

const TABLES = { service: 'byService', window: 'byWindow', staff: 'byStaff', hour: 'byHour', weekday: 'byWeekday', day: 'byDay', channel: 'byChannel' } as const;

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['statistics'];
  const managers = app.authorize({ roles: MANAGERS });

  app.get('/halls/:hallId/stats', {
    schema: { tags, summary: 'History over a date range (hall timezone): volumes, waits, handling, SLA, 好差评 indicators', ...API['GET /halls/:hallId/stats'] },
    onRequest: managers,
  }, async (request) => report(deps.db, hallOf(request), request.query.from, request.query.to, deps.clock.now()));

  app.get('/halls/:hallId/stats/live', {
    schema: { tags, summary: 'The hall now: waiting, longest wait, windows, today vs the SLA target', ...API['GET /halls/:hallId/stats/live'] },
    onRequest: managers,
  }, async (request) => liveStats(deps.db, hallOf(request), deps.clock.now()));

  app.get('/halls/:hallId/stats/staffing', {
    schema: { tags, summary: '排班建议: per hour and pool of a day, the windows that hold the wait target (Erlang C on the same weekday of past weeks), beside those opened', ...API['GET /halls/:hallId/stats/staffing'] },
    onRequest: managers,
  }, async (request) => staffingAdvice(deps.db, hallOf(request), request.query.day, request.query.weeks));

  app.get('/halls/:hallId/tree/live', {
    schema: { tags, summary: 'The hall and every hall below it (街道, 社区) now: per hall and summed', ...API['GET /halls/:hallId/tree/live'] },
    onRequest: managers,
  }, async (request) => treeLive(deps.db, hallOf(request).id, deps.clock.now()));

  app.get('/halls/:hallId/tree/stats', {
    schema: { tags, summary: 'History of the hall and every hall below it: per hall and summed', ...API['GET /halls/:hallId/tree/stats'] },
    onRequest: managers,
  }, async (request) => treeStats(deps.db, hallOf(request).id, request.query.from, request.query.to, deps.clock.now()));

  app.get('/halls/:hallId/stats.csv', {
    schema: { tags, summary: 'One table of the history report as CSV', ...API['GET /halls/:hallId/stats.csv'] },
    onRequest: managers,
  }, async (request, reply) => {
    const { from, to, table } = request.query;
    const r = await report(deps.db, hallOf(request), from, to, deps.clock.now());
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="stats-${table}-${from}-${to}.csv"`)
      .send(toCsv(r[TABLES[table]]));
  });
};

export default routes;
