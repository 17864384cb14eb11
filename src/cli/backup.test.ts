import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { readHeader } from '../backup/envelope.ts';
import { type Database, databaseFromPGlite, type Db, openPGlite } from '../db/database.ts';
import { openValue, sealValue } from '../repositories/sealed-fields.ts';
import { fieldKeyring } from '../security/field-keys.ts';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../testing/database.ts';

// `homeward backup` and `homeward restore` as real processes, on a fresh embedded database in a
// temporary data directory (pglite run) or a fresh copy on the PostgreSQL server (postgres run).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'homeward.js');
const PG = TEST_DB_KIND === 'postgres';
const PASSWORD = 'correct-horse-battery-9';
const NOTES = 'Seen with the eastern group; two witnesses';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-backup-'));
const env: NodeJS.ProcessEnv = { ...process.env, HOMEWARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
delete env.NODE_TEST_CONTEXT;
delete env.HOMEWARD_BACKUP_PASSPHRASE;
let testDb: TestDatabase | null = null;
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await testDb?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (testDb) return fn(testDb.db);
  const database: Database = databaseFromPGlite(await openPGlite(path.join(dataDir, 'pglite')));
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs homeward; with `killOn`, SIGKILLs it the moment its output shows that line. */
function homeward(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; killOn?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: options.env ?? env, timeout: 180_000 });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (options.killOn && stdout.includes(options.killOn)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

function refused(run: Run, line: RegExp) {
  assert.equal(run.code, 1, `exit code; stdout: ${run.stdout} stderr: ${run.stderr}`);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0] as string, /^homeward: /);
  assert.match(lines[0] as string, line);
}

interface State {
  readonly users: string[];
  readonly agencies: string[];
  readonly notes: string | null;
  readonly fileSha: string | null;
}

let personId = '';
async function state(): Promise<State> {
  return withDb(async (db) => {
    const users = (await db.selectFrom('users').select('username').orderBy('username').execute()).map((u) => u.username);
    const agencies = (await db.selectFrom('agencies').select('name').orderBy('name').execute()).map((a) => a.name);
    const p = await db.selectFrom('persons').select('security_notes').where('id', '=', personId).executeTakeFirst();
    const f = await db.selectFrom('files').select('data').where('content_type', '=', 'application/octet-stream').executeTakeFirst();
    return {
      users,
      agencies,
      notes: p?.security_notes ? openValue('persons', 'security_notes', personId, p.security_notes) : null,
      fileSha: f ? createHash('sha256').update(f.data as Buffer).digest('hex') : null,
    };
  });
}

/** A change made by another program: an agency more. */
const addAgency = (name: string) => withDb((db) => db.insertInto('agencies').values({ name, kind: 'oversight' }).execute());

async function addUser(username: string) {
  const run = await homeward(['user', 'add', '--username', username, '--role', 'admin'], { input: `${PASSWORD}\n` });
  assert.equal(run.code, 0, run.stderr);
}

