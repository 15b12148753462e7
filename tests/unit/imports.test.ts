import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The server's feature folders import each other in one direction only. Nodes: each top-level
 * folder of server/ (its routes.ts apart: the HTTP layer, which nothing imports) and each file
 * at server/'s top (app, main, config, errors…). Type-only imports count: they are dependencies.
 */
const ROOT = path.resolve(import.meta.dirname, '../../server');

function nodeOf(rel: string): string {
  const parts = rel.split(path.sep);
  if (parts.length === 1) return parts[0]!.replace(/\.ts$/, '');
  return parts[1] === 'routes.ts' ? `${parts[0]}/routes` : parts[0]!;
}

function graph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else if (file.endsWith('.ts')) {
        const from = nodeOf(path.relative(ROOT, file));
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
          const target = path.relative(ROOT, path.resolve(path.dirname(file), m[1]!)).replace(/\.js$/, '.ts');
          if (target.startsWith('..')) continue; // protocol/, migrations/: shared, import nothing of server/
          const to = nodeOf(target);
          if (to === from) continue;
          if (!edges.has(from)) edges.set(from, new Map());
          edges.get(from)!.set(to, `${path.relative(ROOT, file)} → ${target}`);
        }
      }
    }
  };
  walk(ROOT);
  return edges;
}

/** Strongly connected groups of more than one node (Tarjan): each is a cycle. */
function cycles(edges: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group);
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe('server import graph', () => {
  it('has no cycle between feature folders', () => {
    const edges = graph();
    const explained = cycles(edges).map((group) => group.flatMap((a) => group.filter((b) => edges.get(a)?.has(b)).map((b) => edges.get(a)!.get(b)!)));
    expect(explained).toEqual([]);
  });

  it('sees the edges it checks (a feature importing another is found)', () => {
    const edges = graph();
    expect(edges.get('tickets')?.has('windows')).toBe(true);
    expect(edges.get('phone')?.has('evaluations')).toBe(true);
    expect(edges.get('windows')?.has('tickets')).toBeFalsy();
  });
});
