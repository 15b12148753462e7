import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { DeviceKind } from '../../protocol/enums.js';
import { HandshakeAuth, ticketRoom } from '../../protocol/events.js';
import { deviceOfToken, staffOfSessionCookie } from '../access/credentials.js';
import { setupPending } from '../auth/service.js';
import type { Db } from '../db/connect.js';
import { firstRetainedSeq, lastSeq, listEvents } from '../db/event-log.js';
import { findActiveDeviceIds } from '../devices/repository.js';
import { HandshakeError, type Scope, scopeOf } from '../realtime/access.js';
import { createRealtime, type HallServer, type RealtimeComponents } from '../realtime/server.js';
import { findActiveSessions } from '../sessions/repository.js';
import { findLiveByToken, ticketRefOf } from '../tickets/repository.js';
import { sessionCookieOf } from './auth.js';

export { originAllowed } from '../realtime/server.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: HallServer;
    /**
     * Server processes that hear each other through Redis, this one included: 1 without Redis,
     * and 1 while Redis cannot be reached (this process then hears only itself).
     */
    processCount(): Promise<number>;
    /**
     * Ends every live connection whose session or device is no longer valid: expired, idle,
     * revoked by another process (`npm run reset-password`), or an account that must be set up
     * again. Runs on a timer; tests call it directly.
     */
    checkSockets(): Promise<number>;
  }
}

const DEVICE_KINDS: readonly DeviceKind[] = ['kiosk', 'display', 'evaluator', 'caller', 'window_screen'];

/**
 * Decides who is connecting: a phone page (ticket token), a device (device token) or staff
 * (session cookie), and which rooms it joins. Refuses anything else.
 */
async function resolveScope(db: Db, rawAuth: unknown, sessionCookie: string | undefined, now: number, idleMs: number): Promise<Scope> {
  const parsed = HandshakeAuth.safeParse(rawAuth ?? {});
  if (!parsed.success) throw new HandshakeError('INVALID_HANDSHAKE', 'The handshake auth is malformed.');
  const auth = parsed.data;

  if (auth.ticketToken !== undefined) {
    const ticket = await findLiveByToken(db, auth.ticketToken);
    if (!ticket) throw new HandshakeError('TICKET_NOT_FOUND', 'No ticket has this token.');
    const ref = await ticketRefOf(db, ticket);
    return { kind: 'ticket', hallId: ticket.hall_id, ticketRef: ref, rooms: [ticketRoom(ref)] };
  }

  if (auth.token !== undefined) {
    const device = await deviceOfToken(db, auth.token);
    if (!device || !DEVICE_KINDS.includes(device.kind)) throw new HandshakeError('DEVICE_TOKEN_INVALID', 'The device token is unknown or revoked.');
    return scopeOf({ kind: 'device', device }, auth.hallId);
  }

  if (sessionCookie) {
    const found = await staffOfSessionCookie(db, sessionCookie, now, idleMs);
    if (found) {
      const pending = await setupPending(db, found.staff);
      if (pending) throw new HandshakeError(pending, 'Finish setting up the account (password, second factor) first.');
      return scopeOf({ kind: 'staff', ...found }, auth.hallId);
    }
  }
  throw new HandshakeError('UNAUTHENTICATED', 'Sign in, or connect with a device or ticket token.');
}

/**
 * Attaches the realtime layer (realtime/server.ts) to Fastify's HTTP server and hands it what it
 * needs as components: who a connection is, the event log, which sessions and devices are still
 * valid. The layer itself imports no feature.
 */
export default fp<{ limits: Redis | null }>(
  async (app, { limits }) => {
    const { db, clock, bus, config } = app.deps;
    const components: RealtimeComponents = {
      clock, bus, log: app.log, config, limits,
      identify: (auth, cookieHeader) =>
        resolveScope(db, auth, sessionCookieOf(app.parseCookie(cookieHeader ?? '')), clock.now(), config.sessionIdleMs),
      events: {
        last: (hallId) => lastSeq(db, hallId),
        firstRetained: (hallId) => firstRetainedSeq(db, hallId),
        list: (hallId, range) => listEvents(db, hallId, range),
      },
      async stillValid(sessionIds, deviceIds) {
        const [sessions, devices] = await Promise.all([
          findActiveSessions(db, sessionIds, clock.now(), config.sessionIdleMs),
          findActiveDeviceIds(db, deviceIds),
        ]);
        // The same rule as a request's: a person who now owes a new password or a second factor
        // (their hall has just required one) is disconnected until they have set it up.
        const alive = await Promise.all(sessions.map(async ({ session, staff }) => ((await setupPending(db, staff)) ? null : session.id)));
        return { sessions: new Set(alive.filter((id): id is string => id !== null)), devices };
      },
    };
    const realtime = createRealtime(app.server, components);
    app.decorate('io', realtime.io);
    app.decorate('processCount', realtime.processCount);
    app.decorate('checkSockets', realtime.checkSockets);
    app.addHook('preClose', async () => realtime.stop());
    app.addHook('onClose', async () => realtime.close());
  },
  { name: 'realtime', dependencies: ['deps', '@fastify/cookie'] },
);
