import { z } from 'zod';
import { createApiToken, revokeApiToken } from '../../../commands/tokenCreator.ts';
import { TOKEN_SCOPES } from '../../../domain/actor.ts';
import { notFound } from '../../../domain/errors.ts';
import { apiTokenPolicy } from '../../../policies/api-token.ts';
import { can } from '../../../policies/policy.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, Text, withErrors } from '../schemas.ts';

const TokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.enum(TOKEN_SCOPES)),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revoked: z.boolean(),
  })
  .meta({ id: 'ApiToken' });
const CreateTokenBody = z.strictObject({
  name: Text(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(2).default(['read']),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
const tags = ['api-tokens'];

/** One's own API tokens: list, issue (the secret is shown once), revoke. */
export const apiTokenRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/api-tokens',
    {
      config: { access: can(apiTokenPolicy, 'list') },
      schema: { tags, summary: 'My API tokens', response: withErrors({ 200: z.object({ data: z.array(TokenSchema) }) }) },
    },
    async (request) => {
      const rows = await db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
        .where('user_id', '=', actorOf(request).userId)
        .orderBy('created_at', 'desc')
        .limit(500)
        .execute();
      return {
        data: rows.map((t) => ({
          id: t.id,
          name: t.name,
          scopes: t.scopes as (typeof TOKEN_SCOPES)[number][],
          createdAt: t.created_at.toISOString(),
          expiresAt: t.expires_at.toISOString(),
          lastUsedAt: t.last_used_at?.toISOString() ?? null,
          revoked: t.revoked_at !== null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/api-tokens',
    {
      config: { access: can(apiTokenPolicy, 'create', { sessionOnly: true }) },
      schema: {
        tags,
        summary: 'Issue an API token (shown once)',
        body: CreateTokenBody,
        response: withErrors({ 201: z.object({ id: z.uuid(), token: z.string(), expiresAt: z.string() }) }),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await createApiToken(db, { userId: actor.userId, ...request.body }, actor);
      return reply.status(201).send({ id: created.id, token: created.token, expiresAt: created.expiresAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/api-tokens/:id',
    {
      config: { access: can(apiTokenPolicy, 'revoke') },
      schema: { tags, summary: 'Revoke one of my API tokens', params: IdParams, response: withErrors({ 204: z.null() }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!(await revokeApiToken(db, request.params.id, actor.userId, actor))) throw notFound('API token');
      return reply.status(204).send(null);
    },
  );
};
