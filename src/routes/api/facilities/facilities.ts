import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import type { Executor } from '../../../db/database.ts';
import { staleVersion } from '../../../commands/staleness.ts';
import { DomainError, forbidden, invalid, notFound } from '../../../domain/errors.ts';
import { facilityPolicy, mayManageFacility } from '../../../policies/facility.ts';
import { can } from '../../../policies/policy.ts';
import { type FacilityRow, selectFacilities } from '../../../repositories/facilities.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList, yesNo } from '../list-exports.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion } from '../versioning.ts';
import { CreateFacilityBody, FACILITY_KINDS, FacilityListQuery, FacilitySchema, UpdateFacilityBody } from './schema.ts';

const tags = ['facilities'];

function present(f: FacilityRow) {
  return {
    id: f.id,
    name: f.name,
    kind: f.kind as (typeof FACILITY_KINDS)[number],
    holdingAuthority: f.holding_authority,
    agency: f.agency_id ? { id: f.agency_id, name: f.agency_name ?? '' } : null,
    countryCode: f.country_code,
    capacity: f.capacity,
    occupancy: f.occupancy,
    overCapacity: f.occupancy > f.capacity,
    version: f.version,
  };
}

const FacilityExportQuery = exportQueryOf(FacilityListQuery);

/** The facilities by name, with the list's filters: the same rows for the page and the export. */
function listed(db: Executor, { kind, overCapacity }: Omit<z.infer<typeof FacilityListQuery>, 'limit' | 'cursor'>) {
  let query = selectFacilities(db).orderBy('f.name');
  if (kind) query = query.where('f.kind', '=', kind);
  if (overCapacity !== undefined) {
    const over = sql<boolean>`(select count(*) from custody_episodes ce where ce.facility_id = f.id and ce.released_on is null) > f.capacity`;
    query = query.where(overCapacity ? over : sql<boolean>`not ${over}`);
  }
  return query;
}

/** Prisons, juvenile facilities and camps, with occupancy derived from custody. */
export const facilityRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/facilities',
    {
      config: { access: can(facilityPolicy, 'list') },
      schema: { tags, summary: 'Facilities by name, with occupancy against capacity', querystring: FacilityListQuery, response: withErrors({ 200: listSchema(FacilitySchema) }) },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string()]));
      let query = listed(db, filters).limit(limit + 1);
      if (after) query = query.where('f.name', '>', after[0]);
      const result = page(await query.execute(), limit, (f) => [f.name]);
      return { data: result.data.map(present), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/facilities/export',
    {
      config: { access: can(facilityPolicy, 'list') },
      schema: { tags, summary: 'Export the facilities with their occupancy, with the list’s filters (CSV, XLSX or PDF); audited', querystring: FacilityExportQuery, response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, kind, overCapacity } = request.query;
      const rows = (await listed(db, { kind, overCapacity }).limit(MAX_EXPORT_ROWS).execute()).map(present);
      return sendAuditedList(db, reply, actor, {
        action: 'facilities.exported',
        format,
        filters: { kind: kind ?? null, overCapacity: overCapacity ?? null },
        title: 'Facilities',
        filename: `homeward-facilities-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Name', value: (f) => f.name, width: 26 },
          { header: 'Kind', value: (f) => f.kind, width: 14 },
          { header: 'Holding authority', value: (f) => f.holdingAuthority, width: 22 },
          { header: 'Agency', value: (f) => f.agency?.name, width: 22 },
          { header: 'Country', value: (f) => f.countryCode, width: 7 },
          { header: 'Capacity', value: (f) => f.capacity, width: 8, align: 'left' },
          { header: 'Occupancy', value: (f) => f.occupancy, width: 9, align: 'left' },
          { header: 'Over capacity', value: (f) => yesNo(f.overCapacity), width: 10 },
        ],
      });
    },
  );

  app.get(
    '/api/v1/facilities/:id',
    {
      config: { access: can(facilityPolicy, 'read') },
      schema: { tags, summary: 'One facility with its occupancy', params: IdParams, response: withErrors({ 200: FacilitySchema }) },
    },
    async (request, reply) => {
      const facility = await selectFacilities(db).where('f.id', '=', request.params.id).executeTakeFirst();
      if (!facility) throw notFound('facility');
      reply.header('etag', `"${facility.version}"`);
      return present(facility);
    },
  );

  app.post(
    '/api/v1/facilities',
    {
      config: { access: can(facilityPolicy, 'create') },
      schema: { tags, summary: 'Register a facility', body: CreateFacilityBody, response: withErrors({ 201: FacilitySchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const agencyId = body.agencyId ?? actor.agencyId;
      if (!mayManageFacility(actor, agencyId)) throw forbidden('a custody officer registers facilities of their own agency only');
      const id = await db.transaction().execute(async (tx) => {
        if (!(await tx.selectFrom('countries').select('code').where('code', '=', body.countryCode).executeTakeFirst())) {
          throw invalid('body.countryCode', `${body.countryCode} is not an ISO 3166 alpha-3 country code`);
        }
        if (agencyId && !(await tx.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst())) {
          throw invalid('body.agencyId', 'no such agency');
        }
        const row = await tx
          .insertInto('facilities')
          .values({ name: body.name, kind: body.kind, holding_authority: body.holdingAuthority, agency_id: agencyId, country_code: body.countryCode, capacity: body.capacity, updated_at: new Date() })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(tx, { action: 'facility.created', entityType: 'facility', entityId: row.id, actor, after: body });
        return row.id;
      });
      return reply.status(201).send(present(await selectFacilities(db).where('f.id', '=', id).executeTakeFirstOrThrow()));
    },
  );

  app.patch(
    '/api/v1/facilities/:id',
    {
      config: { access: can(facilityPolicy, 'update') },
      schema: { tags, summary: 'Change a facility (If-Match: version)', params: IdParams, headers: IfMatchHeaders, body: UpdateFacilityBody, response: withErrors({ 200: FacilitySchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const expected = expectedVersion(request.headers['if-match']);
      const { id } = request.params;
      await db.transaction().execute(async (tx) => {
        const current = await tx.selectFrom('facilities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!current) throw notFound('facility');
        if (!mayManageFacility(actor, current.agency_id)) throw forbidden('a custody officer changes facilities of their own agency only');
        if (current.version !== expected) throw await staleVersion(tx, 'facility', id, expected, current.version);
        const b = request.body;
        if (Object.values(b).every((v) => v === undefined)) throw new DomainError('invalid', 'nothing_to_change', 'the request changes nothing');
        await tx
          .updateTable('facilities')
          .set({
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(b.kind !== undefined ? { kind: b.kind } : {}),
            ...(b.holdingAuthority !== undefined ? { holding_authority: b.holdingAuthority } : {}),
            ...(b.capacity !== undefined ? { capacity: b.capacity } : {}),
            version: current.version + 1,
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .execute();
        await recordAudit(tx, {
          action: 'facility.updated',
          entityType: 'facility',
          entityId: id,
          actor,
          before: { name: current.name, kind: current.kind, holdingAuthority: current.holding_authority, capacity: current.capacity },
          after: b,
        });
      });
      return present(await selectFacilities(db).where('f.id', '=', id).executeTakeFirstOrThrow());
    },
  );
};
