import type { IncomingMessage } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import fp from 'fastify-plugin';
import { type BroadcastOperator, Server, type Socket } from 'socket.io';
import {
  type ClientToServerEvents, deviceRoom, FetchEventsRequest, type HallEvent, type ServerToClientEvents, sessionRoom, SOCKET_PATH,
  staffRoom,
} from '../../protocol/events.js';
import { firstRetainedSeq, lastSeq, listEvents } from '../db/event-log.js';
import { atWindow, HandshakeError, resolveScope, type Scope } from '../realtime/access.js';
import { AdapterRedis } from '../realtime/redis.js';
import { HandshakeLimiter } from '../realtime/handshakes.js';
import { trustFunction } from '../domain/addresses.js';
import type { Redis } from 'ioredis';
import { audiences, type StreamItem, streamEntries, viewFor } from '../realtime/stream.js';
import { findActiveDeviceIds } from '../devices/repository.js';
import { findActiveSessions } from '../sessions/repository.js';
import { setupPending } from '../auth/service.js';
import type { WindowChange } from '../db/bus.js';
import { sessionCookieOf } from './auth.js';

interface SocketData {
  scope: Scope;
  lastSeq: number | undefined;
  /** events:fetch allowance (a token bucket) and whether one is being answered now. */
  fetches: { tokens: number; at: number; busy: boolean };
}

/**
 * A page fetches a gap now and then (a few after a reconnect); a socket that asks for more is
 * refused, so one misbehaving client cannot take the server's memory or its event loop.
 */
const FETCH_BURST = 10;
const FETCH_PER_SECOND = 2;

function takeFetch(f: SocketData['fetches'], now: number): boolean {
  f.tokens = Math.min(FETCH_BURST, f.tokens + ((now - f.at) / 1000) * FETCH_PER_SECOND);
  f.at = now;
  if (f.busy || f.tokens < 1) return false;
  f.tokens -= 1;
  return true;
}

/** What server processes tell each other (through Redis) besides the events themselves. */
interface InterServerEvents {
  'window:changed': (change: WindowChange) => void;
}

export type HallServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type HallSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

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

const PAGE = 500;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Events per events:fetch answer: a client asks again for the rest (realtime-client does). */
const FETCH_MAX = 200;

/** Same origin as the page that served it, or one the configuration names. */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  // No Origin header: not a browser page, so not a cross-site request; it still has to authenticate.
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // an Origin that is not a URL is refused, not an error
  }
}

/**
 * Emits an event under its own name. Each name has its own payload type; the event's `type` and
 * payload were checked together when it was recorded, so the pair is passed through as is.
 */
function emitEvent(target: HallSocket | BroadcastOperator<ServerToClientEvents, SocketData>, event: HallEvent): void {
  (target.emit as unknown as (name: string, e: HallEvent) => boolean).call(target, event.type, event);
}

function send(socket: HallSocket, item: StreamItem | null): void {
  if (item?.kind === 'event') emitEvent(socket, item.event);
  else if (item?.kind === 'withheld') socket.emit('event:withheld', item.stub);
}

/**
 * Socket.IO on Fastify's HTTP server: pushes committed events to the rooms that may see them,
 * and on connect replays what the client missed since its lastSeq. Sockets never write.
 */
