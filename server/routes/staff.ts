import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { auditBy, MANAGERS, requireStaff } from '../plugins/auth.js';
import { changeStaff, createHallStaff, resetStaffPassword, staffOfHall, staffView } from '../staff/service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const deps = { ...app.deps, hashGate: app.hashGate, passwordHashCost: app.deps.config.passwordHashCost };
  const tags = ['staff'];
  const managersOnly = app.authorize({ roles: MANAGERS });

  app.get('/halls/:hallId/staff', {
    schema: { tags, summary: 'Staff of the hall', ...API['GET /halls/:hallId/staff'] },
    onRequest: managersOnly,
  }, async (request) => (await staffOfHall(deps.db, request.params.hallId)).map(staffView));

  app.post('/halls/:hallId/staff', {
    schema: { tags, summary: 'Create a manager or clerk; the password is shown once', ...API['POST /halls/:hallId/staff'] },
    onRequest: managersOnly,
  }, async (request, reply) => {
    const { staff, password } = await createHallStaff(deps, request.params.hallId, request.body, auditBy(request));
    return reply.code(201).send({ staff: staffView(staff), password });
  });

  app.patch('/halls/:hallId/staff/:staffId', {
    schema: { tags, summary: 'Rename, change role, disable or enable', ...API['PATCH /halls/:hallId/staff/:staffId'] },
    onRequest: managersOnly,
  }, async (request) => {
    return staffView(await changeStaff(deps, request.params.hallId, request.params.staffId, request.body, auditBy(request)));
  });

  app.post('/halls/:hallId/staff/:staffId/reset-password', {
    schema: { tags, summary: 'Generate a new password (shown once) and sign the person out: managers reset clerks and helpers, the admin resets managers; never one\'s own. The second factor stays unless removed on purpose (with the resetter\'s password)', ...API['POST /halls/:hallId/staff/:staffId/reset-password'] },
    onRequest: managersOnly,
  }, async (request) => {
    const { staff, password, twoFactorRemoved } = await resetStaffPassword(
      deps, request.params.hallId, request.params.staffId, { ...requireStaff(request), ip: request.ip }, request.body ?? { removeSecondFactor: false },
    );
    return { staff: staffView(staff), password, twoFactorRemoved };
  });
};

export default routes;
