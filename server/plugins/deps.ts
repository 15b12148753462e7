import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { WriteDeps } from '../db/write.js';

/** What every feature may use: configuration, the database, the clock, the event bus and the sealing key. */
export interface Deps extends WriteDeps {
  config: Config;
  /** Seals secrets the server reads back (TOTP); from the key file (db/secret-key.ts). */
  secretKey: Buffer;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
  }
}

export default fp<{ deps: Deps }>(
  async (app, { deps }) => {
    app.decorate('deps', deps);
  },
  { name: 'deps' },
);
