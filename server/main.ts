import os from 'node:os';
import { pairingUrl } from '../protocol/constants.js';
import { buildApp } from './app.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { DatabaseFileError, type Db, migrateToLatest, openError } from './db/connect.js';
import { EventBus } from './db/bus.js';
import { withStartupLock } from './db/postgres.js';
import { openStore, storeName } from './db/store.js';
import { adoptSecretKey, loadSecretKey } from './db/secret-key.js';
import { seedIfEmpty } from './seed/demo.js';

// Everything this server writes (the database, its journal, backups, the key file) is readable
// by its own user only: it holds personal data and the hall's secrets.
process.umask(0o077);
const config = loadConfig();
const bus = new EventBus();
let db: Db;
let secretKey: Buffer;
let seeded: Awaited<ReturnType<typeof seedIfEmpty>>;
try {
  db = openStore(config);
  const store = db;
  // Processes starting together on one PostgreSQL: one migrates and seeds, the others wait.
  seeded = await withStartupLock(store, async () => {
    await migrateToLatest(store);
    secretKey = loadSecretKey(config.secretKeyFile);
    await adoptSecretKey(store, secretKey, config.secretKeyFile);
    return seedIfEmpty({ db: store, clock: systemClock, bus }, config);
  });
} catch (err) {
  // One line that says what is wrong and what to do; never a stack trace for a bad file.
  const reason = openError(config.databaseFile, err instanceof Error && err.cause ? err.cause : err);
  process.stderr.write(`cannot start: ${reason instanceof DatabaseFileError ? reason.message : `${storeName(config)}: ${reason.message}`}\n`);
  process.exit(1);
}
const app = await buildApp({ config, db, clock: systemClock, bus, secretKey: secretKey! });

await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const base = config.publicUrl ?? `http://localhost:${port}`;
// Kiosks and displays reach the server over the hall LAN, not via localhost.
const lan = config.host === '0.0.0.0'
  ? Object.values(os.networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => `http://${i!.address}:${port}`)
  : [];

const lines = [
  '',
  `政务服务大厅排队叫号 — listening on ${config.host}:${port}, database ${storeName(config)}${config.redis ? ', Redis for live events between processes' : ''}`,
  `  Manager            ${base}/manager`,
  `  Counter (clerks)   ${base}/counter`,
  `  Helper tablet      ${base}/helper    (帮办: numbers and check-ins for citizens)`,
  `  Booking (citizens) ${base}/book      (预约 on a phone)`,
  `  Kiosk              ${base}/kiosk     (pair once with the link below)`,
  `  Hall display       ${base}/display   (pair once with the link below)`,
  `  Evaluator          ${base}/evaluator (pair with an evaluator device's token, one per window)`,
  `  Phone page         ${base}/t/<ticket token>   (the QR code on every slip)`,
  `  API reference      ${base}/api/docs`,
  ...lan.map((url) => `  on the LAN         ${url}`),
];
if (seeded.admin || seeded.demo) {
  lines.push('', 'First start: these secrets are shown ONCE — write them down now. Each person chooses their own password at first sign-in.');
}
if (seeded.admin) lines.push(`  admin       ${seeded.admin.username} / ${seeded.admin.password}`);
if (seeded.demo) {
  const { demo } = seeded;
  lines.push(
    `  Demo hall "${demo.hallName}" (hall ${demo.hallId}): open Mon–Fri 09:00–17:00, Sat 09:00–12:00 (Asia/Shanghai);`,
    '  outside those hours the kiosk takes no numbers — change them at Manager → 配置 → 大厅设置.',
    ...demo.credentials.map((c) => `  ${c.role.padEnd(11)} ${c.username} / ${c.password}   (${c.displayName})`),
    ...demo.devices.map((d) => `  ${d.kind.padEnd(11)} device token ${d.token}   (${d.name})`),
    ...demo.devices.map((d) => `  pair ${d.kind.padEnd(7)} ${pairingUrl(lan[0] ?? base, d.kind, d.token)}`),
  );
}
if (seeded.admin) lines.push('', '  Lost the admin password? npm run reset-password -- admin');
// SMS notices that would silently go nowhere, or carry links a phone cannot open.
if (!config.smsWebhook) lines.push('', '  Warning: no SMS gateway (SMS_WEBHOOK_URL, SMS_WEBHOOK_SECRET): text messages are kept in the outbox (Manager → 短信通知) and sent to nobody.');
if (!config.publicUrl) lines.push(`${config.smsWebhook ? '\n' : ''}  Warning: PUBLIC_URL is not set: links in text messages (the phone page, ratings) are relative and useless on a phone.`);
lines.push('');
process.stdout.write(lines.join('\n') + '\n');

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  try {
    await app.close(); // stops accepting, waits for in-flight requests
    await db.destroy();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
