import { io, type Socket } from 'socket.io-client';
import { SESSION_COOKIE } from '../../protocol/auth.js';
import { type HallEvent, SOCKET_PATH } from '../../protocol/events.js';
import { type FeedOptions, type FeedStatus, HallFeed } from '../../protocol/realtime-client.js';
import { afterEach, beforeEach } from 'vitest';
import { buildTestHall, type Client, type TestHall } from '../helpers.js';

export async function listen(t: TestHall, port = 0): Promise<string> {
  await t.app.listen({ port, host: '127.0.0.1' });
  const addr = t.app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

/** A fresh demo hall listening on a port for each test (closed after it), handed to `use`. */
export function eachHallOnPort(use: (t: TestHall, base: string) => void): void {
  let t: TestHall | undefined;
  beforeEach(async () => {
    t = await buildTestHall();
    use(t, await listen(t));
  });
  afterEach(async () => t?.close());
}

export function sessionCookie(client: Client): string {
  return `${SESSION_COOKIE}=${(client.auth as { cookie: string }).cookie}`;
}

/** A raw socket.io-client connection, as a page would open it. */
export function rawSocket(base: string, opts: { auth?: object; cookie?: string; origin?: string } = {}): Socket {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin) headers.origin = opts.origin;
  return io(base, { path: SOCKET_PATH, auth: opts.auth ?? {}, extraHeaders: headers, reconnection: false, forceNew: true });
}

/** Resolves with the next `event` whose payload satisfies `predicate`. */
export function waitFor<T = any>(socket: Socket, event: string, predicate: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const handler = (payload: T) => {
      if (!predicate(payload)) return;
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Records everything a socket receives, in arrival order. */
export function record(socket: Socket): { name: string; seq: number; payload: any }[] {
  const seen: { name: string; seq: number; payload: any }[] = [];
  socket.onAny((name: string, payload: any) => seen.push({ name, seq: payload?.seq ?? payload?.lastSeq, payload }));
  return seen;
}

export interface Recorded {
  feed: HallFeed;
  events: { event: HallEvent; live: boolean }[];
  statuses: FeedStatus[];
  snapshots: number;
  /** Resolves once `predicate` holds, checked after every applied event and status change. */
  until(predicate: () => boolean): Promise<void>;
}

/** A HallFeed whose applied events are recorded. */
export function recordedFeed(base: string, opts: Pick<FeedOptions, 'auth' | 'stream'> & { loadSnapshot: FeedOptions['loadSnapshot']; cookie?: string }): Recorded {
  const waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.predicate()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const rec: Recorded = {
    feed: undefined as unknown as HallFeed,
    events: [],
    statuses: [],
    snapshots: 0,
    until: (predicate) => new Promise((resolve) => {
      waiters.push({ predicate, resolve });
      check();
    }),
  };
  rec.feed = new HallFeed({
    url: base,
    auth: opts.auth,
    stream: opts.stream,
    socketOptions: { extraHeaders: opts.cookie ? { cookie: opts.cookie } : {}, reconnectionDelay: 50, reconnectionDelayMax: 200, forceNew: true },
    loadSnapshot: async (serverLastSeq) => {
      rec.snapshots++;
      const snap = await opts.loadSnapshot(serverLastSeq);
      queueMicrotask(check);
      return snap;
    },
    onEvent: (event, live) => {
      rec.events.push({ event, live });
      check();
    },
    onStatus: (status) => {
      rec.statuses.push(status);
      check();
    },
  });
  rec.feed.start();
  return rec;
}

export function seqs(rec: Recorded): number[] {
  return rec.events.map((e) => e.event.seq);
}

/** Returns `track(socket)`: every socket handed to it is disconnected after each test of the file. */
export function closeAfterEach(): (socket: Socket) => Socket {
  const open: Socket[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.disconnect();
  });
  return (socket) => {
    open.push(socket);
    return socket;
  };
}
