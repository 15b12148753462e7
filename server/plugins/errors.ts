import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody } from '../../protocol/common.js';
import { storageFault } from '../db/connect.js';
import { AppError } from '../errors.js';

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Fastify's own request errors, answered with our stable codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'The JSON body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_CONTENT_LENGTH', message: 'Content-Length does not match the body.' },
};

/**
 * Refusals Fastify makes before any route runs (a URL that does not decode, a path parameter over
 * the length limit): the same body as every other refusal. Passed as Fastify's `frameworkErrors`.
 */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return send(reply, request, 414, { code: 'URI_TOO_LONG', message: 'A part of the address is too long.' });
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return send(reply, request, 400, { code: 'BAD_URL', message: 'The address is not validly encoded.' });
  }
  return send(reply, request, 400, { code: 'BAD_REQUEST', message: 'The request could not be read.' });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over 16 KB, garbage):
 * the same JSON error body, written to the socket. Passed as Fastify's `clientErrorHandler`.
 */
export function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large.']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive.']
      : [400, 'BAD_REQUEST', 'The request could not be read.'];
  const body = JSON.stringify({ error: { code, message }, requestId: crypto.randomUUID() } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

function send(reply: FastifyReply, request: FastifyRequest, status: number, error: ErrorBody['error']) {
  const body: ErrorBody = { error, requestId: String(request.id) };
  return reply.code(status).type('application/json').send(body);
}

/** One error handler: known errors map to their status and code; anything else is a plain 500. */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof AppError) {
        return send(reply, request, err.statusCode, {
          code: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        });
      }
      if (hasZodFastifySchemaValidationErrors(err)) {
        const where = err.validationContext ?? 'body';
        const fields = err.validation.map((v) => ({
          field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
          message: v.message ?? 'invalid',
        }));
        return send(reply, request, 400, {
          code: 'VALIDATION_FAILED',
          message: `Invalid ${fields.map((f) => f.field).join(', ')}.`,
          details: fields,
        });
      }
      // Two requests making the same new thing at the same instant: the database's unique rule
      // refuses the second (the services check first, so only a race gets here).
      if (isUniqueViolation(err)) {
        request.log.warn({ err }, 'unique constraint refused a concurrent change');
        return send(reply, request, 409, { code: 'CONFLICT', message: 'The same change was just made by someone else; reload and try again.' });
      }
      const fault = storageFault(err);
      if (fault) {
        // The cause goes to the log in full; the caller learns only that it is the server's disk.
        request.log.error({ err }, `storage fault: ${fault.code}`);
        return send(reply, request, 503, fault);
      }
      const known = err.code ? FASTIFY_CODES[err.code] : undefined;
      if (known) return send(reply, request, known.status, { code: known.code, message: known.message });
      if (err.statusCode === 429) {
        return send(reply, request, 429, { code: 'RATE_LIMITED', message: 'Too many requests; try again shortly.' });
      }
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
        return send(reply, request, err.statusCode, { code: 'BAD_REQUEST', message: err.message });
      }
      request.log.error({ err }, 'unhandled error');
      return send(reply, request, 500, { code: 'INTERNAL_ERROR', message: 'Something went wrong on the server.' });
    });

    // While shutting down, requests still arriving on open connections (keep-alive, pipelined)
    // are answered in the one error shape with a code, not Fastify's default body; the pages and
    // nginx go to another process or retry. In-flight requests finish.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!closing) return;
      // Sent as text: a route's own response schema (the health check's) does not describe it.
      const body: ErrorBody = { error: { code: 'SHUTTING_DOWN', message: 'The server is restarting; try again in a moment.' }, requestId: String(request.id) };
      return reply.code(503).header('connection', 'close').type('application/json').send(JSON.stringify(body));
    });

    app.setNotFoundHandler((request, reply) =>
      send(reply, request, 404, { code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}.` }),
    );
  },
  { name: 'errors' },
);
