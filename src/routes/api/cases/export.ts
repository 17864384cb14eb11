import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { CASE_STATES } from '../../../domain/case-machine.ts';
import { casePolicy } from '../../../policies/case.ts';
import { can } from '../../../policies/policy.ts';
import { presentCaseSummary } from '../../../presenters/case.ts';
import { caseVisibleTo, visibleMembers } from '../../../repositories/cases.ts';
import { today } from '../../../registry/as-of.ts';
import { ListFormatParam, sendList } from '../../../reports/list-export.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';
import { CaseListQuery } from './schema.ts';

const MAX_EXPORT_ROWS = 100_000;
const CaseExportQuery = z.strictObject({ format: ListFormatParam, state: CaseListQuery.shape.state, countryCode: CaseListQuery.shape.countryCode });

/** The cases list as CSV, XLSX or PDF: the same scope as GET /api/v1/cases (caseVisibleTo, visible members only), audited. */
export const caseExportRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.get(
    '/api/v1/cases/export',
    {
      config: { access: can(casePolicy, 'list') },
      schema: { tags: ['cases'], summary: 'Export the cases the caller may see (CSV, XLSX or PDF); audited', querystring: CaseExportQuery, response: withErrors({ 200: z.any().describe('the file: text/csv, xlsx or pdf') }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, state, countryCode } = request.query;
      let query = db.selectFrom('cases as c').selectAll('c').where(caseVisibleTo(actor, asOf));
      if (state) query = query.where('c.state', '=', state);
      if (countryCode) query = query.where('c.country_code', '=', countryCode);
      const rows = await query.orderBy('c.state_changed_at', 'desc').orderBy('c.id', 'desc').limit(MAX_EXPORT_ROWS).execute();
      const members = await visibleMembers(db, actor, asOf, rows.map((r) => r.id));
      const byCase = new Map<string, typeof members>();
      for (const m of members) {
        const list = byCase.get(m.case_id);
        if (list) list.push(m);
        else byCase.set(m.case_id, [m]);
      }
      const cases = rows.map((c) => presentCaseSummary(c, byCase.get(c.id) ?? [], asOf));
      const filters = { state: state ?? null, countryCode: countryCode ?? null };
      await db.transaction().execute((tx) => recordAudit(tx, { action: 'cases.exported', entityType: 'export', entityId: null, actor, context: { format, filters, rows: cases.length } }));
      return sendList(reply, format, {
        title: 'Cases',
        filename: `homeward-cases-${asOf}`,
        asOf,
        subtitle: [state && `State: ${state}`, countryCode && `Country: ${countryCode}`].filter(Boolean).join(' · ') || undefined,
        rows: cases,
        columns: [
          { header: 'reference', value: (c) => c.reference, width: 10 },
          { header: 'country', value: (c) => c.countryCode, width: 5 },
          { header: 'kind', value: (c) => c.kind, width: 6 },
          { header: 'state', value: (c) => c.state, width: 10 },
          { header: 'members', value: (c) => c.members.map((m) => m.displayName).join('; '), width: 30 },
          { header: 'eligible', value: (c) => c.eligible, width: 6 },
          { header: 'state_changed_at', value: (c) => c.stateChangedAt, width: 12, align: 'left' },
        ],
      });
    },
  );
};
