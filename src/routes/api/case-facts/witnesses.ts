import { z } from 'zod';
import { definePolicy, can, roleIs } from '../../../policies/policy.ts';
import type { RouteModule } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';

/**
 * Who may be named as the witness of a consent record: the active child-protection officers.
 * The coordinator entering a decision that arrived by post names one (`witnessUserId`); a
 * child-protection officer sees their colleagues. Only the id and display name are given.
 */
export const consentWitnessPolicy = definePolicy('consent-witnesses', {
  list: roleIs('coordinator', 'child_protection'),
});

const WitnessList = z.object({ data: z.array(z.object({ id: z.uuid(), displayName: z.string() })) });

export const consentWitnessRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.get(
    '/api/v1/case-facts/witnesses',
    {
      config: { access: can(consentWitnessPolicy, 'list') },
      schema: { tags: ['case facts'], summary: 'The active child-protection officers who may witness a consent record (id and display name)', response: withErrors({ 200: WitnessList }) },
    },
    async () => {
      const rows = await db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('role', '=', 'child_protection')
        .where('disabled_at', 'is', null)
        .orderBy('display_name')
        .orderBy('id')
        .execute();
      return { data: rows.map((r) => ({ id: r.id, displayName: r.display_name })) };
    },
  );
};
