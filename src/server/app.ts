import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { agencyRoutes } from '../routes/api/agencies/agencies.ts';
import { apiTokenRoutes } from '../routes/api/api-tokens/api-tokens.ts';
import { auditEventRoutes } from '../routes/api/audit-events/audit-events.ts';
import { authRoutes } from '../routes/api/auth/auth.ts';
import { countryRoutes } from '../routes/api/countries/countries.ts';
import { dataCategoryRoutes } from '../routes/api/data-categories/data-categories.ts';
import { healthRoutes } from '../routes/api/health/health.ts';
import { roleSettingRoutes } from '../routes/api/role-settings/role-settings.ts';
import { userRoutes } from '../routes/api/users/users.ts';
import { facilityRoutes } from '../routes/api/facilities/facilities.ts';
import { custodyRoutes } from '../routes/api/persons/custody.ts';
import { familyRoutes } from '../routes/api/persons/family.ts';
import { personRoutes } from '../routes/api/persons/persons.ts';
import { proceedingRoutes } from '../routes/api/persons/proceedings.ts';
import { exportRoutes } from '../routes/api/persons/export.ts';
import { photoRoutes } from '../routes/api/persons/photos.ts';
import { documentRoutes, evidenceRoutes, identityRoutes } from '../routes/api/persons/identity.ts';
import { importRoutes } from '../routes/api/imports/imports.ts';
import { missionRoutes } from '../routes/api/missions/missions.ts';
import { verificationRoutes } from '../routes/api/verification-requests/verification-requests.ts';
import { tracingRoutes } from '../routes/api/tracing-requests/tracing-requests.ts';
import { matchCandidateRoutes } from '../routes/api/match-candidates/match-candidates.ts';
import { diplomacyRoutes } from '../routes/api/diplomacy/diplomacy.ts';
import { caseRoutes } from '../routes/api/cases/cases.ts';
import { caseExportRoutes } from '../routes/api/cases/export.ts';
import { movementRoutes } from '../routes/api/movements/movements.ts';
import { movementExportRoutes } from '../routes/api/movements/export.ts';
import { manifestPdfRoutes } from '../routes/api/movements/manifest-pdf.ts';
import { handoverReceiptRoutes } from '../routes/api/movements/receipts.ts';
import { caseFactRoutes } from '../routes/api/case-facts/case-facts.ts';
import { figureRoutes } from '../routes/api/figures/figures.ts';
import { consentWitnessRoutes } from '../routes/api/case-facts/witnesses.ts';
import type { RouteAccess } from '../policies/policy.ts';
import { registerAuthHook } from './auth-hook.ts';
import type { ApiApp, AppContext, RouteModule } from './context.ts';
import { errorBody, handleError } from './errors.ts';
import { applySecurityHeaders, registerSecurityHeaders } from './security-headers.ts';
import { registerWebApp } from './web.ts';
import { registerServerTiming } from './server-timing.ts';

/** Every API resource, in the order the OpenAPI document lists them. */
export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  authRoutes,
  userRoutes,
  agencyRoutes,
  countryRoutes,
  dataCategoryRoutes,
  roleSettingRoutes,
  auditEventRoutes,
  apiTokenRoutes,
  facilityRoutes,
  exportRoutes,
  personRoutes,
  familyRoutes,
  custodyRoutes,
  proceedingRoutes,
  photoRoutes,
  identityRoutes,
  documentRoutes,
  evidenceRoutes,
  importRoutes,
  missionRoutes,
  verificationRoutes,
  tracingRoutes,
  matchCandidateRoutes,
  diplomacyRoutes,
  caseRoutes,
  caseExportRoutes,
  movementRoutes,
  movementExportRoutes,
  manifestPdfRoutes,
  handoverReceiptRoutes,
  caseFactRoutes,
  figureRoutes,
  consentWitnessRoutes,
];

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api/v1 route with its access rule, for the tests that enumerate them. */
    routeTable: readonly RegisteredRoute[];
    /** Resolves when no API handler is running (at once if none is): a shutdown waits for it before the database closes. */
    handlersSettled: () => Promise<void>;
    /** Work a handler leaves running after it has answered (a streamed import): counted like a handler until it settles. */
    keepOpenFor: <T>(work: Promise<T>) => Promise<T>;
  }
}

