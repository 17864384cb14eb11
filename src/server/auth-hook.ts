import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveApiToken, resolveSession } from '../commands/credentials.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { today } from '../registry/as-of.ts';
import { sharedCategoriesInForce } from '../repositories/agreements.ts';
import { safeEqual } from '../security/tokens.ts';
import type { AppContext } from './context.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionCookieName(tls: boolean): string {
  // The __Host- prefix binds the cookie to this origin; browsers accept it only when Secure.
  return tls ? '__Host-homeward_session' : 'homeward_session';
}

const unauthenticated = (code: string, message: string) => new DomainError('unauthenticated', code, message);
const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);

/**
 * Authenticates and authorizes every API request before its body is read:
 * deny by default. A route without a declared access rule is refused.
 */
export function registerAuthHook(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  const cookieName = sessionCookieName(ctx.config.tls);

  // Counted like a handler (its session and token look-ups query the database): a shutdown waits for it.
  app.addHook('onRequest', (request) => app.keepOpenFor(checkAccess(request)));

  async function checkAccess(request: FastifyRequest): Promise<void> {
    const access = request.routeOptions.config?.access;
    if (!request.routeOptions.url?.startsWith('/api/v1/')) return; // the web app, its files, the API docs page
    if (!access) throw new DomainError('not_found', 'route_not_found', 'no such endpoint');
    if (access.kind === 'public') return;

    await authenticate(request, ctx, cookieName);
    const actor = request.actor;
    if (!actor) throw unauthenticated('unauthenticated', 'sign in first');

    if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !request.csrfToken || !safeEqual(sent, request.csrfToken)) {
        throw forbidden('csrf_token_invalid', 'send the X-CSRF-Token header from your session with every change');
      }
    }
    if (actor.via === 'token') {
      if (access.sessionOnly) throw forbidden('session_required', 'this needs a person signed in, not an API token');
      if (!SAFE_METHODS.has(request.method) && !actor.scopes.includes('write')) {
        throw forbidden('token_scope', 'this API token may only read');
      }
    }
    if (actor.passwordChangePending && !access.beforeTotpEnrollment) {
      throw forbidden('password_change_required', 'you signed in with a one-time password: choose your own password first');
    }
    if (actor.totpEnrollmentPending && !access.beforeTotpEnrollment) {
      throw forbidden('totp_enrollment_required', 'your role requires two-factor login: set it up under My account first');
    }
    if (!access.rule(actor)) throw forbidden('forbidden', `your role may not ${access.action} ${access.resource}`);
  }
}

async function authenticate(request: FastifyRequest, ctx: AppContext, cookieName: string): Promise<void> {
  const db = ctx.database.db;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await resolveApiToken(db, match[1] as string) : null;
    if (!actor) throw unauthenticated('invalid_token', 'the API token is unknown, expired or revoked');
    request.actor = await withSharedCategories(db, actor);
    return;
  }
  const token = request.cookies[cookieName];
  if (!token) throw unauthenticated('unauthenticated', 'sign in first');
  const session = await resolveSession(db, token, ctx.config.sessionIdleSeconds);
  if (!session) throw unauthenticated('session_expired', 'your session has ended; sign in again');
  request.actor = await withSharedCategories(db, session.actor);
  request.sessionId = session.sessionId;
  request.csrfToken = session.csrfToken;
}

/** An embassy user's categories come from their country's data-sharing agreement in force today (decision 0023). */
async function withSharedCategories(db: AppContext['database']['db'], actor: Actor): Promise<Actor> {
  if (actor.role !== 'embassy' || !actor.countryCode) return actor;
  return { ...actor, sharedCategories: await sharedCategoriesInForce(db, actor.countryCode, today()) };
}
