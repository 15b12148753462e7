import { Redis, type RedisOptions } from 'ioredis';

interface Log {
  warn(obj: object, msg: string): void;
}

/**
 * The Redis connection the Socket.IO adapter uses, made to bear Redis being away:
 * - publishing fails at once while disconnected (no offline queue), so a broadcast to this
 *   process's own sockets, which waits for its publish, is not held up;
 * - the adapter's stream reader and subscriber (made with `duplicate`) queue their commands
 *   and wait for the reconnection instead, so their retry loops are paced by it;
 * - a failed PUBLISH or SUBSCRIBE, whose promises the adapter does not handle, is logged rather
 *   than left as an unhandled rejection (which would end the process); a failed SUBSCRIBE is
 *   made again once the connection is back.
 */
export class AdapterRedis extends Redis {
  constructor(url: string, readonly log: Log, options: RedisOptions = {}) {
    super(url, { maxRetriesPerRequest: 2, enableOfflineQueue: false, ...options });
    this.on('error', (err: unknown) => log.warn({ err }, 'redis (live events between processes) connection problem'));
    this.#url = url;
  }

  readonly #url: string;

  override duplicate(override?: Partial<RedisOptions>): Redis {
    return new AdapterRedis(this.#url, this.log, { enableOfflineQueue: true, ...override });
  }

  override publish(...args: Parameters<Redis['publish']>): ReturnType<Redis['publish']> {
    return super.publish(...args).catch((err: unknown) => {
      this.log.warn({ err }, 'could not tell the other processes (redis publish failed)');
      return 0;
    }) as ReturnType<Redis['publish']>;
  }

  // The adapter subscribes with channel names only (no callback).
  override subscribe: Redis['subscribe'] = ((...channels: (string | Buffer)[]) =>
    super.subscribe(...channels).catch((err: unknown) => {
      this.log.warn({ err }, 'redis subscribe failed; trying again when connected');
      this.once('ready', () => void this.subscribe(...channels));
      return 0;
    })) as Redis['subscribe'];
}
