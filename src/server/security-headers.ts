import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The web app's policy: our own scripts only; styles only ours or carrying this response's nonce. */
export function appCsp(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Everything that is not the web app's HTML (JSON, files) may load nothing at all. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Headers every answer carries; also applied to Fastify's own router errors, which skip onSend hooks. */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply, tls: boolean): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
  if (tls) reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
  if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
}

export function registerSecurityHeaders(app: FastifyInstance, tls: boolean): void {
  app.addHook('onSend', async (request, reply, payload) => {
    applySecurityHeaders(request, reply, tls);
    return payload;
  });
}
