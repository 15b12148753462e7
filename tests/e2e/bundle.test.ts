import { describe, expect, it } from 'vitest';
import { BUDGET_KB, pageSizes } from '../../scripts/bundle-sizes.js';

describe('page bundles', () => {
  it('kiosk and display each load under 100 KB gzipped (the hall LAN may be slow)', () => {
    const sizes = new Map(pageSizes('dist/ui').map((p) => [p.page, p.gzipBytes / 1024]));
    for (const [page, budget] of Object.entries(BUDGET_KB)) {
      expect(sizes.get(page), page).toBeGreaterThan(5);
      expect(sizes.get(page), page).toBeLessThan(budget);
    }
  });
});
