import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, type RawBuilder } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { arrayLiteral, type BulkType, unnestInsert } from './bulk.ts';
import type { Executor } from './database.ts';
import type { DB } from './schema.ts';
import { isEmbedded } from './pglite-dialect.ts';

export { isEmbedded };

/**
 * Rows ready to be written, the fastest way each database takes them: on PostgreSQL
 * with COPY (text format), which spares the server what an `INSERT … SELECT FROM
 * unnest($1, …)` costs on top of writing the rows — parsing megabytes of array
 * literals (twice escaped when they hold JSON), planning a statement whose constants
 * they are; on PGlite with unnestInsert, a few thousand rows per statement (its
 * COPY FROM '/dev/blob' slows down as an import goes on: 25 batches of 2,000 audit
 * events took 0.2–0.4 s each by INSERT, from 0.2 s up to 0.7 s each by COPY).
 * Preparing (the client's work: encoding) is apart from writing, so a caller can
 * prepare the next batch while the database writes this one.
 */
export interface PreparedRows {
  readonly table: string;
  readonly rows: number;
  /** PostgreSQL: the COPY statement and its text (UTF-8, in pieces). */
  readonly copy?: { readonly statement: string; readonly chunks: readonly Buffer[] };
  /** PGlite: the INSERT statements. */
  readonly inserts?: readonly RawBuilder<unknown>[];
}

/** Rows per INSERT on PGlite. */
const INSERT_ROWS = 5000;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value in COPY's text format (backslash, tab, newline and carriage return escaped). */
export function copyEscape(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : text;
}

/** One value of a column of `type` in COPY's text format; `\N` for null. */
function encode(value: unknown, type: BulkType): string {
  if (value === null || value === undefined) return '\\N';
  switch (type) {
    case 'text':
    case 'jsonb':
      return copyEscape(typeof value === 'string' ? value : type === 'jsonb' ? JSON.stringify(value) : String(value));
    case 'boolean':
      return value ? 't' : 'f';
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : copyEscape(String(value));
    case 'text[]':
      return copyEscape(arrayLiteral(value as readonly string[]));
    default:
      // uuid, date, numbers: nothing that needs escaping (a stray character is escaped all the same).
      return copyEscape(String(value));
  }
}


/**
 * Rows added a few at a time, encoded as they come (the caller's objects can then be
 * dropped young: an import's hundreds of megabytes of rows, strings and audit values
 * would otherwise outlive the young generation and be copied and promoted), then
 * taken as one PreparedRows — one statement's worth.
 */
export interface RowsBuilder {
  add(rows: readonly Record<string, unknown>[]): void;
  take(): PreparedRows;
}

/** Characters of COPY text kept as a string before they go into a Buffer (off the JS heap). */
const PIECE = 64 * 1024;

export function rowsBuilder<T extends keyof DB & string>(db: Executor, table: T, columns: readonly (readonly [keyof DB[T] & string, BulkType])[]): RowsBuilder {
  const names = columns.map(([name]) => name as string);
  const types = columns.map(([, type]) => type);
  if (isEmbedded(db)) {
    let pending: Record<string, unknown>[] = [];
    return {
      add(rows) {
        for (const row of rows) pending.push(row);
      },
      take() {
        const rows = pending;
        pending = [];
        const inserts: RawBuilder<unknown>[] = [];
        for (let i = 0; i < rows.length; i += INSERT_ROWS) inserts.push(unnestInsert(table, columns, rows.slice(i, i + INSERT_ROWS)));
        return { table, rows: rows.length, inserts };
      },
    };
  }
  const statement = `copy ${table} (${names.map((name) => `"${name}"`).join(', ')}) from stdin`;
  const last = columns.length - 1;
  let chunks: Buffer[] = [];
  let piece = '';
  let count = 0;
  return {
    add(rows) {
      for (const row of rows) {
        for (let c = 0; c <= last; c++) {
          piece += encode(row[names[c] as string], types[c] as BulkType);
          piece += c === last ? '\n' : '\t';
        }
        if (piece.length >= PIECE) {
          chunks.push(Buffer.from(piece));
          piece = '';
        }
      }
      count += rows.length;
    },
    take() {
      if (piece.length > 0) chunks.push(Buffer.from(piece));
      const prepared = { table, rows: count, copy: { statement, chunks } };
      chunks = [];
      piece = '';
      count = 0;
      return prepared;
    },
  };
}

/** Prepares rows (objects keyed by column name) to be written into `table` by writeRows. */
export function prepareRows<T extends keyof DB & string>(
  db: Executor,
  table: T,
  columns: readonly (readonly [keyof DB[T] & string, BulkType])[],
  rows: readonly Record<string, unknown>[],
): PreparedRows {
  const builder = rowsBuilder(db, table, columns);
  builder.add(rows);
  return builder.take();
}

/**
 * Writes prepared rows on the connection of `db` — so inside its transaction. The
 * Kysely connection to PostgreSQL is out of reach, so COPY goes through it as what
 * node-postgres calls a submittable query: Kysely hands `sql` to `client.query` as it
 * is, and node-postgres runs any object with a `submit` method in place of a
 * statement — here pg-copy-streams' COPY … FROM STDIN, which is then fed the text
 * and finishes once the server has written it (or fails with the server's error).
 * (Kysely's log, and so timing.ts, sees only the submission of a COPY, not its duration.)
 */
export async function writeRows(db: Executor, prepared: PreparedRows): Promise<void> {
  if (prepared.rows === 0) return;
  for (const insert of prepared.inserts ?? []) await insert.execute(db);
  if (!prepared.copy) return;
  const stream = copyFrom(prepared.copy.statement);
  const done = pipeline(Readable.from(prepared.copy.chunks, { objectMode: false }), stream);
  // Not unhandled while the statement is being submitted; awaited below.
  done.catch(() => {});
  await db.executeQuery({ ...CompiledQuery.raw(''), sql: stream as unknown as string });
  await done;
}
