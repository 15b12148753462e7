import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { type BroadcastOperator, Server, type Socket } from 'socket.io';
import {
  type ClientToServerEvents, deviceRoom, FetchEventsRequest, type HallEvent, type ServerToClientEvents, sessionRoom, SOCKET_PATH,
  staffRoom,
} from '../../protocol/events.js';
import type { Clock } from '../clock.js';
import type { EventBus, WindowChange } from '../db/bus.js';
import type { EventRange } from '../db/event-log.js';
import { type TrustProxy, trustFunction } from '../domain/addresses.js';
import { atWindow, HandshakeError, type Scope } from './access.js';
import { HandshakeLimiter } from './handshakes.js';
import { AdapterRedis } from './redis.js';
import { audiences, type StreamItem, streamEntries, viewFor } from './stream.js';

/**
 * What the realtime layer is given (Socket.IO's `createApplication(httpServer, components)`):
 * it knows these interfaces, not the features or their tables.
 */
export interface RealtimeComponents {
  clock: Clock;
  bus: Pick<EventBus, 'subscribe' | 'onRevoked' | 'onWindowChanged'>;
  log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  config: {
    allowedOrigins: readonly string[];
    socketCheckMs: number;
    rateLimitPerMinute: number;
    trustProxy: TrustProxy;
    redis: { url: string; prefix: string } | null;
  };
  /** The connection REST's rate limits count on (handshakes are counted there too), if any. */
  limits: Redis | null;
  /** Who is connecting (the handshake's auth and Cookie header), or a HandshakeError. */
  identify(auth: unknown, cookieHeader: string | undefined): Promise<Scope>;
  /** The hall's event log. */
  events: {
    last(hallId: number): Promise<number>;
    firstRetained(hallId: number): Promise<number>;
    list(hallId: number, range: EventRange): Promise<HallEvent[]>;
  };
  /** Of these sessions and devices, the ones that may still be connected. */
  stillValid(sessionIds: string[], deviceIds: number[]): Promise<{ sessions: ReadonlySet<string>; devices: ReadonlySet<number> }>;
}

export interface Realtime {
  io: HallServer;
  /** Server processes that hear each other through Redis, this one included (1 without Redis, or while it is unreachable). */
  processCount(): Promise<number>;
  /** Ends every live connection whose session or device is no longer valid; returns how many. */
  checkSockets(): Promise<number>;
  /** Before the HTTP server closes: stop listening to the bus and let pages reconnect elsewhere. */
  stop(): void;
  /** After: the adapter and its Redis connection. */
  close(): void;
}

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
 * Socket.IO on the HTTP server: pushes committed events to the rooms that may see them, and on
 * connect replays what the client missed since its lastSeq. Sockets never write.
 */
export function createRealtime(httpServer: HttpServer, components: RealtimeComponents): Realtime {
  const { clock, bus, log, config, limits, identify, events, stillValid } = components;
  // With several server processes, a broadcast or a disconnect made on one reaches the sockets
  // of all of them through a Redis stream; each process pushes the events it committed.
  const redis = config.redis ? new AdapterRedis(config.redis.url, log) : null;
  const io: HallServer = new Server(httpServer, {
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

  async function processCount(): Promise<number> {
    if (!redis) return 1;
    try {
      return await io.of('/').adapter.serverCount();
    } catch {
      return 1;
    }
  }

  // Counted on the connection REST's rate limits use (app.ts), under this deployment's prefix.
  const handshakes = new HandshakeLimiter(
    config.rateLimitPerMinute, trustFunction(config.trustProxy), limits && config.redis ? { client: limits, prefix: config.redis.prefix } : null, log,
  );

  io.use(async (socket, next) => {
    try {
      if (!(await handshakes.take(handshakes.keyOf(socket.request), Date.now()))) {
        throw new HandshakeError('RATE_LIMITED', 'Too many connections from this address; try again in a minute.');
      }
      socket.data.scope = await identify(socket.handshake.auth, socket.handshake.headers.cookie);
      socket.data.fetches = { tokens: FETCH_BURST, at: Date.now(), busy: false };
      const lastSeq = (socket.handshake.auth as { lastSeq?: unknown }).lastSeq;
      socket.data.lastSeq = typeof lastSeq === 'number' ? lastSeq : undefined;
      next();
    } catch (err) {
      const code = err instanceof HandshakeError ? err.code : 'INTERNAL_ERROR';
      if (!(err instanceof HandshakeError)) log.error({ err }, 'socket handshake failed');
      const refusal = new Error(err instanceof HandshakeError ? err.message : 'Something went wrong on the server.') as Error & { data: unknown };
      refusal.data = { code };
      next(refusal);
    }
  });

  async function catchUp(socket: HallSocket): Promise<void> {
    const { scope, lastSeq: from } = socket.data;
    const current = await events.last(scope.hallId);
    if (from === undefined) {
      socket.emit('catchup:completed', { lastSeq: current, replayed: 0 });
      return;
    }
    if (from > current) {
      socket.emit('catchup:failed', { reason: 'ahead', lastSeq: current });
      return;
    }
    if (from + 1 < (await events.firstRetained(scope.hallId))) {
      socket.emit('catchup:failed', { reason: 'pruned', lastSeq: current });
      return;
    }
    let after = from;
    let replayed = 0;
    for (;;) {
      const page = await events.list(scope.hallId, {
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
        const page = await events.list(scope.hallId, {
          after: parsed.data.after, until: parsed.data.until, limit: FETCH_MAX,
          ticketRef: scope.kind === 'ticket' ? scope.ticketRef : undefined,
        });
        ack({ ok: true, data: streamEntries(scope, page) });
      } catch (err) {
        log.error({ err }, 'events:fetch failed');
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
      log.error({ err }, 'socket catch-up failed');
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
    const { sessions: alive, devices } = await stillValid(sessionIds, deviceIds);
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
  const checker = setInterval(() => {
    checkSockets().catch((err: unknown) => log.error({ err }, 'socket session check failed'));
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


  return {
    io,
    processCount,
    checkSockets,
    stop() {
      clearInterval(checker);
      unsubscribe();
      unsubscribeRevoked();
      unsubscribeWindow();
      // Fastify closes the HTTP server; upgraded WebSocket connections would keep it open.
      // Closing the transports (not disconnecting the sockets, which tells clients to stay
      // away) lets every page reconnect by itself to the next server and catch up.
      io.engine.close();
    },
    close() {
      // Stops the adapter's stream reader, then the connection it was made from.
      io.of('/').adapter.close();
      redis?.disconnect();
    },
  };
}
