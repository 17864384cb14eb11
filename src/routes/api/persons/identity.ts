import { z } from 'zod';
import { DOCUMENT_KINDS, recordDocument } from '../../../commands/documentRecorder.ts';
import { recordEvidence } from '../../../commands/evidenceRecorder.ts';
import { DNA_RESULTS, EVIDENCE_KINDS } from '../../../domain/identification.ts';
import { addName, removeName, setNationalityClaim } from '../../../commands/identityEditor.ts';
import { IsoDateSchema } from '../../../domain/birth-date.ts';
import { NameInputSchema } from '../../../domain/person.ts';
import { CountryCodeSchema } from '../../../domain/roles.ts';
import { can } from '../../../policies/policy.ts';
import { evidencePolicy, personPolicy } from '../../../policies/person.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { OptionalIfMatchHeaders, optionalVersion } from '../versioning.ts';

const tags = ['persons'];
const NameParams = IdParams.extend({ nameId: z.uuid() });
const NationalityParams = IdParams.extend({ countryCode: CountryCodeSchema });

/** Names and claimed nationalities after registration: each change re-indexes the search and is audited. */
export const identityRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  const access = { access: can(personPolicy, 'updateIdentity') };

  app.post(
    '/api/v1/persons/:id/names',
    { config: access, schema: { tags, summary: 'Add a name (another script, an alias, a kunya)', params: IdParams, headers: OptionalIfMatchHeaders, body: NameInputSchema, response: withErrors({ 201: z.object({ id: z.uuid() }) }) } },
    async (request, reply) => reply.status(201).send({ id: await addName(db, actorOf(request), today(), request.params.id, request.body, optionalVersion(request.headers['if-match'])) }),
  );
  app.delete(
    '/api/v1/persons/:id/names/:nameId',
    { config: access, schema: { tags, summary: 'Remove a name', params: NameParams, headers: OptionalIfMatchHeaders, response: withErrors({ 204: z.null() }) } },
    async (request, reply) => {
      await removeName(db, actorOf(request), today(), request.params.id, request.params.nameId, optionalVersion(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/v1/persons/:id/nationalities/:countryCode',
    { config: access, schema: { tags, summary: 'Record a claimed nationality', params: NationalityParams, headers: OptionalIfMatchHeaders, response: withErrors({ 204: z.null() }) } },
    async (request, reply) => {
      await setNationalityClaim(db, actorOf(request), today(), request.params.id, request.params.countryCode, true, optionalVersion(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/v1/persons/:id/nationalities/:countryCode',
    { config: access, schema: { tags, summary: 'Withdraw a claimed (not a verified) nationality', params: NationalityParams, headers: OptionalIfMatchHeaders, response: withErrors({ 204: z.null() }) } },
    async (request, reply) => {
      await setNationalityClaim(db, actorOf(request), today(), request.params.id, request.params.countryCode, false, optionalVersion(request.headers['if-match']));
      return reply.status(204).send(null);
    },
  );
};

const DocumentBody = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS),
  countryCode: CountryCodeSchema.optional().describe('the issuing country'),
  number: z.string().trim().min(1).max(50).regex(/^[A-Za-z0-9 /-]+$/, 'letters, digits, spaces, / and - only').optional(),
  issuedOn: IsoDateSchema.optional(),
  expiresOn: IsoDateSchema.optional(),
});

/** Identity documents (passports, birth certificates…), with the holder's name as travel documents print it. */
export const documentRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/v1/persons/:id/documents',
    {
      config: { access: can(personPolicy, 'updateIdentity') },
      schema: { tags, summary: 'Record an identity document', params: IdParams, headers: OptionalIfMatchHeaders, body: DocumentBody, response: withErrors({ 201: z.object({ id: z.uuid() }) }) },
    },
    async (request, reply) => reply.status(201).send({ id: await recordDocument(ctx.database.db, actorOf(request), today(), request.params.id, request.body, optionalVersion(request.headers['if-match'])) }),
  );
};

const EvidenceBody = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS).describe('document examined, embassy interview, or DNA kinship test'),
  observedOn: IsoDateSchema,
  supports: z.boolean().optional().describe('for a document or an interview: does it support the identity? (DNA: the result decides)'),
  summary: z.string().trim().min(1).max(4000).optional(),
  source: z.string().trim().min(1).max(200).optional().describe('who examined, interviewed or tested'),
  dna: z
    .strictObject({
      laboratory: z.string().trim().min(1).max(200),
      relativeId: z.uuid().optional().describe('the relative tested, if registered'),
      relationship: z.string().trim().min(1).max(100).describe('e.g. maternal grandmother'),
      result: z.enum(DNA_RESULTS),
    })
    .optional(),
});

/** Identity evidence: documents examined, embassy interviews, DNA results (genetic data). */
export const evidenceRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/v1/persons/:id/evidence',
    {
      config: { access: can(evidencePolicy, 'record') },
      schema: { tags, summary: 'Record identity evidence; the person’s identity confidence follows from it', params: IdParams, headers: OptionalIfMatchHeaders, body: EvidenceBody, response: withErrors({ 201: z.object({ id: z.uuid() }) }) },
    },
    async (request, reply) => reply.status(201).send({ id: await recordEvidence(ctx.database.db, actorOf(request), today(), request.params.id, request.body, optionalVersion(request.headers['if-match'])) }),
  );
};
