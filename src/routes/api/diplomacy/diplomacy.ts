import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import {
  AGREEMENT_DOCUMENT_TYPES,
  MAX_AGREEMENT_DOCUMENT_BYTES,
  attachAgreementDocument,
  readAgreementDocument,
  recordAgreement,
  selectVisibleAgreements,
  updateAgreement,
} from '../../../commands/agreementRecorder.ts';
import { assertCountryVisible, countryScope } from '../../../commands/diplomacyScope.ts';
import { addActionItem, recordMeeting, selectActionItems, selectMeetings, updateActionItem, updateMeeting } from '../../../commands/meetingRecorder.ts';
import { acknowledgeNotification, readNotificationPdf, sendNotification, visibleNotification } from '../../../commands/notificationSender.ts';
import type { Executor } from '../../../db/database.ts';
import type { Actor } from '../../../domain/actor.ts';
import { inForceOn, isActionItemOverdue, parseCriteria } from '../../../domain/diplomacy.ts';
import { notFound } from '../../../domain/errors.ts';
import { diplomacyPolicy } from '../../../policies/diplomacy.ts';
import { can } from '../../../policies/policy.ts';
import { type AgreementRow, selectAgreements } from '../../../repositories/agreements.ts';
import { heldCountsByCountry } from '../../../repositories/nationals.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, encodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList, yesNo } from '../list-exports.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion } from '../versioning.ts';
import {
  AcknowledgeBody,
  ActionItemBody,
  ActionItemSchema,
  AgreementBody,
  AgreementSchema,
  CountryOverviewSchema,
  CountryParams,
  CountrySummarySchema,
  DiplomacyListQuery,
  MeetingBody,
  MeetingSchema,
  NotificationSchema,
  NotifyBody,
  OptionalIfMatch,
  UpdateActionItemBody,
  UpdateAgreementBody,
  UpdateMeetingBody,
} from './schema.ts';

const tags = ['countries'];

// ---- presenters ----------------------------------------------------------------------------

type NotificationRow = Awaited<ReturnType<typeof visibleNotification>> & { created_by_name?: string | null };

const presentNotification = (n: NotificationRow) => ({
  id: n.id,
  countryCode: n.country_code,
  sentOn: String(n.sent_on),
  acknowledgedOn: n.acknowledged_on ? String(n.acknowledged_on) : null,
  peopleCount: n.people_count,
  childrenCount: n.children_count,
  channel: n.channel,
  note: n.note,
  hasPdf: n.file_sha256 !== null,
  createdBy: n.created_by_name ?? null,
  createdAt: n.created_at.toISOString(),
  version: n.version,
});

type ItemRow = Awaited<ReturnType<ReturnType<typeof selectActionItems>['executeTakeFirstOrThrow']>>;
const presentItem = (i: ItemRow, asOf: string) => ({
  id: i.id,
  meetingId: i.meeting_id,
  description: i.description,
  owner: i.owner,
  dueOn: i.due_on ? String(i.due_on) : null,
  doneOn: i.done_on ? String(i.done_on) : null,
  overdue: isActionItemOverdue({ dueOn: i.due_on ? String(i.due_on) : null, doneOn: i.done_on ? String(i.done_on) : null }, asOf),
  version: i.version,
});

type MeetingRow = Awaited<ReturnType<ReturnType<typeof selectMeetings>['executeTakeFirstOrThrow']>>;
async function presentMeetings(db: Executor, actor: Actor, meetings: MeetingRow[], asOf: string) {
  const ids = meetings.map((m) => m.id);
  const items = ids.length
    ? await selectActionItems(db, actor).where('ai.meeting_id', 'in', ids).orderBy(sql`ai.due_on asc nulls last`).orderBy('ai.created_at').orderBy('ai.id').execute()
    : [];
  return meetings.map((m) => ({
    id: m.id,
    countryCode: m.country_code,
    heldOn: String(m.held_on),
    place: m.place,
    participants: m.participants,
    minutes: m.minutes,
    decisions: m.decisions,
    actionItems: items.filter((i) => i.meeting_id === m.id).map((i) => presentItem(i, asOf)),
    createdAt: m.created_at.toISOString(),
    version: m.version,
  }));
}

