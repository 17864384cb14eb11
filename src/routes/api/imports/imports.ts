import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can } from '../../../policies/policy.ts';
import { registryImportPolicy } from '../../../policies/registry-import.ts';
import { today } from '../../../registry/as-of.ts';
import { MAX_IMPORT_BYTES, templateCsv } from '../../../registry/import/columns.ts';
import { readTable } from '../../../registry/import/read-table.ts';
import { type ImportReport, runImport } from '../../../registry/import/run-import.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { describeError } from '../../../server/errors.ts';
import { withErrors } from '../schemas.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const NDJSON_TYPE = 'application/x-ndjson';
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

/** One line of the streamed answer (`Accept: application/x-ndjson`). */
export type ImportEvent =
  | { readonly type: 'progress'; readonly phase: 'checking' | 'writing'; readonly done: number; readonly total: number }
  | { readonly type: 'report'; readonly report: ImportReport }
  | { readonly type: 'error'; readonly status: number; readonly error: { code: string; message: string; details: unknown[] } };

const wantsStream = (request: FastifyRequest) => (request.headers.accept ?? '').split(',').some((t) => t.trim().startsWith(NDJSON_TYPE));

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
        description:
          'With `Accept: application/json` the answer is the report once the import has finished. With `Accept: application/x-ndjson` ' +
          'the answer streams one JSON object per line while the import runs: `{"type":"progress","phase":"checking"|"writing","done","total"}`, ' +
          'then `{"type":"report","report":{…}}` or `{"type":"error","status","error":{code,message,details}}`. A file that cannot be read is refused before streaming starts.',
        querystring: z.strictObject({ dryRun: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') }),
        response: withErrors({ 200: ReportSchema }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) {
        throw Object.assign(new Error('send the file as text/csv or xlsx'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
      }
      const actor = actorOf(request);
      const format = request.headers['content-type']?.startsWith(XLSX_TYPE) ? 'xlsx' : 'csv';
      const table = await readTable(body, format);
      const options = { dryRun: request.query.dryRun };
      if (!wantsStream(request)) return runImport(db, table, actor, today(), options);

      // Progress as it happens; the import is still one all-or-nothing transaction.
      const stream = new PassThrough();
      const send = (event: ImportEvent) => stream.write(`${JSON.stringify(event)}\n`);
      // Runs on after the handler has answered: a shutdown keeps the database open for it (app.keepOpenFor).
      void app.keepOpenFor(
        runImport(db, table, actor, today(), { ...options, onProgress: (done, total, phase) => send({ type: 'progress', phase, done, total }) })
          .then((report) => send({ type: 'report', report }))
          .catch((error: unknown) => {
            const { status, body: failure } = describeError(error);
            if (status >= 500) request.log.error({ err: error }, 'import failed');
            send({ type: 'error', status, error: failure.error });
          })
          .finally(() => stream.end()),
      );
      return reply.type(`${NDJSON_TYPE}; charset=utf-8`).header('cache-control', 'no-store').header('x-accel-buffering', 'no').send(stream as unknown as ImportReport); // a stream is sent as it is, unserialised
    },
  );
};
