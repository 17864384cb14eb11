import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { loadVisibleInvoices, presentInvoice } from '../../../commands/invoicer.ts';
import { movementPolicy } from '../../../policies/movement.ts';
import { can } from '../../../policies/policy.ts';
import { movementVisibleTo } from '../../../repositories/movements.ts';
import { today } from '../../../registry/as-of.ts';
import { ListFormatParam, sendList } from '../../../reports/list-export.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';
import { InvoiceListQuery, MovementListQuery } from './schema.ts';

const MAX_EXPORT_ROWS = 100_000;
const tags = ['movements'];
const file = z.any().describe('the file: text/csv, xlsx or pdf');
const MovementExportQuery = z.strictObject({ format: ListFormatParam, status: MovementListQuery.shape.status, countryCode: MovementListQuery.shape.countryCode, kind: MovementListQuery.shape.kind });
const InvoiceExportQuery = z.strictObject({ format: ListFormatParam, countryCode: InvoiceListQuery.shape.countryCode });

const filtersLine = (filters: Record<string, string | null>) =>
  Object.entries(filters)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ') || undefined;

/** The movements list and the fee ledger as CSV, XLSX or PDF: the same scope as their lists (movementVisibleTo), audited. */
export const movementExportRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/movements/export',
    { config: { access: can(movementPolicy, 'list') }, schema: { tags, summary: 'Export the movements the caller may see (CSV, XLSX or PDF); audited', querystring: MovementExportQuery, response: withErrors({ 200: file }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, status, countryCode, kind } = request.query;
      let q = db
        .selectFrom('movements as m')
        .selectAll('m')
        .select((eb) => eb.selectFrom('movement_passengers as mp').select(eb.fn.countAll<number>().as('n')).whereRef('mp.movement_id', '=', 'm.id').where('mp.active', '=', true).as('passengers'))
        .where(movementVisibleTo(actor));
      if (status) q = q.where('m.status', '=', status);
      if (countryCode) q = q.where('m.country_code', '=', countryCode);
      if (kind) q = q.where('m.kind', '=', kind);
      const rows = await q.orderBy('m.departure_date', 'desc').orderBy('m.id', 'desc').limit(MAX_EXPORT_ROWS).execute();
      const filters = { status: status ?? null, countryCode: countryCode ?? null, kind: kind ?? null };
      await db.transaction().execute((tx) => recordAudit(tx, { action: 'movements.exported', entityType: 'export', entityId: null, actor, context: { format, filters, rows: rows.length } }));
      return sendList(reply, format, {
        title: 'Movements',
        filename: `homeward-movements-${asOf}`,
        asOf,
        subtitle: filtersLine(filters),
        rows,
        columns: [
          { header: 'reference', value: (m) => m.reference, width: 10 },
          { header: 'kind', value: (m) => m.kind, width: 7 },
          { header: 'country', value: (m) => m.country_code, width: 5 },
          { header: 'route', value: (m) => `${m.from_place} → ${m.to_place}`, width: 24 },
          { header: 'date', value: (m) => m.departure_date, width: 8, align: 'left' },
          { header: 'status', value: (m) => m.status, width: 9 },
          { header: 'passengers', value: (m) => Number(m.passengers ?? 0), width: 6, align: 'left' },
          { header: 'capacity', value: (m) => m.capacity, width: 6, align: 'left' },
        ],
      });
    },
  );

  app.get(
    '/api/v1/invoices/export',
    { config: { access: can(movementPolicy, 'invoices') }, schema: { tags, summary: 'Export the fee ledger: every invoice the caller may see with paid and balance (CSV, XLSX or PDF); audited', querystring: InvoiceExportQuery, response: withErrors({ 200: file }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, countryCode } = request.query;
      const invoices = (await loadVisibleInvoices(db, actor, countryCode, MAX_EXPORT_ROWS)).map(presentInvoice);
      const filters = { countryCode: countryCode ?? null };
      // The same report as GET /api/v1/ledger?format=csv, audited under the same action.
      await db.transaction().execute((tx) => recordAudit(tx, { action: 'ledger.exported', entityType: 'invoice', entityId: null, actor, context: { format, filters, rows: invoices.length } }));
      return sendList(reply, format, {
        title: 'Fee ledger',
        filename: `homeward-ledger-${asOf}`,
        asOf,
        subtitle: filtersLine(filters),
        rows: invoices,
        columns: [
          { header: 'invoice', value: (i) => i.number, width: 9 },
          { header: 'country', value: (i) => i.countryCode, width: 5 },
          { header: 'movement', value: (i) => i.movementReference, width: 9 },
          { header: 'issued_on', value: (i) => i.issuedOn, width: 7, align: 'left' },
          { header: 'due_on', value: (i) => i.dueOn, width: 7, align: 'left' },
          { header: 'currency', value: (i) => i.currency, width: 5 },
          { header: 'total', value: (i) => i.total, width: 7, align: 'left' },
          { header: 'paid', value: (i) => i.paid, width: 7, align: 'left' },
          { header: 'balance', value: (i) => i.balance, width: 7, align: 'left' },
          { header: 'status', value: (i) => i.status, width: 7 },
        ],
      });
    },
  );
};
