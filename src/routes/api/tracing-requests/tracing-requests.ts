import { sql } from 'kysely';
import { z } from 'zod';
import { closeTracingRequest, fileTracingRequest } from '../../../commands/tracingFiler.ts';
import type { Executor } from '../../../db/database.ts';
import type { Actor } from '../../../domain/actor.ts';
import { notFound } from '../../../domain/errors.ts';
import { can } from '../../../policies/policy.ts';
import { tracingPolicy } from '../../../policies/tracing.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList } from '../list-exports.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { CloseBody, TracingListQuery, TracingRequestBody, TracingRequestSchema } from './schema.ts';

const tags = ['tracing-requests'];

/** Tracing requests as far as the caller may see: an embassy its own country's. */
function selectTracing(db: Executor, actor: Actor) {
  let query = db
    .selectFrom('tracing_requests as t')
    .selectAll('t')
    .select(sql<number>`(select count(*)::int from match_candidates mc where mc.tracing_request_id = t.id and mc.status = 'proposed')`.as('proposed'));
  if (actor.role === 'embassy') query = query.where('t.country_code', '=', actor.countryCode ?? '');
  else if (actor.role !== 'coordinator') query = query.where(sql<boolean>`false`);
  return query;
}
type TracingRow = Awaited<ReturnType<ReturnType<typeof selectTracing>['executeTakeFirstOrThrow']>>;

const present = (t: TracingRow) => ({
  id: t.id,
  countryCode: t.country_code,
  status: t.status as 'open' | 'found' | 'closed',
  sought: { names: t.sought_names, sex: t.sought_sex, birthDate: t.sought_birth_text, motherName: t.mother_name, fatherName: t.father_name, lastKnownPlace: t.last_known_place },
  enquirer: { name: t.enquirer_name, relationship: t.enquirer_relationship, contact: t.enquirer_contact },
  notes: t.notes,
  foundPersonId: t.found_person_id,
  closed: t.closed_at ? { at: t.closed_at.toISOString(), reason: t.closed_reason ?? '' } : null,
  proposedCandidates: t.proposed,
  createdAt: t.created_at.toISOString(),
  version: t.version,
});

const TracingExportQuery = exportQueryOf(TracingListQuery);

/** The list as the caller may see it, with its filter, newest first: the same rows for the page and the export. */
function listed(db: Executor, actor: Actor, status: z.infer<typeof TracingListQuery>['status']) {
  const query = selectTracing(db, actor).orderBy('t.created_at', 'desc').orderBy('t.id', 'desc');
  return status ? query.where('t.status', '=', status) : query;
}

/** Families looking for someone, through their embassy or the coordinator. */
export const tracingRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/tracing-requests',
    { config: { access: can(tracingPolicy, 'list') }, schema: { tags, summary: 'Tracing requests, newest first', querystring: TracingListQuery, response: withErrors({ 200: listSchema(TracingRequestSchema) }) } },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string(), z.string()]));
      let query = listed(db, actorOf(request), status).limit(limit + 1);
      if (after) query = query.where(sql<boolean>`(t.created_at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      const result = page(await query.execute(), limit, (t) => [t.created_at.toISOString(), t.id]);
      return { data: result.data.map(present), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/tracing-requests/export',
    {
      config: { access: can(tracingPolicy, 'list') },
      schema: { tags, summary: 'Export the tracing requests the caller may see, with the list’s filter (CSV, XLSX or PDF); audited', querystring: TracingExportQuery, response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, status } = request.query;
      const rows = (await listed(db, actor, status).limit(MAX_EXPORT_ROWS).execute()).map(present);
      return sendAuditedList(db, reply, actor, {
        action: 'tracing_requests.exported',
        format,
        filters: { status: status ?? null },
        title: 'Tracing requests',
        filename: `homeward-tracing-requests-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Sought', value: (r) => r.sought.names.join('; '), width: 24 },
          { header: 'Country', value: (r) => r.countryCode, width: 7 },
          { header: 'Sex', value: (r) => r.sought.sex, width: 7 },
          { header: 'Birth date', value: (r) => r.sought.birthDate, width: 10 },
          { header: 'Mother', value: (r) => r.sought.motherName, width: 14 },
          { header: 'Father', value: (r) => r.sought.fatherName, width: 14 },
          { header: 'Last known place', value: (r) => r.sought.lastKnownPlace, width: 14 },
          { header: 'Enquirer', value: (r) => r.enquirer.name, width: 16 },
          { header: 'Relationship', value: (r) => r.enquirer.relationship, width: 11 },
          { header: 'Contact', value: (r) => r.enquirer.contact, pdf: false },
          { header: 'Filed at (UTC)', value: (r) => r.createdAt, type: 'datetime', width: 18 },
          { header: 'Status', value: (r) => r.status, width: 7 },
          { header: 'Proposed matches', value: (r) => r.proposedCandidates, width: 12, align: 'left' },
          { header: 'Closed at (UTC)', value: (r) => r.closed?.at, type: 'datetime', pdf: false },
          { header: 'Closing reason', value: (r) => r.closed?.reason, pdf: false },
          { header: 'Notes', value: (r) => r.notes, pdf: false },
        ],
      });
    },
  );

  app.get(
    '/api/v1/tracing-requests/:id',
    { config: { access: can(tracingPolicy, 'read') }, schema: { tags, summary: 'One tracing request', params: IdParams, response: withErrors({ 200: TracingRequestSchema }) } },
    async (request) => {
      const row = await selectTracing(db, actorOf(request)).where('t.id', '=', request.params.id).executeTakeFirst();
      if (!row) throw notFound('tracing request');
      return present(row);
    },
  );

  app.post(
    '/api/v1/tracing-requests',
    {
      config: { access: can(tracingPolicy, 'file') },
      schema: { tags, summary: 'File a tracing request; candidates are looked for in the background', body: TracingRequestBody, response: withErrors({ 201: TracingRequestSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await db.transaction().execute((tx) => fileTracingRequest(tx, request.body, actor, today()));
      return reply.status(201).send(present(await selectTracing(db, actor).where('t.id', '=', id).executeTakeFirstOrThrow()));
    },
  );

  app.post(
    '/api/v1/tracing-requests/:id/close',
    { config: { access: can(tracingPolicy, 'close') }, schema: { tags, summary: 'Close a tracing request without a match, with a reason', params: IdParams, body: CloseBody, response: withErrors({ 200: TracingRequestSchema }) } },
    async (request) => {
      const actor = actorOf(request);
      await db.transaction().execute((tx) => closeTracingRequest(tx, request.params.id, request.body.reason, actor));
      return present(await selectTracing(db, actor).where('t.id', '=', request.params.id).executeTakeFirstOrThrow());
    },
  );
};
