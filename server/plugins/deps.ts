import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { WriteDeps } from '../db/write.js';

/** What every feature may use: configuration, the database, the clock and the event bus. */
export interface Deps extends WriteDeps {
  config: Config;
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
