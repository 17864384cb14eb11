import fs from 'node:fs';
import { openPGlite } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { type BulkSession, openPostgresSession, sessionOnPGlite } from '../generate/copy.ts';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from './database.ts';

/**
 * A bulk-load session (what `homeward generate` writes through) on a fresh, migrated test database
 * of the kind under test: a copy on the PostgreSQL server (dropped by `close`), or an in-memory PGlite
 * from the template.
 */
export async function openTestBulkSession(): Promise<{ readonly session: BulkSession; readonly testDb: TestDatabase | null; close(): Promise<void> }> {
  let session: BulkSession;
  let testDb: TestDatabase | null = null;
  if (TEST_DB_KIND === 'postgres') {
    testDb = await createTestDatabase('postgres');
    session = await openPostgresSession(testDb.url as string);
  } else {
    const file = process.env.HOMEWARD_TEST_PGLITE_TEMPLATE;
    const pglite = await openPGlite(undefined, file && fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : undefined);
    session = sessionOnPGlite(pglite);
    await migrateToLatest(session.db);
  }
  return {
    session,
    testDb,
    async close() {
      await session.close();
      await testDb?.destroy();
    },
  };
}
