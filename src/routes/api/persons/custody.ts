import { z } from 'zod';
import { RELEASE_REASONS, admitToFacility, releaseFromCustody } from '../../../commands/custodyRecorder.ts';
import { IsoDateSchema } from '../../../domain/birth-date.ts';
import { can } from '../../../policies/policy.ts';
import { personPolicy } from '../../../policies/person.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { OptionalIfMatchHeaders, optionalVersion } from '../versioning.ts';

const tags = ['persons'];

/** Custody episodes: admission, transfer (an admission elsewhere), release. */
export const custodyRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.post(
    '/api/v1/persons/:id/custody',
    {
      config: { access: can(personPolicy, 'manageCustody') },
      schema: {
        tags,
        summary: 'Admit to a facility; ends the current episode as a transfer',
        params: IdParams, headers: OptionalIfMatchHeaders,
        body: z.strictObject({ facilityId: z.uuid(), admittedOn: IsoDateSchema }),
        response: withErrors({ 204: z.null() }),
      },
    },
    async (request, reply) => {
      await admitToFacility(db, actorOf(request), today(), request.params.id, request.body.facilityId, request.body.admittedOn, optionalVersion(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/persons/:id/custody/release',
    {
      config: { access: can(personPolicy, 'manageCustody') },
      schema: {
        tags,
        summary: 'End the current custody episode',
        params: IdParams, headers: OptionalIfMatchHeaders,
        body: z.strictObject({ releasedOn: IsoDateSchema, reason: z.enum(RELEASE_REASONS) }),
        response: withErrors({ 204: z.null() }),
      },
    },
    async (request, reply) => {
      await releaseFromCustody(db, actorOf(request), today(), request.params.id, request.body.releasedOn, request.body.reason, optionalVersion(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  );
};