/**
 * The API handlers running now. A client that goes away mid-request closes its connection, so the
 * server's close no longer waits for it, but its handler runs on: the database must stay open until
 * the handlers are done, or their queries fail on a closed pool (and a write's transaction is lost).
 */
function handlersInFlight() {
  let running = 0;
  let waiting: Array<() => void> = [];
  return {
    enter: () => {
      running += 1;
    },
    leave: () => {
      running -= 1;
      if (running === 0) {
        for (const resolve of waiting) resolve();
        waiting = [];
      }
    },
    settled: (): Promise<void> => (running === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
  };
}

/**
 * `handlersInFlight` with `track`: counts a promise while it is pending and hands it back unchanged.
 * The count falls one turn of the event loop after the promise settles, so that the next step of the
 * same request (the handler after the authentication hook) is counted before a shutdown sees zero.
 */
export function inFlightWork() {
  const counter = handlersInFlight();
  const track = <T>(work: Promise<T>): Promise<T> => {
    counter.enter();
    return work.finally(() => {
      setImmediate(counter.leave);
    });
  };
  return { ...counter, track };
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the HTTP server: the API under /api/v1, its OpenAPI document, and the web app. */
export async function buildApp(ctx: AppContext): Promise<ApiApp> {
  const app = Fastify({
    loggerInstance: ctx.log,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route (a badly encoded or over-long URL) get the API's error body too.
    // Router errors (bad URL encoding, over-long ids) skip the hooks: give them headers and the error format here.
    frameworkErrors: (error, request, reply) => {
      applySecurityHeaders(request, reply, ctx.config.tls);
      return handleError(error, request, reply);
    },
    ajv: undefined,
  }).withTypeProvider() as unknown as ApiApp;

  if (ctx.config.serverTiming) registerServerTiming(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // The API speaks JSON only: a text body is refused with 415, not parsed as a string.
  app.removeContentTypeParser('text/plain');

  // Deny by default: an API route that does not say who may call it is a bug.
  const routeTable: RegisteredRoute[] = [];
  const inFlight = inFlightWork();
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (!url.startsWith('/api/v1')) return;
    if (!route.config?.access) throw new Error(`route ${route.method} ${url} declares no access policy`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url, access: route.config.access });
    }
    // Counted while its promise is pending; a handler that answers synchronously is left as it is.
    const handler = route.handler as (this: unknown, ...args: unknown[]) => unknown;
    route.handler = function (this: unknown, ...args: unknown[]) {
      const result = handler.apply(this, args);
      return result instanceof Promise ? inFlight.track(result) : result;
    } as typeof route.handler;
  });
  app.decorate('routeTable', routeTable);
  app.decorate('handlersSettled', inFlight.settled);
  app.decorate('keepOpenFor', inFlight.track);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Homeward API',
        version: '1',
        description:
          'Case management for repatriating foreign nationals, above all children, from detention. ' +
          'Sign in with POST /api/v1/auth/login (session cookie; send X-CSRF-Token on changes) or send `Authorization: Bearer <API token>`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'homeward_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The public documentation page holds no data; Swagger UI sets inline styles, so only this page allows them
  // (styles only: scripts stay 'self'). It may not be framed, and asks for HTTPS only where there is HTTPS.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) => {
      const csp = header
        .replace(/style-src [^;]+/, "style-src 'self' 'unsafe-inline'")
        .replace(/ https:/g, '')
        .replace(/frame-ancestors [^;]+/, "frame-ancestors 'none'");
      return ctx.config.tls ? csp : csp.replace(/\s*upgrade-insecure-requests;?/, '');
    },
    uiConfig: { docExpansion: 'list' },
  });

  app.get('/api/v1/openapi.json', { config: { access: { kind: 'public' } }, schema: { hide: true } }, async () => app.swagger());

  registerSecurityHeaders(app, ctx.config.tls);
  registerAuthHook(app, ctx);
  for (const register of ROUTE_MODULES) register(app, ctx);

  const serveIndex = await registerWebApp(app);
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return reply.status(404).send(errorBody('route_not_found', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`));
    }
    return serveIndex(request, reply);
  });
  return app;
}
