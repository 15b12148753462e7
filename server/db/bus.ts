import { EventEmitter } from 'node:events';
import type { HallEvent } from '../../protocol/events.js';

export type Revoked = { kind: 'session'; id: string } | { kind: 'staff'; id: number } | { kind: 'device'; id: number };

export interface WindowChange {
  sessionId: string;
  windowId: number | null;
}

/**
 * Carries committed events from the write path to whoever pushes them out (the realtime layer).
 * It only ever sees events whose transaction has committed.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  publish(events: readonly HallEvent[]): void {
    for (const event of events) this.#emitter.emit('event', event);
  }

  subscribe(listener: (event: HallEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  /** Access was taken away (sign-out, disabled account, new password, revoked device). */
  revoke(revoked: Revoked): void {
    this.#emitter.emit('revoked', revoked);
  }

  onRevoked(listener: (revoked: Revoked) => void): () => void {
    this.#emitter.on('revoked', listener);
    return () => this.#emitter.off('revoked', listener);
  }

  /** A session took or left a window: its clerk's live connections follow. */
  windowChanged(change: WindowChange): void {
    this.#emitter.emit('window', change);
  }

  onWindowChanged(listener: (change: WindowChange) => void): () => void {
    this.#emitter.on('window', listener);
    return () => this.#emitter.off('window', listener);
  }
}
