import { EventEmitter } from 'node:events';
import type { HallEvent } from '../../protocol/events.js';

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
}
