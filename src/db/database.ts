import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { type Config, pgliteSharedBuffers } from '../config/env.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { noteQuery } from './timing.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or a transaction in it: what repositories accept. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;

/** Same values from both databases: bigint as number, date as 'YYYY-MM-DD'. */
const PARSERS = {
  [INT8]: (value: string) => Number(value),
  [DATE]: (value: string) => value,
};

export const PGLITE_EXTENSIONS = { pg_trgm, fuzzystrmatch, unaccent };

/** Opens an embedded database; its shared_buffers from HOMEWARD_PGLITE_SHARED_BUFFERS (default 128MB). */
export async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: PGLITE_EXTENSIONS,
    parsers: PARSERS,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers()}`],
  });
}

export function databaseFromPGlite(pglite: PGlite): Database {
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), log: noteQuery });
  return {
    db,
    kind: 'pglite',
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export function databaseFromUrl(url: string, maxConnections = 10): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    // No JIT compilation (decision 0030): Homeward's heaviest statements (the dashboard's aggregates)
    // run for well under a second, and compiling them cost more than it saved — 750 ms of the 1,050 ms
    // of the pending-clearances figure among 1,000,000 people.
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        const parser = PARSERS[oid as keyof typeof PARSERS];
        return parser ?? pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not take the process down.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: noteQuery });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

export async function openDatabase(config: Config): Promise<Database> {
  if (config.database.kind === 'postgres') return databaseFromUrl(config.database.url);
  return databaseFromPGlite(await openPGlite(config.database.dataDir));
}
