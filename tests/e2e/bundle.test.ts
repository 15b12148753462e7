import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BUDGET_KB, pageSizes } from '../../scripts/bundle-sizes.js';
import { buildTestHall } from '../helpers.js';

describe('page bundles', () => {
  it('kiosk and display each load under 100 KB gzipped (the hall LAN may be slow)', () => {
    const sizes = new Map(pageSizes('dist/ui').map((p) => [p.page, p.gzipBytes / 1024]));
    for (const [page, budget] of Object.entries(BUDGET_KB)) {
      expect(sizes.get(page), page).toBeGreaterThan(5);
      expect(sizes.get(page), page).toBeLessThan(budget);
    }
  });

  it('pages and assets go out precompressed (brotli or gzip) when the browser accepts it; hashed assets are cached for good', async () => {
    const t = await buildTestHall();
    try {
      // The HTML shell, read plain here to find its script (it too goes compressed to a browser that accepts it).
      const page = await t.app.inject({ method: 'GET', url: '/manager' });
      expect(page.statusCode).toBe(200);
      const html = page.body;
      const asset = /src="(\/assets\/manager-[^"]+\.js)"/.exec(html)![1]!;
      const plain = await t.app.inject({ method: 'GET', url: asset });
      expect(plain.headers['content-encoding']).toBeUndefined();
      const br = await t.app.inject({ method: 'GET', url: asset, headers: { 'accept-encoding': 'br' } });
      const gz = await t.app.inject({ method: 'GET', url: asset, headers: { 'accept-encoding': 'gzip' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(zlib.brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(zlib.gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(br.headers['cache-control']).toContain('immutable');
      expect(String(br.headers.vary)).toContain('accept-encoding');
    } finally {
      await t.close();
    }
  });
});
