import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../testing/database.ts';
import type { BulkType } from './bulk.ts';
import { isEmbedded, prepareRows, writeRows } from './copy.ts';
import type { Db } from './database.ts';

// The bulk write path (COPY on PostgreSQL, INSERT … unnest on PGlite): every value
// arrives as it was, inside the caller's transaction, and a refused row fails the
// statement with the server's error and leaves the connection usable.

let database: TestDatabase;
let db: Db;
before(async () => {
  database = await createTestDatabase();
  db = database.db;
  await sql`create table copy_probe (id integer primary key, t text, a text[], j jsonb, b boolean, ts timestamptz, u uuid, d date, n numeric, c char(3) references countries (code))`.execute(db);
});
after(() => database.destroy());

const COLUMNS = [
  ['id', 'integer'],
  ['t', 'text'],
  ['a', 'text[]'],
  ['j', 'jsonb'],
  ['b', 'boolean'],
  ['ts', 'timestamptz'],
  ['u', 'uuid'],
  ['d', 'date'],
  ['n', 'numeric'],
  ['c', 'text'],
] as const satisfies readonly (readonly [string, BulkType])[];

// The probe table is not in the schema's types.
const prepare = (rows: Record<string, unknown>[]) => prepareRows(db, 'copy_probe' as never, COLUMNS as never, rows);
const read = async () => (await sql<Record<string, unknown>>`select id, t, a, j, b, ts, u::text as u, d, n::text as n, c from copy_probe order by id`.execute(db)).rows;
const clear = () => sql`delete from copy_probe`.execute(db);

describe('bulk writes', () => {
  test('the embedded database is told apart from PostgreSQL, transactions included', async () => {
    assert.equal(isEmbedded(db), TEST_DB_KIND === 'pglite');
    await db.transaction().execute(async (tx) => assert.equal(isEmbedded(tx), TEST_DB_KIND === 'pglite'));
  });

  test('every value arrives as it was: escapes, scripts, arrays, JSON, nulls', async () => {
    await clear();
    const at = new Date('2026-03-04T05:06:07.089Z');
    const rows = [
      { id: 1, t: 'tab\there, new\nline, cr\r, back\\slash, "quotes", {braces}, N, \\N', a: ['a,b', 'c"d', 'e\\f', '{g}', 'NULL', 'h\ti'], j: '{"k":"v\\n\\"q\\"","n":[1,2.5,null],"ar":"محمد"}', b: true, ts: at, u: '6f1b2c3d-4e5f-4a1b-8c2d-3e4f5a6b7c8d', d: '2015-03-04', n: 0.8, c: 'TJK' },
      { id: 2, t: 'Мухаммад محمد Yılmaz ə', a: [], j: null, b: false, ts: null, u: null, d: null, n: null, c: null },
      { id: 3, t: '', a: ['', ' '], j: '[]', b: null, ts: at, u: null, d: '1900-01-01', n: 12345678.25, c: 'IRQ' },
    ];
    await writeRows(db, prepare(rows));
    assert.deepEqual(await read(), [
      { ...rows[0], j: { k: 'v\n"q"', n: [1, 2.5, null], ar: 'محمد' }, n: '0.8' },
      { ...rows[1], n: null },
      { ...rows[2], j: [], n: '12345678.25' },
    ]);
  });

  test('many rows, in pieces of several megabytes, inside the caller’s transaction', async () => {
    await clear();
    const text = 'ф'.repeat(400);
    const rows = Array.from({ length: 24_000 }, (_, i) => ({ id: i, t: `${i} ${text}`, a: [String(i)], j: `{"i":${i}}`, b: i % 2 === 0, ts: null, u: null, d: null, n: i, c: null }));
    const prepared = prepare(rows);
    if (prepared.copy) assert.ok(prepared.copy.chunks.length > 1, 'more than one piece of COPY text');
    await db.transaction().execute(async (tx) => {
      await writeRows(tx, prepareRows(tx, 'copy_probe' as never, COLUMNS as never, rows));
      // Seen on the transaction's own connection before it commits.
      const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from copy_probe`.execute(tx);
      assert.equal(counted[0]?.n, rows.length);
    });
    const { rows: sums } = await sql<{ n: number; s: number }>`select count(*)::int as n, sum(length(t))::int as s from copy_probe where (j->>'i')::int = id and a[1] = id::text`.execute(db);
    assert.deepEqual(sums[0], { n: rows.length, s: rows.reduce((sum, r) => sum + r.t.length, 0) });
  });

  test('a refused row fails the statement with the server’s error, rolls the transaction back, and the database carries on', async () => {
    await clear();
    await writeRows(db, prepare([{ id: 1, t: 'first', a: [], j: null, b: null, ts: null, u: null, d: null, n: null, c: null }]));
    const many = (from: number) => Array.from({ length: 3000 }, (_, i) => ({ id: from + i, t: 'x'.repeat(100), a: [], j: null, b: null, ts: null, u: null, d: null, n: null, c: null }));
    // A duplicate key in the middle of the rows.
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await writeRows(tx, prepareRows(tx, 'copy_probe' as never, COLUMNS as never, many(2)));
        await writeRows(tx, prepareRows(tx, 'copy_probe' as never, COLUMNS as never, [...many(5000), { ...many(1)[0], id: 1 }, ...many(9000)]));
      }),
      (error: { code?: string; constraint?: string }) => error.code === '23505' && error.constraint === 'copy_probe_pkey',
    );
    // A foreign key the server checks.
    await assert.rejects(
      db.transaction().execute((tx) => writeRows(tx, prepareRows(tx, 'copy_probe' as never, COLUMNS as never, [{ ...many(20000)[0], c: 'XXX' }]))),
      (error: { code?: string }) => error.code === '23503',
    );
    assert.deepEqual((await read()).map((r) => r.id), [1]);
    await writeRows(db, prepare(many(100).slice(0, 3)));
    assert.deepEqual((await read()).map((r) => r.id), [1, 100, 101, 102]);
  });
});
