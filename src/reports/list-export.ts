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
  readonly value: (row: T) => string | number | boolean | Date | null | undefined;
  /** The column's share of the PDF page's width; default 1. */
  readonly width?: number;
  readonly align?: PdfColumn['align'];
  /**
   * A calendar date (a Date or "YYYY-MM-DD") or a moment (a Date or an ISO timestamp): written
   * "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (UTC) in CSV and PDF, and as a date cell in XLSX.
   */
  readonly type?: 'date' | 'datetime';
  /** false: in the CSV and the sheet only, where a landscape page has no room for it (long text, hashes). */
  readonly pdf?: boolean;
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

const DATE_FORMATS = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm' } as const;

/** A date column's value as a Date (a "YYYY-MM-DD" is that day at 00:00 UTC); anything else as it is. */
function asDate(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return value;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : date;
}

function dateText(value: unknown, type: 'date' | 'datetime'): unknown {
  const date = asDate(value);
  if (!(date instanceof Date)) return date;
  const iso = date.toISOString();
  return type === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The cells as text, dates written out (CSV, PDF); or with dates as Dates (XLSX). */
const cells = <T>(input: ListExportInput<T>, dates: 'text' | 'dates' = 'text') =>
  input.rows.map((r) =>
    input.columns.map((c) => {
      const value = c.value(r);
      const type = c.type ?? (value instanceof Date ? 'datetime' : undefined);
      if (!type) return value;
      return dates === 'dates' ? asDate(value) : dateText(value, type);
    }),
  );
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
/** A PDF cell is one line: long text is cut here, before the table measures it word by word. */
const PDF_CELL_MAX = 300;
const pdfCell = (v: unknown) => {
  const s = text(v);
  return s.length > PDF_CELL_MAX ? `${[...s].slice(0, PDF_CELL_MAX).join('')}…` : s;
};

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
    cells(input, 'dates'),
    input.columns.map((c) => DATE_FORMATS[c.type ?? 'datetime']),
  );
}

export function listPdf<T>(all: ListExportInput<T>): Promise<Buffer> {
  const input = { ...all, columns: all.columns.filter((c) => c.pdf !== false) };
  const report = new PdfReport({ title: `${input.title} — ${input.asOf}`, landscape: true, footer: `Confidential · ${input.title} · as of ${input.asOf}` });
  report.heading(input.title, 16);
  report.facts([
    ['As of', input.asOf],
    ['Rows', String(input.rows.length)],
  ]);
  if (input.subtitle) report.paragraph(input.subtitle, 9, { color: '#333333' });
  report.table(
    input.columns.map((c) => ({ header: c.header, width: c.width ?? 1, ...(c.align ? { align: c.align } : {}) })),
    cells(input).map((r) => r.map(pdfCell)),
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
