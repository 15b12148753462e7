import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { listRecords, retryFailedRecords } from '../feed/repository.js';
import { feedRecordView } from '../feed/service.js';
import { MANAGERS } from '../plugins/auth.js';

/** 好差评 to the provincial platform: the manager sees each record with its delivery state, and sends the failed ones again. */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['evaluations'];

  app.get('/halls/:hallId/evaluation-feed', {
    schema: { tags, summary: 'Records sent (or to be sent) to the provincial 好差评 platform, newest first, with their delivery state', ...API['GET /halls/:hallId/evaluation-feed'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => (await listRecords(deps.db, request.params.hallId, request.query)).map(feedRecordView));

  app.post('/halls/:hallId/evaluation-feed/retry', {
    schema: { tags, summary: 'Send the failed records again (after the platform was down for hours)', ...API['POST /halls/:hallId/evaluation-feed/retry'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => ({ retried: await retryFailedRecords(deps.db, request.params.hallId, deps.clock.now()) }));
};

export default routes;
