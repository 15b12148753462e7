import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { auditBy, hallOf, MANAGERS } from '../plugins/auth.js';
import { monthReport, publishMonth, reportCsv, reportIndex } from '../stats/published.js';

/** 好差评 report: public (no sign-in, no personal data), published month by month by the manager. */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const perAddress = { rateLimit: { max: deps.config.bookingRequestsPerMinute, timeWindow: 60_000 } };

  app.get('/public/halls/:hallId/evaluation-reports', {
    schema: { tags: ['public'], summary: '好差评 reports: the months published, and the current month (provisional)', ...API['GET /public/halls/:hallId/evaluation-reports'] },
    config: perAddress,
  }, async (request) => reportIndex(deps.db, request.params.hallId, deps.clock.now()));

  app.get('/public/halls/:hallId/evaluation-reports/:month', {
    schema: { tags: ['public'], summary: 'One month\'s 好差评 report of the hall and the halls below it: frozen once published, provisional for the current month', ...API['GET /public/halls/:hallId/evaluation-reports/:month'] },
    config: perAddress,
  }, async (request) => monthReport(deps.db, request.params.hallId, request.params.month, deps.clock.now()));

  app.get('/public/halls/:hallId/evaluation-reports/:month/csv', {
    schema: { tags: ['public'], summary: 'The same report as CSV', ...API['GET /public/halls/:hallId/evaluation-reports/:month/csv'] },
    config: perAddress,
  }, async (request, reply) => {
    const report = await monthReport(deps.db, request.params.hallId, request.params.month, deps.clock.now());
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="evaluation-report-${report.hallId}-${report.month}.csv"`)
      .send(reportCsv(report));
  });

  app.post('/halls/:hallId/evaluation-reports/:month/publish', {
    schema: { tags: ['evaluations'], summary: '定期发布: publish a month that is over; its figures are frozen and kept', ...API['POST /halls/:hallId/evaluation-reports/:month/publish'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request, reply) => reply.code(201).send(await publishMonth(deps, hallOf(request).id, request.params.month, auditBy(request))));
};

export default routes;
