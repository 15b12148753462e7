import fp from 'fastify-plugin';
import { markMissed } from '../appointments/service.js';
import { pruneSessions } from '../sessions/repository.js';
import { dailyBackup } from '../db/backup.js';
import { checkpointWal } from '../db/connect.js';
import { pruneEvents } from '../db/event-log.js';
import { listHalls } from '../halls/repository.js';
import { toHall } from '../halls/service.js';
import { pruneThrottles } from '../access/throttle.js';
import { erasePersonalData } from '../privacy/retention.js';
import { expireOpenTickets, lapseOverdue } from '../tickets/service.js';
import { collectFeed, deliverFeed } from '../feed/service.js';

const EXPIRY_INTERVAL_MS = 60_000;
const PRUNE_INTERVAL_MS = 3600_000;
const SMS_DELIVERY_INTERVAL_MS = 2_000;
const FEED_INTERVAL_MS = 5_000;
// Ended sessions are kept a week (who was signed in when), then deleted.
const SESSION_KEEP_MS = 7 * 86_400_000;
// Sign-in and request counters are at most a day long; a lock they hold ends within 30 minutes.
const THROTTLE_KEEP_MS = 2 * 86_400_000;

/**
 * Timers that keep the hall tidy:
 * - day end: every minute (and at start-up, which covers a server that was down over midnight)
 *   tickets left open from an earlier business day become `expired`, bookings never checked in
 *   `missed`, numbers taken online whose citizen let the grace period pass become no-shows,
 *   and bookings starting soon get their SMS reminder;
 * - every 2 s, SMS notices that are due go to the sender (retries included);
 * - every 5 s, ratings, appeal decisions and case steps become 好差评 feed records, and those due
 *   go to the provincial platform (when EVALUATION_FEED_URL is set; kept otherwise);
 * - every hour, events older than the retention period leave the log (clients that far behind
 *   are told to reload a snapshot), sessions that ended over a week ago are deleted, and
 *   citizens' names and numbers past the hall's retention period are erased;
 * - once a day after BACKUP_TIME, a backup into BACKUP_DIR, keeping the newest BACKUP_KEEP;
 * - every minute, the SQLite WAL is checkpointed and emptied (when no reader needs it).
 */
export default fp(
  async (app) => {
    const deps = app.deps;
    if (!deps.config.scheduleExpiry) return;
    const expire = async () => {
      for (const hall of await listHalls(deps.db, null)) {
        const expired = await expireOpenTickets(deps, hall.id);
        if (expired > 0) app.log.info({ hallId: hall.id, expired }, 'expired tickets of an earlier business day');
        const lapsed = await lapseOverdue(deps, hall.id);
        if (lapsed > 0) app.log.info({ hallId: hall.id, lapsed }, 'numbers taken online not in the hall within the grace period: no-shows');
        const missed = await markMissed(deps, hall.id);
        if (missed > 0) app.log.info({ hallId: hall.id, missed }, 'bookings of an earlier day never checked in: missed');
        await app.notifier.remind(hall.id);
      }
    };
    let delivering = false;
    const deliverSms = async () => {
      if (delivering) return; // one round at a time: a slow gateway does not pile rounds up
      delivering = true;
      try {
        await app.notifier.deliverDue();
      } finally {
        delivering = false;
      }
    };
    let feeding = false;
    const feed = async () => {
      if (feeding) return;
      feeding = true;
      try {
        await collectFeed(deps, deps.config.evaluationFeed);
        if (deps.config.evaluationFeed) await deliverFeed(deps, deps.config.evaluationFeed);
      } finally {
        feeding = false;
      }
    };
    const prune = async () => {
      const now = deps.clock.now();
      const pruned = await pruneEvents(deps.db, now - deps.config.eventRetentionMs);
      const sessions = await pruneSessions(deps.db, now - SESSION_KEEP_MS);
      const counters = await pruneThrottles(deps.db, now - THROTTLE_KEEP_MS);
      if (pruned > 0 || sessions > 0) app.log.info({ pruned, sessions, counters }, 'pruned old events and sessions');
      for (const row of await listHalls(deps.db, null)) {
        const erased = await erasePersonalData(deps, toHall(row));
        if (Object.values(erased).some((n) => n > 0)) app.log.info({ hallId: row.id, ...erased }, 'personal data past the retention period erased');
      }
    };
    const backup = async () => {
      const { backup: settings, databaseFile } = deps.config;
      if (!settings || databaseFile === ':memory:') return;
      const made = await dailyBackup(databaseFile, settings, deps.clock.now());
      if (made) app.log.info({ file: made }, 'daily backup made');
    };
    const checkpoint = async () => {
      // Readers that keep overlapping can keep SQLite's own checkpoints from ever reaching the end.
      if (!(await checkpointWal(deps.db))) app.log.debug('WAL checkpoint postponed: a reader still needs older pages');
    };
    const timers: NodeJS.Timeout[] = [];
    const every = (ms: number, task: () => Promise<void>, what: string) => {
      const timer = setInterval(() => task().catch((err: unknown) => app.log.error({ err }, `${what} failed`)), ms);
      timer.unref();
      timers.push(timer);
    };
    app.addHook('onReady', async () => {
      await expire();
      await prune();
      every(EXPIRY_INTERVAL_MS, expire, 'expiry sweep');
      every(SMS_DELIVERY_INTERVAL_MS, deliverSms, 'SMS delivery');
      every(FEED_INTERVAL_MS, feed, '好差评 feed');
      every(PRUNE_INTERVAL_MS, prune, 'event pruning');
      every(EXPIRY_INTERVAL_MS, checkpoint, 'WAL checkpoint');
      // Checked every minute: made once a day after the set time, also by a server started later.
      every(EXPIRY_INTERVAL_MS, backup, 'daily backup');
      // A server started after the set time makes the day's backup now, not a minute later.
      backup().catch((err: unknown) => app.log.error({ err }, 'daily backup failed'));
    });
    app.addHook('onClose', async () => timers.forEach(clearInterval));
  },
  { name: 'housekeeping', dependencies: ['deps', 'notifications'] },
);
