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
  /** In English, for the person who can fix it. */
  readonly message: string;
  /** A stable code for the kind of problem, so that clients can say it in the user's language. */
  readonly code?: string;
  /** The values the message names (a limit, a date, a country code). */
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * The messages the domain writes, by the stable code a client translates them by.
 * One table, so that a message and its code cannot drift apart in a call site.
 */
const DETAIL_CODES: readonly (readonly [RegExp, string, readonly string[]])[] = [
  [/^is required\b/, 'required', []],
  [/^is in the future$/, 'in_future', []],
  [/^a date of birth cannot be in the future\b/, 'birth_in_future', []],
  [/^is before the person was born$/, 'before_birth', []],
  [/^is before the issue date$/, 'before_issue', []],
  [/^is before the (?:current )?admission \((\d{4}-\d{2}-\d{2})\)$/, 'before_admission', ['date']],
  [/^(\S+) is not an ISO 3166 alpha-3 (?:country )?code$/, 'unknown_country', ['value']],
  [/^no such facility$/, 'no_such_facility', []],
  [/^no such person$/, 'no_such_person', []],
  [/^no such agency$/, 'no_such_agency', []],
  [/^a person cannot be their own relative$/, 'own_relative', []],
  [/^only for a person who died$/, 'only_if_died', []],
  [/^is not a known field$/, 'unknown_field', []],
  [/^is already registered$/, 'already_registered', []],
  [/^is withheld from their embassy\b/, 'withheld_from_embassy', []],
  [/^does not claim the nationality of ([A-Z]{3})$/, 'nationality_not_claimed', ['value']],
  [/^was already found not to be a national of ([A-Z]{3})$/, 'not_a_national', ['value']],
  [/^is in the past$/, 'in_past', []],
  // The case state machine (src/domain/case-machine.ts, CASE_MESSAGES): its details carry these codes
  // already; the rows keep them when a detail is rebuilt from its message.
  [/^A case cannot go from (\S+) to (\S+)\.$/, 'case_transition_not_in_table', ['from', 'to']],
  [/^(\S+) is made only by .+\.$/, 'case_transition_role_not_allowed', ['transition']],
  [/^(\S+) is not possible yet: (.+)\.$/, 'case_transition_guard_failed', ['transition', 'guards']],
];

/** A detail with its code (and the values its message names), where the message is one the table knows. */
export function withCode(detail: ErrorDetail): ErrorDetail {
  if (detail.code) return detail;
  for (const [pattern, code, names] of DETAIL_CODES) {
    const match = pattern.exec(detail.message);
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? '']));
    return names.length > 0 ? { ...detail, code, params } : { ...detail, code };
  }
  return detail;
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
