import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAllDay, type ServerProcess, startServerProcess } from '../server-process.js';

/**
 * The real server process, started as `npm start` would start it (through tsx instead of the
 * build), killed without warning, and started again on the same data directory.
 */
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

type Started = ServerProcess;

function startServer(dataDir: string): Promise<Started> {
  return startServerProcess({ DATA_DIR: dataDir }, children);
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

async function issueA(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/halls/1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ serviceId: 1 }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: { displayNumber: string } }).ticket.displayNumber;
}

describe('the server process', () => {
  it('first start prints the secrets once; after kill -9 numbering continues and nothing is reseeded', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-proc-'));
    dirs.push(dataDir);
    const first = await startServer(dataDir);
    expect(first.output).toMatch(/admin\s+admin \/ \S{14}/);
    // The pages, and the demo helper's first password, as a hall's staff would copy them.
    const port = new URL(first.base).port;
    for (const page of ['/manager', '/counter', '/helper', '/book', '/kiosk', '/display']) expect(first.output).toContain(`http://localhost:${port}${page}`);
    expect(first.output).toMatch(/helper\s+helper01 \/ \S{14}/);
    const token = /kiosk\s+device token (\S+)/.exec(first.output)![1]!;
    await openAllDay(first.base, first.output);
    expect(await issueA(first.base, token)).toBe('A001');
    expect(await issueA(first.base, token)).toBe('A002');
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await startServer(dataDir);
    expect(second.output).not.toContain('admin /');
    expect(second.output).not.toContain('device token');
    expect(await issueA(second.base, token)).toBe('A003');

    // SIGTERM: a graceful stop that exits 0.
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 60_000);

  it('keeps its files to its own user: database, journal and key file 0600, folders 0700; the key file must match the database', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-files-'));
    dirs.push(parent);
    const dataDir = path.join(parent, 'data');
    const first = await startServer(dataDir);
    await openAllDay(first.base, first.output);
    const token = /kiosk\s+device token (\S+)/.exec(first.output)![1]!;
    await issueA(first.base, token);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const f of ['hall.sqlite', 'hall.sqlite-wal', 'secret.key']) {
      expect(fs.statSync(path.join(dataDir, f)).mode & 0o777, f).toBe(0o600);
    }
    first.child.kill('SIGTERM');
    await exited(first.child);
    // The wrong key file: refused at start with one line, nothing changed.
    fs.writeFileSync(path.join(dataDir, 'secret.key'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    const wrong = await startServerProcess({ DATA_DIR: dataDir }, children).catch((err: Error) => err);
    expect(wrong).toBeInstanceOf(Error);
    expect(String((wrong as Error).message)).toMatch(/secret\.key is not the key this database's secrets were sealed with/);
  });
});
