import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { ServiceUnavailableError } from '../errors.js';

/** Page URL → the built HTML file that serves it. */
export const PAGES: Record<string, string> = {
  '/': 'ui-home/index.html',
  '/kiosk': 'kiosk-ui/index.html',
  '/display': 'display-ui/index.html',
  '/counter': 'counter-ui/index.html',
  '/evaluator': 'evaluator-ui/index.html',
  '/caller': 'caller-ui/index.html',
  '/window-screen': 'window-screen-ui/index.html',
  '/manager': 'manager-ui/index.html',
  '/t/:token': 'phone-ui/index.html',
  // The hall's entrance QR code (在线排队 到厅确认): the phone page confirms this phone's numbers.
  '/arrive/:hallId': 'phone-ui/index.html',
  '/book': 'booking-ui/index.html',
  '/helper': 'helper-ui/index.html',
  '/report/:hallId': 'report-ui/index.html',
};

/**
 * Serves the pages Vite built (`npm run build`) from `config.uiDir`: hashed assets cached for
 * good, HTML always revalidated so a hall picks up a new version at the next load.
 */
export default fp(
  async (app) => {
    const uiDir = path.resolve(app.deps.config.uiDir);
    const built = fs.existsSync(path.join(uiDir, PAGES['/kiosk']!));
    if (built) {
      await app.register(fastifyStatic, {
        root: uiDir,
        prefix: '/',
        wildcard: false,
        index: false,
        // The build writes .br and .gz beside each file (vite.config.ts): sent when accepted.
        preCompressed: true,
        setHeaders: (res, file) => {
          res.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    } else {
      app.log.warn({ uiDir }, 'pages not built: run npm run build');
    }
    for (const [url, file] of Object.entries(PAGES)) {
      app.get(url, { schema: { hide: true } }, async (_request, reply) => {
        if (!built) throw new ServiceUnavailableError('UI_NOT_BUILT', 'The pages are not built on this server: run npm run build.');
        return reply.header('cache-control', 'no-cache').sendFile(file);
      });
    }
  },
  { name: 'ui', dependencies: ['deps'] },
);
