import path from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './domain/addresses.js';


const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_FILE: z.string().min(1).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PG_POOL_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// URL').optional(),
  REDIS_PREFIX: z.string().min(1).max(100).default('hall-queue'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().default('false').transform((raw, ctx) => {
    const parsed = parseTrustProxy(raw);
    if (parsed === null) {
      ctx.addIssue({ code: 'custom', message: 'false, a hop count (1 = the nearest proxy), or the proxies\' addresses/CIDRs, comma-separated' });
      return z.NEVER;
    }
    return parsed;
  }),
  SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().positive().default(10),
  BOOKING_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(20),
  PUBLIC_URL: z.string().url().optional(),
  ALLOWED_ORIGINS: z.string().default(''),
  UI_DIR: z.string().min(1).default('dist/ui'),
  EVENT_RETENTION_HOURS: z.coerce.number().min(24).max(24 * 90).default(48),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('02:30'),
  BACKUP_TIMEZONE: z.string().min(1).default('Asia/Shanghai'),
  BACKUP_KEEP: z.coerce.number().int().min(0).max(3650).default(14),
  SMS_WEBHOOK_URL: z.string().url().optional(),
  SMS_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  EVALUATION_FEED_URL: z.string().url().optional(),
  EVALUATION_FEED_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  SECRET_KEY_FILE: z.string().min(1).optional(),
  DB_BUSY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
});

export interface Config {
  port: number;
  host: string;
  databaseFile: string;
  /**
   * PostgreSQL instead of the SQLite file, for several server processes: the URL, how many
   * connections this process keeps, how long a request waits for one (then 503), and the
   * longest any statement may run.
   */
  postgres: { url: string; poolSize: number; poolWaitMs: number; statementTimeoutMs: number } | null;
  /**
   * Redis, which carries live events, sign-outs and rate-limit counts between server processes
   * (Socket.IO's Redis streams adapter). `prefix` names this deployment's keys and stream.
   */
  redis: { url: string; prefix: string } | null;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /**
   * Which reverse proxies' X-Forwarded-For (and -Proto) are believed: none, the nearest N hops,
   * or these addresses. The client's address is then the one the nearest trusted proxy saw.
   */
  trustProxy: TrustProxy;
  sessionTtlMs: number;
  /** A session unused this long ends (inactivity timeout), beside its absolute lifetime. */
  sessionIdleMs: number;
  /** How often live connections re-check that their session or device is still valid. */
  socketCheckMs: number;
  rateLimitPerMinute: number;
  loginAttemptsPerMinute: number;
  /** Bookings, cancellations and check-in code look-ups one address may make a minute (public, no account). */
  bookingRequestsPerMinute: number;
  /** scrypt cost N; lowered only by tests, where hundreds of hashes would otherwise take seconds. */
  passwordHashCost: number;
  /** Run day-end expiry and event pruning on timers (off in tests, which call them directly). */
  scheduleExpiry: boolean;
  publicUrl?: string;
  /** Origins besides the server's own whose pages may open a realtime connection. */
  allowedOrigins: string[];
  /** Where the built pages are (`npm run build` puts them in dist/ui). */
  uiDir: string;
  /** How long the event log keeps events for catch-up; at least a whole business day. */
  eventRetentionMs: number;
  /** SMS: an HTTP gateway to post each notice to; null keeps them in the outbox only. */
  smsWebhook: { url: string; secret: string } | null;
  /** 好差评: the provincial platform's feed endpoint and the secret its records are signed with (null: records are kept, not sent). */
  evaluationFeed: { url: string; secret: string } | null;
  /** How long a write waits for the database lock (held by another program) before a 503. */
  dbBusyTimeoutMs: number;
  /** The key file that seals second-factor secrets (made at first start, 0600; back it up apart). */
  secretKeyFile: string;
  /** The daily backup: folder, local time and how many to keep; null when off (BACKUP_KEEP=0, tests). */
  backup: { dir: string; time: string; timeZone: string; keep: number } | null;
}

/** Reads and validates the environment once, at start-up. Nothing else reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // The SQLite file's folder: the daily backups and the key file go beside it unless named.
  const dataDir = e.DATABASE_FILE ? path.dirname(e.DATABASE_FILE) : e.DATA_DIR;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseFile: e.DATABASE_FILE ?? path.join(e.DATA_DIR, 'hall.sqlite'),
    postgres: e.DATABASE_URL === undefined ? null : {
      url: e.DATABASE_URL, poolSize: e.PG_POOL_SIZE, poolWaitMs: e.PG_POOL_WAIT_MS, statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS,
    },
    redis: e.REDIS_URL === undefined ? null : { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    sessionTtlMs: e.SESSION_HOURS * 3600_000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    socketCheckMs: 5_000,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginAttemptsPerMinute: e.LOGIN_ATTEMPTS_PER_MINUTE,
    bookingRequestsPerMinute: e.BOOKING_REQUESTS_PER_MINUTE,
    passwordHashCost: 1 << 17, // OWASP's minimum for scrypt (N=2^17, r=8, p=1)
    scheduleExpiry: true,
    publicUrl: e.PUBLIC_URL,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    eventRetentionMs: e.EVENT_RETENTION_HOURS * 3600_000,
    uiDir: e.UI_DIR,
    dbBusyTimeoutMs: e.DB_BUSY_TIMEOUT_MS,
    secretKeyFile: e.SECRET_KEY_FILE ?? path.join(dataDir, 'secret.key'),
    smsWebhook: smsWebhookOf(e.SMS_WEBHOOK_URL, e.SMS_WEBHOOK_SECRET),
    evaluationFeed: pairOf('EVALUATION_FEED', e.EVALUATION_FEED_URL, e.EVALUATION_FEED_SECRET),
    // On PostgreSQL, backups are the database server's (pg_dump, README).
    backup: e.BACKUP_KEEP === 0 || e.DATABASE_URL !== undefined ? null : {
      dir: e.BACKUP_DIR ?? path.join(dataDir, 'backups'),
      time: e.BACKUP_TIME, timeZone: e.BACKUP_TIMEZONE, keep: e.BACKUP_KEEP,
    },
  };
}

function smsWebhookOf(url: string | undefined, secret: string | undefined): Config['smsWebhook'] {
  return pairOf('SMS_WEBHOOK', url, secret);
}

/** A webhook's URL and signing secret: both or neither. */
function pairOf(name: string, url: string | undefined, secret: string | undefined): { url: string; secret: string } | null {
  if (url === undefined && secret === undefined) return null;
  if (url === undefined || secret === undefined) throw new Error(`invalid configuration:\n  ${name}_URL and ${name}_SECRET go together`);
  return { url, secret };
}

/** Settings for tests: in-memory database, quiet logs, cheap hashes, generous limits. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseFile: ':memory:',
    postgres: null,
    redis: null,
    logLevel: 'silent',
    trustProxy: false,
    sessionTtlMs: 12 * 3600_000,
    // Scenarios move the clock by hours with one session; tests of the inactivity timeout lower it.
    sessionIdleMs: 12 * 3600_000,
    socketCheckMs: 60_000,
    rateLimitPerMinute: 100_000,
    loginAttemptsPerMinute: 10,
    bookingRequestsPerMinute: 100_000,
    passwordHashCost: 1 << 10,
    scheduleExpiry: false,
    allowedOrigins: [],
    eventRetentionMs: 48 * 3600_000,
    uiDir: 'dist/ui',
    dbBusyTimeoutMs: 5000,
    secretKeyFile: 'unused-in-tests.key',
    smsWebhook: null,
    evaluationFeed: null,
    backup: null,
    ...overrides,
  };
}
