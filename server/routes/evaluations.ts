import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import {
  levelNumber } from '../../protocol/evaluations.js';
import type { StaffRole } from '../../protocol/enums.js';
import { ForbiddenError } from '../errors.js';
import { maySeeCase, seesFullContact } from '../access/policies.js';
import { ALL_STAFF, MANAGERS, requireDevice, requireStaff } from '../plugins/auth.js';
import { appeal, decideAppeal } from '../evaluations/appeals.js';
import { advanceCase, assignCase, getCase, listCases } from '../evaluations/cases.js';
import { evaluationsFor, evaluatorCurrent, rateAtEvaluator } from '../evaluations/ratings.js';
import { evaluationViews, subjectOf } from '../evaluations/views.js';
import { enterComplaint } from '../evaluations/complaints.js';


const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  const tags = ['evaluations'];
  const viewerOf = (role: StaffRole) => ({ fullContact: seesFullContact(role) });

  /* ---- the window's evaluator device ---- */
  const evaluatorOnly = app.authorize({ devices: ['evaluator'] });

  app.get('/evaluator/current', {
    schema: { tags, summary: 'What the evaluator shows now: the clerk while serving, then the rating screen', ...API['GET /evaluator/current'] },
    onRequest: evaluatorOnly,
  }, async (request) => evaluatorCurrent(deps.db, requireDevice(request), deps.clock.now()));

  app.post('/evaluator/evaluations', {
    schema: { tags, summary: '好差评 at the window (一次一评)', ...API['POST /evaluator/evaluations'] },
    onRequest: evaluatorOnly,
  }, async (request, reply) => {
    const { ticketId, ...body } = request.body;
    const row = await rateAtEvaluator(deps, requireDevice(request), ticketId, body);
    return reply.code(201).send({ id: row.id });
  });

  /* ---- staff ---- */

  app.get('/halls/:hallId/evaluations', {
    schema: { tags, summary: 'Ratings (a clerk sees their own; contacts masked except for managers)', ...API['GET /halls/:hallId/evaluations'] },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const { staff } = requireStaff(request);
    const { level, ...rest } = request.query;
    return evaluationsFor(deps.db, request.params.hallId, staff, { ...rest, ...(level ? { level: levelNumber(level) } : {}) });
  });

  app.post('/halls/:hallId/evaluations/:evaluationId/appeal', {
    schema: { tags, summary: '申诉: dispute a 差评 as mistaken or malicious', ...API['POST /halls/:hallId/evaluations/:evaluationId/appeal'] },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const { staff } = requireStaff(request);
    const row = await appeal(deps, request.params.hallId, request.params.evaluationId, request.body.reason, staff);
    return (await evaluationViews(deps.db, [row], viewerOf(staff.role)))[0]!;
  });

  app.post('/halls/:hallId/evaluations/:evaluationId/appeal-decision', {
    schema: { tags, summary: 'Uphold the rating or void it (a voided rating leaves the indicators)', ...API['POST /halls/:hallId/evaluations/:evaluationId/appeal-decision'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => {
    const { staff } = requireStaff(request);
    const row = await decideAppeal(deps, request.params.hallId, request.params.evaluationId, request.body.decision, request.body.reason, staff);
    return (await evaluationViews(deps.db, [row], viewerOf(staff.role)))[0]!;
  });

  app.get('/halls/:hallId/cases', {
    schema: { tags, summary: '差评 follow-up cases', ...API['GET /halls/:hallId/cases'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => listCases(deps.db, request.params.hallId, request.query, deps.clock.now(), viewerOf(requireStaff(request).staff.role)));

  app.get('/halls/:hallId/cases/:caseId', {
    schema: { tags, summary: 'A case with every step', ...API['GET /halls/:hallId/cases/:caseId'] },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const { staff } = requireStaff(request);
    const c = await getCase(deps.db, request.params.hallId, request.params.caseId, deps.clock.now(), viewerOf(staff.role));
    if (!maySeeCase(staff, c, subjectOf(c))) {
      throw new ForbiddenError('NOT_YOUR_CASE', 'A clerk sees only cases they own or that concern their service.');
    }
    return c;
  });

  app.post('/halls/:hallId/complaints', {
    schema: { tags, summary: 'Enter a complaint from another channel (意见簿, 12345, a call): it opens a case like a 差评', ...API['POST /halls/:hallId/complaints'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request, reply) => {
    const { staff } = requireStaff(request);
    const opened = await enterComplaint(deps, request.params.hallId, request.body, staff);
    return reply.code(201).send(await getCase(deps.db, request.params.hallId, opened.id, deps.clock.now(), viewerOf(staff.role)));
  });

  app.post('/halls/:hallId/cases/:caseId/assign', {
    schema: { tags, summary: 'Name the case owner (who calls the citizen back)', ...API['POST /halls/:hallId/cases/:caseId/assign'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => {
    const { staff } = requireStaff(request);
    await assignCase(deps, request.params.hallId, request.params.caseId, request.body.ownerStaffId, staff);
    return getCase(deps.db, request.params.hallId, request.params.caseId, deps.clock.now(), viewerOf(staff.role));
  });

  app.post('/halls/:hallId/cases/:caseId/advance', {
    schema: { tags, summary: 'Next step: verified → rectified → replied → closed, with a note', ...API['POST /halls/:hallId/cases/:caseId/advance'] },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const { staff } = requireStaff(request);
    const { to, note, citizenSatisfied } = request.body;
    await advanceCase(deps, request.params.hallId, request.params.caseId, to, note, citizenSatisfied, staff);
    return getCase(deps.db, request.params.hallId, request.params.caseId, deps.clock.now(), viewerOf(staff.role));
  });
};

export default routes;
