import { sql } from 'kysely';
import { z } from 'zod';
import { answerVerification } from '../../../commands/verificationAnswerer.ts';
import { sendVerificationRequest } from '../../../commands/verificationRequester.ts';
import type { Actor } from '../../../domain/actor.ts';
import { ageRange, type BirthDate, displayBirthDate, kindOf } from '../../../domain/birth-date.ts';
import { notFound } from '../../../domain/errors.ts';
import { isOverdue, type VerificationAnswer } from '../../../domain/identification.ts';
import { can } from '../../../policies/policy.ts';
import { verificationPolicy } from '../../../policies/verification.ts';
import { withListDetails } from '../../../repositories/person-search.ts';
import { selectVerificationItems, selectVerificationRequests, type VerificationRequestRow } from '../../../repositories/verification.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList, yesNo } from '../list-exports.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { AnswerBody, SendVerificationBody, VerificationListQuery, VerificationRequestDetailSchema, VerificationRequestSchema } from './schema.ts';

const tags = ['verification-requests'];

function present(r: VerificationRequestRow, asOf: string) {
  return {
    id: r.id,
    countryCode: r.country_code,
    note: r.note,
    dueOn: r.due_on,
    sentAt: r.sent_at.toISOString(),
    sentBy: r.sent_by_name,
    answeredAt: r.answered_at?.toISOString() ?? null,
    overdue: isOverdue({ dueOn: r.due_on, open: r.total - r.settled }, asOf),
    version: r.version,
    total: r.total,
    settled: r.settled,
    moreInformation: r.more_information,
  };
}

async function detail(db: Parameters<typeof selectVerificationRequests>[0], actor: Actor, id: string, asOf: string) {
  const request = await selectVerificationRequests(db, actor, asOf).where('vr.id', '=', id).executeTakeFirst();
  if (!request) throw notFound('verification request');
  const items = await withListDetails(db, await selectVerificationItems(db, actor, asOf, id).execute());
  return {
    ...present(request, asOf),
    items: items.map((p) => {
      const birth: BirthDate = { precision: p.birth_precision as BirthDate['precision'], earliest: p.birth_earliest, latest: p.birth_latest, text: p.birth_text ?? '' };
      return {
        // Identity only: what the mission needs to recognise its national, and nothing else.
        person: { id: p.id, displayName: p.display_name, latinName: p.latin_name ?? p.display_name, sex: p.sex, kind: kindOf(birth, asOf), birthDate: displayBirthDate(birth), age: ageRange(birth, asOf) },
        answer: p.answer as VerificationAnswer | null,
        evidence: p.evidence,
        answeredAt: p.answered_at?.toISOString() ?? null,
        answeredBy: p.answered_by_name,
      };
    }),
  };
}

type VerificationFilters = Pick<z.infer<typeof VerificationListQuery>, 'state' | 'countryCode'>;
const VerificationExportQuery = exportQueryOf(VerificationListQuery);

/** The list as the caller may see it, with its filters, newest first: the same rows for the page and the export. */
function listed(db: Parameters<typeof selectVerificationRequests>[0], actor: Actor, asOf: string, { state, countryCode }: VerificationFilters) {
  let query = selectVerificationRequests(db, actor, asOf).orderBy('vr.sent_at', 'desc').orderBy('vr.id', 'desc');
  if (countryCode) query = query.where('vr.country_code', '=', countryCode);
  if (state === 'answered') query = query.where('vr.answered_at', 'is not', null);
  if (state === 'open' || state === 'overdue') query = query.where('vr.answered_at', 'is', null);
  if (state === 'overdue') query = query.where('vr.due_on', '<', asOf);
  return query;
}

/** Nationality verification: the coordinator asks a mission; the embassy answers person by person. */
export const verificationRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/verification-requests',
    {
      config: { access: can(verificationPolicy, 'list') },
      schema: { tags, summary: 'Verification requests, newest first; an embassy sees its own country’s', querystring: VerificationListQuery, response: withErrors({ 200: listSchema(VerificationRequestSchema) }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      const { limit, cursor, ...filters } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string(), z.string()]));
      let query = listed(db, actor, asOf, filters).limit(limit + 1);
      if (after) query = query.where(sql<boolean>`(vr.sent_at, vr.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      const result = page(await query.execute(), limit, (r) => [r.sent_at.toISOString(), r.id]);
      return { data: result.data.map((r) => present(r, asOf)), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/verification-requests/export',
    {
      config: { access: can(verificationPolicy, 'list') },
      schema: { tags, summary: 'Export the verification requests the caller may see, with the list’s filters (CSV, XLSX or PDF); audited', querystring: VerificationExportQuery, response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, state, countryCode } = request.query;
      const rows = (await listed(db, actor, asOf, { state, countryCode }).limit(MAX_EXPORT_ROWS).execute()).map((r) => present(r, asOf));
      return sendAuditedList(db, reply, actor, {
        action: 'verification_requests.exported',
        format,
        filters: { state: state ?? null, countryCode: countryCode ?? null },
        title: 'Verification requests',
        filename: `homeward-verification-requests-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Country', value: (r) => r.countryCode, width: 7 },
          { header: 'Sent at (UTC)', value: (r) => r.sentAt, type: 'datetime', width: 18 },
          { header: 'Sent by', value: (r) => r.sentBy, width: 16 },
          { header: 'Due on', value: (r) => r.dueOn, type: 'date', width: 12 },
          { header: 'People', value: (r) => r.total, width: 7, align: 'left' },
          { header: 'Settled', value: (r) => r.settled, width: 7, align: 'left' },
          { header: 'More information asked', value: (r) => r.moreInformation, width: 16, align: 'left' },
          { header: 'Answered at (UTC)', value: (r) => r.answeredAt, type: 'datetime', width: 18 },
          { header: 'Overdue', value: (r) => yesNo(r.overdue), width: 7 },
          { header: 'Note', value: (r) => r.note, width: 32 },
        ],
      });
    },
  );

  app.get(
    '/api/v1/verification-requests/:id',
    {
      config: { access: can(verificationPolicy, 'read') },
      schema: { tags, summary: 'One request with each person and the mission’s answer', params: IdParams, response: withErrors({ 200: VerificationRequestDetailSchema }) },
    },
    async (request) => detail(db, actorOf(request), request.params.id, today()),
  );

  app.post(
    '/api/v1/verification-requests',
    {
      config: { access: can(verificationPolicy, 'send') },
      schema: { tags, summary: 'Ask a country’s mission to confirm the nationality of a list of people', body: SendVerificationBody, response: withErrors({ 201: VerificationRequestDetailSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const id = await db.transaction().execute((tx) => sendVerificationRequest(tx, request.body, actor, asOf));
      return reply.status(201).send(await detail(db, actor, id, asOf));
    },
  );

  app.post(
    '/api/v1/verification-requests/:id/answers',
    {
      config: { access: can(verificationPolicy, 'answer') },
      schema: { tags, summary: 'The mission’s answer for one person: confirmed national, not a national, or more information needed', params: IdParams, body: AnswerBody, response: withErrors({ 200: VerificationRequestDetailSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await db.transaction().execute((tx) => answerVerification(tx, request.params.id, request.body, actor, asOf));
      return detail(db, actor, request.params.id, asOf);
    },
  );
};
