import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../helpers.js';
import { startServerProcess } from '../server-process.js';

/**
 * Processes started together on one PostgreSQL: the first migrates and seeds while the others
 * wait for it, however long that takes (longer than the statement timeout included).
 */
const STARTUP_LOCK = 0x48515545;
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const clean of cleanups.splice(0)) await clean();
});

describe('start-up on PostgreSQL', () => {
  it('a second process waits for a slow first start past its statement timeout, then starts', async () => {
    const schema = `startup_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-startup-'));
    const first = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await first.connect();
    cleanups.push(async () => {
      await first.query(`drop schema if exists ${schema} cascade`);
      await first.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    await first.query(`create schema ${schema}`);
    // The "first process" is in the middle of its start: it holds the start-up lock.
    await first.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
    const starting = startServerProcess({
      DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, PGOPTIONS: `-c search_path=${schema}`, PG_STATEMENT_TIMEOUT_MS: '200',
    }, children);
    let failed: unknown = null;
    starting.catch((err: unknown) => (failed = err));
    // The second process has waited for the lock well past its 200 ms statement timeout…
    await expect.poll(async () => {
      if (failed) throw failed;
      const { rows } = await first.query(
        `select count(*)::int as n from pg_stat_activity
          where query like '%pg_advisory_lock%' and wait_event_type = 'Lock' and pid <> pg_backend_pid() and now() - query_start > interval '1 second'`,
      );
      return rows[0].n as number;
    }, { timeout: 15_000 }).toBeGreaterThan(0);
    // …and starts once the first is done.
    await first.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]);
    const server = await starting;
    expect(server.output).toContain('listening on');
    const health = await fetch(`${server.base}/api/v1/health`);
    expect(health.status).toBe(200);
  });
});
