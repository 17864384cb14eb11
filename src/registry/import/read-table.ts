import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.ts';
import { IMPORT_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './columns.ts';
import { ZipRefused, checkZip } from './zip-guard.ts';
import { loadExcelJs } from '../export.ts';

export interface Table {
  readonly header: string[];
  /** Data rows, each with its row number in the file (the header is row 1). */
  readonly rows: { readonly line: number; readonly cells: string[] }[];
}

export type FileFormat = 'csv' | 'xlsx';

const fileError = (code: string, message: string) => new DomainError('invalid', code, message, [{ path: 'file', message }]);

/** The limits of one file: an upload's (the defaults), or the CLI's, which reads a file on disk. */
export interface ReadLimits {
  readonly maxBytes?: number;
  readonly maxRows?: number;
}

/** Reads a CSV (UTF-8, comma, semicolon or tab) or XLSX file into a header and rows of text. */
export async function readTable(data: Buffer, format: FileFormat, limits: ReadLimits = {}): Promise<Table> {
  const maxBytes = limits.maxBytes ?? MAX_IMPORT_BYTES;
  const maxRows = limits.maxRows ?? MAX_IMPORT_ROWS;
  if (data.length === 0) throw fileError('empty_file', 'the file is empty');
  if (data.length > maxBytes) throw fileError('file_too_large', `the file is larger than ${maxBytes / 1024 / 1024} MB; split it`);
  const table = format === 'xlsx' ? await readXlsx(data) : readCsv(data);
  if (table.header.length === 0) throw fileError('no_header', 'the first row must hold the column names (download the template)');
  if (table.rows.length === 0) throw fileError('no_rows', 'the file has a header but no rows');
  if (table.rows.length > maxRows) throw fileError('too_many_rows', `the file has ${table.rows.length} rows; at most ${maxRows} per file`);
  return table;
}

const SAVE_AS = 'save it as "CSV UTF-8" and try again';

/**
 * What a file that is not UTF-8 most likely is, to name it in the refusal. UTF-16 shows itself
 * by a byte-order mark or by a zero byte beside nearly every ASCII one. Single-byte code pages
 * by their runs of high bytes: Arabic and Cyrillic words are runs of two or more; a run that
 * reads as Arabic letters only in Windows-1256 is Arabic, one that reads as Cyrillic letters in
 * Windows-1251 is Cyrillic; high bytes alone between ASCII letters (é in "Médecin") are Western.
 * A guess: that is why the file is refused rather than decoded (a wrong guess would store
 * every name garbled).
 */
export function guessEncoding(data: Buffer): string | null {
  if (data[0] === 0xff && data[1] === 0xfe) return 'UTF-16 LE';
  if (data[0] === 0xfe && data[1] === 0xff) return 'UTF-16 BE';
  const sample = data.subarray(0, 64 * 1024);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0 && sample[i + 1] !== 0) evenZeros++;
    if (sample[i + 1] === 0 && sample[i] !== 0) oddZeros++;
  }
  const pairs = Math.floor(sample.length / 2);
  if (pairs >= 2 && oddZeros > pairs * 0.3 && evenZeros < oddZeros / 10) return 'UTF-16 LE';
  if (pairs >= 2 && evenZeros > pairs * 0.3 && oddZeros < evenZeros / 10) return 'UTF-16 BE';
  const arabic = new TextDecoder('windows-1256');
  const cyrillic = new TextDecoder('windows-1251');
  const votes = { arabic: 0, cyrillic: 0, western: 0 };
  for (let i = 0; i < sample.length; ) {
    if ((sample[i] as number) < 0x80) {
      i++;
      continue;
    }
    let j = i;
    while (j < sample.length && (sample[j] as number) >= 0x80) j++;
    const run = sample.subarray(i, j);
    if (run.length === 1) votes.western++;
    else if (/^[\u0600-\u06ff]+$/.test(arabic.decode(run))) votes.arabic++;
    else if (/^[\u0400-\u04ff]+$/.test(cyrillic.decode(run))) votes.cyrillic++;
    else votes.western++;
    i = j;
  }
  const best = (Object.entries(votes) as [keyof typeof votes, number][]).sort((a, b) => b[1] - a[1])[0];
  if (!best || best[1] === 0) return null;
  return { arabic: 'Windows-1256 (Arabic)', cyrillic: 'Windows-1251 (Cyrillic)', western: 'Windows-1252 or Latin-1 (Western European)' }[best[0]];
}

/** The file as text: UTF-8, with or without a byte-order mark; anything else is refused by the encoding it seems to be in. */
function decodeUtf8(data: Buffer): string {
  const refuse = (encoding: string | null) => {
    const message = encoding ? `the file is not UTF-8: it looks like ${encoding}; ${SAVE_AS}` : `the file is not UTF-8; ${SAVE_AS}`;
    return new DomainError('invalid', 'wrong_encoding', message, [{ path: 'file', message: encoding ? `is ${encoding}, not UTF-8` : 'is not UTF-8' }]);
  };
  if (data[0] === 0xff && data[1] === 0xfe) throw refuse('UTF-16 LE');
  if (data[0] === 0xfe && data[1] === 0xff) throw refuse('UTF-16 BE');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    throw refuse(guessEncoding(data));
  }
  // UTF-16 of ASCII text is valid UTF-8, with a zero byte beside every letter.
  const guess = text.includes('\u0000') ? guessEncoding(data) : null;
  if (guess?.startsWith('UTF-16')) throw refuse(guess);
  return text;
}

