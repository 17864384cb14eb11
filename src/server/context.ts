import type { FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/env.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { RouteAccess } from '../policies/policy.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: required on every /api route. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

/** What every route and hook may use. */
export interface AppContext {
  readonly database: Database;
  readonly config: Config;
  readonly log: FastifyBaseLogger;
}

export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
export type RouteModule = (app: ApiApp, ctx: AppContext) => void;

/** The caller of a route whose access is a policy: the auth hook has set it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError('unauthenticated', 'unauthenticated', 'sign in first');
  return request.actor;
}

export function clientOf(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}
