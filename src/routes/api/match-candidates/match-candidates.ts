import { sql } from 'kysely';
import { z } from 'zod';
import { decideCandidate } from '../../../commands/candidateDecider.ts';
import type { Executor } from '../../../db/database.ts';
import type { Actor } from '../../../domain/actor.ts';
import { type BirthDate, displayBirthDate } from '../../../domain/birth-date.ts';
import { notFound } from '../../../domain/errors.ts';
import { matchCandidatePolicy } from '../../../policies/tracing.ts';
import { can } from '../../../policies/policy.ts';
import { type CandidateRow, selectCandidates } from '../../../repositories/match-candidates.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { ListQuery, decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList } from '../list-exports.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion } from '../versioning.ts';

const tags = ['match-candidates'];

const CandidateQuery = ListQuery.safeExtend({
  status: z.enum(['proposed', 'confirmed', 'rejected']).default('proposed'),
  kind: z.enum(['duplicate', 'tracing']).optional(),
  tracingRequestId: z.uuid().optional(),
  personId: z.uuid().optional(),
});
const DecisionBody = z.strictObject({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().min(1).max(2000).optional().describe('why: a person can check it later'),
});

const Side = z.object({ id: z.uuid(), displayName: z.string(), sex: z.string(), birthDate: z.string() });
const CandidateSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['duplicate', 'tracing']),
    status: z.enum(['proposed', 'confirmed', 'rejected']),
    probability: z.number(),
    person: Side,
    other: Side.nullable(),
    tracingRequest: z
      .object({ id: z.uuid(), countryCode: z.string(), status: z.string(), names: z.array(z.string()), sex: z.string(), birthDate: z.string().nullable(), motherName: z.string().nullable(), fatherName: z.string().nullable(), lastKnownPlace: z.string().nullable(), enquirer: z.object({ name: z.string(), relationship: z.string() }) })
      .nullable(),
    explanation: z.object({
      probability: z.number(),
      weight: z.number(),
      text: z.string(),
      fields: z.array(z.object({ field: z.string(), level: z.string(), left: z.string().nullable(), right: z.string().nullable(), weight: z.number(), text: z.string() })),
    }).describe('per field: what each side holds, how they compare, and the match weight in bits; "left" is the person, "right" the other side'),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    reason: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'MatchCandidate' });

const birth = (precision: string | null, earliest: string | null, latest: string | null, text: string | null) =>
  earliest && latest ? displayBirthDate({ precision: precision as BirthDate['precision'], earliest, latest, text: text ?? '' }) : '';

function present(c: CandidateRow) {
  return {
    id: c.id,
    kind: c.kind as 'duplicate' | 'tracing',
    status: c.status as 'proposed' | 'confirmed' | 'rejected',
    probability: c.probability,
    person: { id: c.person_id, displayName: c.person_name, sex: c.person_sex, birthDate: birth(c.person_birth_precision, c.person_birth_earliest, c.person_birth_latest, c.person_birth_text) },
    other: c.other_id ? { id: c.other_id, displayName: c.other_name ?? '', sex: c.other_sex ?? 'unknown', birthDate: birth(c.other_birth_precision, c.other_birth_earliest, c.other_birth_latest, c.other_birth_text) } : null,
    tracingRequest: c.tracing_id
      ? {
          id: c.tracing_id,
          countryCode: c.tracing_country ?? '',
          status: c.tracing_status ?? '',
          names: c.sought_names ?? [],
          sex: c.sought_sex ?? 'unknown',
          birthDate: c.sought_birth_text,
          motherName: c.tracing_mother,
          fatherName: c.tracing_father,
          lastKnownPlace: c.last_known_place,
          enquirer: { name: c.enquirer_name ?? '', relationship: c.enquirer_relationship ?? '' },
        }
      : null,
    explanation: c.explanation as z.infer<typeof CandidateSchema>['explanation'],
    decidedAt: c.decided_at?.toISOString() ?? null,
    decidedBy: c.decided_by_name,
    reason: c.reason,
    version: c.version,
  };
}

const CandidateExportQuery = exportQueryOf(CandidateQuery);
type CandidateFilters = Omit<z.infer<typeof CandidateQuery>, 'limit' | 'cursor'>;

