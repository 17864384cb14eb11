/**
 * `homeward link LEFT.csv [RIGHT.csv] --id COLUMN --fields FIELD=COLUMN[,…] [--threshold P] --out PAIRS.csv`:
 * the matching engine (src/matching) on files, without the database. One file:
 * its duplicates, each pair once; two files: links from LEFT to RIGHT.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { FIELD_NAMES, type FieldName, isFieldName, type MatchRecord } from '../../matching/fields.ts';
import { CliError, parseOptions } from '../errors.ts';

const LinkOptions = z.object({
  id: z.string().trim().min(1, 'names the column holding each row\'s id'),
  fields: z.string().trim().min(1, 'maps fields to columns: FIELD=COLUMN[,FIELD=COLUMN...]'),
  threshold: z.coerce.number().min(0, 'must be a probability between 0 and 1').max(1, 'must be a probability between 0 and 1').default(0.5),
  out: z.string().trim().min(1, 'names the file to write the pairs to'),
});

interface CsvFile {
  readonly header: string[];
  readonly rows: string[][];
}

function readCsv(file: string): CsvFile {
  if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`, 2);
  if (fs.statSync(file).isDirectory()) throw new CliError(`${file} is a directory, not a CSV file`, 2);
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0 || text.length);
  const delimiter = [';', '\t', ','].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new CliError(`${file}: the CSV cannot be read: ${(error as Error).message}`, 2);
  }
  const [header = [], ...rows] = records;
  if (header.length === 0) throw new CliError(`${file} is empty: it needs a header row and at least one row`, 2);
  if (rows.length === 0) throw new CliError(`${file} has a header but no rows`, 2);
  return { header: header.map((h) => h.trim()), rows };
}

/** `given_name=first,family_name=surname` → the field → column map. */
export function parseFieldMap(text: string): [FieldName, string][] {
  const pairs: [FieldName, string][] = [];
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const field = (at < 0 ? part : part.slice(0, at)).trim();
    const column = (at < 0 ? '' : part.slice(at + 1)).trim();
    if (!isFieldName(field)) throw new CliError(`--fields: unknown field "${field}" (fields: ${FIELD_NAMES.join(', ')})`, 2);
    if (column === '') throw new CliError(`--fields: "${part.trim()}" names no column (write FIELD=COLUMN)`, 2);
    if (pairs.some(([f]) => f === field)) throw new CliError(`--fields: ${field} is mapped twice`, 2);
    pairs.push([field, column]);
  }
  return pairs;
}

function toRecords(file: string, csv: CsvFile, idColumn: string, mapping: readonly [FieldName, string][]): { ids: string[]; records: MatchRecord[] } {
  const index = (column: string, what: string) => {
    const at = csv.header.indexOf(column);
    if (at < 0) throw new CliError(`${file} has no column "${column}" (${what}); its columns: ${csv.header.join(', ')}`, 2);
    return at;
  };
  const idAt = index(idColumn, '--id');
  const columns = mapping.map(([field, column]) => [field, index(column, `--fields ${field}=${column}`)] as const);
  return {
    ids: csv.rows.map((row) => (row[idAt] ?? '').trim()),
    records: csv.rows.map((row) => {
      const record: MatchRecord = {};
      for (const [field, at] of columns) record[field] = (row[at] ?? '').trim();
      return record;
    }),
  };
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export async function link(left: string, right: string | undefined, raw: Record<string, unknown>): Promise<void> {
  const options = parseOptions(LinkOptions, raw);
  const mapping = parseFieldMap(options.fields);
  const started = performance.now();
  const leftFile = toRecords(left, readCsv(left), options.id, mapping);
  const rightFile = right === undefined ? null : toRecords(right, readCsv(right), options.id, mapping);
  const tty = process.stderr.isTTY;
  // Loaded here, not at start-up: the name tables are only needed by this command.
  const { linkRecords } = await import('../../matching/link.ts');
  const result = linkRecords(leftFile.records, rightFile?.records ?? null, {
    threshold: options.threshold,
    fields: mapping.map(([field]) => field),
    onProgress: tty ? (stage, done, total) => process.stderr.write(`\r${stage}: ${Math.round((done / Math.max(total, 1)) * 100)}%   `) : undefined,
  });
  if (tty) process.stderr.write('\r\u001b[K');
  const rightIds = rightFile?.ids ?? leftFile.ids;
  const lines = ['left_id,right_id,probability'];
  for (let k = 0; k < result.left.length; k++) {
    lines.push(`${csvCell(leftFile.ids[result.left[k]!]!)},${csvCell(rightIds[result.right[k]!]!)},${result.probability[k]!.toFixed(6)}`);
  }
  try {
    fs.writeFileSync(options.out, `${lines.join('\n')}\n`);
  } catch (error) {
    throw new CliError(`cannot write ${options.out}: ${(error as Error).message}`, 2);
  }
  if (result.invalidDates > 0) {
    process.stderr.write(`homeward link: ${result.invalidDates} birth date(s) not readable as YYYY-MM-DD, YYYYMMDD, YYYY-MM or YYYY: treated as unknown\n`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const what = right === undefined ? `${leftFile.records.length} records` : `${leftFile.records.length} × ${rightFile!.records.length} records`;
  process.stderr.write(`homeward link: ${result.left.length} pairs at or above ${options.threshold} written to ${options.out} (${what}, ${result.candidates} candidate pairs compared, ${seconds} s)\n`);
}

/** Adds the `link` command to a program (main.ts, and the fast path link-main.ts). */
export function registerLink(cli: Command): void {
  cli
    .command('link')
    .description('find duplicates in one CSV file, or links between two, with the matching engine (no database)')
    .argument('<left>', 'a CSV file with a header row')
    .argument('[right]', 'a second CSV file to link LEFT to')
    .requiredOption('--id <column>', 'the column holding each row\'s id')
    .requiredOption('--fields <map>', `FIELD=COLUMN[,FIELD=COLUMN...]; fields: ${FIELD_NAMES.join(', ')}`)
    .option('--threshold <p>', 'keep pairs with at least this match probability', '0.5')
    .requiredOption('--out <file>', 'the CSV to write: left_id,right_id,probability')
    .action(async (left: string, right: string | undefined, options: Record<string, unknown>) => link(left, right, options));
}
