import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { databaseFromUrl } from './database.ts';
import { createTestDatabase, TEST_DB_KIND } from '../testing/database.ts';

// Decision 0030: the server's connections run without JIT compilation, whatever postgresql.conf says.
test('connections to a PostgreSQL server run with jit off', { skip: TEST_DB_KIND === 'postgres' ? false : 'a PostgreSQL server setting' }, async () => {
  const copy = await createTestDatabase('postgres');
  const database = databaseFromUrl(copy.url as string, 2);
  try {
    // Every connection of the pool, not only the first: two at once.
    const answers = await Promise.all([0, 1].map(() => database.db.transaction().execute(async (tx) => (await sql<{ jit: string }>`show jit`.execute(tx)).rows[0]?.jit)));
    assert.deepEqual(answers, ['off', 'off']);
  } finally {
    await database.close();
    await copy.destroy();
  }
});