const presentAgreement = (a: AgreementRow, asOf: string) => ({
  id: a.id,
  countryCode: a.country_code,
  title: a.title,
  signedOn: a.signed_on,
  validFrom: a.valid_from,
  validUntil: a.valid_until,
  inForce: inForceOn({ validFrom: a.valid_from, validUntil: a.valid_until }, asOf),
  currency: a.currency,
  feePerChild: a.fee_per_child,
  feePerAdult: a.fee_per_adult,
  documentsRequired: a.documents_required,
  conditions: a.conditions,
  criteria: parseCriteria(a.criteria),
  signatories: a.signatories,
  dataCategories: a.data_categories,
  hasDocument: a.file_sha256 !== null,
  createdAt: a.created_at.toISOString(),
  version: a.version,
});

function selectNotifications(db: Executor, actor: Actor) {
  let query = db.selectFrom('country_notifications as n').leftJoin('users as u', 'u.id', 'n.created_by').selectAll('n').select(['u.display_name as created_by_name']);
  const scope = countryScope(actor);
  if (!scope.all) query = query.where('n.country_code', '=', scope.code ?? '');
  return query;
}

/** The one agreement in force today among those listed (latest valid_from wins, as agreementInForce). */
function inForceAmong(agreements: AgreementRow[], asOf: string) {
  return agreements.filter((a) => inForceOn({ validFrom: a.valid_from, validUntil: a.valid_until }, asOf)).sort((a, b) => (a.valid_from < b.valid_from ? 1 : a.valid_from > b.valid_from ? -1 : b.created_at.getTime() - a.created_at.getTime()))[0];
}

/** The countries the list shows (nationals held or diplomacy on record), as far as the caller may see, by code. */
async function summaryCodes(db: Executor, actor: Actor, asOf: string) {
  const scope = countryScope(actor);
  const held = await heldCountsByCountry(db, actor, asOf, scope.all ? undefined : (scope.code ?? '---'));
  const withRecords = await sql<{ code: string }>`
    select country_code as code from country_notifications union select country_code from country_meetings
    union select country_code from country_agreements union select country_code from missions`.execute(db);
  let codes = [...new Set([...held.keys(), ...withRecords.rows.map((r) => r.code)])].sort();
  if (!scope.all) codes = codes.filter((c) => c === scope.code);
  return { codes, held };
}

/** One row of the countries list per code: counts, mission, last notification, agreement in force, open action items. */
async function summariesOf(db: Executor, shown: readonly string[], held: Awaited<ReturnType<typeof heldCountsByCountry>>, asOf: string) {
  const [countries, missions, notifications, agreements, items] = await Promise.all([
    db.selectFrom('countries').selectAll().where('code', 'in', shown).execute(),
    db.selectFrom('missions').select(['country_code', 'residency', 'accredited_from']).where('country_code', 'in', shown).execute(),
    db
      .selectFrom('country_notifications')
      .select(['id', 'country_code', 'sent_on', 'acknowledged_on'])
      .distinctOn('country_code')
      .where('country_code', 'in', shown)
      .orderBy('country_code')
      .orderBy('sent_on', 'desc')
      .orderBy('created_at', 'desc')
      .execute(),
    selectAgreements(db).where('ag.country_code', 'in', shown).execute(),
    db
      .selectFrom('meeting_action_items as ai')
      .innerJoin('country_meetings as m', 'm.id', 'ai.meeting_id')
      .select(['m.country_code', sql<number>`count(*)::int`.as('open'), sql<number>`(count(*) filter (where ai.due_on < ${asOf}::date))::int`.as('overdue')])
      .where('ai.done_on', 'is', null)
      .where('m.country_code', 'in', shown)
      .groupBy('m.country_code')
      .execute(),
  ]);
  return shown.map((code) => {
    const c = countries.find((x) => x.code === code);
    const mission = missions.find((m) => m.country_code === code);
    const last = notifications.find((n) => n.country_code === code);
    const inForce = inForceAmong(agreements.filter((a) => a.country_code === code), asOf);
    const open = items.find((i) => i.country_code === code);
    return {
      code,
      names: { en: c?.name_en ?? code, ar: c?.name_ar ?? code, ru: c?.name_ru ?? code, fr: c?.name_fr ?? code },
      held: held.get(code) ?? { people: 0, children: 0 },
      mission: mission ? { residency: mission.residency, accreditedFrom: mission.accredited_from } : null,
      lastNotification: last ? { id: last.id, sentOn: String(last.sent_on), acknowledgedOn: last.acknowledged_on ? String(last.acknowledged_on) : null } : null,
      agreementInForce: inForce ? { id: inForce.id, title: inForce.title, currency: inForce.currency, feePerChild: inForce.fee_per_child, feePerAdult: inForce.fee_per_adult } : null,
      openActionItems: open?.open ?? 0,
      overdueActionItems: open?.overdue ?? 0,
    };
  });
}

