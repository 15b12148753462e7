import { ServiceUnavailableError, TooManyRequestsError } from '../errors.js';

/**
 * Password hashing (scrypt, ~0.1–0.5 s and 128 MiB each at the production cost) runs at most
 * `concurrency` at a time, with at most `perClient` waiting or running for one address and at
 * most `queue` waiting in all. A flood of sign-ins from one address takes at most its share and
 * is refused at once beyond it, so a clerk's sign-in elsewhere waits for a few hashes, not for
 * the flood; a flood from everywhere is refused with 503 instead of growing without bound.
 */
export class HashGate {
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #perClient = new Map<string, number>();

  constructor(private readonly limits: { concurrency: number; queue: number; perClient: number }) {}

  async run<T>(client: string, work: () => Promise<T>): Promise<T> {
    const mine = this.#perClient.get(client) ?? 0;
    if (mine >= this.limits.perClient) {
      throw new TooManyRequestsError('TOO_MANY_ATTEMPTS', 'Another sign-in from this address is still being checked; try again in a moment.');
    }
    if (this.#running >= this.limits.concurrency && this.#waiting.length >= this.limits.queue) {
      throw new ServiceUnavailableError('SIGN_IN_BUSY', 'Too many sign-ins at once; try again in a moment.');
    }
    this.#perClient.set(client, mine + 1);
    try {
      if (this.#running >= this.limits.concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      else this.#running++;
      try {
        return await work();
      } finally {
        // Hand the slot straight to the next in line (the count of running stays the same).
        const next = this.#waiting.shift();
        if (next) next();
        else this.#running--;
      }
    } finally {
      const left = (this.#perClient.get(client) ?? 1) - 1;
      if (left === 0) this.#perClient.delete(client);
      else this.#perClient.set(client, left);
    }
  }

  /** Hashes running and waiting now (tests and health). */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }
}