test(`backup and restore (${TEST_DB_KIND}): checked before anything is replaced, all or nothing, even when killed`, { timeout: 600_000 }, async () => {
  if (PG) {
    testDb = await createTestDatabase('postgres');
    env.DATABASE_URL = testDb.url as string;
  }
  await addUser('vault-admin');
  // A person with sealed security notes and an uploaded file of 4 MB (files live in the database).
  const blob = randomBytes(4 * 1024 * 1024);
  await withDb(async (db) => {
    const row = await db.insertInto('persons').values({ display_name: 'Backup Person', sex: 'female', birth_precision: 'year', birth_earliest: '1990-01-01', birth_latest: '1990-12-31' }).returning('id').executeTakeFirstOrThrow();
    personId = row.id;
    await db.updateTable('persons').set({ security_notes: sealValue('persons', 'security_notes', personId, NOTES) }).where('id', '=', personId).execute();
    await sql`insert into sealing_keys (key_id) values (${fieldKeyring().current.id}) on conflict do nothing`.execute(db);
    const sha = createHash('sha256').update(blob).digest('hex');
    await db.insertInto('files').values({ sha256: sha, content_type: 'application/octet-stream', size_bytes: blob.length, data: blob }).execute();
  });
  const original = await state();
  assert.deepEqual(original.users, ['vault-admin']);
  assert.equal(original.notes, NOTES);

  // The backup: complete under its name, nothing partial left, no plaintext in it.
  const file = path.join(dataDir, 'one.hwb');
  const made = await homeward(['backup', file]);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /backup written: .*one\.hwb/);
  assert.ok(fs.existsSync(file) && !fs.existsSync(`${file}.partial`));
  const header = readHeader(file);
  assert.equal(header.database, TEST_DB_KIND);
  assert.equal(header.kdf.kind, 'key');
  const bytes = fs.readFileSync(file);
  assert.ok(!bytes.includes(blob.subarray(0, 64)) && !bytes.includes(Buffer.from('vault-admin')), 'nothing readable in the backup');

  // Changes after the backup.
  await addAgency('Added after the backup');
  await withDb((db) => db.updateTable('persons').set({ security_notes: sealValue('persons', 'security_notes', personId, 'changed later') }).where('id', '=', personId).execute());
  const changed = await state();
  assert.ok(changed.agencies.includes('Added after the backup'));

  // Refusals, each before anything is touched: one byte changed, the wrong key, data there without --force.
  const damaged = path.join(dataDir, 'damaged.hwb');
  const flipped = Buffer.from(bytes);
  const at = Math.floor(bytes.length / 2);
  flipped[at] = (flipped[at] as number) ^ 0x40;
  fs.writeFileSync(damaged, flipped);
  const otherKey = { ...env, HOMEWARD_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
  const [corrupt, wrongKey, noForce, verified] = await Promise.all([
    homeward(['restore', '--force', damaged]),
    homeward(['restore', '--force', file], { env: otherKey }),
    homeward(['restore', file]),
    homeward(['backup', '--verify', file]),
  ]);
  refused(corrupt, /damaged: chunk \d+ of \d+ does not open.*nothing was changed/);
  refused(wrongKey, new RegExp(`sealed with encryption key ${header.kdf.kind === 'key' ? header.kdf.keyId : ''} \\(HOMEWARD_ENCRYPTION_KEY is key [0-9a-f]{8}\\)`));
  refused(noForce, /the database holds data .*add --force/);
  assert.equal(verified.code, 0, verified.stderr);
  assert.match(verified.stdout, /backup verified: .* chunks opened, SHA-256 matches/);
  assert.deepEqual(await state(), changed, 'the refused restores changed nothing');

  // The restore: as at the backup; the audit trail verifies, with the restore recorded.
  const restored = await homeward(['restore', '--force', file]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /audit trail verified: \d+ events/);
  assert.deepEqual(await state(), original);
  const events = await withDb(async (db) => (await db.selectFrom('audit_events').select('action').where('action', 'like', 'backup.%').execute()).map((e) => e.action));
  assert.deepEqual(events, ['backup.restored'], 'the restore is on record (the backup was recorded after its snapshot)');

  // SIGKILL in the middle of a backup: no file under the final name; the partial one says so.
  const second = path.join(dataDir, 'two.hwb');
  const killed = await homeward(['backup', second], { killOn: 'writing ' });
  assert.equal(killed.signal, 'SIGKILL');
  assert.equal(fs.existsSync(second), false, 'no complete-looking file');
  if (fs.existsSync(`${second}.partial`)) assert.throws(() => readHeader(`${second}.partial`), /is incomplete/);

  // SIGKILL in the middle of a restore: after a restart the database is the old one or the new one.
  await addAgency('Added before the killed restore');
  const before = await state();
  const interrupted = await homeward(['restore', '--force', file], { killOn: PG ? 'replacing the database' : 'building the restored database' });
  assert.equal(interrupted.signal, 'SIGKILL');
  const verify = await homeward(['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stderr);
  const after = await state();
  assert.ok(JSON.stringify(after) === JSON.stringify(before) || JSON.stringify(after) === JSON.stringify(original), `neither old nor new: ${JSON.stringify(after)}`);
  if (!PG) assert.deepEqual(fs.readdirSync(dataDir).filter((f) => f.startsWith('pglite') || f === 'restore.swap'), ['pglite'], 'nothing half-swapped left');

  // Without the key that sealed the fields, the server refuses to start.
  const keyless = { ...env };
  delete keyless.HOMEWARD_ENCRYPTION_KEY;
  const serve = await homeward(['serve'], { env: { ...keyless, PORT: '0' } });
  refused(serve, /homeward serve: the database holds fields sealed with encryption key [0-9a-f]{8} and no key is set: set HOMEWARD_ENCRYPTION_KEY/);
  assert.equal(fs.existsSync(path.join(dataDir, 'encryption.key')), false);
});
