import './test-key.ts';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, databaseFromPGlite, databaseFromUrl, openPGlite } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';

/**
 * Test databases. The suite runs twice: HOMEWARD_TEST_DB=pglite (embedded) and
 * HOMEWARD_TEST_DB=postgres (server at TEST_DATABASE_URL). Each test file gets
 * its own copy of a database migrated once (a template), never a shared one.
 */
export type TestDbKind = 'pglite' | 'postgres';

export const TEST_DB_KIND: TestDbKind = process.env.HOMEWARD_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const PG_TEMPLATE = process.env.HOMEWARD_TEST_PG_TEMPLATE ?? 'homeward_test_template';

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this copy (to start a server process on it). */
  readonly url: string | null;
  /** Closes and drops the copy. */
  destroy(): Promise<void>;
}

export function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs SQL as the administrator of the test server. */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Makes (again) the migrated PostgreSQL template every test copies. */
export async function preparePostgresTemplate(): Promise<void> {
  await adminQuery(`drop database if exists ${PG_TEMPLATE} with (force)`);
  await adminQuery(`create database ${PG_TEMPLATE}`);
  const database = databaseFromUrl(urlFor(PG_TEMPLATE), 1);
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

/** A migrated embedded database, dumped so each test file can load it in under a second. */
export async function preparePGliteTemplate(file: string): Promise<void> {
  const pglite = await openPGlite(undefined);
  const database = databaseFromPGlite(pglite);
  await migrateToLatest(database.db);
  const dump = await pglite.dumpDataDir('gzip');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
}

async function templateExists(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const result = await client.query('select 1 from pg_database where datname = $1', [PG_TEMPLATE]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(kind: TestDbKind = TEST_DB_KIND): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const file = process.env.HOMEWARD_TEST_PGLITE_TEMPLATE;
    let database: Database;
    if (file && fs.existsSync(file)) {
      database = databaseFromPGlite(await openPGlite(undefined, new Blob([fs.readFileSync(file)])));
    } else {
      database = databaseFromPGlite(await openPGlite(undefined));
      await migrateToLatest(database.db);
    }
    return { ...database, url: null, destroy: () => database.close() };
  }
  if (!process.env.HOMEWARD_TEST_PG_TEMPLATE && !(await templateExists())) await preparePostgresTemplate();
  const name = `hw_test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`create database ${name} template ${PG_TEMPLATE}`);
      break;
    } catch (error) {
      // Another copy being made from the template at this instant: try again.
      if ((error as { code?: string }).code !== '55006' || attempt > 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  const url = urlFor(name);
  const database = databaseFromUrl(url, 5);
  return {
    ...database,
    url,
    async destroy() {
      await database.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
