import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { recordAudit } from '../audit/trail.ts';
import { verifyAuditTrail } from '../audit/verify.ts';
import { ConfigError, loadConfig } from '../config/env.ts';
import { databaseFromPGlite, type Db, openPGlite } from '../db/database.ts';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../testing/database.ts';
import { type FieldKey, fieldKey, open, seal, sealedKeyId } from './field-crypto.ts';
import { type FieldKeyring, keyringFromConfig } from './field-keys.ts';
import { KeyRotationRefused, keysStatus, rotateKeys, SEALED, writeResealed } from './key-rotation.ts';

// Key rotation (decision 0027) on the database under test: values sealed with key A are re-sealed with
// key B while A, retired, is in HOMEWARD_ENCRYPTION_KEYS_PREVIOUS.
const A = fieldKey(randomBytes(32));
const B = fieldKey(randomBytes(32));
const X = fieldKey(randomBytes(32)); // a key nobody configured
const noKeyFile = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-keyrot-'));

/** The keyring the configuration gives: `current` seals, `previous` (HOMEWARD_ENCRYPTION_KEYS_PREVIOUS) open. */
function ring(current: FieldKey, ...previous: { id?: string; key: Buffer }[]): FieldKeyring {
  const keyring = keyringFromConfig({ encryptionKey: { id: undefined, key: current.key }, dataDir: noKeyFile, previousEncryptionKeys: previous.map((p) => ({ id: p.id, key: p.key })) }, { create: false });
  assert.ok(keyring);
  return keyring;
}
const onlyB = new Map([[B.id, B]]);

let t: TestDatabase;
let db: Db;
before(async () => {
  t = await createTestDatabase();
  db = t.db;
});
after(async () => {
  await t.destroy();
  fs.rmSync(noKeyFile, { recursive: true, force: true });
});

/** Every sealed column emptied, and no key on record. */
async function reset(): Promise<void> {
  await sql`update persons set security_notes = null where security_notes is not null`.execute(db);
  await sql`update users set totp_secret = null, totp_pending_secret = null`.execute(db);
  await sql`delete from sealing_keys`.execute(db);
}

interface Seeded {
  /** Plaintext by `table.column.id`. */
  readonly texts: Map<string, string>;
  /** The people's ids, the one with plaintext notes last. */
  readonly persons: string[];
}

/** People with security notes and users with TOTP secrets sealed with `key` (and one note not sealed yet). */
async function seed(key: FieldKey, people = 7, users = 2): Promise<Seeded> {
  const texts = new Map<string, string>();
  const persons: string[] = [];
  for (let i = 0; i < people; i++) {
    const id = randomUUID();
    const text = `Held apart from the eastern group, note ${i} — «пример» مثال`;
    await db
      .insertInto('persons')
      .values({ id, display_name: `Rotation Person ${i}`, sex: 'female', birth_precision: 'year', birth_earliest: '1990-01-01', birth_latest: '1990-12-31', security_notes: seal(key, text, { table: 'persons', column: 'security_notes', rowId: id }) })
      .execute();
    texts.set(`persons.security_notes.${id}`, text);
    persons.push(id);
  }
  // Plaintext from before encryption at rest: the rotation seals it too.
  const plain = randomUUID();
  await db.insertInto('persons').values({ id: plain, display_name: 'Rotation Plain', sex: 'male', birth_precision: 'year', birth_earliest: '1980-01-01', birth_latest: '1980-12-31', security_notes: 'written before 0011' }).execute();
  texts.set(`persons.security_notes.${plain}`, 'written before 0011');
  persons.push(plain);
  for (let i = 0; i < users; i++) {
    const id = randomUUID();
    const secret = randomBytes(20).toString('hex');
    await db
      .insertInto('users')
      .values({ id, username: `rot-${randomBytes(4).toString('hex')}`, display_name: 'Rotation User', role: 'admin', password_hash: 'not-a-hash', totp_secret: seal(key, secret, { table: 'users', column: 'totp_secret', rowId: id }) })
      .execute();
    texts.set(`users.totp_secret.${id}`, secret);
  }
  await sql`insert into sealing_keys (key_id) values (${key.id}) on conflict do nothing`.execute(db);
  return { texts, persons };
}

