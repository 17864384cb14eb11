import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { IsoDate } from '../domain/birth-date.ts';
import { toCsv, toXlsx } from '../registry/export.ts';
import { type PdfColumn, PdfReport } from './pdf.ts';

/**
 * Any list or report as a file: CSV (formula-safe cells, the registry's escaping), XLSX (exceljs,
 * the same cells) or a landscape PDF table with the title, the as-of date and a "confidential" footer.
 * The caller decides what is in `rows`: the list's own scoped query, never more.
 */

export const LIST_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];
/** The `format` query parameter of an export route. */
export const ListFormatParam = z.enum(LIST_FORMATS).default('csv');

export const CONTENT_TYPES: Readonly<Record<ListFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export interface ListColumn<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
  /** The column's share of the PDF page's width; default 1. */
  readonly width?: number;
  readonly align?: PdfColumn['align'];
}

export interface ListExportInput<T> {
  /** "Cases", "Movements": the PDF's heading, the sheet's name. */
  readonly title: string;
  /** The file name without extension, e.g. "homeward-cases-2025-01-31". */
  readonly filename: string;
  readonly asOf: IsoDate;
  readonly columns: readonly ListColumn<T>[];
  readonly rows: readonly T[];
  /** A line under the heading (the filters applied, the scope). */
  readonly subtitle?: string;
}

export interface ListFile {
  readonly body: string | Buffer;
  readonly contentType: string;
  readonly filename: string;
}

const cells = <T>(input: ListExportInput<T>) => input.rows.map((r) => input.columns.map((c) => c.value(r)));
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function listCsv<T>(input: ListExportInput<T>): string {
  return toCsv(
    input.columns.map((c) => c.header),
    cells(input),
  );
}

export function listXlsx<T>(input: ListExportInput<T>): Promise<Buffer> {
  return toXlsx(
    input.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31),
    input.columns.map((c) => c.header),
    cells(input),
  );
}

export function listPdf<T>(input: ListExportInput<T>): Promise<Buffer> {
  const report = new PdfReport({ title: `${input.title} — ${input.asOf}`, landscape: true, footer: `Confidential · ${input.title} · as of ${input.asOf}` });
  report.heading(input.title, 16);
  report.facts([
    ['As of', input.asOf],
    ['Rows', String(input.rows.length)],
  ]);
  if (input.subtitle) report.paragraph(input.subtitle, 9, { color: '#333333' });
  report.table(
    input.columns.map((c) => ({ header: c.header, width: c.width ?? 1, ...(c.align ? { align: c.align } : {}) })),
    cells(input).map((r) => r.map(text)),
    8.5,
  );
  if (input.rows.length === 0) report.paragraph('Nothing to list.', 10);
  return report.finish();
}

export async function renderList<T>(format: ListFormat, input: ListExportInput<T>): Promise<ListFile> {
  const body = format === 'pdf' ? await listPdf(input) : format === 'xlsx' ? await listXlsx(input) : listCsv(input);
  return { body, contentType: CONTENT_TYPES[format], filename: `${input.filename}.${format}` };
}

/** Renders the list and sends it as an attachment, not cached. */
export async function sendList<T>(reply: FastifyReply, format: ListFormat, input: ListExportInput<T>): Promise<FastifyReply> {
  const file = await renderList(format, input);
  return reply.header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'private, no-store').type(file.contentType).send(file.body);
}