export default fp<{ limits: Redis | null }>(
  async (app, { limits }) => {
    const { db, clock, bus, config } = app.deps;
    // With several server processes, a broadcast or a disconnect made on one reaches the sockets
    // of all of them through a Redis stream; each process pushes the events it committed.
    const redis = config.redis ? new AdapterRedis(config.redis.url, app.log) : null;
    const io: HallServer = new Server(app.server, {
      path: SOCKET_PATH,
      serveClient: false,
      ...(redis && config.redis ? {
        adapter: createAdapter(redis, {
          streamName: `${config.redis.prefix}:socket.io`, channelPrefix: `${config.redis.prefix}:socket.io`, sessionKeyPrefix: `${config.redis.prefix}:sio:session:`,
          blockTimeInMs: 2000,
        }),
      } : {}),
      allowRequest: (req, callback) => {
        if (originAllowed(req, config.allowedOrigins)) callback(null, true);
        else callback('ORIGIN_FORBIDDEN', false);
      },
    });
    app.decorate('io', io);
    app.decorate('processCount', async () => {
      if (!redis) return 1;
      try {
        return await io.of('/').adapter.serverCount();
      } catch {
        return 1;
      }
    });

    // Counted on the connection REST's rate limits use (app.ts), under this deployment's prefix.
    const handshakes = new HandshakeLimiter(
      config.rateLimitPerMinute, trustFunction(config.trustProxy), limits && config.redis ? { client: limits, prefix: config.redis.prefix } : null, app.log,
    );

    io.use(async (socket, next) => {
      try {
        if (!(await handshakes.take(handshakes.keyOf(socket.request), Date.now()))) {
          throw new HandshakeError('RATE_LIMITED', 'Too many connections from this address; try again in a minute.');
        }
        const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
        socket.data.scope = await resolveScope(db, socket.handshake.auth, sessionCookieOf(cookies), clock.now(), config.sessionIdleMs);
        socket.data.fetches = { tokens: FETCH_BURST, at: Date.now(), busy: false };
        const lastSeq = (socket.handshake.auth as { lastSeq?: unknown }).lastSeq;
        socket.data.lastSeq = typeof lastSeq === 'number' ? lastSeq : undefined;
        next();
      } catch (err) {
        const code = err instanceof HandshakeError ? err.code : 'INTERNAL_ERROR';
        if (!(err instanceof HandshakeError)) app.log.error({ err }, 'socket handshake failed');
        const refusal = new Error(err instanceof HandshakeError ? err.message : 'Something went wrong on the server.') as Error & { data: unknown };
        refusal.data = { code };
        next(refusal);
      }
    });

    async function catchUp(socket: HallSocket): Promise<void> {
      const { scope, lastSeq: from } = socket.data;
      const current = await lastSeq(db, scope.hallId);
      if (from === undefined) {
        socket.emit('catchup:completed', { lastSeq: current, replayed: 0 });
        return;
      }
      if (from > current) {
        socket.emit('catchup:failed', { reason: 'ahead', lastSeq: current });
        return;
      }
      if (from + 1 < (await firstRetainedSeq(db, scope.hallId))) {
        socket.emit('catchup:failed', { reason: 'pruned', lastSeq: current });
        return;
      }
      let after = from;
      let replayed = 0;
      for (;;) {
        const page = await listEvents(db, scope.hallId, {
          after, until: current, limit: PAGE, ticketRef: scope.kind === 'ticket' ? scope.ticketRef : undefined,
        });
        for (const event of page) send(socket, viewFor(scope, event));
        replayed += page.length;
        if (page.length < PAGE) break;
        after = page.at(-1)!.seq;
      }
      socket.emit('catchup:completed', { lastSeq: current, replayed });
    }

    io.on('connection', async (socket) => {
      // A session ends at its absolute expiry even between checks.
      const expiresAt = socket.data.scope.kind === 'hall' ? socket.data.scope.expiresAt : undefined;
      const left = expiresAt === undefined ? undefined : Math.max(0, expiresAt - clock.now());
      // Timers hold at most ~24.8 days; a longer session is ended by the periodic check instead.
      if (left !== undefined && left <= MAX_TIMER_MS) {
        const timer = setTimeout(() => socket.disconnect(true), left);
        timer.unref();
        socket.once('disconnect', () => clearTimeout(timer));
      }
      socket.on('events:fetch', async (request, ack) => {
        if (typeof ack !== 'function') return;
        const parsed = FetchEventsRequest.safeParse(request);
        if (!parsed.success) {
          ack({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'Send { after, until? } as whole numbers.' } });
          return;
        }
        const { scope, fetches } = socket.data;
        if (!takeFetch(fetches, Date.now())) {
          ack({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many fetches; wait for the previous one and try again shortly.' } });
          return;
        }
        fetches.busy = true;
        try {
          const events = await listEvents(db, scope.hallId, {
            after: parsed.data.after, until: parsed.data.until, limit: FETCH_MAX,
            ticketRef: scope.kind === 'ticket' ? scope.ticketRef : undefined,
          });
          ack({ ok: true, data: streamEntries(scope, events) });
        } catch (err) {
          app.log.error({ err }, 'events:fetch failed');
          ack({ ok: false, error: { code: 'FETCH_FAILED', message: 'Could not read the events; try again.' } });
        } finally {
          fetches.busy = false;
        }
      });
      try {
        // Join first, read the log second: an event committed in between arrives live, in the
        // replay, or both (the client drops the duplicate) — never neither.
        await socket.join(socket.data.scope.rooms);
        await catchUp(socket);
      } catch (err) {
        app.log.error({ err }, 'socket catch-up failed');
        socket.disconnect(true);
      }
    });

    function broadcast(event: HallEvent): void {
      const { full, withheld } = audiences(event);
      emitEvent(io.to(full), event);
      if (withheld.length > 0) io.to(withheld).except(full).emit('event:withheld', { hallId: event.hallId, seq: event.seq, at: event.at });
    }

    async function checkSockets(): Promise<number> {
      const sockets = [...io.of('/').sockets.values()];
      const sessionIds = sockets.map((s) => (s.data.scope?.kind === 'hall' ? s.data.scope.sessionId : null)).filter((id): id is string => id !== null);
      const deviceIds = sockets.map((s) => (s.data.scope?.kind === 'hall' ? s.data.scope.deviceId : null)).filter((id): id is number => id !== null);
      const [sessions, devices] = await Promise.all([
        findActiveSessions(db, sessionIds, clock.now(), config.sessionIdleMs),
        findActiveDeviceIds(db, deviceIds),
      ]);
      // The same rule as a request's: a person who now owes a new password or a second factor
      // (their hall has just required one) is disconnected until they have set it up.
      const alive = new Set((await Promise.all(sessions.map(async ({ session, staff }) => ((await setupPending(db, staff)) ? null : session.id))))
        .filter((id): id is string => id !== null));
      let ended = 0;
      for (const socket of sockets) {
        const scope = socket.data.scope;
        if (scope?.kind !== 'hall') continue;
        const valid = scope.sessionId !== null ? alive.has(scope.sessionId) : scope.deviceId === null || devices.has(scope.deviceId);
        if (!valid) {
          socket.disconnect(true);
          ended++;
        }
      }
      return ended;
    }
    app.decorate('checkSockets', checkSockets);
    const checker = setInterval(() => {
      checkSockets().catch((err: unknown) => app.log.error({ err }, 'socket session check failed'));
    }, config.socketCheckMs);
    checker.unref();

    const unsubscribe = bus.subscribe(broadcast);
    const unsubscribeRevoked = bus.onRevoked((r) => {
      const room = r.kind === 'session' ? sessionRoom(r.id) : r.kind === 'staff' ? staffRoom(r.id) : deviceRoom(r.id);
      io.in(room).disconnectSockets(true);
    });
    // A clerk who takes or leaves a window keeps their connection; its window room follows, on
    // this process and (told through the adapter) on the others.
    function followWindow({ sessionId, windowId }: WindowChange): void {
      for (const socket of io.of('/').sockets.values()) {
        const scope = socket.data.scope;
        if (scope.kind !== 'hall' || scope.sessionId !== sessionId || scope.full) continue;
        const next = atWindow(scope, windowId);
        for (const room of scope.rooms.filter((r) => !next.rooms.includes(r))) void socket.leave(room);
        void socket.join(next.rooms);
        socket.data.scope = next;
      }
    }
    io.on('window:changed', followWindow);
    const unsubscribeWindow = bus.onWindowChanged((change) => {
      followWindow(change);
      if (redis) io.serverSideEmit('window:changed', change);
    });

    app.addHook('preClose', async () => {
      clearInterval(checker);
      unsubscribe();
      unsubscribeRevoked();
      unsubscribeWindow();
      // Fastify closes the HTTP server; upgraded WebSocket connections would keep it open.
      // Closing the transports (not disconnecting the sockets, which tells clients to stay
      // away) lets every page reconnect by itself to the next server and catch up.
      io.engine.close();
    });
    app.addHook('onClose', async () => {
      // Stops the adapter's stream reader, then the connection it was made from.
      io.of('/').adapter.close();
      redis?.disconnect();
    });
  },
  { name: 'realtime', dependencies: ['deps', '@fastify/cookie'] },
);
