import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The server's folders import each other in one direction only, in layers: `app.ts` and
 * `main.ts` on top, then `routes/` (the HTTP layer), then `plugins/` (auth hooks, realtime
 * wiring), then the features, `realtime/`, `access/`, and at the bottom `db/` and `domain/`.
 * Nodes: each top-level folder of server/ and each file at server/'s top (app, main, config,
 * errors…). Type-only imports count: they are dependencies.
 */
const ROOT = path.resolve(import.meta.dirname, '../../server');

function nodeOf(rel: string): string {
  const parts = rel.split(path.sep);
  if (parts.length === 1) return parts[0]!.replace(/\.ts$/, '');
  return parts[0]!;
}

/** The server files an import statement of `file` names, relative to server/ (protocol/ and migrations/ left out). */
function importsOf(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)]
    .map((m) => path.relative(ROOT, path.resolve(path.dirname(file), m[1]!)).replace(/\.js$/, '.ts'))
    .filter((target) => !target.startsWith('..'));
}

function files(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, folder, f));
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

  it('has the routes on top: only app.ts imports routes/, only routes/ and app.ts import plugins/', () => {
    const edges = graph();
    const into = (target: string) => [...edges].flatMap(([from, to]) => (to.has(target) ? [`${from}: ${to.get(target)}`] : []));
    expect(into('routes').filter((e) => !e.startsWith('app:'))).toEqual([]);
    expect(into('plugins').filter((e) => !e.startsWith('app:') && !e.startsWith('routes:'))).toEqual([]);
  });

  it('gives realtime/ what it needs through an interface: it imports no feature and no repository', () => {
    const edges = graph();
    const allowed = new Set(['access', 'db', 'domain', 'clock']);
    expect([...(edges.get('realtime') ?? new Map<string, string>())].filter(([to]) => !allowed.has(to)).map(([, why]) => why)).toEqual([]);
    const repositories = files('realtime').flatMap((file) => importsOf(file).filter((target) => /repository\.ts$/.test(target)));
    expect(repositories).toEqual([]);
  });

  it("keeps each folder within its README: every folder says what lives there and what it may import, and imports nothing else", () => {
    const edges = graph();
    const folders = fs.readdirSync(ROOT).filter((name) => fs.statSync(path.join(ROOT, name)).isDirectory());
    const beyond: string[] = [];
    for (const folder of folders) {
      const readme = path.join(ROOT, folder, 'README.md');
      expect(fs.existsSync(readme), `${folder}/README.md`).toBe(true);
      const line = fs.readFileSync(readme, 'utf8').split('\n').find((l) => l.startsWith('May import:'));
      expect(line, `${folder}/README.md has a "May import:" line`).toBeDefined();
      const declared = new Set([...line!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!));
      for (const [to, why] of edges.get(folder) ?? []) if (!declared.has(to)) beyond.push(`${folder} may not import ${to}: ${why}`);
    }
    expect(beyond).toEqual([]);
  });

  it('sees the edges it checks (a feature importing another is found)', () => {
    const edges = graph();
    expect(edges.get('tickets')?.has('windows')).toBe(true);
    expect(edges.get('phone')?.has('evaluations')).toBe(true);
    expect(edges.get('windows')?.has('tickets')).toBeFalsy();
    expect(edges.get('routes')?.has('plugins')).toBe(true);
    expect(edges.get('plugins')?.has('realtime')).toBe(true);
    expect(importsOf(path.join(ROOT, 'plugins/realtime.ts')).some((t) => t.endsWith('repository.ts'))).toBe(true);
  });
});
