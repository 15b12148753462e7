import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a .br and a .gz beside every text file of the build, once, at build time: the server
 * sends them to browsers that accept them (@fastify/static `preCompressed`), at no cost per request.
 */
function precompress(outDir: string): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file) || fs.statSync(file).size < 1024) continue;
        const data = fs.readFileSync(file);
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

// One build, several pages; the server serves dist/ui (server/plugins/ui.ts).
export default defineConfig({
  root: '.',
  base: '/',
  publicDir: false,
  plugins: [preact(), precompress('dist/ui')],
  build: {
    outDir: 'dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    // No inline polyfill script: the pages run under a strict Content-Security-Policy.
    modulePreload: { polyfill: false },
    manifest: true, // read by scripts/bundle-sizes.ts
    // The manager page carries its charting library (no CDN on a hall LAN); the kiosk and
    // display stay small, checked by tests/e2e/bundle.test.ts.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        home: 'ui-home/index.html',
        kiosk: 'kiosk-ui/index.html',
        display: 'display-ui/index.html',
        counter: 'counter-ui/index.html',
        phone: 'phone-ui/index.html',
        booking: 'booking-ui/index.html',
        helper: 'helper-ui/index.html',
        evaluator: 'evaluator-ui/index.html',
        caller: 'caller-ui/index.html',
        windowScreen: 'window-screen-ui/index.html',
        manager: 'manager-ui/index.html',
        report: 'report-ui/index.html',
      },
    },
  },
});
