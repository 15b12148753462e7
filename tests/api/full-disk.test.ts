import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openAllDay, startServerProcess } from '../server-process.js';

/**
 * A small disk that fills up, on a real filesystem of that size (tmpfs, mounted by the test: it
 * needs root, as CI has). The write-ahead log must stay bounded, so that once space is freed
 * the server recovers, a restart included.
 */
const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
const children: ChildProcess[] = [];
const mounts: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null) c.kill('SIGKILL');
    await exited(c);
  }
  for (const dir of mounts.splice(0)) {
    execFileSync('umount', ['-l', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function smallDisk(megabytes: number): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return null; // not root
  }
  mounts.push(dir);
  return dir;
}

const issue = (base: string, token: string) => fetch(`${base}/api/v1/halls/1/tickets`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId: 1 }),
});

describe('a small disk', () => {
  it('filled while a reader holds old pages, then freed: the server recovers, and starts again after a stop', async () => {
    const disk = smallDisk(6);
    if (!disk) {
      if (process.env.CI) throw new Error('this test mounts a tmpfs and needs root');
      console.warn('skipping the full-disk test: mounting a tmpfs needs root');
      return;
    }
    const env = { DATA_DIR: disk, BACKUP_KEEP: '0' };
    const first = await startServerProcess(env, children);
    await openAllDay(first.base, first.output);
    const token = /kiosk\s+device token (\S+)/.exec(first.output)![1]!;
    // Another program (a report, a copy) keeps a read open: SQLite's own checkpoints cannot
    // reach the end of the log meanwhile, so it grows.
    const reader = new Database(path.join(disk, 'hall.sqlite'), { readonly: true });
    reader.exec('begin');
    reader.prepare('select count(*) from tickets').get();
    const filler = path.join(disk, 'filler');
    fs.writeFileSync(filler, Buffer.alloc(2 * 1024 * 1024));
    let issued = 0;
    for (;;) {
      const res = await issue(first.base, token);
      if (res.status === 503) {
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('STORAGE_FULL');
        break;
      }
      expect(res.status).toBe(201);
      issued++;
      if (issued > 20_000) throw new Error('the disk never filled');
    }
    // Someone frees space: the running server takes numbers again by itself.
    fs.rmSync(filler);
    await expect.poll(async () => (await issue(first.base, token)).status, { timeout: 15_000 }).toBe(201);
    // It is stopped while the reader still holds the log (so the stop cannot empty it either).
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    reader.exec('commit');
    reader.close();
    const wal = path.join(disk, 'hall.sqlite-wal');
    const walSize = () => (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
    expect(walSize()).toBeGreaterThan(1024 * 1024);
    // Started again, it empties the log before anything else, and works.
    const again = await startServerProcess(env, children);
    expect(walSize()).toBeLessThan(64 * 1024);
    expect((await issue(again.base, token)).status).toBe(201);
    again.child.kill('SIGTERM');
    await exited(again.child);
  }, 120_000);
});
