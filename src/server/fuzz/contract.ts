import type { LightMyRequestResponse } from 'fastify';

/**
 * What the fuzz tests share (not a test file): the hostile strings, and the contract every
 * answer keeps — no 5xx, and an error always in the one error format without a stack trace.
 */

export const SQL = ["' OR '1'='1", "'; drop table persons; --", '1) union select password_hash from users --', '%', '_', '\\', "''", '$1', '"; select pg_sleep(5); --'];
export const REGEX_BOMBS = ['(a+)+$', '(a|aa)+b', `${'a'.repeat(40)}!`, '((((((((((a*)*)*)*)*)*)*)*)*)*)*', '[[:alpha:]]{1,1000}{1,1000}', '.*.*.*.*.*.*=.*'];
export const WEIRD = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202e\u0645\u062d\u0645\u062f', 'Иван محمد 李 Ω', '\u0007\u001b[31m', '\r\n\r\nX-Injected: 1',
  '../', '../../etc/passwd', '..%2F..%2F', '%00', '%', '%zz', '%ud800', '😀'.repeat(50), 'ﬁ', 'İ', 'ß', '\u0301', '\ufeff', 'null', 'undefined', 'true', 'NaN',
  '-1', '0', '1e309', '-0', '9007199254740993', '1.5', '0x10', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-00000000000g', '{}', '[]', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '2026-02-30', '0000-00-00',
  '9999-12-31T23:59:59Z', '2026-13-01', 'RUS', 'rus', 'XX', 'ZZZ', 'admin', 'eyJhbGciOiJub25lIn0.e30.', 'base64:!!!',
];

export const STACK_LINE = /\bat\s+(?:\S+\s+\()?(?:file:|node:|\/|[A-Za-z]:\\)\S*:\d+:\d+/;

/** Why an answer breaks the contract, or null when it keeps it. */
export function problem(response: LightMyRequestResponse): string | null {
  if (response.statusCode >= 500) return `status ${response.statusCode}`;
  if (response.statusCode < 400) return null;
  if (!/^application\/json/.test(String(response.headers['content-type']))) return `error content-type ${String(response.headers['content-type'])}`;
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return 'error body is not JSON';
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error;
  if (!body || typeof body !== 'object' || Object.keys(body).join() !== 'error' || !error) return 'error body is not {"error": …}';
  if (typeof error.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(error.code)) return 'error.code missing or not snake_case';
  if (typeof error.message !== 'string') return 'error.message missing';
  if (error.details !== undefined && !Array.isArray(error.details)) return 'error.details not an array';
  if (Object.keys(error).some((k) => !['code', 'message', 'details'].includes(k))) return `error has other keys: ${Object.keys(error).join()}`;
  if (STACK_LINE.test(response.body) || response.body.includes('node_modules')) return 'error leaks a stack trace or file path';
  return null;
}
