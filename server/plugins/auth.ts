import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { CSRF_HEADER, SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../protocol/auth.js';
import type { DeviceKind, StaffRole } from '../../protocol/enums.js';
import { deviceOfToken, staffOfSessionCookie } from '../access/credentials.js';
import { homeHall, MANAGER_ROLES, mayActOnWindow, mayEnterHall } from '../access/policies.js';
import { touchDevice } from '../devices/repository.js';
import { touchSession } from '../sessions/repository.js';
import { setupPending } from '../auth/service.js';
import { HashGate } from '../access/hash-gate.js';
import type { AuditBy } from '../audit/repository.js';
import type { DeviceRow, SessionRow, StaffRow } from '../db/schema.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { type Hall, loadHall } from '../halls/service.js';
import { ID_TEXT } from '../../protocol/constants.js';

export type Principal =
  | { kind: 'staff'; staff: StaffRow; session: SessionRow }
  | { kind: 'device'; device: DeviceRow };

export interface AccessRule {
  /** Staff roles allowed. Omit to refuse all staff. */
  roles?: readonly StaffRole[];
  /** Device kinds allowed. Omit to refuse all devices. */
  devices?: readonly DeviceKind[];
  /**
   * A clerk may act only on the window they signed in to (`:windowId`). Managers and admins may
   * act on any window of their hall: they stand in when a clerk's terminal fails.
   */
  ownWindow?: boolean;
  /**
   * Open to staff who still owe a password of their own or a second factor (sign-in, the account
   * routes); every other route refuses them until that is done.
   */
  duringSetup?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The hall named by the path's `:hallId`, loaded once by `authorize` (null on other routes). */
    hall: Hall | null;
  }
  interface FastifyInstance {
    authorize(rule: AccessRule): onRequestAsyncHookHandler;
    /** Every password check of this process goes through it (sign-in, re-entered passwords). */
    hashGate: HashGate;
    /** For a public route with `:hallId` (anyone may book): loads the hall, 404 HALL_NOT_FOUND when there is none. */
    openHall: onRequestAsyncHookHandler;
  }
}

/** Role lists for routes, built on the one list of who counts as a manager (access/policies). */
export const MANAGERS: readonly StaffRole[] = MANAGER_ROLES;
/** Staff who work the queue: everyone but the 帮办 helper, who only issues and checks in. */
export const ALL_STAFF: readonly StaffRole[] = [...MANAGER_ROLES, 'clerk'];
/** Every signed-in person, helpers included: their own account, the hall, its services and queue. */
export const EVERYONE: readonly StaffRole[] = [...ALL_STAFF, 'helper'];
/** Who takes numbers and bookings for citizens: 帮办 helpers and managers. */
export const ISSUERS: readonly StaffRole[] = [...MANAGER_ROLES, 'helper'];

/**
 * Two hashes at once (scrypt at N=2^17 takes 128 MiB each); at most 8 waiting or running for one
 * address (a hall's clerks signing in at 9:00 behind one NAT or an unconfigured proxy still get
 * in; a flood from it waits behind at most 8), 64 waiting in all.
 */
const HASHING = { concurrency: 2, perClient: 8, queue: 64 };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Writing last_seen_at on every request would turn each kiosk poll into a write.
const DEVICE_TOUCH_INTERVAL_MS = 60_000;
const SESSION_TOUCH_INTERVAL_MS = 30_000;

/** The session cookie, by its plain name (HTTP on the hall LAN) or its __Host- name (HTTPS). */
export function sessionCookieOf(cookies: Record<string, string | undefined>): string | undefined {
  return cookies[SECURE_SESSION_COOKIE] ?? cookies[SESSION_COOKIE];
}

function isId(raw: string | undefined): raw is string {
  return raw !== undefined && ID_TEXT.test(raw);
}

export function requireStaff(request: FastifyRequest): { staff: StaffRow; session: SessionRow } {
  const p = request.principal;
  if (p?.kind !== 'staff') throw new ForbiddenError('STAFF_ONLY', 'Only staff may do this.');
  return p;
}

/** The signed-in person (or device) behind a request, for the audit log. */
export function auditBy(request: FastifyRequest): AuditBy {
  const p = request.principal;
  if (p?.kind === 'staff') return { id: p.staff.id, name: p.staff.username, ip: request.ip };
  if (p?.kind === 'device') return { id: null, name: `device:${p.device.name}`, ip: request.ip };
  return { id: null, name: 'anonymous', ip: request.ip };
}

