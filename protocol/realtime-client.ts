import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { hallEventTypes, SOCKET_PATH } from './constants.js';
import type {
  CatchupCompleted, CatchupFailed, ClientToServerEvents, HallEvent, HandshakeAuth, ServerToClientEvents, WithheldEvent,
} from './events.js';

export type FeedStatus = 'connecting' | 'catching_up' | 'live' | 'reconnecting' | 'refused' | 'closed';

type Item = { withheld: false; event: HallEvent } | { withheld: true; stub: WithheldEvent };

export interface FeedOptions {
  /** The server's origin ('' or undefined: the page's own). */
  url?: string;
  auth: Omit<HandshakeAuth, 'lastSeq'>;
  /**
   * 'hall': every seq of the hall arrives (as an event or a withheld stub), so a gap means
   * something was missed and is fetched. 'ticket': only one ticket's events (the phone page).
   */
  stream: 'hall' | 'ticket';
  /**
   * Loads the REST snapshot (queue, ticket status) and returns the seq it reflects. Called at
   * the start and whenever the server cannot replay what was missed. `serverLastSeq` is the
   * server's seq at that moment, for snapshots that carry none.
   */
  loadSnapshot(serverLastSeq: number): Promise<{ lastSeq: number }>;
  /** Each event exactly once, in seq order. `live` is false for events replayed after a reconnect. */
  onEvent(event: HallEvent, live: boolean): void;
  onStatus?(status: FeedStatus, detail?: { code?: string }): void;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}


/**
 * A realtime connection that applies the hall's events exactly once and in order, across
 * reconnects: it keeps the last applied seq, resumes from it, drops duplicates, buffers
 * out-of-order events, fetches gaps, and reloads a snapshot when the server says it must.
 */
export class HallFeed {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  #lastSeq: number | undefined;
  #catchingUp = true;
  #replaying = true;
  #buffer = new Map<number, Item>();
  #fetching = false;
  #status: FeedStatus = 'connecting';

  constructor(private readonly options: FeedOptions) {
    this.socket = io(options.url ?? '', {
      path: SOCKET_PATH,
      autoConnect: false,
      reconnectionDelay: 300,
      reconnectionDelayMax: 5000,
      withCredentials: true,
      ...options.socketOptions,
      // Evaluated at every (re)connection, so the server resumes from the newest seq.
      auth: (cb) => cb({ ...options.auth, ...(this.#lastSeq === undefined ? {} : { lastSeq: this.#lastSeq }) }),
    });
    const s = this.socket;
    s.on('connect', () => {
      this.#catchingUp = true;
      this.#replaying = true;
      this.#setStatus('catching_up');
    });
    s.on('disconnect', (reason) => {
      // The server hung up on purpose (access revoked, server closing): socket.io-client does
      // not retry a server-side disconnect by itself, except when the server is shutting down.
      this.#setStatus(reason === 'io server disconnect' ? 'closed' : 'reconnecting');
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code) this.#setStatus('refused', { code: err.data.code });
      else this.#setStatus('reconnecting');
    });
    for (const type of hallEventTypes) s.on(type, (event: HallEvent) => this.#receive({ withheld: false, event }));
    s.on('event:withheld', (stub) => this.#receive({ withheld: true, stub }));
    s.on('catchup:completed', (info) => void this.#completed(info).catch(() => this.#resync()));
    s.on('catchup:failed', (info) => void this.#failed(info).catch(() => this.#resync()));
  }

  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  get status(): FeedStatus {
    return this.#status;
  }

  start(): this {
    this.socket.connect();
    return this;
  }

  stop(): void {
    this.socket.disconnect();
    this.#setStatus('closed');
  }

  #setStatus(status: FeedStatus, detail?: { code?: string }): void {
    this.#status = status;
    this.options.onStatus?.(status, detail);
  }

  #seqOf(item: Item): number {
    return item.withheld ? item.stub.seq : item.event.seq;
  }

  #receive(item: Item): void {
    if (this.#catchingUp) {
      this.#buffer.set(this.#seqOf(item), item);
      return;
    }
    this.#process(item);
  }

  #apply(item: Item): void {
    this.#lastSeq = this.#seqOf(item);
    if (!item.withheld) this.options.onEvent(item.event, !this.#replaying);
  }

  #process(item: Item): void {
    const seq = this.#seqOf(item);
    if (this.#lastSeq !== undefined && seq <= this.#lastSeq) return; // duplicate
    if (this.options.stream === 'ticket' || this.#lastSeq === undefined || seq === this.#lastSeq + 1) {
      this.#apply(item);
      this.#drain();
      return;
    }
    this.#buffer.set(seq, item);
    void this.#fillGap();
  }

  /** Applies buffered items that now follow on. */
  #drain(): void {
    for (;;) {
      const next = this.#buffer.get(this.#lastSeq! + 1);
      if (!next) break;
      this.#buffer.delete(this.#lastSeq! + 1);
      this.#apply(next);
    }
    for (const seq of this.#buffer.keys()) if (seq <= this.#lastSeq!) this.#buffer.delete(seq);
  }

  async #fillGap(): Promise<void> {
    if (this.#fetching || this.#buffer.size === 0 || this.#lastSeq === undefined) return;
    this.#fetching = true;
    try {
      const until = Math.min(...this.#buffer.keys()) - 1;
      const before = this.#lastSeq;
      const result = await this.socket.timeout(10_000).emitWithAck('events:fetch', { after: before, until });
      if (!result.ok) throw new Error(result.error.code);
      for (const e of result.data) {
        this.#process('withheld' in e ? { withheld: true, stub: { hallId: e.hallId, seq: e.seq, at: e.at } } : { withheld: false, event: e });
      }
      // The server no longer has what is missing: start again from a snapshot.
      if (this.#lastSeq === before) throw new Error('gap could not be filled');
    } catch {
      await this.#resync();
    } finally {
      this.#fetching = false;
    }
    if (this.#buffer.size > 0 && !this.#catchingUp) void this.#fillGap();
  }

  async #completed(info: CatchupCompleted): Promise<void> {
    if (this.#lastSeq === undefined) {
      // Subscribed first, snapshot second: nothing can fall between the two.
      this.#lastSeq = (await this.options.loadSnapshot(info.lastSeq)).lastSeq;
    }
    this.#finishCatchup(info.lastSeq);
  }

  async #failed(info: CatchupFailed): Promise<void> {
    this.#lastSeq = undefined;
    this.#lastSeq = (await this.options.loadSnapshot(info.lastSeq)).lastSeq;
    this.#finishCatchup(info.lastSeq);
  }

  #finishCatchup(serverLastSeq: number): void {
    const buffered = [...this.#buffer.values()].sort((a, b) => this.#seqOf(a) - this.#seqOf(b));
    this.#buffer.clear();
    this.#catchingUp = false;
    for (const item of buffered) {
      if (this.#seqOf(item) > serverLastSeq) this.#replaying = false; // arrived live
      this.#process(item);
    }
    this.#replaying = false;
    // A phone page sees only its ticket's events; everything up to the server's seq is covered.
    if (this.options.stream === 'ticket') this.#lastSeq = Math.max(this.#lastSeq ?? 0, serverLastSeq);
    this.#setStatus('live');
  }

  async #resync(): Promise<void> {
    this.#buffer.clear();
    this.#lastSeq = (await this.options.loadSnapshot(this.#lastSeq ?? 0)).lastSeq;
  }
}
