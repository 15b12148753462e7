import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { addressKey } from '../domain/addresses.js';
import {
  SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../protocol/auth.js';
import { EVERYONE, requireStaff } from '../plugins/auth.js';
import {
  changeOwnPassword, confirmTwoFactor, disableTwoFactor, login, logout, newRecoveryCodesFor, sessionView, startTwoFactor,
} from '../auth/service.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  const deps = { ...app.deps, hashGate: app.hashGate, sessionTtlMs: app.deps.config.sessionTtlMs, passwordHashCost: app.deps.config.passwordHashCost };
  const tags = ['auth'];
  // Also allowed while a new password or a second factor is still owed: these routes are how.
  const self = app.authorize({ roles: EVERYONE, duringSetup: true });

  app.post('/auth/login', {
    schema: { tags, summary: 'Sign in with username and password (and the second factor, when set up)', ...API['POST /auth/login'] },
    config: {
      rateLimit: {
        max: deps.config.loginAttemptsPerMinute,
        timeWindow: 60_000,
        hook: 'preHandler', // after the body is parsed, so the key can name the account
        // Per address and account: one clerk's typos do not lock out the whole hall's LAN.
        keyGenerator: (req) => `${addressKey(req.ip)}|${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`,
      },
    },
  }, async (request, reply) => {
    const { cookie, staff, session } = await login(deps, request.body, { ip: request.ip });
    // Over HTTPS (directly or behind a trusted proxy) the cookie is Secure and __Host- bound.
    const secure = request.protocol === 'https';
    reply.setCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: '/',
      maxAge: Math.floor(deps.config.sessionTtlMs / 1000),
    });
    return sessionView(deps.db, staff, session);
  });

  app.post('/auth/logout', {
    schema: { tags, summary: 'Sign out: the session is revoked and the window closed', ...API['POST /auth/logout'] },
    onRequest: self,
  }, async (request, reply) => {
    const { staff, session } = requireStaff(request);
    await logout(deps, staff, session, { ip: request.ip });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(SECURE_SESSION_COOKIE, { path: '/', secure: true });
    return { ok: true as const };
  });

  app.get('/auth/me', {
    schema: { tags, summary: 'The signed-in staff member, their CSRF token and what they still must set up', ...API['GET /auth/me'] },
    onRequest: self,
  }, async (request) => {
    const { staff, session } = requireStaff(request);
    return sessionView(deps.db, staff, session);
  });

  app.post('/auth/password', {
    schema: { tags, summary: 'Change one\'s own password (at least 12 characters, not common, not the username); other sessions end', ...API['POST /auth/password'] },
    onRequest: self,
  }, async (request) => {
    const { staff, session } = requireStaff(request);
    const row = await changeOwnPassword(deps, staff, session, request.body, { ip: request.ip });
    return sessionView(deps.db, row, session);
  });

  app.post('/auth/two-factor/setup', {
    schema: { tags, summary: 'Start setting up an authenticator app: the secret and its otpauth:// URI, shown once', ...API['POST /auth/two-factor/setup'] },
    onRequest: self,
  }, async (request) => startTwoFactor(deps, requireStaff(request).staff));

  app.post('/auth/two-factor/confirm', {
    schema: { tags, summary: 'Turn the second factor on with a code from the app; returns recovery codes, shown once', ...API['POST /auth/two-factor/confirm'] },
    onRequest: self,
  }, async (request) => ({ codes: await confirmTwoFactor(deps, requireStaff(request).staff, request.body.code, { ip: request.ip }) }));

  app.post('/auth/two-factor/recovery-codes', {
    schema: { tags, summary: 'Replace the recovery codes (password required; the old ones stop working); shown once', ...API['POST /auth/two-factor/recovery-codes'] },
    onRequest: self,
  }, async (request) => {
    const { staff, session } = requireStaff(request);
    return { codes: await newRecoveryCodesFor(deps, staff, session, request.body.password, { ip: request.ip }) };
  });

  app.post('/auth/two-factor/disable', {
    schema: { tags, summary: 'Turn the second factor off (password required; refused when the hall requires it)', ...API['POST /auth/two-factor/disable'] },
    onRequest: self,
  }, async (request) => {
    const { staff, session } = requireStaff(request);
    await disableTwoFactor(deps, staff, session, request.body.password, { ip: request.ip });
    return { ok: true as const };
  });
};

export default routes;