/** The hall of a route with `:hallId`, as `authorize` loaded it. */
export function hallOf(request: FastifyRequest): Hall {
  if (!request.hall) throw new Error(`${request.routeOptions.url} has no :hallId or no authorize hook`);
  return request.hall;
}

export function requireDevice(request: FastifyRequest): DeviceRow {
  const p = request.principal;
  if (p?.kind !== 'device') throw new ForbiddenError('DEVICE_ONLY', 'Only a device may do this.');
  return p.device;
}

export default fp(
  async (app) => {
    const { db, clock, config } = app.deps;
    app.decorateRequest('principal', null);
    app.decorate('hashGate', new HashGate(HASHING));
    app.decorateRequest('hall', null);

    app.addHook('onRequest', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      // Only a Bearer header is ours: a reverse proxy's Basic auth passes through untouched.
      if (header !== undefined && /^bearer\s/i.test(header)) {
        const device = await deviceOfToken(db, header.replace(/^bearer\s+/i, ''));
        if (!device) throw new UnauthorizedError('DEVICE_TOKEN_INVALID', 'The device token is unknown or revoked.');
        const now = clock.now();
        if (device.last_seen_at === null || now - device.last_seen_at > DEVICE_TOUCH_INTERVAL_MS) {
          // Bookkeeping only: a busy or full disk must not turn a display's read into an error.
          touchDevice(db, device.id, now).catch((err: unknown) => request.log.warn({ err }, 'could not record when the device was last seen'));
        }
        request.principal = { kind: 'device', device };
        return;
      }
      const cookie = sessionCookieOf(request.cookies);
      if (cookie) {
        const now = clock.now();
        const found = await staffOfSessionCookie(db, cookie, now, config.sessionIdleMs);
        if (found) {
          request.principal = { kind: 'staff', ...found };
          if (now - found.session.last_seen_at > SESSION_TOUCH_INTERVAL_MS) {
            touchSession(db, found.session.id, now).catch((err: unknown) => request.log.warn({ err }, 'could not record session activity'));
          }
        }
      }
    });

    app.decorate('openHall', async function openHall(request: FastifyRequest) {
      const params = request.params as { hallId?: string } | undefined;
      if (isId(params?.hallId)) request.hall = await loadHall(db, Number(params.hallId));
    });

    app.decorate('authorize', (rule: AccessRule): onRequestAsyncHookHandler => {
      return async function authorize(request: FastifyRequest, _reply: FastifyReply) {
        const p = request.principal;
        if (!p) throw new UnauthorizedError();
        if (p.kind === 'staff') {
          if (!rule.roles?.includes(p.staff.role)) throw new ForbiddenError('ROLE_FORBIDDEN', `A ${p.staff.role} may not do this.`);
          if (!rule.duringSetup) {
            const pending = await setupPending(db, p.staff);
            if (pending === 'PASSWORD_CHANGE_REQUIRED') throw new ForbiddenError(pending, 'Choose a password of your own first (POST /auth/password).');
            if (pending) throw new ForbiddenError(pending, 'Set up the authenticator app first: the hall requires a second factor for this account.');
          }
          // Cookies ride along on cross-site requests; the header proves the page itself sent it.
          if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== p.session.csrf_token) {
            throw new ForbiddenError('CSRF_TOKEN_INVALID', `Missing or wrong ${CSRF_HEADER} header.`);
          }
        } else if (!rule.devices?.includes(p.device.kind)) {
          throw new ForbiddenError('DEVICE_FORBIDDEN', `A ${p.device.kind} device may not do this.`);
        }
        // Runs before validation, so a stranger learns nothing from a 400. Params are raw strings
        // here; a malformed id is left for validation to answer with a 400.
        const params = request.params as { hallId?: string; windowId?: string } | undefined;
        if (isId(params?.hallId) && !mayEnterHall(homeHall(p), Number(params.hallId))) {
          throw new ForbiddenError('HALL_FORBIDDEN', 'This account belongs to another hall.');
        }
        if (rule.ownWindow && p.kind === 'staff' && isId(params?.windowId) && !mayActOnWindow(p.staff, p.session, Number(params.windowId))) {
          throw new ForbiddenError('NOT_YOUR_WINDOW', 'A clerk may act only on the window they signed in to.');
        }
        // The one load of the hall for this request (404 HALL_NOT_FOUND for an admin's typo).
        if (isId(params?.hallId)) request.hall = await loadHall(db, Number(params.hallId));
      };
    });
  },
  { name: 'auth', dependencies: ['deps', '@fastify/cookie'] },
);