/** Every stored sealed-column value, by `table.column.id`. */
async function stored(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { table, column } of SEALED) {
    const { rows } = await sql<{ id: string; value: string }>`select id, ${sql.ref(column)} as value from ${sql.table(table)} where ${sql.ref(column)} is not null`.execute(db);
    for (const r of rows) out.set(`${table}.${column}.${r.id}`, r.value);
  }
  return out;
}

/** The values opened with `keys` alone, by `table.column.id` (plaintext read as it is). */
function opened(values: Map<string, string>, keys: ReadonlyMap<string, FieldKey>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [where, value] of values) {
    const [table, column, rowId] = where.split('.') as [string, string, string];
    out.set(where, sealedKeyId(value) ? open(keys, value, { table, column, rowId }) : value);
  }
  return out;
}

const byKey = (values: Map<string, string>) => {
  const out: Record<string, number> = {};
  for (const v of values.values()) out[sealedKeyId(v) ?? 'plaintext'] = (out[sealedKeyId(v) ?? 'plaintext'] ?? 0) + 1;
  return out;
};
const sealingKeys = async () => (await sql<{ key_id: string }>`select key_id from sealing_keys order by key_id`.execute(db)).rows.map((r) => r.key_id).sort();
const rotations = async () => db.selectFrom('audit_events').select('id').where('action', '=', 'keys.rotated').execute();

