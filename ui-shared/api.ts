import { CSRF_HEADER } from '../protocol/constants.js';
import type { ErrorBody } from '../protocol/common.js';

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

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (deviceToken) headers.authorization = `Bearer ${deviceToken}`;
  if (csrfToken && method !== 'GET') headers[CSRF_HEADER] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network unreachable');
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = (json as ErrorBody | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'HTTP_' + res.status, err?.message ?? res.statusText, err?.details);
  }
  return json as T;
}