function readCsv(data: Buffer): Table {
  const text = decodeUtf8(data);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const row = text.slice(0, nul).split('\n').length;
    const message = `row ${row} holds a NUL byte: the file holds binary data, not CSV text`;
    throw new DomainError('invalid', 'not_a_csv', message, [{ path: 'file', message }]);
  }
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0 || text.length);
  const delimiter = [';', '\t', ','].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  let records: string[][];
  try {
    records = splitPlainCsv(text, delimiter) ?? (parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as string[][]);
  } catch (error) {
    throw fileError('malformed_csv', `the CSV cannot be read: ${(error as Error).message}`);
  }
  const [header = [], ...rest] = records;
  return { header: header.map((h) => h.trim()), rows: rest.map((cells, i) => ({ line: i + 2, cells })) };
}

/** Whether a character is one csv-parse's `trim` drops before a field: CR, LF, form feed, space, tab. */
const leadingTrimmable = (code: number) => code === 13 || code === 10 || code === 12 || code === 32 || code === 9;

/**
 * A CSV without a single quote character, read as csv-parse reads it with the options
 * above (the records of a 50,000-row file in a fifth of its time); null for any other
 * CSV, which csv-parse reads. The same records: split on the line ending the file
 * starts with (the first of CRLF, LF or CR, as csv-parse discovers it), then on the
 * delimiter; each cell without the CR, LF, form feed, space or tab before it and any
 * whitespace after it; a line left empty by that skipped — a line with a delimiter
 * in it is not empty.
 */
export function splitPlainCsv(text: string, delimiter: string): string[][] | null {
  if (text.includes('"')) return null;
  const first = text.search(/[\r\n]/);
  const lineEnd = first < 0 ? null : text[first] === '\n' ? '\n' : text[first + 1] === '\n' ? '\r\n' : '\r';
  const records: string[][] = [];
  for (const line of lineEnd === null ? [text] : text.split(lineEnd)) {
    const cells = line.split(delimiter);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c] as string;
      let start = 0;
      while (start < cell.length && leadingTrimmable(cell.charCodeAt(start))) start++;
      cells[c] = (start > 0 ? cell.slice(start) : cell).trimEnd();
    }
    if (cells.length === 1 && cells[0] === '' && !/[^\r\n\f \t]/.test(line)) continue;
    records.push(cells);
  }
  return records;
}

/** Cells past the last column the header names are read only this far (a row of 16,384 cells is no person). */
const MAX_XLSX_COLUMNS = 1000;

async function readXlsx(data: Buffer): Promise<Table> {
  // The zip is checked before exceljs inflates anything: a zip bomb is refused by its sizes, not by running out of memory.
  try {
    await checkZip(data);
  } catch (error) {
    if (!(error instanceof ZipRefused)) throw error;
    throw fileError(error.reason === 'too_large' ? 'xlsx_too_large' : 'malformed_xlsx', error.message);
  }
  const { Workbook } = await loadExcelJs();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    throw fileError('malformed_xlsx', 'the file is not a readable Excel workbook (.xlsx)');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw fileError('malformed_xlsx', 'the workbook has no sheet');
  if (sheet.actualColumnCount > MAX_XLSX_COLUMNS) {
    throw fileError('too_many_columns', `the sheet has ${sheet.actualColumnCount} columns; the template has ${IMPORT_COLUMNS.length} (download the template)`);
  }
  const rows: { line: number; cells: string[] }[] = [];
  const formulas: string[] = [];
  let header: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const raw = (row.values as unknown[]).slice(1);
    raw.forEach((value, i) => {
      if (isFormula(value) && formulas.length < 20) formulas.push(`row ${line}, column ${header[i] || i + 1} (${row.getCell(i + 1).address})`);
    });
    const values = raw.map(cellText);
    if (line === 1) header = values.map((v) => v.trim());
    else if (values.some((v) => v.trim() !== '')) {
      // exceljs leaves out the empty cells at the end of a row; the CSV would have them.
      const cells = values.map((v) => v.trim());
      while (cells.length < header.length) cells.push('');
      rows.push({ line, cells });
    }
  });
  // A formula is never evaluated and its cached result not taken on trust: the clerk pastes the values.
  if (formulas.length > 0) {
    const message = 'holds a formula: copy the sheet and paste it as values';
    throw new DomainError('invalid', 'formula_cell', `${formulas[0]} ${message}${formulas.length > 1 ? ` (and ${formulas.length - 1} more)` : ''}`, formulas.map((where) => ({ path: 'file', message: `${where} ${message}` })));
  }
  return { header, rows };
}

const isFormula = (value: unknown) => typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value);

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return String(v.text);
    if (v.result !== undefined) return cellText(v.result);
    return '';
  }
  return String(value);
}
