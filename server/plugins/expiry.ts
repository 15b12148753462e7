import fp from 'fastify-plugin';
import { listHalls } from '../halls/repository.js';
import { expireOpenTickets } from '../tickets/service.js';

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Day end: every minute (and once at start-up, which covers a server that was down over
 * midnight) tickets left open from an earlier business day become `expired`.
 */
export default fp(
  async (app) => {
    const deps = app.deps;
    if (!deps.config.scheduleExpiry) return;
    const sweep = async () => {
      for (const hall of await listHalls(deps.db, null)) {
        const expired = await expireOpenTickets(deps, hall.id);
        if (expired > 0) app.log.info({ hallId: hall.id, expired }, 'expired tickets of an earlier business day');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await sweep();
      timer = setInterval(() => sweep().catch((err: unknown) => app.log.error({ err }, 'expiry sweep failed')), SWEEP_INTERVAL_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'expiry', dependencies: ['deps'] },
);
