import { z } from 'zod';
import { recordProceeding, reviseProceeding } from '../../../commands/proceedingRecorder.ts';
import { ProceedingInputSchema } from '../../../domain/sentence.ts';
import { can } from '../../../policies/policy.ts';
import { personPolicy } from '../../../policies/person.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion, OptionalIfMatchHeaders, optionalVersion } from '../versioning.ts';

const tags = ['persons'];

/** Proceedings and sentences, recorded by the judiciary within the law's limits. */
export const proceedingRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.post(
    '/api/v1/persons/:id/proceedings',
    {
      config: { access: can(personPolicy, 'manageProceedings') },
      schema: { tags, summary: 'Record a proceeding (422 conviction_under_age_9, juvenile_sentence_over_15_years…)', params: IdParams, headers: OptionalIfMatchHeaders, body: ProceedingInputSchema, response: withErrors({ 201: z.object({ id: z.uuid() }) }) },
    },
    async (request, reply) => {
      const id = await recordProceeding(db, actorOf(request), today(), request.params.id, request.body, optionalVersion(request.headers['if-match']));
      return reply.status(201).send({ id });
    },
  );
  app.put(
    '/api/v1/proceedings/:id',
    {
      config: { access: can(personPolicy, 'manageProceedings') },
      schema: { tags, summary: 'Revise a proceeding: stage, verdict, sentence, commutation (If-Match: version)', params: IdParams, headers: IfMatchHeaders, body: ProceedingInputSchema, response: withErrors({ 200: z.object({ id: z.uuid(), personId: z.uuid() }) }) },
    },
    async (request) => {
      const personId = await reviseProceeding(db, actorOf(request), today(), request.params.id, expectedVersion(request.headers['if-match']), request.body);
      return { id: request.params.id, personId };
    },
  );
};
