import type { z } from 'zod';
import type { Api, RouteKey } from '../protocol/api.js';
import type { ErrorBody } from '../protocol/common.js';
import { CSRF_HEADER } from '../protocol/constants.js';

/** An error the server (or the network) answered with; `code` is the stable machine code. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

let deviceToken: string | null = null;
let csrfToken: string | null = null;

/** Pages of devices send the device token; staff pages send the CSRF token with writes. */
export function useDeviceToken(token: string | null): void {
  deviceToken = token;
}

export function useCsrfToken(token: string | null): void {
  csrfToken = token;
}

/* ---- types read off the route contract (protocol/api.ts) ---- */

type Method<K> = K extends `${infer M} ${string}` ? M : never;
type PathOf<K> = K extends `${string} ${infer P}` ? P : never;
type PathNames<P> = P extends `${string}:${infer N}/${infer Rest}` ? N | PathNames<Rest> : P extends `${string}:${infer N}` ? N : never;
type Query<K extends RouteKey> = Api[K] extends { querystring: infer Q extends z.ZodType } ? z.input<Q> : object;
/** Path parameters by name, and the query string's fields. */
export type Params<K extends RouteKey> = { [N in PathNames<PathOf<K>>]: string | number } & Query<K>;
export type Body<K extends RouteKey> = Api[K] extends { body: infer B extends z.ZodType } ? z.input<B> : never;
/** What the route answers with on success. */
export type Answer<K extends RouteKey> = Api[K] extends { response: infer R } ? (R[keyof R] extends z.ZodType ? z.output<R[keyof R]> : never) : never;

// Parameters come first when the path has any, or on a GET with a query; then the body, if any.
type HasParams<K extends RouteKey> = [PathNames<PathOf<K>>] extends [never] ? (Method<K> extends 'GET' ? (Api[K] extends { querystring: z.ZodType } ? true : false) : false) : true;
type ParamArg<K extends RouteKey> = HasParams<K> extends true ? (object extends Params<K> ? [params?: Params<K>] : [params: Params<K>]) : [];
type BodyArg<K extends RouteKey> = Api[K] extends { body: z.ZodType } ? (undefined extends Body<K> ? [body?: Body<K>] : [body: Body<K>]) : [];
export type Args<K extends RouteKey> = [...ParamArg<K>, ...BodyArg<K>];

/**
 * Development builds and the test suite (which sets `window.hallCheckResponses` before any page
 * script) check every answer against the contract; production pages do not load the schemas.
 */
const checking = import.meta.env.DEV || (globalThis as { hallCheckResponses?: boolean }).hallCheckResponses === true;

/**
 * Calls one route of the contract: `api('GET /halls/:hallId/queue', { hallId })`,
 * `api('POST /auth/login', { username, password })`. Errors arrive as `ApiError`.
 */
export async function api<K extends RouteKey>(key: K, ...args: Args<K>): Promise<Answer<K>> {
  const [method, template] = key.split(' ') as [string, string];
  const takesParams = template.includes(':') || method === 'GET';
  const params = (takesParams ? args[0] : undefined) as Record<string, unknown> | undefined;
  const body = takesParams ? args[1] : args[0];
  const query = new URLSearchParams();
  const used = new Set<string>();
  const path = template.replace(/:(\w+)/g, (_m, name: string) => {
    used.add(name);
    return encodeURIComponent(String(params?.[name]));
  });
  for (const [name, value] of Object.entries(params ?? {})) {
    if (!used.has(name) && value !== undefined) query.set(name, String(value));
  }
  const url = `/api/v1${path}${query.toString() ? `?${query.toString()}` : ''}`;

  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (deviceToken) headers.authorization = `Bearer ${deviceToken}`;
  if (csrfToken && method !== 'GET') headers[CSRF_HEADER] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network unreachable');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, res.ok ? 'BAD_RESPONSE' : 'HTTP_' + res.status, res.statusText);
  }
  if (!res.ok) {
    const err = (json as ErrorBody | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'HTTP_' + res.status, err?.message ?? res.statusText, err?.details);
  }
  if (checking) await check(key, res.status, json);
  return json as Answer<K>;
}

/**
 * A request outside the JSON contract (a photo sent or fetched), with the same credentials and the
 * same errors as `api`: `raw('PUT', '/halls/1/staff/2/photo', file)`.
 */
export async function raw(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: Blob): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = body.type;
  if (deviceToken) headers.authorization = `Bearer ${deviceToken}`;
  if (csrfToken && method !== 'GET') headers[CSRF_HEADER] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', body });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network unreachable');
  }
  if (!res.ok) {
    const err = ((await res.json().catch(() => undefined)) as ErrorBody | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'HTTP_' + res.status, err?.message ?? res.statusText, err?.details);
  }
  return res;
}

/** Fails loudly (console and an ApiError naming the field) when an answer breaks the contract. */
async function check(key: RouteKey, status: number, json: unknown): Promise<void> {
  const { API } = await import('../protocol/api.js');
  const schema = (API[key] as { response?: Record<number, z.ZodType> }).response?.[status];
  if (!schema) return;
  const result = schema.safeParse(json);
  if (result.success) return;
  const fields = result.error.issues.map((i) => ({ field: ['response', ...i.path.map(String)].join('.'), message: i.message }));
  console.error(`contract broken: ${key} answered ${JSON.stringify(fields)}`);
  throw new ApiError(status, 'BAD_RESPONSE', `${key} answered outside its contract`, fields);
}
