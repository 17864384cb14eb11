import { sql } from 'kysely';
import { z } from 'zod';
import { PUBLIC } from '../../../policies/policy.ts';
import type { RouteModule } from '../../../server/context.ts';

/** `GET /api/v1/health`: the server answers and its database does too. No login. */
export const healthRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/health',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['system'],
        summary: 'Is the server up and its database reachable?',
        response: { 200: z.object({ status: z.literal('ok') }), 503: z.object({ status: z.literal('unavailable') }) },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(ctx.database.db);
        return { status: 'ok' as const };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const });
      }
    },
  );
};
