import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { Redis } from 'ioredis';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import appointmentsRoutes from './routes/appointments.js';
import auditRoutes from './routes/audit.js';
import authRoutes from './routes/auth.js';
import calendarRoutes from './routes/calendar.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Db, probeStorage, storageStatus } from './db/connect.js';
import devicesRoutes from './routes/devices.js';
import hardwareRoutes from './routes/hardware.js';
import evaluationsRoutes from './routes/evaluations.js';
import { EventBus } from './db/bus.js';
import { addressKey, trustFunction } from './domain/addresses.js';
import hallsRoutes from './routes/halls.js';
import notificationsRoutes from './routes/notifications.js';
import smsRoutes from './routes/sms.js';
import reportsRoutes from './routes/reports.js';
import phoneRoutes from './routes/phone.js';
import onlineRoutes from './routes/online.js';
import feedRoutes from './routes/feed.js';
import authPlugin from './plugins/auth.js';
import depsPlugin from './plugins/deps.js';
import errorsPlugin, { clientError, frameworkError } from './plugins/errors.js';
import housekeepingPlugin from './plugins/housekeeping.js';
import notificationsPlugin from './plugins/notifications.js';
import realtimePlugin from './plugins/realtime.js';
import uiPlugin from './plugins/ui.js';
import servicesRoutes from './routes/services.js';
import staffRoutes from './routes/staff.js';
import statsRoutes from './routes/stats.js';
import ticketsRoutes from './routes/tickets.js';
import windowsRoutes from './routes/windows.js';

export interface BuildOptions {
  config: Config;
  db: Db;
  clock?: Clock;
  bus?: EventBus;
  /** Where logs go (stdout when absent); tests read them to check nothing secret is written. */
  logStream?: { write(line: string): void };
  /** Sees every route as it is registered (the contract test compares them with protocol/api.ts). */
  onRoute?: (route: RouteOptions) => void;
  /**
   * The key that seals TOTP secrets (main.ts reads the key file). Without one, a key made for this
   * process only: enough for a test, never for a server whose database outlives it.
   */
  secretKey?: Buffer;
}

const processKey = crypto.getRandomValues(Buffer.alloc(32));

const API_PREFIX = '/api/v1';

/**
 * Secrets that travel in URLs never reach a log line: the ticket token (the phone page's only
 * key, in `/public/tickets/…` and `/t/…`), a booking's check-in code (`/public/appointments/…`),
 * and any query parameter that names a secret or a phone number.
 */
const SECRET_PATHS = /(\/public\/tickets\/|^\/t\/|\/public\/appointments\/)[^/?#]+/;
const SECRET_PARAMS = /([?&](?:token|ticketToken|code|otp|password|phone)=)[^&#]*/gi;
export function maskTokens(url: string): string {
  return url.replace(SECRET_PATHS, (_, prefix: string) => `${prefix}${prefix.includes('appointments') ? '[code]' : '[token]'}`)
    .replace(SECRET_PARAMS, '$1[hidden]');
}

/** Builds the whole app without listening: tests drive it with `app.inject`, main.ts listens. */
export async function buildApp({ config, db, clock = systemClock, bus = new EventBus(), logStream, onRoute, secretKey = processKey }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      // Never log credentials or the citizen's ticket token (it is their phone page's only key).
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({
          method: req.method,
          url: maskTokens(req.url),
          remoteAddress: req.ip,
        }),
      },
    },
    // The same trust function the socket handshake uses (realtime/handshakes.ts), so REST and
    // sockets see one client address.
    trustProxy: trustFunction(config.trustProxy),
    bodyLimit: 64 * 1024,
    requestIdHeader: 'x-request-id',
    // Refusals made before any route runs still answer in the one error shape.
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    genReqId: () => crypto.randomUUID(),
    // Answered by the errors plugin in the one error shape instead.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (onRoute) app.addHook('onRoute', onRoute);

  // External plugins.
  await app.register(errorsPlugin);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // The hall LAN may have no internet: everything is served from here.
        defaultSrc: ["'self'"],
        // blob: the window screen shows a staff photo it fetched with its device token.
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: null, // halls run plain HTTP on their LAN
        baseUri: ["'none'"],
      },
    },
    // HSTS means something only over HTTPS (below); over the hall LAN's plain HTTP it is noise.
    strictTransportSecurity: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  // With several processes the counts live in Redis, so a limit is the deployment's, not each process's.
  const limits = config.redis ? new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  limits?.on('error', (err) => app.log.warn({ err }, 'redis (rate limits) connection problem'));
  if (limits) app.addHook('onClose', async () => void limits.disconnect());
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // IPv6 by its /64: one line's many addresses are one client.
    keyGenerator: (req) => addressKey(req.ip),
    ...(limits && config.redis ? { redis: limits, nameSpace: `${config.redis.prefix}:rate:`, skipOnError: true } : {}),
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: '政务服务大厅排队叫号 API', description: 'Queue and window-calling system for government service halls.', version: '1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hq_session' },
          device: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Answers carry sessions, names, phone numbers and ratings: no cache (browser or proxy) keeps them.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith(API_PREFIX) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  // Application plugins.
  await app.register(depsPlugin, { deps: { config, db, clock, bus, secretKey } });
  await app.register(authPlugin);
  await app.register(notificationsPlugin);
  await app.register(housekeepingPlugin);
  await app.register(realtimePlugin, { limits });

  // Routes.
  await app.register(uiPlugin);
  await app.register(async (api) => {
    api.get('/health', {
      schema: {
        tags: ['health'],
        summary: 'Liveness and storage check: 503 with the fault\'s code while nothing can be saved',
        response: {
          200: z.object({
            status: z.literal('ok'), time: z.number().int(),
            processes: z.number().int().describe('Server processes this one hears from through Redis, itself included (1 without Redis)'),
          }),
          503: z.object({ status: z.literal('degraded'), time: z.number().int(), error: z.object({ code: z.string(), message: z.string() }), requestId: z.string() }),
        },
      },
    }, async (request, reply) => {
      // While writes fail, try one small write: it tells when space has come back.
      await probeStorage(db).catch((err: unknown) => request.log.warn({ err }, 'storage probe failed'));
      await sql`select 1`.execute(db);
      const { failing } = storageStatus(db);
      if (failing) {
        return reply.code(503).send({ status: 'degraded' as const, time: clock.now(), error: { code: failing.code, message: failing.message }, requestId: String(request.id) });
      }
      return { status: 'ok' as const, time: clock.now(), processes: await app.processCount() };
    });
    for (const routes of [authRoutes, auditRoutes, hallsRoutes, calendarRoutes, servicesRoutes, windowsRoutes, staffRoutes, devicesRoutes, hardwareRoutes, ticketsRoutes, evaluationsRoutes, phoneRoutes, appointmentsRoutes, onlineRoutes, notificationsRoutes, smsRoutes, statsRoutes, reportsRoutes, feedRoutes]) {
      await api.register(routes);
    }
  }, { prefix: API_PREFIX });

  return app;
}
