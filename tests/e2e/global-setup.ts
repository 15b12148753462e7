import { build } from 'vite';

/** The browser tests drive the real pages: build them once, as `npm run build` does. */
export default async function setup(): Promise<void> {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
