import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { clockTime } from '../../protocol/clock-time.js';
import { businessDay } from '../domain/business-day.js';
import { APPLICATION_ID, checkDatabaseFile } from './connect.js';

/**
 * Backups of the hall database with SQLite's online backup API: a consistent copy taken while
 * the hall is busy. 好差评 records are audit records; a backup is how they survive a dead disk.
 */

/** Everything after the first (empty) step in one step: one read snapshot, never restarted by a write. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the database at `source` to `dest` (written beside it as `.partial` and renamed when
 * complete and checked, so a file with the final name is always a whole, readable backup).
 */
export async function backupFile(source: string, dest: string): Promise<{ pages: number; bytes: number }> {
  checkDatabaseFile(source); // never copies (or creates -wal/-shm beside) a file that is not ours
  const partial = `${dest}.partial`;
  // Made here, exclusively and readable by the server's user only (the copy holds personal data
  // and the hall's secrets): a `.partial` that exists is someone else's, and is left alone.
  try {
    fs.closeSync(fs.openSync(partial, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${partial} exists: another backup is being written, or one was left over; remove it first`);
    throw err;
  }
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(partial, { progress: () => ALL_PAGES });
    verifyBackup(partial);
    // A link, not a rename: it fails instead of replacing a file that appeared under the name.
    fs.linkSync(partial, dest);
    fs.rmSync(partial);
    return { pages: progress.totalPages, bytes: fs.statSync(dest).size };
  } catch (err) {
    fs.rmSync(partial, { force: true }); // ours: made above
    throw err;
  } finally {
    db.close();
  }
}

/**
 * Makes the copy one self-contained file (rollback journal, not WAL: nothing beside it to lose
 * when it is moved) and checks it is usable: SQLite finds no damage and it is marked as ours.
 */
export function verifyBackup(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`backup ${file} failed its check: ${String(check)}`);
    if (copy.pragma('application_id', { simple: true }) !== APPLICATION_ID) throw new Error(`backup ${file} is not a hall database`);
  } finally {
    copy.close();
  }
}

export interface DailyBackupSettings {
  /** Folder of the daily backups. */
  dir: string;
  /** Local time of day ("02:30") after which the day's backup is made. */
  time: string;
  timeZone: string;
  /** How many daily backups to keep; older ones are deleted. */
  keep: number;
}

const DAILY = /^hall-(\d{4}-\d{2}-\d{2})\.sqlite$/;

/**
 * Makes today's backup if it is due (past the set time, none made today) and removes the oldest
 * beyond `keep`. Returns the file made, or null. A server that was off at the set time makes
 * the day's backup when it next runs.
 */
export async function dailyBackup(source: string, settings: DailyBackupSettings, now: number): Promise<string | null> {
  const day = businessDay(now, settings.timeZone);
  const hhmm = clockTime(now, settings.timeZone);
  fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const target = path.join(settings.dir, `hall-${day}.sqlite`);
  let made: string | null = null;
  if (hhmm >= settings.time && !fs.existsSync(target)) {
    await backupFile(source, target);
    made = target;
  }
  const daily = fs.readdirSync(settings.dir).filter((f) => DAILY.test(f)).sort().reverse();
  for (const old of daily.slice(settings.keep)) fs.rmSync(path.join(settings.dir, old), { force: true });
  return made;
}
