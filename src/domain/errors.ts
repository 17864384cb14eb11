/**
 * Errors the application raises on purpose. Each has a stable snake_case code
 * that clients rely on; server/errors.ts maps the kind to an HTTP status in one place.
 */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'stale' // 412
  | 'too_large' // 413
  | 'rule' // 422
  | 'rate_limited'; // 429

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', 'not_found', `${what} not found`);
export const forbidden = (message = 'you may not do this') => new DomainError('forbidden', 'forbidden', message);
export const invalid = (path: string, message: string) =>
  new DomainError('invalid', 'invalid_input', `${path}: ${message}`, [{ path, message }]);
