/**
 * What each page costs to load: its entry script, every chunk it imports and their CSS,
 * gzipped, read from Vite's manifest. `npm run build` prints it; a test holds the kiosk and
 * display under their budget.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

export const BUDGET_KB: Record<string, number> = { 'kiosk-ui/index.html': 100, 'display-ui/index.html': 100 };

export function pageSizes(outDir: string): { page: string; files: number; gzipBytes: number }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  return Object.entries(manifest).filter(([, c]) => c.isEntry).map(([page]) => {
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key]!;
      if (files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const css of chunk.css ?? []) files.add(css);
      for (const dep of chunk.imports ?? []) visit(dep);
    };
    visit(page);
    const gzipBytes = [...files].reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(outDir, f))).length, 0);
    return { page, files: files.size, gzipBytes };
  });
}

if (import.meta.filename === process.argv[1]) {
  const outDir = process.argv[2] ?? 'dist/ui';
  console.log('page bundles (JS + CSS, gzipped):');
  for (const { page, files, gzipBytes } of pageSizes(outDir)) {
    const kb = gzipBytes / 1024;
    const budget = BUDGET_KB[page];
    console.log(`  ${page.padEnd(24)} ${kb.toFixed(1).padStart(6)} KB in ${files} files${budget ? `   (budget ${budget} KB${kb > budget ? ' — OVER' : ''})` : ''}`);
  }
}
