import { z } from 'zod';
import { can } from '../../../policies/policy.ts';
import { registryImportPolicy } from '../../../policies/registry-import.ts';
import { today } from '../../../registry/as-of.ts';
import { MAX_IMPORT_BYTES, templateCsv } from '../../../registry/import/columns.ts';
import { readTable } from '../../../registry/import/read-table.ts';
import { runImport } from '../../../registry/import/run-import.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['imports'];

const ReportSchema = z
  .object({
    dryRun: z.boolean(),
    committed: z.boolean(),
    total: z.number().int(),
    created: z.number().int(),
    alreadyRegistered: z.number().int(),
    familyLinks: z.number().int(),
    problems: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  })
  .meta({ id: 'ImportReport' });

/** Bulk import of people from CSV (UTF-8) or XLSX: a dry run, then an all-or-nothing commit. */
export const importRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.addContentTypeParser(['text/csv', XLSX_TYPE], { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/imports/template.csv',
    { config: { access: can(registryImportPolicy, 'template') }, schema: { tags, summary: 'The import template (CSV, UTF-8)', response: withErrors({ 200: z.string() }) } },
    async (_request, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="homeward-import-template.csv"').send(templateCsv()),
  );

  app.post(
    '/api/v1/imports',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      config: { access: can(registryImportPolicy, 'run') },
      schema: {
        tags,
        summary: 'Import people from the request body (text/csv or .xlsx); ?dryRun=true checks without writing',
        querystring: z.strictObject({ dryRun: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') }),
        response: withErrors({ 200: ReportSchema }),
      },
    },
    async (request) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) {
        throw Object.assign(new Error('send the file as text/csv or xlsx'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
      }
      const format = request.headers['content-type']?.startsWith(XLSX_TYPE) ? 'xlsx' : 'csv';
      const table = await readTable(body, format);
      return runImport(db, table, actorOf(request), today(), { dryRun: request.query.dryRun });
    },
  );
};