describe(`key rotation (${TEST_DB_KIND})`, () => {
  beforeEach(reset);

  test('A to B with A in PREVIOUS: every value under B, opening with B alone; status before and after; audited once, with ids and counts only', async () => {
    const { texts } = await seed(A);
    const keyring = ring(B, { key: A.key });
    assert.equal(keyring.current.id, B.id, 'a previous key never seals');
    assert.deepEqual([...keyring.origins], [[B.id, 'current'], [A.id, 'previous']]);

    const status = await keysStatus(db, keyring);
    const notes = status.columns.find((c) => c.table === 'persons' && c.column === 'security_notes');
    assert.deepEqual(notes?.keys, [
      { keyId: null, values: 1, standing: 'plaintext', opens: null },
      { keyId: A.id, values: 7, standing: 'previous', opens: true },
    ]);
    assert.deepEqual(status.columns.find((c) => c.column === 'totp_secret')?.keys, [{ keyId: A.id, values: 2, standing: 'previous', opens: true }]);
    assert.deepEqual(status.columns.find((c) => c.column === 'dissent')?.keys, []);

    const result = await rotateKeys(db, keyring, { batchSize: 3 });
    assert.equal(result.resealed, 10);
    assert.deepEqual(result.columns.find((c) => c.column === 'security_notes')?.from, { [A.id]: 7, plaintext: 1 });
    assert.deepEqual(result.columns.find((c) => c.column === 'totp_secret')?.from, { [A.id]: 2 });
    assert.deepEqual(result.remaining, {});
    assert.deepEqual(result.retirable, [A.id]);
    assert.deepEqual(result.forgotten, [A.id]);

    const values = await stored();
    assert.deepEqual(byKey(values), { [B.id]: 10 });
    assert.deepEqual(opened(values, onlyB), texts, 'the same texts, with B alone');
    assert.deepEqual(await sealingKeys(), [B.id], 'A is forgotten: a start without it is no longer refused');
    const after = await keysStatus(db, ring(B));
    assert.deepEqual(after.columns.find((c) => c.column === 'security_notes')?.keys, [{ keyId: B.id, values: 8, standing: 'current', opens: true }]);
    assert.deepEqual(after.columns.find((c) => c.column === 'totp_secret')?.keys, [{ keyId: B.id, values: 2, standing: 'current', opens: true }]);

    const events = await rotations();
    assert.equal(events.length, 1);
    const data = (await db.selectFrom('audit_values').select('data').where('event_id', '=', events[0]!.id).executeTakeFirstOrThrow()).data as {
      system: string;
      after: { to: string; from: string[]; resealed: number; columns: Record<string, { resealed: number; from: Record<string, number> }>; forgotten: string[] };
    };
    assert.equal(data.system, 'homeward keys rotate');
    assert.equal(data.after.to, B.id);
    assert.deepEqual(data.after.from, [A.id, 'plaintext'].sort());
    assert.equal(data.after.resealed, 10);
    assert.deepEqual(data.after.columns['persons.security_notes'], { resealed: 8, from: { [A.id]: 7, plaintext: 1 }, changedMeanwhile: 0 });
    assert.deepEqual(data.after.columns['users.totp_secret'], { resealed: 2, from: { [A.id]: 2 }, changedMeanwhile: 0 });
    assert.deepEqual(data.after.forgotten, [A.id]);
    const text = JSON.stringify(data);
    for (const secret of [A.key.toString('hex'), A.key.toString('base64'), B.key.toString('hex'), B.key.toString('base64'), 'eastern group', 'written before 0011']) assert.ok(!text.includes(secret), 'no key and no plaintext in the audit trail');
    assert.equal((await verifyAuditTrail(db)).ok, true);
  });

  test('sealed values in the audit trail’s history are counted by key, and left as they are', async () => {
    const { persons } = await seed(A, 1, 0);
    const id = persons[0]!;
    const before = seal(A, 'earlier notes', { table: 'persons', column: 'security_notes', rowId: id });
    await db.transaction().execute((tx) => recordAudit(tx, { action: 'person.updated', entityType: 'person', entityId: id, actor: { system: 'test' }, before: { security_notes: before }, after: { security_notes: null } }));
    const keyring = ring(B, { key: A.key });
    const count = async () => (await keysStatus(db, keyring)).audit?.find((k) => k.keyId === A.id);
    const was = await count();
    assert.equal(was?.standing, 'previous');
    assert.ok((was?.values ?? 0) >= 1);
    await rotateKeys(db, keyring);
    assert.deepEqual(await count(), was, 'the chain hashes them: never re-sealed');
    assert.equal((await verifyAuditTrail(db)).ok, true);
  });

  test('--dry-run says what it would re-seal and changes nothing', async () => {
    await seed(A);
    const before = await stored();
    const events = (await rotations()).length;
    const result = await rotateKeys(db, ring(B, { key: A.key }), { dryRun: true });
    assert.equal(result.dryRun, true);
    assert.equal(result.resealed, 10);
    assert.deepEqual(result.columns.find((c) => c.column === 'security_notes')?.from, { plaintext: 1, [A.id]: 7 });
    assert.deepEqual(result.remaining, { plaintext: 1, [A.id]: 9 });
    assert.deepEqual(await stored(), before);
    assert.deepEqual(await sealingKeys(), [A.id]);
    assert.equal((await rotations()).length, events);
  });

  test('a second run re-seals nothing and records nothing', async () => {
    await seed(A);
    const keyring = ring(B, { key: A.key });
    await rotateKeys(db, keyring);
    const once = await stored();
    const events = (await rotations()).length;
    const again = await rotateKeys(db, keyring);
    assert.equal(again.resealed, 0);
    assert.deepEqual(again.retirable, [A.id]);
    assert.deepEqual(await stored(), once, 'not even sealed afresh');
    assert.equal((await rotations()).length, events);
  });

  test('a value sealed with a key that is not configured: refused, naming the column and the key id; nothing changed', async () => {
    await seed(A);
    const user = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await db.updateTable('users').set({ totp_pending_secret: seal(X, 'pending', { table: 'users', column: 'totp_pending_secret', rowId: user.id }) }).where('id', '=', user.id).execute();
    const before = await stored();
    const events = (await rotations()).length;
    const keyring = ring(B, { key: A.key });
    const status = await keysStatus(db, keyring);
    assert.deepEqual(status.columns.find((c) => c.column === 'totp_pending_secret')?.keys, [{ keyId: X.id, values: 1, standing: 'missing', opens: null }]);
    await assert.rejects(rotateKeys(db, keyring), (error: Error) => {
      assert.ok(error instanceof KeyRotationRefused);
      assert.match(error.message, new RegExp(`encryption key ${X.id}, which is not configured: users\\.totp_pending_secret \\(1 value\\(s\\) under key ${X.id}\\)`));
      assert.match(error.message, /HOMEWARD_ENCRYPTION_KEYS_PREVIOUS.*nothing was changed$/);
      assert.ok(!error.message.includes('persons.security_notes'), 'only the columns that hold it');
      return true;
    });
    await assert.rejects(rotateKeys(db, keyring, { dryRun: true }), KeyRotationRefused);
    assert.deepEqual(await stored(), before);
    assert.equal((await rotations()).length, events);
  });

  test('another key under a sealing key’s id: refused before anything changes', async () => {
    await seed(A, 2, 0);
    const before = await stored();
    const impostor = ring(B, { id: A.id, key: randomBytes(32) });
    assert.equal((await keysStatus(db, impostor)).columns[0]?.keys.find((k) => k.keyId === A.id)?.opens, false);
    await assert.rejects(rotateKeys(db, impostor), new RegExp(`does not open with the key configured under its key id: persons\\.security_notes \\(key ${A.id}\\)`));
    assert.deepEqual(await stored(), before);
  });

  test('killed mid-way: each value under A or B, all open; the next run finishes', async () => {
    const { texts } = await seed(A);
    const keyring = ring(B, { key: A.key });
    let batches = 0;
    await assert.rejects(
      rotateKeys(db, keyring, {
        batchSize: 3,
        afterBatch: () => {
          if (++batches === 2) throw new Error('killed');
        },
      }),
      /killed/,
    );
    const half = await stored();
    const counts = byKey(half);
    assert.equal(counts[B.id], 6, 'two batches of the notes committed');
    assert.equal((counts[A.id] ?? 0) + (counts.plaintext ?? 0), 4, 'the rest as it was');
    assert.deepEqual(opened(half, keyring.keys), texts);
    assert.deepEqual(await sealingKeys(), [A.id, B.id].sort(), 'both still on record');
    const rest = await rotateKeys(db, keyring, { batchSize: 3 });
    assert.equal(rest.resealed, 4);
    const done = await stored();
    assert.deepEqual(byKey(done), { [B.id]: 10 });
    assert.deepEqual(opened(done, onlyB), texts);
    assert.deepEqual(await sealingKeys(), [B.id]);
  });

  test('a write between batches is not lost, and a value written with the old key meanwhile keeps it on record', async () => {
    const { persons } = await seed(A, 6, 0);
    const keyring = ring(B, { key: A.key });
    const ids = [...persons].sort();
    const visitedFirst = ids[0]!;
    const notYet = ids.at(-1)!;
    const write = (id: string, text: string) =>
      db.updateTable('persons').set({ security_notes: seal(A, text, { table: 'persons', column: 'security_notes', rowId: id }) }).where('id', '=', id).execute();
    let batches = 0;
    const result = await rotateKeys(db, keyring, {
      batchSize: 2,
      afterBatch: async ({ table }) => {
        if (table !== 'persons' || ++batches !== 1) return;
        // An instance still sealing with A writes two notes: one the rotation has passed, one it has not reached.
        await write(visitedFirst, 'changed after its batch');
        await write(notYet, 'changed before its batch');
      },
    });
    const values = await stored();
    const where = (id: string) => `persons.security_notes.${id}`;
    assert.equal(sealedKeyId(values.get(where(notYet))!), B.id);
    assert.equal(opened(values, keyring.keys).get(where(notYet)), 'changed before its batch', 'the newer text, re-sealed, not the one read before');
    assert.equal(sealedKeyId(values.get(where(visitedFirst))!), A.id);
    assert.equal(opened(values, keyring.keys).get(where(visitedFirst)), 'changed after its batch');
    assert.deepEqual(result.remaining, { [A.id]: 1 });
    assert.deepEqual(result.retirable, [], 'A is not safe to retire yet');
    assert.deepEqual(await sealingKeys(), [A.id, B.id].sort());
    const again = await rotateKeys(db, keyring);
    assert.equal(again.resealed, 1);
    assert.deepEqual(again.retirable, [A.id]);
  });

  test('a writer holding a row: the rotation waits for it and re-seals what it committed', { skip: TEST_DB_KIND === 'postgres' ? false : 'the embedded database has one connection' }, async () => {
    const { persons } = await seed(A, 3, 0);
    const id = persons[0]!;
    const context = { table: 'persons', column: 'security_notes', rowId: id };
    const writer = new pg.Client({ connectionString: t.url as string });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query('update persons set security_notes = $1 where id = $2', [seal(A, 'first draft', context), id]);
      const rotation = rotateKeys(db, ring(B, { key: A.key }));
      // The rotation's batch waits for the writer's row lock.
      for (let waited = 0; ; waited += 20) {
        const { rows } = await sql<{ n: number }>`select count(*) as n from pg_locks where not granted`.execute(db);
        if (Number(rows[0]?.n) > 0) break;
        assert.ok(waited < 10_000, 'the rotation never waited for the row');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await writer.query('update persons set security_notes = $1 where id = $2', [seal(A, 'as committed', context), id]);
      await writer.query('commit');
      const result = await rotation;
      assert.equal(result.resealed, 4);
      const value = (await db.selectFrom('persons').select('security_notes').where('id', '=', id).executeTakeFirstOrThrow()).security_notes!;
      assert.equal(sealedKeyId(value), B.id);
      assert.equal(open(onlyB, value, context), 'as committed');
    } finally {
      await writer.end();
    }
  });

  test('the write guard: a value changed after it was read is left as its writer wrote it', async () => {
    const { persons } = await seed(A, 1, 0);
    const id = persons[0]!;
    const context = { table: 'persons', column: 'security_notes', rowId: id };
    const read = (await db.selectFrom('persons').select('security_notes').where('id', '=', id).executeTakeFirstOrThrow()).security_notes!;
    const newer = seal(B, 'newer text', context);
    await db.updateTable('persons').set({ security_notes: newer }).where('id', '=', id).execute();
    const stale = { id, prev: read, next: seal(B, open(new Map([[A.id, A]]), read, context), context) };
    assert.equal((await writeResealed(db, 'persons', 'security_notes', [stale])).size, 0);
    assert.equal((await db.selectFrom('persons').select('security_notes').where('id', '=', id).executeTakeFirstOrThrow()).security_notes, newer);
    const fresh = { id, prev: newer, next: seal(B, 'newer text', context) };
    assert.deepEqual([...(await writeResealed(db, 'persons', 'security_notes', [fresh]))], [id]);
  });
});

