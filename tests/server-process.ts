import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** The real server process, as `npm start` runs it (through tsx instead of the build). */
export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Everything it printed (the banner with the first start's passwords and tokens). */
  output: string;
}

const root = path.resolve(import.meta.dirname, '..');

/** Starts `server/main.ts` with `env` (and PATH), resolving once its banner says it listens. */
export function startServerProcess(env: Record<string, string>, started: ChildProcess[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The banner is written in one piece once the server listens; wait for its last line.
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match && /\n\s*$/.test(output) && output.includes('/api/docs')) {
        child.stdout!.off('data', onData);
        resolve({ child, base: `http://127.0.0.1:${match[1]}`, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/**
 * The demo hall keeps office hours in Shanghai time and tests run at any hour: its manager signs
 * in (choosing their own password first, as at any first sign-in) and opens it all day.
 */
export async function openAllDay(base: string, output: string): Promise<void> {
  const password = /manager\s+manager \/ (\S+)/.exec(output)![1]!;
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'manager', password }) });
  if (login.status !== 200) throw new Error(`manager sign-in: ${login.status}`);
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
  const changed = await fetch(`${base}/api/v1/auth/password`, { method: 'POST', headers, body: JSON.stringify({ currentPassword: password, newPassword: 'Lanterns-over-the-west-lake-9' }) });
  if (changed.status !== 200) throw new Error(`manager password change: ${changed.status}`);
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
  const patched = await fetch(`${base}/api/v1/halls/1`, { method: 'PATCH', headers, body: JSON.stringify({ openingHours: hours }) });
  if (patched.status !== 200) throw new Error(`opening hours: ${patched.status}`);
}
