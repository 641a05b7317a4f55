import type { FastifyError, FastifyInstance } from 'fastify';
import { TrellisError, type ErrorCode } from '@trellis/core';
import { JobsError } from '../jobs/jobs-error.js';

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_QUERY: 400,
  VALIDATION_FAILED: 422,
  INVALID_DEFINITION: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  UNIQUE_VIOLATION: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Maps Fastify's own errors (bad JSON, body too large, schema mismatch) onto our codes. */
function fromFastify(err: FastifyError): { status: number; body: ErrorBody } | null {
  if (err.validation) {
    const details = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath}`,
      message:
        v.keyword === 'additionalProperties'
          ? `unknown property "${String((v.params as { additionalProperty?: string }).additionalProperty)}"`
          : (v.message ?? v.keyword),
    }));
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message: `Invalid ${err.validationContext ?? 'request'}: ${details.map((d) => `${d.path || '/'} ${d.message}`).join('; ')}`, details } } };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' } } };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: { error: { code: 'BAD_REQUEST', message: `Malformed JSON body: ${err.message}` } } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: { code: 'BAD_REQUEST', message: err.message } } };
    default:
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return { status: err.statusCode, body: { error: { code: err.statusCode === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST', message: err.message } } };
      }
      return null;
  }
}

/** One error handler for the whole API: codes to statuses, 5xx details hidden from clients. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | TrellisError | JobsError, request, reply) => {
    if (err instanceof TrellisError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message } };
      if (err.details !== undefined) body.error.details = err.details;
      const status = STATUS[err.code];
      const retryAfter = (err.details as { retryAfter?: unknown } | undefined)?.retryAfter;
      if (status === 429 && typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      if (status === 401) void reply.header('www-authenticate', 'Bearer realm="trellis"');
      if (status >= 500) request.log.error({ err }, 'internal error');
      return reply.status(status).send(status >= 500 ? { error: { code: 'INTERNAL', message: 'Internal error' } } : body);
    }
    // a job id or queue the drivers cannot take is bad input; a closed queue is a server going down
    if (err instanceof JobsError && (err.code === 'JOBS_BAD_INPUT' || err.code === 'JOBS_CLOSED')) {
      const status = err.code === 'JOBS_BAD_INPUT' ? 400 : 503;
      return reply.status(status).send({ error: { code: status === 400 ? 'BAD_REQUEST' : 'INTERNAL', message: status === 400 ? err.message : 'The server is shutting down' } });
    }
    const mapped = fromFastify(err);
    if (mapped) return reply.status(mapped.status).send(mapped.body);
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}

export const notFound = (what: string, id: string): TrellisError => new TrellisError('NOT_FOUND', `${what} "${id}" not found`, { id });

export const forbidden = (message: string): TrellisError => new TrellisError('FORBIDDEN', message);
