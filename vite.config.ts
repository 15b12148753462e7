import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// One build, several pages; the server serves dist/ui (server/plugins/ui.ts).
export default defineConfig({
  root: '.',
  base: '/',
  publicDir: false,
  plugins: [preact()],
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
        evaluator: 'evaluator-ui/index.html',
        manager: 'manager-ui/index.html',
      },
    },
  },
});
