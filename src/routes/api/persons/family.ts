import { z } from 'zod';
import { linkFamily, unlinkFamily } from '../../../commands/familyLinker.ts';
import { NewFamilyLinkSchema } from '../../../domain/family.ts';
import { can } from '../../../policies/policy.ts';
import { personPolicy } from '../../../policies/person.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { OptionalIfMatchHeaders, optionalVersion } from '../versioning.ts';

const tags = ['persons'];

/** Family links, recorded in both directions with how each was verified. */
export const familyRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.post(
    '/api/v1/persons/:id/family-links',
    {
      config: { access: can(personPolicy, 'manageFamily') },
      schema: { tags, summary: 'Link a relative (mother, father, child, sibling, guardian, caregiver)', params: IdParams, headers: OptionalIfMatchHeaders, body: NewFamilyLinkSchema, response: withErrors({ 201: z.object({ linkId: z.uuid() }) }) },
    },
    async (request, reply) => {
      const linkId = await linkFamily(db, actorOf(request), today(), request.params.id, request.body, optionalVersion(request.headers['if-match']));
      return reply.status(201).send({ linkId });
    },
  );
  app.delete(
    '/api/v1/family-links/:id',
    {
      config: { access: can(personPolicy, 'manageFamily') },
      schema: { tags, summary: 'Remove a family link (both directions)', params: IdParams, querystring: z.strictObject({ reason: z.string().trim().max(500).optional() }), response: withErrors({ 204: z.null() }) },
    },
    async (request, reply) => {
      await unlinkFamily(db, actorOf(request), today(), request.params.id, request.query.reason);
      return reply.status(204).send(null);
    },
  );
};
