import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Redis } from 'ioredis';
import { addressKey } from '../domain/addresses.js';

/**
 * Socket.IO handshakes per client address and minute, with the same limit as REST requests:
 * a handshake is a request (and each one with a guessed ticket or device token is a guess).
 * Counted in Redis when there is one, so the limit is the deployment's, as REST's is.
 */
export class HandshakeLimiter {
  readonly #local = new Map<string, { count: number; start: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly trust: (address: string, hop: number) => boolean,
    private readonly redis: { client: Redis; prefix: string } | null,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  /** The address the nearest trusted proxy saw (as Fastify computes request.ip), as a limit key. */
  keyOf(req: IncomingMessage): string {
    return addressKey(proxyAddr(req, this.trust));
  }

  /** Counts one handshake; false when the address is over its limit this minute. */
  async take(key: string, now: number): Promise<boolean> {
    if (this.redis) {
      const k = `${this.redis.prefix}:handshakes:${key}:${Math.floor(now / 60_000)}`;
      try {
        const [[, count]] = (await this.redis.client.multi().incr(k).pexpire(k, 60_000).exec()) as [[unknown, number]];
        return count <= this.perMinute;
      } catch (err) {
        // Redis away: counted here instead (as REST's limits skip Redis when it is away).
        this.log.warn({ err }, 'handshake limit counted in this process only: redis did not answer');
      }
    }
    const entry = this.#local.get(key);
    if (!entry || now - entry.start >= 60_000) {
      if (this.#local.size > 100_000) this.#local.clear(); // a flood of distinct addresses must not grow it without bound
      this.#local.set(key, { count: 1, start: now });
      return true;
    }
    entry.count++;
    return entry.count <= this.perMinute;
  }
}
