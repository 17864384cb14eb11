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

/**
 * Whether this request reached us over TLS: the operator says so for the whole deployment
 * (HOMEWARD_TLS), or the socket is TLS, or — only with HOMEWARD_TRUST_PROXY — the proxy in
 * front says so with X-Forwarded-Proto (Fastify's `request.protocol`). A client's own
 * X-Forwarded-Proto is ignored when no proxy is trusted.
 */
export function servedOverTls(request: FastifyRequest, tls: boolean): boolean {
  return tls || request.protocol === 'https';
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
  // HSTS over plain HTTP is meaningless (browsers ignore it) and would pin a host that has no TLS.
  if (servedOverTls(request, tls)) reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
  if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
}

export function registerSecurityHeaders(app: FastifyInstance, tls: boolean): void {
  app.addHook('onSend', async (request, reply, payload) => {
    applySecurityHeaders(request, reply, tls);
    return payload;
  });
}
