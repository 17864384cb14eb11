import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { visibleCategories } from '../../../domain/categories.ts';
import { can } from '../../../policies/policy.ts';
import { personPolicy, refuseHiddenFilters } from '../../../policies/person.ts';
import { presentPersonListItem } from '../../../presenters/person.ts';
import { inSearchPlan, searchPersons, withListDetails } from '../../../repositories/person-search.ts';
import { today } from '../../../registry/as-of.ts';
import { toCsv, toXlsx } from '../../../registry/export.ts';
import { listPdf } from '../../../reports/list-export.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';
import { XLSX_TYPE } from '../imports/imports.ts';
import { PersonSearchQuery } from './schema.ts';

const MAX_EXPORT_ROWS = 100_000;
const ExportQuery = PersonSearchQuery.safeExtend({ format: z.enum(['csv', 'xlsx', 'pdf']).default('csv') });

/** Any registry search, exported as CSV, XLSX or PDF: the caller's scope and categories only, audited. */
export const exportRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/persons/export',
    {
      config: { access: can(personPolicy, 'list') },
      schema: { tags: ['persons'], summary: 'Export a registry search (CSV, XLSX or PDF), as far as the caller may see; audited', querystring: ExportQuery, response: withErrors({ 200: z.any().describe('the file: text/csv, xlsx or pdf') }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, limit: _limit, cursor: _cursor, ...search } = request.query;
      refuseHiddenFilters(actor, search);
      const rows = await inSearchPlan(ctx.database.db, search, { offset: 0, limit: MAX_EXPORT_ROWS }, async (tx, run) => withListDetails(tx, await searchPersons(tx, actor, asOf, search, run).query.limit(MAX_EXPORT_ROWS).execute()));
      const items = rows.map((r) => presentPersonListItem(r, actor, asOf));
      const custody = visibleCategories(actor.role, actor.sharedCategories).has('custody');
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
      if (format === 'pdf') {
        const wide = new Set(['id', 'name', 'latin_name', 'facility']);
        return reply.type('application/pdf').send(await listPdf({ title: 'Registry', filename: name, asOf, rows: table, columns: header.map((h, i) => ({ header: h, value: (r: (typeof table)[number]) => r[i], width: wide.has(h) ? 3 : 1 })) }));
      }
      if (format === 'xlsx') return reply.type(XLSX_TYPE).send(await toXlsx('Registry', header, table));
      return reply.type('text/csv; charset=utf-8').send(toCsv(header, table));
    },
  );
};
