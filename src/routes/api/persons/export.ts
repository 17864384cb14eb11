import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { visibleCategories } from '../../../domain/categories.ts';
import { can } from '../../../policies/policy.ts';
import { personPolicy, refuseHiddenFilters } from '../../../policies/person.ts';
import { presentPersonListItem } from '../../../presenters/person.ts';
import { searchPersons, withListDetails } from '../../../repositories/person-search.ts';
import { today } from '../../../registry/as-of.ts';
import { toCsv, toXlsx } from '../../../registry/export.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';
import { XLSX_TYPE } from '../imports/imports.ts';
import { PersonSearchQuery } from './schema.ts';

const MAX_EXPORT_ROWS = 100_000;
const ExportQuery = PersonSearchQuery.safeExtend({ format: z.enum(['csv', 'xlsx']).default('csv') });

/** Any registry search, exported as CSV or XLSX: the caller's scope and categories only, audited. */
export const exportRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/persons/export',
    {
      config: { access: can(personPolicy, 'list') },
      schema: { tags: ['persons'], summary: 'Export a registry search (CSV or XLSX), as far as the caller may see; audited', querystring: ExportQuery, response: withErrors({ 200: z.any().describe('the file: text/csv or xlsx') }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, limit: _limit, cursor: _cursor, ...search } = request.query;
      refuseHiddenFilters(actor, search);
      const rows = await withListDetails(ctx.database.db, await searchPersons(ctx.database.db, actor, asOf, search).query.limit(MAX_EXPORT_ROWS).execute());
      const items = rows.map((r) => presentPersonListItem(r, actor, asOf));
      const custody = visibleCategories(actor.role).has('custody');
      const header = ['id', 'name', 'latin_name', 'kind', 'sex', 'birth_date', 'age', 'nationalities', ...(custody ? ['facility'] : [])];
      const table = items.map((p) => [
        p.id,
        p.displayName,
        p.latinName,
        p.kind,
        p.sex,
        p.birthDate?.display,
        p.age ? (p.age.min === p.age.max ? p.age.min : `${p.age.min}-${p.age.max}`) : '',
        (p.nationalities ?? []).map((n) => n.countryCode).join(' '),
        ...(custody ? [p.currentFacility?.name ?? ''] : []),
      ]);
      await ctx.database.db.transaction().execute((tx) =>
        recordAudit(tx, { action: 'persons.exported', entityType: 'export', entityId: null, actor, context: { filters: search, format, rows: items.length } }),
      );
      const name = `homeward-registry-${asOf}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'xlsx') return reply.type(XLSX_TYPE).send(await toXlsx('Registry', header, table));
      return reply.type('text/csv; charset=utf-8').send(toCsv(header, table));
    },
  );
};