/** The queue as the caller may see it, with its filters, most likely first: the same rows for the page and the export. */
function listed(db: Executor, actor: Actor, { status, kind, tracingRequestId, personId }: CandidateFilters) {
  let query = selectCandidates(db, actor, today()).where('mc.status', '=', status).orderBy('mc.probability', 'desc').orderBy('mc.id');
  if (kind) query = query.where('mc.kind', '=', kind);
  if (tracingRequestId) query = query.where('mc.tracing_request_id', '=', tracingRequestId);
  if (personId) query = query.where((eb) => eb.or([eb('mc.person_id', '=', personId), eb('mc.other_person_id', '=', personId)]));
  return query;
}

/** The review queue of the matching engine's proposals, each with its explanation. */
export const matchCandidateRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/match-candidates',
    {
      config: { access: can(matchCandidatePolicy, 'list') },
      schema: { tags, summary: 'Proposed (or decided) pairs, most likely first', querystring: CandidateQuery, response: withErrors({ 200: listSchema(CandidateSchema) }) },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.number(), z.string()]));
      let query = listed(db, actorOf(request), filters).limit(limit + 1);
      if (after) query = query.where(sql<boolean>`(mc.probability < ${after[0]} or (mc.probability = ${after[0]} and mc.id > ${after[1]}::uuid))`);
      const result = page(await query.execute(), limit, (c) => [c.probability, c.id]);
      return { data: result.data.map(present), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/match-candidates/export',
    {
      config: { access: can(matchCandidatePolicy, 'list') },
      schema: { tags, summary: 'Export the review queue as the caller may see it, with the list’s filters (CSV, XLSX or PDF); audited', querystring: CandidateExportQuery, response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, ...filters } = request.query;
      const rows = (await listed(db, actor, filters).limit(MAX_EXPORT_ROWS).execute()).map(present);
      return sendAuditedList(db, reply, actor, {
        action: 'match_candidates.exported',
        format,
        filters: { status: filters.status, kind: filters.kind ?? null, tracingRequestId: filters.tracingRequestId ?? null, personId: filters.personId ?? null },
        title: 'Match candidates',
        filename: `homeward-match-candidates-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Kind', value: (c) => c.kind, width: 9 },
          { header: 'Status', value: (c) => c.status, width: 9 },
          { header: 'Probability', value: (c) => Number(c.probability.toFixed(4)), width: 9, align: 'left' },
          { header: 'Person', value: (c) => c.person.displayName, width: 22 },
          { header: 'Sex', value: (c) => c.person.sex, pdf: false },
          { header: 'Birth date', value: (c) => c.person.birthDate, width: 10 },
          { header: 'Other record', value: (c) => c.other?.displayName, width: 22 },
          { header: 'Other birth date', value: (c) => c.other?.birthDate, width: 12 },
          { header: 'Sought (tracing)', value: (c) => c.tracingRequest?.names.join('; '), width: 22 },
          { header: 'Tracing country', value: (c) => c.tracingRequest?.countryCode, width: 11 },
          { header: 'Enquirer', value: (c) => c.tracingRequest && `${c.tracingRequest.enquirer.name} (${c.tracingRequest.enquirer.relationship})`, width: 20 },
          { header: 'Explanation', value: (c) => c.explanation.text, pdf: false },
          { header: 'Decided at (UTC)', value: (c) => c.decidedAt, type: 'datetime', width: 18 },
          { header: 'Decided by', value: (c) => c.decidedBy, width: 14 },
          { header: 'Reason', value: (c) => c.reason, pdf: false },
        ],
      });
    },
  );

  app.get(
    '/api/v1/match-candidates/:id',
    { config: { access: can(matchCandidatePolicy, 'list') }, schema: { tags, summary: 'One pair, side by side, with its explanation', params: IdParams, response: withErrors({ 200: CandidateSchema }) } },
    async (request) => {
      const row = await selectCandidates(db, actorOf(request), today()).where('mc.id', '=', request.params.id).executeTakeFirst();
      if (!row) throw notFound('match candidate');
      return present(row);
    },
  );

  app.post(
    '/api/v1/match-candidates/:id/decision',
    {
      config: { access: can(matchCandidatePolicy, 'decide') },
      schema: {
        tags,
        summary: 'Confirm (the same person: answers the tracing request, or marks the later registration a duplicate) or reject (never proposed again); If-Match: version',
        params: IdParams,
        headers: IfMatchHeaders,
        body: DecisionBody,
        response: withErrors({ 200: CandidateSchema }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await db.transaction().execute((tx) => decideCandidate(tx, request.params.id, request.body.decision, request.body.reason, expectedVersion(request.headers['if-match']), actor, asOf));
      return present(await selectCandidates(db, actor, asOf).where('mc.id', '=', request.params.id).executeTakeFirstOrThrow());
    },
  );
};
