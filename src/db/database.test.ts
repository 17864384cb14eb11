import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { ConfigError, loadConfig, pgliteSharedBuffers } from '../config/env.ts';
import { databaseFromPGlite, databaseFromUrl, openPGlite } from './database.ts';
import { createTestDatabase, TEST_DB_KIND } from '../testing/database.ts';

test('the embedded database takes its shared_buffers from HOMEWARD_PGLITE_SHARED_BUFFERS; a bad value names the variable', async () => {
  assert.equal(pgliteSharedBuffers({}), '128MB', 'the default');
  assert.equal(pgliteSharedBuffers({ HOMEWARD_PGLITE_SHARED_BUFFERS: '' }), '128MB', 'empty means unset');
  assert.equal(pgliteSharedBuffers({ HOMEWARD_PGLITE_SHARED_BUFFERS: '24MB' }), '24MB');
  for (const [value, message] of [
    ['16mb', /HOMEWARD_PGLITE_SHARED_BUFFERS: must be a whole number of megabytes/],
    ['1GB', /whole number of megabytes/],
    ['0MB', /between 1MB and 1024MB/],
    ['2048MB', /between 1MB and 1024MB/],
    ["16MB' -c fsync=off", /whole number of megabytes/],
  ] as const) {
    assert.throws(() => pgliteSharedBuffers({ HOMEWARD_PGLITE_SHARED_BUFFERS: value }), (e: Error) => e instanceof ConfigError && message.test(e.message), value);
    assert.throws(() => loadConfig({ HOMEWARD_PGLITE_SHARED_BUFFERS: value }), (e: Error) => e instanceof ConfigError && /HOMEWARD_PGLITE_SHARED_BUFFERS/.test(e.message), value);
  }
  const before = process.env.HOMEWARD_PGLITE_SHARED_BUFFERS;
  process.env.HOMEWARD_PGLITE_SHARED_BUFFERS = '24MB';
  try {
    const database = databaseFromPGlite(await openPGlite(undefined));
    try {
      assert.equal((await sql<{ size: string }>`select current_setting('shared_buffers') as size`.execute(database.db)).rows[0]?.size, '24MB');
    } finally {
      await database.close();
    }
  } finally {
    if (before === undefined) delete process.env.HOMEWARD_PGLITE_SHARED_BUFFERS;
    else process.env.HOMEWARD_PGLITE_SHARED_BUFFERS = before;
  }
});

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
