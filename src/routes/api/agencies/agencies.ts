import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { invalid } from '../../../domain/errors.ts';
import { AgencyKindSchema, CountryCodeSchema } from '../../../domain/roles.ts';
import { agencyPolicy } from '../../../policies/agency.ts';
import { can } from '../../../policies/policy.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { ListQuery, decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { Text, withErrors } from '../schemas.ts';

const AgencySchema = z
  .object({ id: z.uuid(), name: z.string(), kind: AgencyKindSchema, countryCode: z.string().nullable(), version: z.number().int() })
  .meta({ id: 'Agency' });
const CreateAgencyBody = z.strictObject({ name: Text(200), kind: AgencyKindSchema, countryCode: CountryCodeSchema.optional() });
const tags = ['agencies'];

type AgencyRow = { id: string; name: string; kind: string; country_code: string | null; version: number };
const present = (a: AgencyRow) => ({ id: a.id, name: a.name, kind: a.kind as z.infer<typeof AgencySchema>['kind'], countryCode: a.country_code, version: a.version });

/** Ministries, missions and agencies whose people use Homeward. */
export const agencyRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/agencies',
    {
      config: { access: can(agencyPolicy, 'list') },
      schema: { tags, summary: 'List agencies by name', querystring: ListQuery, response: withErrors({ 200: listSchema(AgencySchema) }) },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string()]));
      let query = db.selectFrom('agencies').select(['id', 'name', 'kind', 'country_code', 'version']).orderBy('name').limit(limit + 1);
      if (after) query = query.where('name', '>', after[0]);
      const result = page(await query.execute(), limit, (a) => [a.name]);
      return { data: result.data.map(present), nextCursor: result.nextCursor };
    },
  );

  app.post(
    '/api/v1/agencies',
    {
      config: { access: can(agencyPolicy, 'create') },
      schema: { tags, summary: 'Create an agency (an embassy names its country)', body: CreateAgencyBody, response: withErrors({ 201: AgencySchema }) },
    },
    async (request, reply) => {
      const { name, kind, countryCode } = request.body;
      if ((kind === 'embassy') !== (countryCode !== undefined)) throw invalid('countryCode', 'is required for an embassy and only for one');
      const row = await db.transaction().execute(async (tx) => {
        if (countryCode && !(await tx.selectFrom('countries').select('code').where('code', '=', countryCode).executeTakeFirst())) {
          throw invalid('countryCode', `${countryCode} is not an ISO 3166 alpha-3 country code`);
        }
        const created = await tx
          .insertInto('agencies')
          .values({ name, kind, country_code: countryCode ?? null, updated_at: new Date() })
          .returning(['id', 'name', 'kind', 'country_code', 'version'])
          .executeTakeFirstOrThrow();
        await recordAudit(tx, { action: 'agency.created', entityType: 'agency', entityId: created.id, actor: actorOf(request), after: request.body });
        return created;
      });
      return reply.status(201).send(present(row));
    },
  );
};
