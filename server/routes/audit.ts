import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { listAudit } from '../audit/repository.js';

/** The audit log (sign-ins, account and device changes), newest first: for the admin. */
const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit', {
    schema: { tags: ['auth'], summary: 'Audit log: who did what to accounts and devices, when, from where', ...API['GET /audit'] },
    onRequest: app.authorize({ roles: ['admin'] }),
  }, async (request) => listAudit(app.deps.db, request.query));
};

export default routes;