describe('HOMEWARD_ENCRYPTION_KEYS_PREVIOUS', () => {
  test('comma-separated keys as HOMEWARD_ENCRYPTION_KEY, or <id>:<key>; open, never seal', () => {
    const config = loadConfig({ HOMEWARD_ENCRYPTION_KEY: B.key.toString('hex'), HOMEWARD_ENCRYPTION_KEYS_PREVIOUS: ` ${A.key.toString('base64')} ,, k2025:${X.key.toString('hex')},` });
    assert.deepEqual(config.previousEncryptionKeys, [
      { id: undefined, key: A.key },
      { id: 'k2025', key: X.key },
    ]);
    const keyring = keyringFromConfig({ ...config, dataDir: noKeyFile }, { create: false });
    assert.equal(keyring?.current.id, B.id);
    assert.deepEqual([...(keyring?.origins ?? [])], [[B.id, 'current'], [A.id, 'previous'], ['k2025', 'previous']]);
    assert.deepEqual(loadConfig({}).previousEncryptionKeys, []);
    // The current key repeated among the previous ones is the same key: no harm.
    assert.equal(ring(B, { key: B.key }).keys.size, 1);
  });

  test('a wrong entry names the variable and which entry, never the value', () => {
    const bad = 'not-a-key-at-all';
    const cases: [string, RegExp][] = [
      [`${A.key.toString('hex')},${bad}`, /^environment variable HOMEWARD_ENCRYPTION_KEYS_PREVIOUS: the 2nd entry must be 32 bytes/],
      [`${randomBytes(16).toString('hex')}`, /: the 1st entry must be 32 bytes/],
      [`${A.key.toString('hex')},${B.key.toString('hex')},Bad Id:${X.key.toString('hex')}`, /: the 3rd entry's id \(before the colon\) must be 1-32 characters/],
    ];
    for (const [value, message] of cases) {
      assert.throws(
        () => loadConfig({ HOMEWARD_ENCRYPTION_KEYS_PREVIOUS: value }),
        (error: Error) => error instanceof ConfigError && message.test(error.message) && !error.message.includes(bad) && !error.message.includes(A.key.toString('hex')),
      );
    }
    // Two different keys under one id cannot both open: a value names its key by id alone.
    assert.throws(() => ring(B, { id: B.id, key: A.key }), /HOMEWARD_ENCRYPTION_KEYS_PREVIOUS: its 1st entry is another key under the id .* of HOMEWARD_ENCRYPTION_KEY/);
    assert.throws(() => ring(B, { id: 'old', key: A.key }, { id: 'old', key: X.key }), /its 2nd entry is another key under the id old of its 1st entry/);
  });
});

// The commands as an operator runs them: three processes in all (bad argument, status, rotate).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'homeward.js');

/** Runs `homeward`; its exit code and output, whatever the code. */
const homeward = (env: NodeJS.ProcessEnv, args: string[]) =>
  promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0 as number | null, stdout, stderr }),
    (error: { code?: number | null; stdout: string; stderr: string }) => ({ code: error.code ?? null, stdout: error.stdout, stderr: error.stderr }),
  );