/** A country's notifications, meetings and agreements as its lists show them, newest first: the same rows for the page and the export. */
const countryNotifications = (db: Executor, actor: Actor, code: string) =>
  selectNotifications(db, actor).where('n.country_code', '=', code).orderBy('n.sent_on', 'desc').orderBy('n.created_at', 'desc').orderBy('n.id', 'desc');
const countryMeetings = (db: Executor, actor: Actor, code: string) =>
  selectMeetings(db, actor).where('m.country_code', '=', code).orderBy('m.held_on', 'desc').orderBy('m.created_at', 'desc').orderBy('m.id', 'desc');
const countryAgreements = (db: Executor, actor: Actor, code: string) =>
  selectVisibleAgreements(db, actor).where('ag.country_code', '=', code).orderBy('ag.valid_from', 'desc').orderBy('ag.id', 'desc');

const criterionText = (c: ReturnType<typeof parseCriteria>[number]) =>
  `${c.kind === 'document_required' ? `document required: ${c.document}` : c.kind === 'max_age' ? `at most ${c.years} years old` : 'guardian is a relative'}${c.appliesTo ? ` (${c.appliesTo})` : ''}`;

const ifMatchOf = (headers: Record<string, unknown>) => {
  const value = headers['if-match'];
  return typeof value === 'string' ? expectedVersion(value) : null;
};

// ---- routes --------------------------------------------------------------------------------

