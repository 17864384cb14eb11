/**
 * PostgreSQL's bulk path for the generator: rows written with COPY … FROM STDIN
 * (node-postgres, through pg-copy-streams) or COPY … FROM '/dev/blob' (PGlite),
 * in the text format, on the same connection — and so in the same transaction —
 * as the Kysely instance the rest of the generator uses.
 */
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { arrayLiteral } from '../db/bulk.ts';
import { copyEscape } from '../db/copy.ts';
import { databaseFromPGlite, openPGlite } from '../db/database.ts';
import type { DB } from '../db/schema.ts';

export interface BulkSession {
  readonly kind: 'pglite' | 'postgres';
  /** Queries and transactions: one connection, shared with `copy`. */
  readonly db: Kysely<DB>;
  /** Writes rows (all with the same keys) into a table with COPY, inside whatever transaction is open. */
  copy(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

/** About this many characters per COPY statement (PGlite holds each in memory as one blob). */
const COPY_CHUNK = 32 * 1024 * 1024;


/** One value in COPY's text format. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return copyEscape(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return copyEscape(arrayLiteral(value as string[]));
  return copyEscape(JSON.stringify(value));
}

/** The rows as COPY text, in pieces of about COPY_CHUNK characters. */
export function* copyText(columns: readonly string[], rows: readonly Record<string, unknown>[]): Generator<string> {
  let piece: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = `${columns.map((c) => copyValue(row[c])).join('\t')}\n`;
    piece.push(line);
    size += line.length;
    if (size >= COPY_CHUNK) {
      yield piece.join('');
      piece = [];
      size = 0;
    }
  }
  if (piece.length > 0) yield piece.join('');
}

function columnsOf(table: string, rows: readonly Record<string, unknown>[]): string[] {
  const columns = Object.keys(rows[0] as Record<string, unknown>);
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) throw new Error(`generator: rows of ${table} do not all have the columns ${columns.join(', ')}`);
  }
  return columns;
}

const statement = (table: string, columns: readonly string[], source: string) => `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from ${source}`;

export async function openPGliteSession(dataDir: string): Promise<BulkSession> {
  return sessionOnPGlite(await openPGlite(dataDir));
}

/** A session on an open PGlite (closing the session closes it). */
export function sessionOnPGlite(pglite: PGlite): BulkSession {
  const database = databaseFromPGlite(pglite);
  return {
    kind: 'pglite',
    db: database.db,
    async copy(table, rows) {
      if (rows.length === 0) return;
      const columns = columnsOf(table, rows);
      for (const text of copyText(columns, rows)) await pglite.query(statement(table, columns, "'/dev/blob'"), [], { blob: new Blob([text]) });
    },
    close: () => database.close(),
  };
}

export async function openPostgresSession(url: string): Promise<BulkSession> {
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === 20) return (v: string) => Number(v);
        if (oid === 1082) return (v: string) => v;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  // Kysely on this one connection: its transactions and our COPY statements share it.
  const single = Object.assign(client, { release() {} });
  const pool = { connect: async () => single, end: async () => {} };
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    kind: 'postgres',
    db,
    async copy(table, rows) {
      if (rows.length === 0) return;
      const columns = columnsOf(table, rows);
      const stream = client.query(copyFrom(statement(table, columns, 'stdin')));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      for (const text of copyText(columns, rows)) {
        if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
      }
      stream.end();
      await done;
    },
    async close() {
      await db.destroy();
      await client.end();
    },
  };
}

/** Fresh planner statistics after a bulk load (PGlite has no autovacuum; the server's may lag). */
export async function analyze(db: Kysely<DB>): Promise<void> {
  await sql`analyze`.execute(db);
}

/**
 * After the load's transaction: VACUUM (as autovacuum would soon) and fresh statistics. The cases'
 * eligibility verdicts rewrite their members' rows once, leaving as many dead rows as live ones, and
 * without the visibility map no index-only scan is planned.
 */
export async function vacuumAnalyze(db: Kysely<DB>): Promise<void> {
  await sql`vacuum analyze`.execute(db);
}
