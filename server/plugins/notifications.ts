import fp from 'fastify-plugin';
import { Notifier } from '../notifications/notifier.js';
import { outboxSender, webhookSender } from '../notifications/sender.js';
import { listHalls } from '../halls/repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    notifier: Notifier;
  }
}

const DELIVER_EVERY_MS = 2_000;
const REMIND_EVERY_MS = 60_000;

/**
 * SMS notices: made from committed events (a bus listener, off the request path), stored, and
 * delivered by the configured sender on a timer with retries. Tests drive `deliverDue` and
 * `remind` themselves (no timers when `scheduleExpiry` is off).
 */
export default fp(
  async (app) => {
    const { deps } = app;
    const { config } = deps;
    const sender = config.smsWebhook ? webhookSender(config.smsWebhook.url, config.smsWebhook.secret) : outboxSender;
    const notifier = new Notifier({ deps, sender, publicUrl: (config.publicUrl ?? '').replace(/\/$/, ''), log: app.log });
    app.decorate('notifier', notifier);
    const unsubscribe = deps.bus.subscribe((event) => notifier.onEvent(event));
    app.addHook('onClose', async () => {
      unsubscribe();
      await notifier.idle;
    });
    if (!config.scheduleExpiry) return;
    const timers: NodeJS.Timeout[] = [];
    let delivering = false;
    const deliver = async () => {
      if (delivering) return; // one round at a time: a slow gateway does not pile rounds up
      delivering = true;
      try {
        await notifier.deliverDue();
      } finally {
        delivering = false;
      }
    };
    const remind = async () => {
      for (const hall of await listHalls(deps.db, null)) await notifier.remind(hall.id);
    };
    const every = (ms: number, task: () => Promise<unknown>, what: string) => {
      const timer = setInterval(() => task().catch((err: unknown) => app.log.error({ err }, `${what} failed`)), ms);
      timer.unref();
      timers.push(timer);
    };
    app.addHook('onReady', async () => {
      every(DELIVER_EVERY_MS, deliver, 'SMS delivery');
      every(REMIND_EVERY_MS, remind, 'booking reminders');
    });
    app.addHook('onClose', async () => timers.forEach(clearInterval));
  },
  { name: 'notifications', dependencies: ['deps'] },
);
