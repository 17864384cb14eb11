import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import type { Db } from '../../../db/database.ts';
import type { Actor } from '../../../domain/actor.ts';
import type { IsoDate } from '../../../domain/birth-date.ts';
import { type Names, type PublishedCounts, STATEMENT_LANGUAGES, type StatementLanguage, publishCounts, writeStatement } from '../../../domain/public-figures.ts';
import { SECONDARY_MARK, SUPPRESSION_THRESHOLD, hiddenLabel } from '../../../domain/suppression.ts';
import { figuresPolicy } from '../../../policies/figures.ts';
import { can } from '../../../policies/policy.ts';
import {
  caseFigures,
  countryNames,
  daysToReturn,
  heldByNationality,
  occupancyFigures,
  peopleFigures,
  pendingClearances,
  returnsByMonth,
  returnsByNationality,
} from '../../../repositories/figures.ts';
import { type FigureSheet, figuresCsv, figuresPdf, figuresXlsx } from '../../../reports/figures-report.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';
import { XLSX_TYPE } from '../imports/imports.ts';
import { DashboardExportQuery, DashboardQuery, DashboardSchema, PublicExportQuery, PublicQuery, PublicSchema, StatementQuery, StatementSchema } from './schema.ts';

const tags = ['figures'];

/** The dashboard: every figure read from the tables now, scoped to what the caller may see. No caching. */
async function dashboard(db: Db, actor: Actor, asOf: IsoDate) {
  const [people, cases, returns, occupancy, pending, days] = await Promise.all([
    peopleFigures(db, actor, asOf),
    caseFigures(db, actor, asOf),
    returnsByMonth(db, actor, asOf),
    occupancyFigures(db, actor, asOf),
    pendingClearances(db, actor, asOf),
    daysToReturn(db, actor, asOf),
  ]);
  const codes = new Set<string>();
  for (const list of [people, cases, returns, occupancy, pending, days]) for (const r of list) if (r.countryCode) codes.add(r.countryCode);
  const names = await countryNames(db, [...codes]);
  return {
    asOf,
    scope: { countryCode: actor.role === 'embassy' ? actor.countryCode : null },
    countries: Object.fromEntries(names),
    people,
    cases,
    returnsByMonth: returns,
    occupancy,
    pendingClearances: pending,
    daysToReturn: days,
  };
}
type Dashboard = Awaited<ReturnType<typeof dashboard>>;

/** The two public tables, suppressed, from the counts on the day. */
async function publicFigures(db: Db, actor: Actor, asOf: IsoDate) {
  const [returns, held] = await Promise.all([returnsByNationality(db, actor, asOf), heldByNationality(db, actor, asOf)]);
  const codes = [...new Set([...returns, ...held].map((r) => r.countryCode).filter((c): c is string => c !== null))];
  const names = await countryNames(db, codes);
  const namesOf = (code: string): Names | undefined => names.get(code);
  return { returns: publishCounts(returns, namesOf), held: publishCounts(held, namesOf) };
}

function publicBody(asOf: IsoDate, figures: { returns: PublishedCounts; held: PublishedCounts }) {
  return {
    asOf,
    threshold: SUPPRESSION_THRESHOLD,
    marks: { small: hiddenLabel(), secondary: SECONDARY_MARK },
    tables: [
      { id: 'returns' as const, ...figures.returns.table, columns: [...figures.returns.table.columns], totals: [...figures.returns.table.totals] },
      { id: 'held' as const, ...figures.held.table, columns: [...figures.held.table.columns], totals: [...figures.held.table.totals] },
    ].map((t) => ({ ...t, rows: t.rows.map((r) => ({ ...r, cells: [...r.cells] })) })),
  };
}

const note = (asOf: IsoDate) =>
  `As of ${asOf}. Counts from 1 to ${SUPPRESSION_THRESHOLD - 1} are shown as "${hiddenLabel()}"; a figure marked "${SECONDARY_MARK}" is withheld so that no total or difference gives a small count back. A child is a person who could be under 18 (on the day of return, for returns).`;

function publicSheets(figures: { returns: PublishedCounts; held: PublishedCounts }): FigureSheet[] {
  const sheet = (id: string, title: string, c: PublishedCounts): FigureSheet => ({
    id,
    title,
    header: ['nationality', 'country_code', 'children', 'adults', 'total'],
    rows: [...c.table.rows.map((r) => [r.names.en, r.countryCode ?? '', r.cells[0], r.cells[1], r.total]), ['Total', '', c.table.totals[0], c.table.totals[1], c.table.grandTotal]],
  });
  return [sheet('returns', 'People returned to their home countries, by nationality', figures.returns), sheet('held', 'People held, by nationality', figures.held)];
}

