import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type RouteContract } from '../../protocol/api.js';
import { buildTestHall, type TestHall } from '../helpers.js';

/**
 * protocol/api.ts is the one statement of what each route takes and answers: the pages' client
 * is typed and checked by it, so every API route must be there, with the very schema objects the
 * server validates and serialises with.
 */
describe('the route contract', () => {
  const routes: RouteOptions[] = [];
  let t: TestHall;
  beforeAll(async () => {
    t = await buildTestHall({ onRoute: (r) => void routes.push(r) });
  });
  afterAll(async () => t.close());

  const apiRoutes = () => routes
    .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/health')
    .flatMap((r) => [r.method].flat().filter((m) => m !== 'HEAD').map((m) => ({ key: `${m} ${r.url.slice('/api/v1'.length)}`, schema: (r.schema ?? {}) as RouteContract })));

  it('names every route the server has, and nothing else', () => {
    const served = apiRoutes().map((r) => r.key).sort();
    expect(served.length).toBeGreaterThan(50);
    expect(served).toEqual(Object.keys(API).sort());
  });

  it('gives each route the schemas the server checks with (the same objects)', () => {
    const wrong: string[] = [];
    for (const { key, schema } of apiRoutes()) {
      const contract: RouteContract = API[key as keyof typeof API];
      for (const part of ['params', 'querystring', 'body'] as const) {
        if (schema[part] !== contract[part]) wrong.push(`${key}: ${part}`);
      }
      const statuses = new Set([...Object.keys(schema.response ?? {}), ...Object.keys(contract.response ?? {})]);
      for (const status of statuses) {
        if (schema.response?.[Number(status)] !== contract.response?.[Number(status)]) wrong.push(`${key}: response ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 404 HALL_NOT_FOUND on every route of a hall that does not exist, before anything else is done', async () => {
    const admin = await t.as('admin');
    const wrong: string[] = [];
    for (const key of Object.keys(API).filter((k) => k.includes(':hallId'))) {
      const [method, path] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT', string];
      const url = `/api/v1${path.replace(':hallId', '999').replace(/:(\w+)/g, (_m, name: string) => (name === 'year' ? '2026' : name === 'month' ? '2026-11' : '1'))}`;
      const res = await admin.request(method, url, method === 'GET' ? undefined : {});
      if (res.statusCode !== 404 || res.json().error.code !== 'HALL_NOT_FOUND') wrong.push(`${key}: ${res.statusCode} ${res.body.slice(0, 80)}`);
    }
    expect(wrong).toEqual([]);
  });
});
