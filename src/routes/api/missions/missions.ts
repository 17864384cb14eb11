import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { staleVersion } from '../../../commands/staleness.ts';
import type { Actor } from '../../../domain/actor.ts';
import { DomainError, invalid, notFound } from '../../../domain/errors.ts';
import { MISSION_RESIDENCIES } from '../../../domain/identification.ts';
import { can } from '../../../policies/policy.ts';
import { missionPolicy } from '../../../policies/verification.ts';
import type { Executor } from '../../../db/database.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { ListQuery, decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList } from '../list-exports.ts';
import { withErrors } from '../schemas.ts';
import { expectedVersion } from '../versioning.ts';

const tags = ['missions'];
const CountryParams = z.strictObject({ countryCode: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code, e.g. TJK') });
const text = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

const MissionBody = z
  .strictObject({
    residency: z.enum(MISSION_RESIDENCIES).describe('resident: an embassy in this country; non_resident: accredited from abroad'),
    accreditedFrom: text(200).describe('for a non-resident mission: where it is accredited from, e.g. "Embassy in Amman"'),
    agencyId: z.uuid().nullable().optional().describe('the embassy agency in Homeward whose users answer for the mission'),
    address: text(500),
    phone: text(100),
    email: z.email().max(200).nullable().optional(),
    contactName: text(200),
    notes: text(2000),
  })
  .refine((b) => b.residency === 'non_resident' || !b.accreditedFrom, { message: 'only for a non-resident mission', path: ['accreditedFrom'] });

const MissionSchema = z
  .object({
    countryCode: z.string(),
    residency: z.enum(MISSION_RESIDENCIES),
    accreditedFrom: z.string().nullable(),
    agency: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    contactName: z.string().nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Mission' });

function selectMissions(db: Executor, actor: Actor) {
  let query = db.selectFrom('missions as m').leftJoin('agencies as a', 'a.id', 'm.agency_id').selectAll('m').select(['a.name as agency_name']);
  if (actor.role === 'embassy') query = query.where('m.country_code', '=', actor.countryCode ?? '');
  return query;
}
type MissionRow = Awaited<ReturnType<ReturnType<typeof selectMissions>['executeTakeFirstOrThrow']>>;

const MissionExportQuery = exportQueryOf(ListQuery);

const present = (m: MissionRow) => ({
  countryCode: m.country_code,
  residency: m.residency as (typeof MISSION_RESIDENCIES)[number],
  accreditedFrom: m.accredited_from,
  agency: m.agency_id ? { id: m.agency_id, name: m.agency_name ?? '' } : null,
  address: m.address,
  phone: m.phone,
  email: m.email,
  contactName: m.contact_name,
  notes: m.notes,
  version: m.version,
});

/** Each country's mission to the host state: resident or not, and how to reach it. */
export const missionRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/missions',
    {
      config: { access: can(missionPolicy, 'list') },
      schema: { tags, summary: 'Missions by country; an embassy sees its own', querystring: ListQuery, response: withErrors({ 200: listSchema(MissionSchema) }) },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string()]));
      let query = selectMissions(db, actorOf(request)).orderBy('m.country_code').limit(limit + 1);
      if (after) query = query.where('m.country_code', '>', after[0]);
      const result = page(await query.execute(), limit, (m) => [m.country_code]);
      return { data: result.data.map(present), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/missions/export',
    {
      config: { access: can(missionPolicy, 'list') },
      schema: { tags, summary: 'Export the missions the caller may see (CSV, XLSX or PDF); audited', querystring: MissionExportQuery, response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format } = request.query;
      const rows = (await selectMissions(db, actor).orderBy('m.country_code').limit(MAX_EXPORT_ROWS).execute()).map(present);
      return sendAuditedList(db, reply, actor, {
        action: 'missions.exported',
        format,
        filters: {},
        title: 'Missions',
        filename: `homeward-missions-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Country', value: (m) => m.countryCode, width: 7 },
          { header: 'Residency', value: (m) => (m.residency === 'resident' ? 'resident' : 'non-resident'), width: 11 },
          { header: 'Accredited from', value: (m) => m.accreditedFrom, width: 18 },
          { header: 'Agency', value: (m) => m.agency?.name, width: 18 },
          { header: 'Contact', value: (m) => m.contactName, width: 16 },
          { header: 'Phone', value: (m) => m.phone, width: 14 },
          { header: 'Email', value: (m) => m.email, width: 20 },
          { header: 'Address', value: (m) => m.address, width: 26 },
          { header: 'Notes', value: (m) => m.notes, width: 22 },
        ],
      });
    },
  );

  app.get(
    '/api/v1/missions/:countryCode',
    { config: { access: can(missionPolicy, 'list') }, schema: { tags, summary: 'One country’s mission', params: CountryParams, response: withErrors({ 200: MissionSchema }) } },
    async (request, reply) => {
      const mission = await selectMissions(db, actorOf(request)).where('m.country_code', '=', request.params.countryCode).executeTakeFirst();
      if (!mission) throw notFound('mission');
      reply.header('etag', `"${mission.version}"`);
      return present(mission);
    },
  );

  app.put(
    '/api/v1/missions/:countryCode',
    {
      config: { access: can(missionPolicy, 'update') },
      schema: {
        tags,
        summary: 'Record or change a country’s mission (If-Match: version when it exists)',
        params: CountryParams,
        headers: z.object({ 'if-match': z.string().regex(/^(W\/)?"?\d+"?$/).optional() }),
        body: MissionBody,
        response: withErrors({ 200: MissionSchema }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { countryCode } = request.params;
      const b = request.body;
      await db.transaction().execute(async (tx) => {
        if (!(await tx.selectFrom('countries').select('code').where('code', '=', countryCode).executeTakeFirst())) {
          throw invalid('params.countryCode', `${countryCode} is not an ISO 3166 alpha-3 country code`);
        }
        if (b.agencyId) {
          const agency = await tx.selectFrom('agencies').select(['kind', 'country_code']).where('id', '=', b.agencyId).executeTakeFirst();
          if (!agency) throw invalid('body.agencyId', 'no such agency');
          if (agency.kind !== 'embassy' || agency.country_code !== countryCode) throw invalid('body.agencyId', `is not the embassy of ${countryCode}`);
        }
        const current = await tx.selectFrom('missions').selectAll().where('country_code', '=', countryCode).forUpdate().executeTakeFirst();
        const values = {
          residency: b.residency,
          accredited_from: b.accreditedFrom ?? null,
          agency_id: b.agencyId ?? null,
          address: b.address ?? null,
          phone: b.phone ?? null,
          email: b.email ?? null,
          contact_name: b.contactName ?? null,
          notes: b.notes ?? null,
          updated_at: new Date(),
        };
        if (current) {
          const ifMatch = request.headers['if-match'];
          if (!ifMatch) throw new DomainError('stale', 'version_required', 'the mission is already recorded: send If-Match with the version you read');
          const expected = expectedVersion(ifMatch);
          if (current.version !== expected) throw await staleVersion(tx, 'mission', countryCode, expected, current.version);
          await tx.updateTable('missions').set({ ...values, version: current.version + 1 }).where('country_code', '=', countryCode).execute();
          await recordAudit(tx, { action: 'mission.updated', entityType: 'mission', entityId: countryCode, actor, before: { ...current, created_at: undefined, updated_at: undefined }, after: b });
        } else {
          await tx.insertInto('missions').values({ country_code: countryCode, ...values }).execute();
          await recordAudit(tx, { action: 'mission.created', entityType: 'mission', entityId: countryCode, actor, after: b });
        }
      });
      return present(await selectMissions(db, actor).where('m.country_code', '=', countryCode).executeTakeFirstOrThrow());
    },
  );
};