/** Countries and diplomacy: what each country was told, agreed and asked to do. */
export const diplomacyRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/country-summaries',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: {
        tags,
        summary: 'Countries with nationals held or diplomacy on record: counts, mission, last notification, agreement in force; an embassy sees its own',
        querystring: DiplomacyListQuery,
        response: withErrors({ 200: listSchema(CountrySummarySchema) }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string()]));
      const { codes, held } = await summaryCodes(db, actor, asOf);
      const pageCodes = (after ? codes.filter((c) => c > after[0]) : codes).slice(0, limit + 1);
      const shown = pageCodes.slice(0, limit);
      if (shown.length === 0) return { data: [], nextCursor: null };
      const data = await summariesOf(db, shown, held, asOf);
      const more = pageCodes.length > limit;
      return { data, nextCursor: more ? encodeCursor([shown[shown.length - 1] as string]) : null };
    },
  );

  app.get(
    '/api/v1/country-summaries/export',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'Export the countries list as the caller may see it (CSV, XLSX or PDF); audited', querystring: exportQueryOf(DiplomacyListQuery), response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { codes, held } = await summaryCodes(db, actor, asOf);
      // Ordered as the countries page shows them: most people held first.
      const rows = (codes.length ? await summariesOf(db, codes.slice(0, MAX_EXPORT_ROWS), held, asOf) : []).sort((a, b) => b.held.people - a.held.people || a.code.localeCompare(b.code));
      return sendAuditedList(db, reply, actor, {
        action: 'country_summaries.exported',
        format: request.query.format,
        filters: {},
        title: 'Countries',
        filename: `homeward-countries-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Code', value: (c) => c.code, width: 6 },
          { header: 'Country', value: (c) => c.names.en, width: 18 },
          { header: 'People held', value: (c) => c.held.people, width: 9, align: 'left' },
          { header: 'Children held', value: (c) => c.held.children, width: 10, align: 'left' },
          { header: 'Mission', value: (c) => (c.mission ? (c.mission.residency === 'resident' ? 'resident' : `non-resident${c.mission.accreditedFrom ? ` (${c.mission.accreditedFrom})` : ''}`) : 'none'), width: 18 },
          { header: 'Last notified on', value: (c) => c.lastNotification?.sentOn, type: 'date', width: 12 },
          { header: 'Acknowledged on', value: (c) => c.lastNotification?.acknowledgedOn, type: 'date', width: 12 },
          { header: 'Agreement in force', value: (c) => c.agreementInForce?.title, width: 20 },
          { header: 'Currency', value: (c) => c.agreementInForce?.currency, width: 8 },
          { header: 'Fee per child', value: (c) => c.agreementInForce?.feePerChild, width: 10, align: 'left' },
          { header: 'Fee per adult', value: (c) => c.agreementInForce?.feePerAdult, width: 10, align: 'left' },
          { header: 'Open action items', value: (c) => c.openActionItems, width: 15, align: 'left' },
          { header: 'Overdue action items', value: (c) => c.overdueActionItems, width: 17, align: 'left' },
        ],
      });
    },
  );

  app.get(
    '/api/v1/countries/:code/overview',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'A country’s page: mission, nationals held, latest notifications and meetings, agreements, open action items', params: CountryParams, response: withErrors({ 200: CountryOverviewSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const { code } = request.params;
      assertCountryVisible(actor, code);
      const asOf = today();
      const country = await db.selectFrom('countries').selectAll().where('code', '=', code).executeTakeFirst();
      if (!country) throw notFound('country');
      const [mission, held, notifications, meetings, agreements, openItems] = await Promise.all([
        db.selectFrom('missions').selectAll().where('country_code', '=', code).executeTakeFirst(),
        heldCountsByCountry(db, actor, asOf, code),
        selectNotifications(db, actor).where('n.country_code', '=', code).orderBy('n.sent_on', 'desc').orderBy('n.created_at', 'desc').limit(5).execute(),
        selectMeetings(db, actor).where('m.country_code', '=', code).orderBy('m.held_on', 'desc').orderBy('m.created_at', 'desc').limit(5).execute(),
        selectVisibleAgreements(db, actor).where('ag.country_code', '=', code).orderBy('ag.valid_from', 'desc').orderBy('ag.created_at', 'desc').execute(),
        selectActionItems(db, actor).where('m.country_code', '=', code).where('ai.done_on', 'is', null).orderBy(sql`ai.due_on asc nulls last`).orderBy('ai.created_at').limit(100).execute(),
      ]);
      const inForce = inForceAmong(agreements, asOf);
      return {
        code,
        names: { en: country.name_en, ar: country.name_ar, ru: country.name_ru, fr: country.name_fr },
        mission: mission
          ? { residency: mission.residency, accreditedFrom: mission.accredited_from, address: mission.address, phone: mission.phone, email: mission.email, contactName: mission.contact_name, version: mission.version }
          : null,
        held: held.get(code) ?? { people: 0, children: 0 },
        notifications: notifications.map(presentNotification),
        meetings: await presentMeetings(db, actor, meetings, asOf),
        agreements: agreements.map((a) => presentAgreement(a, asOf)),
        agreementInForce: inForce ? presentAgreement(inForce, asOf) : null,
        openActionItems: openItems.map((i) => ({ ...presentItem(i, asOf), meetingHeldOn: String(i.meeting_held_on) })),
      };
    },
  );

  // ---- notifications -----------------------------------------------------------------------

  app.post(
    '/api/v1/countries/:code/notifications',
    {
      config: { access: can(diplomacyPolicy, 'notify') },
      schema: { tags, summary: 'Notify a country of its nationals held: generates the list as a PDF and records the date sent and the counts', params: CountryParams, body: NotifyBody, response: withErrors({ 201: NotificationSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const b = request.body;
      const id = await db.transaction().execute((tx) => sendNotification(tx, actor, request.params.code, { sentOn: b.sentOn ?? asOf, channel: b.channel, note: b.note }, asOf));
      const row = await selectNotifications(db, actor).where('n.id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).header('etag', `"${row.version}"`).send(presentNotification(row));
    },
  );

  app.get(
    '/api/v1/countries/:code/notifications',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'The notifications sent to a country, newest first', params: CountryParams, querystring: DiplomacyListQuery, response: withErrors({ 200: listSchema(NotificationSchema) }) },
    },
    async (request) => {
      const actor = actorOf(request);
      assertCountryVisible(actor, request.params.code);
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string(), z.string(), z.string()]));
      let query = countryNotifications(db, actor, request.params.code).limit(limit + 1);
      if (after) query = query.where(sql<boolean>`(n.sent_on, n.created_at, n.id) < (${after[0]}::date, ${after[1]}::timestamptz, ${after[2]}::uuid)`);
      const result = page(await query.execute(), limit, (n) => [String(n.sent_on), n.created_at.toISOString(), n.id]);
      return { data: result.data.map(presentNotification), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/countries/:code/notifications/export',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'Export the notifications sent to a country (CSV, XLSX or PDF); audited', params: CountryParams, querystring: exportQueryOf(DiplomacyListQuery), response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { code } = request.params;
      assertCountryVisible(actor, code);
      const asOf = today();
      const rows = (await countryNotifications(db, actor, code).limit(MAX_EXPORT_ROWS).execute()).map(presentNotification);
      return sendAuditedList(db, reply, actor, {
        action: 'notifications.exported',
        format: request.query.format,
        filters: { countryCode: code },
        title: `Notifications to ${code}`,
        filename: `homeward-notifications-${code}-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Sent on', value: (n) => n.sentOn, type: 'date', width: 12 },
          { header: 'People', value: (n) => n.peopleCount, width: 7, align: 'left' },
          { header: 'Children', value: (n) => n.childrenCount, width: 8, align: 'left' },
          { header: 'Channel', value: (n) => n.channel, width: 18 },
          { header: 'Acknowledged on', value: (n) => n.acknowledgedOn, type: 'date', width: 12 },
          { header: 'List on file', value: (n) => yesNo(n.hasPdf), width: 9 },
          { header: 'Sent by', value: (n) => n.createdBy, width: 18 },
          { header: 'Note', value: (n) => n.note, width: 40 },
        ],
      });
    },
  );

  app.get(
    '/api/v1/notifications/:id',
    { config: { access: can(diplomacyPolicy, 'read') }, schema: { tags, summary: 'One notification', params: IdParams, response: withErrors({ 200: NotificationSchema }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      await visibleNotification(db, actor, request.params.id);
      const row = await selectNotifications(db, actor).where('n.id', '=', request.params.id).executeTakeFirstOrThrow();
      reply.header('etag', `"${row.version}"`);
      return presentNotification(row);
    },
  );

  app.get(
    '/api/v1/notifications/:id/pdf',
    {
      config: { access: can(diplomacyPolicy, 'download') },
      schema: { tags, summary: 'The list of nationals held that was sent, as a PDF (audited as an export)', params: IdParams, response: withErrors({ 200: z.any().describe('the PDF') }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const file = await readNotificationPdf(db, actor, request.params.id);
      await db.transaction().execute((tx) =>
        recordAudit(tx, { action: 'notification.exported', entityType: 'country_notification', entityId: file.notification.id, actor, context: { countryCode: file.notification.country_code, sha256: file.sha256, people: file.notification.people_count } }),
      );
      const name = `nationals-${file.notification.country_code}-${String(file.notification.sent_on)}.pdf`;
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'private, no-store')
        .header('etag', `"${file.sha256}"`)
        .send(file.data);
    },
  );

  app.post(
    '/api/v1/notifications/:id/acknowledge',
    {
      config: { access: can(diplomacyPolicy, 'acknowledge') },
      schema: {
        tags,
        summary: 'The mission acknowledges the list (its embassy, or the coordinator on its behalf), with the date',
        params: IdParams,
        headers: OptionalIfMatch,
        body: AcknowledgeBody,
        response: withErrors({ 200: NotificationSchema }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await db.transaction().execute((tx) => acknowledgeNotification(tx, actor, request.params.id, request.body.acknowledgedOn, ifMatchOf(request.headers), asOf));
      return presentNotification(await selectNotifications(db, actor).where('n.id', '=', request.params.id).executeTakeFirstOrThrow());
    },
  );

  const meetingById = async (actor: Actor, id: string) => {
    const [meeting] = await presentMeetings(db, actor, await selectMeetings(db, actor).where('m.id', '=', id).execute(), today());
    if (!meeting) throw notFound('meeting');
    return meeting;
  };

  // ---- meetings ----------------------------------------------------------------------------

  app.post(
    '/api/v1/countries/:code/meetings',
    {
      config: { access: can(diplomacyPolicy, 'recordMeeting') },
      schema: { tags, summary: 'Record a meeting with a country’s delegation, with its decisions and action items', params: CountryParams, body: MeetingBody, response: withErrors({ 201: MeetingSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await db.transaction().execute((tx) => recordMeeting(tx, actor, request.params.code, request.body));
      const meeting = await meetingById(actor, id);
      return reply.status(201).header('etag', `"${meeting.version}"`).send(meeting);
    },
  );

  app.get(
    '/api/v1/countries/:code/meetings',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'Meetings with a country, newest first', params: CountryParams, querystring: DiplomacyListQuery, response: withErrors({ 200: listSchema(MeetingSchema) }) },
    },
    async (request) => {
      const actor = actorOf(request);
      assertCountryVisible(actor, request.params.code);
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string(), z.string(), z.string()]));
      let query = countryMeetings(db, actor, request.params.code).limit(limit + 1);
      if (after) query = query.where(sql<boolean>`(m.held_on, m.created_at, m.id) < (${after[0]}::date, ${after[1]}::timestamptz, ${after[2]}::uuid)`);
      const result = page(await query.execute(), limit, (m) => [String(m.held_on), m.created_at.toISOString(), m.id]);
      return { data: await presentMeetings(db, actor, result.data, today()), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/countries/:code/meetings/export',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'Export the meetings with a country, with their decisions and action items (CSV, XLSX or PDF); audited', params: CountryParams, querystring: exportQueryOf(DiplomacyListQuery), response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { code } = request.params;
      assertCountryVisible(actor, code);
      const asOf = today();
      const rows = await presentMeetings(db, actor, await countryMeetings(db, actor, code).limit(MAX_EXPORT_ROWS).execute(), asOf);
      const item = (i: (typeof rows)[number]['actionItems'][number]) =>
        [i.description, i.owner && `owner: ${i.owner}`, i.dueOn && `due ${i.dueOn}`, i.doneOn ? `done ${i.doneOn}` : i.overdue ? 'overdue' : 'open'].filter(Boolean).join(', ');
      return sendAuditedList(db, reply, actor, {
        action: 'meetings.exported',
        format: request.query.format,
        filters: { countryCode: code },
        title: `Meetings with ${code}`,
        filename: `homeward-meetings-${code}-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Held on', value: (m) => m.heldOn, type: 'date', width: 12 },
          { header: 'Place', value: (m) => m.place, width: 16 },
          { header: 'Participants', value: (m) => m.participants.join('; '), width: 24 },
          { header: 'Decisions', value: (m) => m.decisions.join('; '), width: 32 },
          { header: 'Action items', value: (m) => m.actionItems.map(item).join('; '), width: 40 },
          { header: 'Open action items', value: (m) => m.actionItems.filter((i) => !i.doneOn).length, width: 12, align: 'left' },
          { header: 'Minutes', value: (m) => m.minutes, pdf: false },
        ],
      });
    },
  );

  app.get(
    '/api/v1/meetings/:id',
    { config: { access: can(diplomacyPolicy, 'read') }, schema: { tags, summary: 'One meeting with its action items', params: IdParams, response: withErrors({ 200: MeetingSchema }) } },
    async (request, reply) => {
      const meeting = await meetingById(actorOf(request), request.params.id);
      reply.header('etag', `"${meeting.version}"`);
      return meeting;
    },
  );

  app.patch(
    '/api/v1/meetings/:id',
    {
      config: { access: can(diplomacyPolicy, 'recordMeeting') },
      schema: { tags, summary: 'Change a meeting’s record (If-Match: the version read)', params: IdParams, headers: IfMatchHeaders, body: UpdateMeetingBody, response: withErrors({ 200: MeetingSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      await db.transaction().execute((tx) => updateMeeting(tx, actor, request.params.id, request.body, expectedVersion(request.headers['if-match'])));
      return meetingById(actor, request.params.id);
    },
  );

  app.post(
    '/api/v1/meetings/:id/action-items',
    {
      config: { access: can(diplomacyPolicy, 'recordMeeting') },
      schema: { tags, summary: 'Add an action item to a meeting: what, who, by when', params: IdParams, body: ActionItemBody, response: withErrors({ 201: ActionItemSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await db.transaction().execute((tx) => addActionItem(tx, actor, request.params.id, request.body));
      const item = await selectActionItems(db, actor).where('ai.id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).header('etag', `"${item.version}"`).send(presentItem(item, today()));
    },
  );

  app.patch(
    '/api/v1/action-items/:id',
    {
      config: { access: can(diplomacyPolicy, 'recordMeeting') },
      schema: { tags, summary: 'Change an action item or mark it done (doneOn) or open again (doneOn: null); If-Match: the version read', params: IdParams, headers: IfMatchHeaders, body: UpdateActionItemBody, response: withErrors({ 200: ActionItemSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await db.transaction().execute((tx) => updateActionItem(tx, actor, request.params.id, request.body, expectedVersion(request.headers['if-match']), asOf));
      return presentItem(await selectActionItems(db, actor).where('ai.id', '=', request.params.id).executeTakeFirstOrThrow(), asOf);
    },
  );

  // ---- agreements --------------------------------------------------------------------------

  app.post(
    '/api/v1/countries/:code/agreements',
    {
      config: { access: can(diplomacyPolicy, 'recordAgreement') },
      schema: { tags, summary: 'Record an agreement with a country: fees, documents, conditions, validity, extra eligibility criteria', params: CountryParams, body: AgreementBody, response: withErrors({ 201: AgreementSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const id = await db.transaction().execute((tx) => recordAgreement(tx, actor, request.params.code, request.body, asOf));
      const row = await selectVisibleAgreements(db, actor).where('ag.id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).header('etag', `"${row.version}"`).send(presentAgreement(row, asOf));
    },
  );

  app.get(
    '/api/v1/countries/:code/agreements',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'A country’s agreements, latest first', params: CountryParams, querystring: DiplomacyListQuery, response: withErrors({ 200: listSchema(AgreementSchema) }) },
    },
    async (request) => {
      const actor = actorOf(request);
      assertCountryVisible(actor, request.params.code);
      const asOf = today();
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string(), z.string()]));
      let query = countryAgreements(db, actor, request.params.code).limit(limit + 1);
      if (after) query = query.where(sql<boolean>`(ag.valid_from, ag.id) < (${after[0]}::date, ${after[1]}::uuid)`);
      const result = page(await query.execute(), limit, (a) => [a.valid_from, a.id]);
      return { data: result.data.map((a) => presentAgreement(a, asOf)), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/countries/:code/agreements/export',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'Export a country’s agreements: fees, documents, conditions, validity (CSV, XLSX or PDF); audited', params: CountryParams, querystring: exportQueryOf(DiplomacyListQuery), response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { code } = request.params;
      assertCountryVisible(actor, code);
      const asOf = today();
      const rows = (await countryAgreements(db, actor, code).limit(MAX_EXPORT_ROWS).execute()).map((a) => presentAgreement(a, asOf));
      return sendAuditedList(db, reply, actor, {
        action: 'agreements.exported',
        format: request.query.format,
        filters: { countryCode: code },
        title: `Agreements with ${code}`,
        filename: `homeward-agreements-${code}-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Title', value: (a) => a.title, width: 24 },
          { header: 'Signed on', value: (a) => a.signedOn, type: 'date', width: 12 },
          { header: 'Valid from', value: (a) => a.validFrom, type: 'date', width: 12 },
          { header: 'Valid until', value: (a) => a.validUntil, type: 'date', width: 12 },
          { header: 'In force', value: (a) => yesNo(a.inForce), width: 7 },
          { header: 'Currency', value: (a) => a.currency, width: 8 },
          { header: 'Fee per child', value: (a) => a.feePerChild, width: 10, align: 'left' },
          { header: 'Fee per adult', value: (a) => a.feePerAdult, width: 10, align: 'left' },
          { header: 'Documents required', value: (a) => a.documentsRequired.join('; '), width: 18 },
          { header: 'Extra criteria', value: (a) => a.criteria.map(criterionText).join('; '), width: 24 },
          { header: 'Conditions', value: (a) => a.conditions, width: 24 },
          { header: 'Document on file', value: (a) => yesNo(a.hasDocument), width: 12 },
        ],
      });
    },
  );

  const agreementById = async (actor: Actor, id: string) => {
    const row = await selectVisibleAgreements(db, actor).where('ag.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('agreement');
    return presentAgreement(row, today());
  };

  app.get(
    '/api/v1/agreements/:id',
    { config: { access: can(diplomacyPolicy, 'read') }, schema: { tags, summary: 'One agreement', params: IdParams, response: withErrors({ 200: AgreementSchema }) } },
    async (request, reply) => {
      const agreement = await agreementById(actorOf(request), request.params.id);
      reply.header('etag', `"${agreement.version}"`);
      return agreement;
    },
  );

  app.patch(
    '/api/v1/agreements/:id',
    {
      config: { access: can(diplomacyPolicy, 'recordAgreement') },
      schema: { tags, summary: 'Change an agreement (If-Match: the version read)', params: IdParams, headers: IfMatchHeaders, body: UpdateAgreementBody, response: withErrors({ 200: AgreementSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      await db.transaction().execute((tx) => updateAgreement(tx, actor, request.params.id, request.body, expectedVersion(request.headers['if-match']), today()));
      return agreementById(actor, request.params.id);
    },
  );

  // The scanned agreement travels as the raw file; its parsers live in this scope only.
  app.register(async (scoped) => {
    for (const type of AGREEMENT_DOCUMENT_TYPES) {
      if (!scoped.hasContentTypeParser(type)) scoped.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_AGREEMENT_DOCUMENT_BYTES }, (_request, body, done) => done(null, body));
    }
    const api = scoped as unknown as typeof app;
    api.put(
      '/api/v1/agreements/:id/document',
      {
        bodyLimit: MAX_AGREEMENT_DOCUMENT_BYTES,
        config: { access: can(diplomacyPolicy, 'recordAgreement') },
        schema: {
          tags,
          summary: 'Attach the scanned agreement (body: the file, Content-Type application/pdf, image/jpeg or image/png; at most 10 MB; If-Match: the version read)',
          params: IdParams,
          headers: IfMatchHeaders,
          response: withErrors({ 200: AgreementSchema }),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const body = request.body;
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        if (!Buffer.isBuffer(body) || !(AGREEMENT_DOCUMENT_TYPES as readonly string[]).includes(type)) {
          throw Object.assign(new Error('send the scanned agreement itself: a PDF, JPEG or PNG file'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
        }
        await db.transaction().execute((tx) => attachAgreementDocument(tx, actor, request.params.id, body, type, expectedVersion(request.headers['if-match'])));
        return agreementById(actor, request.params.id);
      },
    );
  });

  app.get(
    '/api/v1/agreements/:id/document',
    {
      config: { access: can(diplomacyPolicy, 'read') },
      schema: { tags, summary: 'The scanned agreement (audited)', params: IdParams, response: withErrors({ 200: z.any().describe('the file') }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const file = await readAgreementDocument(db, actor, request.params.id);
      await db.transaction().execute((tx) => recordAudit(tx, { action: 'agreement.document_read', entityType: 'agreement', entityId: file.agreement.id, actor, context: { sha256: file.sha256 } }));
      return reply.type(file.contentType).header('cache-control', 'private, no-store').header('etag', `"${file.sha256}"`).send(file.data);
    },
  );
};
