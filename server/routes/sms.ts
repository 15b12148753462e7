import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { API } from '../../protocol/api.js';
import { ServiceUnavailableError } from '../errors.js';
import { inboundTexts, receiveText, verifyGatewaySignature } from '../notifications/inbound.js';
import { hallOf, MANAGERS } from '../plugins/auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as the gateway sent it: its signature is over these bytes. */
    rawBody?: string;
  }
}

/**
 * 短信预约: texts the SMS gateway received, posted here signed with the gateway's secret (the
 * same HMAC as the messages the hall sends it). JSON is read here as text first, so the signature
 * is checked over the bytes that came, not over a re-serialisation.
 */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 16_384 }, (request, body, done) => {
    request.rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('The body is not valid JSON.'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }), undefined);
    }
  });

  app.post('/sms/inbound', {
    schema: { tags: ['public'], summary: '短信预约: a text the SMS gateway received (预约 / 取消 / 查询), signed; answered with what was done and the reply texted back', ...API['POST /sms/inbound'] },
    config: { rateLimit: { max: 600, timeWindow: 60_000 } },
    // The signature is checked before the body is read as a command.
    preValidation: async (request) => {
      const gateway = deps.config.smsWebhook;
      if (!gateway) throw new ServiceUnavailableError('SMS_GATEWAY_NOT_CONFIGURED', 'This hall system has no SMS gateway (SMS_WEBHOOK_URL and SMS_WEBHOOK_SECRET).');
      const header = (name: string) => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      verifyGatewaySignature(gateway.secret, request.rawBody ?? '', header('x-hall-timestamp'), header('x-hall-signature'), deps.clock.now());
    },
  }, async (request) => receiveText(deps, request.body));

  app.get('/halls/:hallId/sms/inbound', {
    schema: { tags: ['notifications'], summary: 'Texts received for 短信预约: who (masked), what, what was done and the reply', ...API['GET /halls/:hallId/sms/inbound'] },
    onRequest: app.authorize({ roles: MANAGERS }),
  }, async (request) => inboundTexts(deps.db, hallOf(request).id, request.query.limit));
};

export default routes;
