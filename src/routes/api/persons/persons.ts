import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { scheduleSweep } from '../../../commands/candidateFinder.ts';
import { registerPerson } from '../../../commands/personRegistrar.ts';
import { updatePerson } from '../../../commands/personEditor.ts';
import { mergePersons } from '../../../commands/personMerger.ts';
import { couldBeUnder } from '../../../domain/birth-date.ts';
import { notFound } from '../../../domain/errors.ts';
import { NameInputSchema, NewPersonSchema } from '../../../domain/person.ts';
import { BirthDateInputSchema } from '../../../domain/birth-date.ts';
import { likelyDuplicates } from '../../../registry/likely-duplicates.ts';
import { can } from '../../../policies/policy.ts';
import { personPolicy, refuseHiddenFilters } from '../../../policies/person.ts';
import { presentPerson, presentPersonListItem } from '../../../presenters/person.ts';
import { findVisiblePerson, loadPersonDetails } from '../../../repositories/persons.ts';
import { inSearchPlan, searchPersons, withListDetails } from '../../../repositories/person-search.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, encodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion } from '../versioning.ts';
import { PersonListItemSchema, PersonSchema, PersonSearchQuery, UpdatePersonBody } from './schema.ts';

const tags = ['persons'];
const MergeBody = z.strictObject({
  mergedId: z.uuid().describe('the record confirmed as a second registration of this one; it is kept, as history, and points here'),
  reason: z.string().trim().min(1, 'is required: say why the two records are one person').max(2000),
});
const DuplicateCheckBody = z.strictObject({
  names: z.array(NameInputSchema).min(1).max(20),
  sex: z.enum(['female', 'male', 'unknown']).optional(),
  birthDate: BirthDateInputSchema.optional(),
});

/** The registry: search, register, read (audited for children), edit. */
export const personRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/persons',
    {
      config: { access: can(personPolicy, 'list') },
      schema: { tags, summary: 'Search the registry in any script, with filters', querystring: PersonSearchQuery, response: withErrors({ 200: listSchema(PersonListItemSchema) }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const { limit, cursor, ...search } = request.query;
      refuseHiddenFilters(actor, search);
      const asOf = today();
      const searched = searchPersons(db, actor, asOf, search);
      if (searched.ranked) {
        // Ranked results page by position: the ranking has no stable key to resume after.
        const offset = decodeCursor(cursor, z.tuple([z.literal('o'), z.number().int().min(0).max(100_000)]))?.[1] ?? 0;
        const rows = await inSearchPlan(db, search, { offset, limit: limit + 1 }, async (tx, run) => withListDetails(tx, await searchPersons(tx, actor, asOf, search, run).query.execute()));
        const more = rows.length > limit;
        return { data: rows.slice(0, limit).map((r) => presentPersonListItem(r, actor, asOf)), nextCursor: more ? encodeCursor(['o', offset + limit]) : null };
      }
      const after = decodeCursor(cursor, z.tuple([z.string(), z.uuid()]));
      const { query, order } = searched;
      const keyed = after ? query.where((eb) => eb.or([eb(order.name, '>', after[0]), eb.and([eb(order.name, '=', after[0]), eb(order.id, '>', after[1])])])) : query;
      const result = page(await withListDetails(db, await keyed.limit(limit + 1).execute()), limit, (r) => [r.display_name, r.id]);
      return { data: result.data.map((r) => presentPersonListItem(r, actor, asOf)), nextCursor: result.nextCursor };
    },
  );

  app.post(
    '/api/v1/persons/likely-duplicates',
    {
      config: { access: can(personPolicy, 'create') },
      schema: {
        tags,
        summary: 'Before registering: people already registered who may be the same person (similar name in any script, same sex, birth within a year)',
        body: DuplicateCheckBody,
        response: withErrors({ 200: z.object({ data: z.array(z.object({ person: PersonListItemSchema, similarity: z.number(), birthGapYears: z.number().nullable() })) }) }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      const found = await likelyDuplicates(db, actor, asOf, request.body);
      return { data: found.map((f) => ({ person: presentPersonListItem(f.row, actor, asOf), similarity: Math.round(f.similarity * 1000) / 1000, birthGapYears: f.birthGap === null ? null : Math.round(f.birthGap * 10) / 10 })) };
    },
  );

  app.post(
    '/api/v1/persons',
    {
      config: { access: can(personPolicy, 'create') },
      schema: { tags, summary: 'Register a person (names in any script, birth date with its precision)', body: NewPersonSchema, response: withErrors({ 201: PersonSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const id = await db.transaction().execute(async (tx) => {
        const created = await registerPerson(tx, request.body, actor, asOf);
        await scheduleSweep(tx); // look for duplicates and tracing requests that name this person
        return created;
      });
      const person = await findVisiblePerson(db, actor, asOf, id);
      if (!person) throw notFound('person');
      return reply.status(201).send(presentPerson(await loadPersonDetails(db, actor, asOf, person), actor, asOf));
    },
  );

  app.get(
    '/api/v1/persons/:id',
    {
      config: { access: can(personPolicy, 'read') },
      schema: { tags, summary: "A person's page: identity, family, custody, legal status — as far as the caller may see", params: IdParams, response: withErrors({ 200: PersonSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const person = await findVisiblePerson(db, actor, asOf, request.params.id);
      if (!person) throw notFound('person');
      const child = couldBeUnder({ earliest: person.birth_earliest, latest: person.birth_latest }, 18, asOf);
      if (child || actor.role === 'embassy') {
        // Every read of a child's record is an event of the audit trail, and so is every read by an embassy (a share).
        const context = actor.role === 'embassy' ? { ip: request.ip, countryCode: actor.countryCode } : { ip: request.ip };
        await db.transaction().execute((tx) => recordAudit(tx, { action: 'person.read', entityType: 'person', entityId: person.id, actor, context }));
      }
      reply.header('etag', `"${person.version}"`);
      return presentPerson(await loadPersonDetails(db, actor, asOf, person), actor, asOf);
    },
  );

  app.patch(
    '/api/v1/persons/:id',
    {
      config: { access: can(personPolicy, 'update') },
      schema: { tags, summary: 'Change a person (If-Match: version); each part needs its role', params: IdParams, headers: IfMatchHeaders, body: UpdatePersonBody, response: withErrors({ 200: PersonSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await updatePerson(db, actor, asOf, request.params.id, expectedVersion(request.headers['if-match']), request.body);
      const person = await findVisiblePerson(db, actor, asOf, request.params.id);
      if (!person) throw notFound('person');
      return presentPerson(await loadPersonDetails(db, actor, asOf, person), actor, asOf);
    },
  );

  app.post(
    '/api/v1/persons/:id/merge',
    {
      config: { access: can(personPolicy, 'merge') },
      schema: {
        tags,
        summary: 'Merge a confirmed duplicate into this record (If-Match: this record\'s version); the merged record stays as history',
        params: IdParams,
        headers: IfMatchHeaders,
        body: MergeBody,
        response: withErrors({ 200: PersonSchema }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await mergePersons(db, actor, asOf, request.params.id, request.body.mergedId, expectedVersion(request.headers['if-match']), request.body.reason);
      const person = await findVisiblePerson(db, actor, asOf, request.params.id);
      if (!person) throw notFound('person');
      return presentPerson(await loadPersonDetails(db, actor, asOf, person), actor, asOf);
    },
  );
};