test(`homeward keys status and keys rotate (${TEST_DB_KIND}, real processes)`, { timeout: 300_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-keyrot-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEWARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOMEWARD_ENCRYPTION_KEY: B.key.toString('base64'), HOMEWARD_ENCRYPTION_KEYS_PREVIOUS: A.key.toString('hex') };
  delete env.DATABASE_URL;
  delete env.NODE_TEST_CONTEXT;
  let copy: TestDatabase | null = null;
  try {
    // The database the processes open: a copy on the server, or an embedded one in the data directory.
    let withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
    if (TEST_DB_KIND === 'postgres') {
      const pg = await createTestDatabase('postgres');
      copy = pg;
      env.DATABASE_URL = pg.url as string;
      withDb = (fn) => fn(pg.db);
    } else {
      const template = process.env.HOMEWARD_TEST_PGLITE_TEMPLATE;
      const load = template && fs.existsSync(template) ? new Blob([fs.readFileSync(template)]) : undefined;
      await databaseFromPGlite(await openPGlite(path.join(dataDir, 'pglite'), load)).close();
      withDb = async (fn) => {
        const database = databaseFromPGlite(await openPGlite(path.join(dataDir, 'pglite')));
        try {
          return await fn(database.db);
        } finally {
          await database.close();
        }
      };
    }
    const id = randomUUID();
    const notes = 'Seen with the eastern group; two witnesses';
    await withDb(async (target) => {
      await target
        .insertInto('persons')
        .values({ id, display_name: 'CLI Person', sex: 'female', birth_precision: 'year', birth_earliest: '1990-01-01', birth_latest: '1990-12-31', security_notes: seal(A, notes, { table: 'persons', column: 'security_notes', rowId: id }) })
        .execute();
      await sql`insert into sealing_keys (key_id) values (${A.id})`.execute(target);
    });

    const badArgument = await homeward(env, ['keys', 'rotate', '--batch-size', 'lots']);
    assert.equal(badArgument.code, 2, badArgument.stderr);
    assert.equal(badArgument.stderr, 'homeward: --batch-size: must be a whole number of rows\n');

    const status = await homeward(env, ['keys', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^keyring: ${B.id} current \\(HOMEWARD_ENCRYPTION_KEY\\), ${A.id} previous \\(HOMEWARD_ENCRYPTION_KEYS_PREVIOUS\\)\n`));
    assert.match(status.stdout, new RegExp(`\npersons\\.security_notes +${A.id} +1  previous \\(HOMEWARD_ENCRYPTION_KEYS_PREVIOUS\\)\n`));
    assert.match(status.stdout, new RegExp(`1 value\\(s\\) are not sealed with the current key ${B.id} \\(${A.id}: 1\\): \`homeward keys rotate\` re-seals them\n$`));

    const rotate = await homeward(env, ['keys', 'rotate']);
    assert.equal(rotate.code, 0, rotate.stderr);
    assert.match(rotate.stdout, new RegExp(`\npersons\\.security_notes: re-sealed 1 \\(${A.id}: 1\\)\n`));
    assert.match(rotate.stdout, new RegExp(`key ${A.id}: no value is left under it — safe to retire: remove it from HOMEWARD_ENCRYPTION_KEYS_PREVIOUS`));
    for (const out of [status.stdout, status.stderr, rotate.stdout, rotate.stderr]) {
      for (const secret of [notes, A.key.toString('hex'), B.key.toString('base64')]) assert.ok(!out.includes(secret), 'no key or plaintext printed');
    }
    await withDb(async (target) => {
      const row = await target.selectFrom('persons').select('security_notes').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(open(onlyB, row.security_notes!, { table: 'persons', column: 'security_notes', rowId: id }), notes);
      assert.deepEqual((await sql<{ key_id: string }>`select key_id from sealing_keys`.execute(target)).rows.map((r) => r.key_id), [B.id]);
      assert.equal((await target.selectFrom('audit_events').select('id').where('action', '=', 'keys.rotated').execute()).length, 1);
    });
  } finally {
    await copy?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
