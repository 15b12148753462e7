import fp from 'fastify-plugin';
import { Notifier } from '../notifications/notifier.js';
import { insecureGateway, outboxSender, webhookSender } from '../notifications/sender.js';

declare module 'fastify' {
  interface FastifyInstance {
    notifier: Notifier;
  }
}

/**
 * SMS notices: made from committed events (a bus listener, off the request path) and stored;
 * the housekeeping timers deliver them with the configured sender and send booking reminders.
 * Tests drive `deliverDue` and `remind` themselves (no timers when `scheduleExpiry` is off).
 */
export default fp(
  async (app) => {
    const { deps } = app;
    const { config } = deps;
    const sender = config.smsWebhook ? webhookSender(config.smsWebhook.url, config.smsWebhook.secret) : outboxSender;
    const risk = config.smsWebhook ? insecureGateway(config.smsWebhook.url) : null;
    if (risk) app.log.warn(risk);
    const feedRisk = config.evaluationFeed ? insecureGateway(config.evaluationFeed.url, 'EVALUATION_FEED_URL', 'ratings and comments cross') : null;
    if (feedRisk) app.log.warn(feedRisk);
    const notifier = new Notifier({ deps, sender, publicUrl: (config.publicUrl ?? '').replace(/\/$/, ''), log: app.log });
    app.decorate('notifier', notifier);
    const unsubscribe = deps.bus.subscribe((event) => notifier.onEvent(event));
    app.addHook('onClose', async () => {
      unsubscribe();
      await notifier.idle;
    });
  },
  { name: 'notifications', dependencies: ['deps'] },
);
