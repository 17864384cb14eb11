import i18n from 'i18next';

/**
 * The one way the web shell talks to the server: JSON in and out, the session cookie
 * (same-origin) and, on every request that changes something, the X-CSRF-Token header.
 */

export interface ErrorDetail {
  readonly path: string;
  /** The server's words, in English. */
  readonly message: string;
  /** A stable code for the problem (required, in_future, …), when the server gives one. */
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A field problem in the user's language where its code is known, else the server's own words. */
export function detailText(detail: ErrorDetail): string {
  if (!detail.code) return detail.message;
  const key = `fieldErrors.${detail.code}`;
  return i18n.exists(key) ? String(i18n.t(key as 'fieldErrors.required', { ...detail.params })) : detail.message;
}

/** A non-2xx answer, carrying the server's stable error code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly ErrorDetail[];

  constructor(status: number, code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** A detail's field path without the request part it came from ("body.username" → "username"). */
export function fieldOf(detail: ErrorDetail): string {
  return detail.path.replace(/^(body|query|params)\./, '');
}

/** The server's message about one field of the request, if it sent one. */
export function fieldError(error: unknown, field: string): string | undefined {
  const detail = error instanceof ApiError ? error.details.find((d) => fieldOf(d) === field) : undefined;
  return detail ? detailText(detail) : undefined;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const API_ROOT = '/api/v1';

let csrfToken: string | null = null;

/** Set from the login or session answer; cleared on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** For requests that cannot go through `request` (uploads with progress). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

export type Query = Readonly<Record<string, string | number | null | undefined>>;

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_ROOT}${path}${search ? `?${search}` : ''}`;
}

export interface RequestOptions {
  readonly query?: Query;
  /** JSON, or a Blob (a file) sent as it is with its own type. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Extra headers, e.g. If-Match with the version a form read. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends one request; resolves to the parsed body (undefined for 204) or throws ApiError. */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const mutating = method !== 'GET';
  const blob = options.body instanceof Blob ? options.body : null;
  if (mutating) {
    headers['Content-Type'] = blob ? blob.type || 'application/octet-stream' : 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: mutating ? (blob ?? JSON.stringify(options.body ?? {})) : undefined,
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response.status, payload);
  return payload as T;
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const details = Array.isArray(error?.details)
    ? error.details.filter(
        (d): d is ErrorDetail =>
          typeof d === 'object' && d !== null && typeof d.path === 'string' && typeof d.message === 'string',
      )
    : [];
  return new ApiError(status, code, message, details);
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
