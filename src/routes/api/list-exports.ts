import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../audit/trail.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/actor.ts';
import { type ListExportInput, type ListFormat, ListFormatParam, sendList } from '../../reports/list-export.ts';
import type { ListQuery } from '../../server/pagination.ts';

/**
 * What every list's export route shares: its query string (the list's own filters without the paging,
 * and the format), the row cap, and sending the file with its audit event. The rows are the caller's:
 * the list's own scoped query and presenter, never a second one.
 */

/** An export takes the whole list, up to this many rows. */
export const MAX_EXPORT_ROWS = 100_000;

/** The 200 of an export route in the OpenAPI document. */
export const ExportFile = z.any().describe('the file: text/csv, xlsx or pdf');

type ListShape = typeof ListQuery.shape;

/** A list's query schema as its export takes it: the same filters, no limit or cursor, and `format`. */
export function exportQueryOf<S extends ListShape>(list: z.ZodObject<S, z.core.$strict>) {
  const { limit: _limit, cursor: _cursor, ...filters } = list.shape;
  return z.strictObject({ ...filters, format: ListFormatParam });
}

/** "status: open · countryCode: TJK", for the line under the PDF's heading. */
export function filtersLine(filters: Readonly<Record<string, unknown>>): string | undefined {
  return (
    Object.entries(filters)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(' · ') || undefined
  );
}

export interface AuditedExport<T> extends Omit<ListExportInput<T>, 'subtitle'> {
  /** The audit action, e.g. "tracing_requests.exported". */
  readonly action: string;
  readonly format: ListFormat;
  /** The filters as asked (null when not given): in the audit event and under the PDF's heading. */
  readonly filters: Readonly<Record<string, unknown>>;
}

/** Records the export (format, filters, row count) in the audit trail, then sends the file. */
export async function sendAuditedList<T>(db: Db, reply: FastifyReply, actor: Actor, spec: AuditedExport<T>): Promise<FastifyReply> {
  const { action, format, filters, ...input } = spec;
  await db.transaction().execute((tx) => recordAudit(tx, { action, entityType: 'export', entityId: null, actor, context: { format, filters, rows: input.rows.length } }));
  return sendList(reply, format, { ...input, subtitle: filtersLine(filters) });
}

export const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