function dashboardSheets(d: Dashboard): FigureSheet[] {
  const name = (code: string | null) => (code ? (d.countries[code]?.en ?? code) : 'Not known');
  return [
    { id: 'people', title: 'People by nationality, kind and status', header: ['nationality', 'country_code', 'kind', 'status', 'people'], rows: d.people.map((r) => [name(r.countryCode), r.countryCode ?? '', r.kind, r.status, r.count]) },
    { id: 'cases', title: 'Cases by state', header: ['state', 'country_code', 'cases'], rows: d.cases.map((r) => [r.state, r.countryCode, r.count]) },
    { id: 'returns', title: 'Returns per month (people handed over)', header: ['month', 'country_code', 'people', 'children'], rows: d.returnsByMonth.map((r) => [r.month, r.countryCode, r.people, r.children]) },
    { id: 'occupancy', title: 'Facility occupancy against capacity', header: ['facility', 'country_code', 'held', 'capacity'], rows: d.occupancy.map((r) => [r.name, r.countryCode, r.held, r.capacity]) },
    { id: 'clearances', title: 'Pending clearances by agency', header: ['agency', 'country_code', 'members'], rows: d.pendingClearances.map((r) => [r.agency, r.countryCode, r.members]) },
    { id: 'days', title: 'Days from identification to return', header: ['country', 'people', 'median', 'p90', 'min', 'max'], rows: d.daysToReturn.map((r) => [r.countryCode ? name(r.countryCode) : 'All countries', r.people, r.median, r.p90, r.min, r.max]) },
  ];
}

async function sendExport(reply: FastifyReply, format: 'csv' | 'xlsx' | 'pdf', base: string, title: string, noteText: string, sheets: FigureSheet[], paragraphs: string[] = []) {
  reply.header('content-disposition', `attachment; filename="${base}.${format}"`).header('cache-control', 'private, no-store');
  if (format === 'xlsx') return reply.type(XLSX_TYPE).send(await figuresXlsx(sheets, noteText));
  if (format === 'pdf') return reply.type('application/pdf').send(await figuresPdf({ title, note: noteText, paragraphs, sheets, createdAt: new Date() }));
  return reply.type('text/csv; charset=utf-8').send(figuresCsv(sheets));
}

/** Figures: the dashboard (coordinator; an embassy for its country), public statistics with suppression, their exports, the statement. */
export const figureRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  const audit = (actor: Actor, context: Record<string, unknown>) => db.transaction().execute((tx) => recordAudit(tx, { action: 'figures.exported', entityType: 'figures', entityId: null, actor, context }));

  app.get(
    '/api/v1/figures/dashboard',
    { config: { access: can(figuresPolicy, 'dashboard') }, schema: { tags, summary: 'The dashboard: people by nationality, kind and status; cases by state; returns per month; occupancy; pending clearances; days from identification to return (an embassy: its own country)', querystring: DashboardQuery, response: withErrors({ 200: DashboardSchema }) } },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return dashboard(db, actorOf(request), today());
    },
  );

  app.get(
    '/api/v1/figures/dashboard/export',
    { config: { access: can(figuresPolicy, 'dashboard') }, schema: { tags, summary: "The dashboard's figures as CSV, XLSX or PDF, as far as the caller may see; audited", querystring: DashboardExportQuery, response: withErrors({ 200: z.any().describe('the file') }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const d = await dashboard(db, actor, asOf);
      await audit(actor, { report: 'dashboard', format: request.query.format, asOf, countryCode: d.scope.countryCode });
      const scope = d.scope.countryCode ? ` (${d.scope.countryCode})` : '';
      return sendExport(reply, request.query.format, `homeward-dashboard-${asOf}`, `Homeward dashboard${scope}`, `As of ${asOf}. Internal figures, not for publication: small numbers are not suppressed.`, dashboardSheets(d));
    },
  );

  app.get(
    '/api/v1/figures/public',
    { config: { access: can(figuresPolicy, 'publish') }, schema: { tags, summary: 'Public statistics as of a day: returns (children, adults) and people held, by nationality, small numbers suppressed ("<5", secondary "x")', querystring: PublicQuery, response: withErrors({ 200: PublicSchema }) } },
    async (request, reply) => {
      const asOf = request.query.asOf ?? today();
      reply.header('cache-control', 'private, no-store');
      return publicBody(asOf, await publicFigures(db, actorOf(request), asOf));
    },
  );

  app.get(
    '/api/v1/figures/public/export',
    { config: { access: can(figuresPolicy, 'publish') }, schema: { tags, summary: 'The public statistics as CSV, XLSX or PDF (with the statement); audited', querystring: PublicExportQuery, response: withErrors({ 200: z.any().describe('the file') }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = request.query.asOf ?? today();
      const figures = await publicFigures(db, actor, asOf);
      await audit(actor, { report: 'public', format: request.query.format, asOf });
      const statements = (['en', 'ar'] as const).map((l) => writeStatement(asOf, l, figures.returns, figures.held).text);
      return sendExport(reply, request.query.format, `homeward-public-figures-${asOf}`, 'Repatriation figures', note(asOf), publicSheets(figures), statements);
    },
  );

  app.get(
    '/api/v1/figures/statement',
    { config: { access: can(figuresPolicy, 'publish') }, schema: { tags, summary: `The statement the ministry publishes ("X children of Y nationalities returned; Z remain"), from the suppressed figures: no number under ${SUPPRESSION_THRESHOLD} is ever printed. Languages: ${STATEMENT_LANGUAGES.join(', ')}`, querystring: StatementQuery, response: withErrors({ 200: StatementSchema }) } },
    async (request, reply) => {
      const asOf = request.query.asOf ?? today();
      const figures = await publicFigures(db, actorOf(request), asOf);
      reply.header('cache-control', 'private, no-store');
      return writeStatement(asOf, request.query.language as StatementLanguage, figures.returns, figures.held);
    },
  );
};
