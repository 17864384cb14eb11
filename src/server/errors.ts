import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type ErrorDetail, type ErrorKind, withCode } from '../domain/errors.ts';

/** The one error body of the API: `{"error": {"code", "message", "details"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

const STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale: 412,
  too_large: 413,
  rule: 422,
  rate_limited: 429,
};

export function errorBody(code: string, message: string, details: readonly ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details: details.map(withCode) } };
}

/** A schema validation issue as a detail with a stable code and the limits it names, so clients can translate it. */
function zodDetail(path: string, keyword: string, message: string | undefined, params: Record<string, unknown>): ErrorDetail {
  const text = message ?? 'is not valid';
  const num = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined);
  switch (keyword) {
    case 'invalid_type':
      return /received undefined/.test(text) ? { path, message: 'is required', code: 'required' } : { path, message: text, code: 'wrong_type', params: { expected: String(params.expected ?? '') } };
    case 'too_small':
    case 'too_big': {
      const limit = num(params.minimum ?? params.maximum);
      const origin = String(params.origin ?? '');
      const code = `${keyword}_${['string', 'array', 'set'].includes(origin) ? (origin === 'string' ? 'length' : 'count') : 'value'}`;
      return limit === undefined ? { path, message: text, code } : { path, message: text, code, params: { limit } };
    }
    case 'invalid_format':
      return { path, message: text, code: 'invalid_format', params: { format: String(params.format ?? '') } };
    case 'invalid_value':
      return { path, message: text, code: 'invalid_value', params: { values: Array.isArray(params.values) ? params.values.join(', ') : '' } };
    default:
      return { path, message: text };
  }
}

/** Fastify's own errors for malformed requests, by their code. */
const FASTIFY_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'the request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'the request body is empty but its content type is JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'the request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'the Content-Length header does not match the body'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'bad_request', 'the Content-Type header is not valid'],
  FST_ERR_BAD_URL: [400, 'bad_request', 'the URL is not valid'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'bad_request', 'the request could not be routed'],
};

/** PostgreSQL errors that bad input or a race can cause, as clients should see them. */
const PG_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  '23505': [409, 'already_exists', 'a record with these values already exists'],
  '23503': [409, 'reference_conflict', 'the record refers to, or is referred to by, another record'],
  '40001': [409, 'conflict', 'the record was changed at the same time; try again'],
  '40P01': [409, 'conflict', 'the record was changed at the same time; try again'],
  '55P03': [409, 'conflict', 'the record is being changed by someone else; try again'],
  '22P02': [400, 'invalid_input', 'a value is not in the expected format'],
  '22021': [400, 'invalid_input', 'a value contains a character that cannot be stored (e.g. a NUL byte)'],
  '22001': [400, 'invalid_input', 'a value is too long'],
  '23514': [400, 'invalid_input', 'a value breaks a rule of the record'],
  '22007': [400, 'invalid_input', 'a date or time is not valid'],
  '22008': [400, 'invalid_input', 'a date or time is out of range'],
};

/**
 * The status and body for a failure outside a request's own error path (e.g. an
 * import whose progress is already streaming): domain errors keep their code,
 * anything else is logged by the caller and reported without its internals.
 */
export function describeError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) return { status: STATUS[error.kind], body: errorBody(error.code, error.message, error.details) };
  const pgCode = (error as { code?: string } | null)?.code;
  const pg = pgCode ? PG_ERRORS[pgCode] : undefined;
  if (pg) return { status: pg[0], body: errorBody(pg[1], pg[2]) };
  return { status: 500, body: errorBody('internal_error', 'something went wrong on the server; it has been logged') };
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) {
    if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.status(STATUS[error.kind]).send(errorBody(error.code, error.message, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const details = error.validation.flatMap((issue) => {
      const base = [where, ...issue.instancePath.split('/').filter(Boolean)].join('.');
      const keys = (issue.params as { keys?: string[] }).keys;
      if (issue.keyword === 'unrecognized_keys' && keys) {
        return keys.map((key) => ({ path: `${base}.${key}`, message: 'is not a known field' }));
      }
      return [zodDetail(base, issue.keyword, issue.message, issue.params as Record<string, unknown>)];
    });
    const first = details[0];
    const message = first ? `${first.path}: ${first.message}` : 'the request is not valid';
    return reply.status(400).send(errorBody('invalid_input', message, details));
  }
  const code = (error as FastifyError).code;
  const known = code ? FASTIFY_ERRORS[code] : undefined;
  if (known) return reply.status(known[0]).send(errorBody(known[1], known[2]));
  const pgCode = (error as { code?: string }).code;
  const pg = pgCode ? PG_ERRORS[pgCode] : undefined;
  if (pg) {
    request.log.info({ pgCode, msg: error.message }, 'database refused the request');
    return reply.status(pg[0]).send(errorBody(pg[1], pg[2]));
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return reply.status(status).send(errorBody('bad_request', 'the request is not valid'));
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply.status(500).send(errorBody('internal_error', 'something went wrong on the server; it has been logged'));
}
