import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LoginBody, SESSION_COOKIE, SessionView } from '../../protocol/auth.js';
import { Ok } from '../../protocol/common.js';
import { ALL_STAFF, requireStaff } from '../plugins/auth.js';
import { login, logout, sessionView } from './service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;

  app.post('/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in with username and password', body: LoginBody, response: { 200: SessionView } },
    config: {
      rateLimit: {
        max: deps.config.loginAttemptsPerMinute,
        timeWindow: 60_000,
        hook: 'preHandler', // after the body is parsed, so the key can name the account
        // Per address and account: one clerk's typos do not lock out the whole hall's LAN.
        keyGenerator: (req) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`,
      },
    },
  }, async (request, reply) => {
    const { cookie, staff, session } = await login({ ...deps, sessionTtlMs: deps.config.sessionTtlMs }, request.body.username, request.body.password);
    reply.setCookie(SESSION_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      path: '/',
      maxAge: Math.floor(deps.config.sessionTtlMs / 1000),
    });
    return sessionView(staff, session);
  });

  app.post('/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign out: the session is revoked and the window closed', response: { 200: Ok } },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request, reply) => {
    const { staff, session } = requireStaff(request);
    await logout(deps, staff, session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/auth/me', {
    schema: { tags: ['auth'], summary: 'The signed-in staff member and their CSRF token', response: { 200: SessionView } },
    onRequest: app.authorize({ roles: ALL_STAFF }),
  }, async (request) => {
    const { staff, session } = requireStaff(request);
    return sessionView(staff, session);
  });
};

export default routes;
