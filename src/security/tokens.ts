import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret for a cookie or an API token, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Secrets are stored only as their SHA-256: a stolen table opens no session. */
export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const API_TOKEN_PREFIX = 'hw';

/** An API token reads `hw_<token id>_<secret>`; the id finds the row, the secret is checked by hash. */
export function formatApiToken(id: string, secret: string): string {
  return `${API_TOKEN_PREFIX}_${id}_${secret}`;
}

export function parseApiToken(token: string): { id: string; secret: string } | null {
  const match = /^hw_([0-9a-f-]{36})_([A-Za-z0-9_-]{20,100})$/.exec(token);
  return match ? { id: match[1] as string, secret: match[2] as string } : null;
}
