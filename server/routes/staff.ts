import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { ALL_STAFF, auditBy, MANAGERS, requireStaff } from '../plugins/auth.js';
import { STAFF_PHOTO_MAX_BYTES, STAFF_PHOTO_TYPES } from '../../protocol/staff.js';
import { NotFoundError } from '../errors.js';
import { removeStaffPhoto, setStaffPhoto, staffPhoto, staffWithPhotos } from '../staff/photos.js';
import { setSkills, skillsOfHall } from '../staff/skills.js';
import { changeStaff, createHallStaff, resetStaffPassword, staffOfHall, staffView } from '../staff/service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const deps = { ...app.deps, hashGate: app.hashGate, passwordHashCost: app.deps.config.passwordHashCost };
  const tags = ['staff'];
  const managersOnly = app.authorize({ roles: MANAGERS });

  app.get('/halls/:hallId/staff', {
    schema: { tags, summary: 'Staff of the hall', ...API['GET /halls/:hallId/staff'] },
    onRequest: managersOnly,
  }, async (request) => {
    const [rows, photos, skills] = await Promise.all([
      staffOfHall(deps.db, request.params.hallId), staffWithPhotos(deps.db, request.params.hallId), skillsOfHall(deps.db, request.params.hallId),
    ]);
    return rows.map((row) => ({ ...staffView(row), hasPhoto: photos.has(row.id), skills: skills.get(row.id) ?? [] }));
  });

  app.put('/halls/:hallId/staff/:staffId/skills', {
    schema: { tags, summary: '授权事项: the services this person may handle (主办 or 协办); empty: whatever their window serves', ...API['PUT /halls/:hallId/staff/:staffId/skills'] },
    onRequest: managersOnly,
  }, async (request) => setSkills(deps, request.params.hallId, request.params.staffId, request.body.skills, auditBy(request)));

  /* 工作人员公示 photos: sent as the image itself (JPEG, PNG or WebP), shown on the window screens. */
  app.addContentTypeParser([...STAFF_PHOTO_TYPES], { parseAs: 'buffer', bodyLimit: 4 * STAFF_PHOTO_MAX_BYTES }, (_request, body, done) => done(null, body));
  app.put('/halls/:hallId/staff/:staffId/photo', {
    schema: { tags, summary: 'Upload a staff member\'s photo for the window screens (the image itself as the body: JPEG, PNG or WebP, ≤ 512 KB)', ...API['PUT /halls/:hallId/staff/:staffId/photo'] },
    onRequest: managersOnly,
    bodyLimit: 4 * STAFF_PHOTO_MAX_BYTES,
  }, async (request) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    await setStaffPhoto(deps, request.params.hallId, request.params.staffId, request.headers['content-type'] ?? '', body, auditBy(request));
    return { ok: true as const };
  });
  app.get('/halls/:hallId/staff/:staffId/photo', {
    schema: { tags, summary: 'A staff member\'s photo (window screens and staff); ETag, revalidated after a minute', ...API['GET /halls/:hallId/staff/:staffId/photo'] },
    onRequest: app.authorize({ roles: ALL_STAFF, devices: ['window_screen'] }),
  }, async (request, reply) => {
    const photo = await staffPhoto(deps.db, request.params.hallId, request.params.staffId);
    if (!photo) throw new NotFoundError('PHOTO_NOT_FOUND', 'This staff member has no photo.');
    const etag = `"${photo.sha256}"`;
    reply.header('etag', etag).header('cache-control', 'private, max-age=60').header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(photo.mime).send(Buffer.from(photo.data));
  });
  app.delete('/halls/:hallId/staff/:staffId/photo', {
    schema: { tags, summary: 'Remove a staff member\'s photo', ...API['DELETE /halls/:hallId/staff/:staffId/photo'] },
    onRequest: managersOnly,
  }, async (request) => {
    await removeStaffPhoto(deps, request.params.hallId, request.params.staffId, auditBy(request));
    return { ok: true as const };
  });

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
