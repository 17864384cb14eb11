import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type Database, databaseFromPGlite, type Db, openPGlite } from '../db/database.ts';
import { lockPathFor } from '../db/lock.ts';
import { DEMO_COUNTRIES } from '../demo/countries.ts';
import { verifyPassword } from '../security/passwords.ts';
import { sha256Hex } from '../security/tokens.ts';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../testing/database.ts';

// The real `homeward` command, in a child process, on its own database: a fresh
// embedded one in a temporary data directory (pglite run), or a fresh copy on the
// PostgreSQL server through DATABASE_URL (postgres run).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'homeward.js');
const PG = TEST_DB_KIND === 'postgres';
const PASSWORD = 'correct-horse-battery-9';
const LOCK_ONLY_PGLITE = PG ? 'the data-directory lock guards only the embedded database' : false;

interface Target {
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs fn on the target's database; for PGlite only while no homeward process holds it. */
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>;
}
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function newTarget(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-cli-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEWARD_DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.NODE_TEST_CONTEXT;
  let testDb: TestDatabase | null = null;
  if (PG) {
    testDb = await createTestDatabase('postgres');
    cleanups.push(() => testDb?.destroy());
    env.DATABASE_URL = testDb.url as string;
  }
  return {
    dataDir,
    env,
    async withDb(fn) {
      if (testDb) return fn(testDb.db);
      const database: Database = databaseFromPGlite(await openPGlite(path.join(dataDir, 'pglite')));
      try {
        return await fn(database.db);
      } finally {
        await database.close();
      }
    },
  };
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function homeward(target: Target, args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: target.env, timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A refusal: the exit code, and exactly one line on standard error that matches. */
function assertRefused(run: Run, code: number | 'non-zero', line: RegExp) {
  if (code === 'non-zero') assert.ok(run.code !== 0 && run.code !== null, `exit code ${run.code}`);
  else assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0]!, /^homeward: /);
  assert.match(lines[0]!, line);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

async function startServer(target: Target, args: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: { ...target.env, PORT: String(port) } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 90_000;
  while (!output.includes('Homeward is running at')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const login = (server: Server, username: string, password: string) =>
  fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('homeward migrate, user add, token create and audit verify', () => {
  let target: Target;
  before(async () => {
    target = await newTarget();
  });

  test('migrate brings the database up to date', async () => {
    const run = await homeward(target, ['migrate']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'database is up to date\n');
  });

  test('user add makes the user, with the password from standard input', async () => {
    const run = await homeward(target, ['user', 'add', '--username', 'ana', '--role', 'embassy', '--country', 'rus'], `${PASSWORD}\n`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^created user ana \(embassy, RUS, Embassy of /);
    await target.withDb(async (db) => {
      const user = await db.selectFrom('users').selectAll().where('username', '=', 'ana').executeTakeFirstOrThrow();
      assert.equal(user.role, 'embassy');
      assert.equal(user.country_code, 'RUS');
      assert.equal(user.must_change_password, false);
      assert.equal(await verifyPassword(user.password_hash, PASSWORD), true, 'the password without its newline');
      const event = await db.selectFrom('audit_events').selectAll().where('action', '=', 'user.created').where('entity_id', '=', user.id).executeTakeFirst();
      assert.ok(event, 'audited');
    });
  });

  test('user add refuses bad input with one clear line', async () => {
    const add = (args: string[], input = `${PASSWORD}\n`) => homeward(target, ['user', 'add', ...args], input);
    assertRefused(await add(['--username', 'bob', '--role', 'coordinator'], 'too-short\n'), 'non-zero', /password: must be at least 12 characters$/);
    assertRefused(await add(['--username', 'bob', '--role', 'nope']), 2, /^homeward: --role: /);
    assertRefused(await add(['--username', 'bob', '--role', 'embassy']), 'non-zero', /country: is required for the embassy role/);
    assertRefused(await add(['--username', 'ana', '--role', 'coordinator']), 'non-zero', /username ana is taken/);
    assertRefused(await add(['--username', 'bob', '--role', 'coordinator'], ''), 'non-zero', /no password on standard input/);
    const users = await target.withDb((db) => db.selectFrom('users').select('username').execute());
    assert.deepEqual(users.map((u) => u.username), ['ana'], 'nothing was made');
  });

  test('token create prints a token once, stored only as its hash', async () => {
    const run = await homeward(target, ['token', 'create', '--username', 'ana', '--scopes', 'read,write']);
    assert.equal(run.code, 0, run.stderr);
    const match = /^hw_([0-9a-f-]{36})_([A-Za-z0-9_-]{20,100})\n$/.exec(run.stdout);
    assert.ok(match, `stdout: ${run.stdout}`);
    assert.match(run.stderr, /API token for ana \(read,write\).*shown once/);
    const row = await target.withDb((db) => db.selectFrom('api_tokens').selectAll().where('id', '=', match[1]!).executeTakeFirstOrThrow());
    assert.deepEqual(row.scopes, ['read', 'write']);
    assert.equal(row.secret_hash, sha256Hex(match[2]!));
    assertRefused(await homeward(target, ['token', 'create', '--username', 'nobody']), 1, /no user named nobody/);
    assertRefused(await homeward(target, ['token', 'create', '--username', 'ana', '--scopes', 'read,admin']), 2, /^homeward: --scopes: /);
  });

  test('audit verify passes on a good trail and names the event after tampering', async () => {
    const good = await homeward(target, ['audit', 'verify']);
    assert.equal(good.code, 0, good.stderr);
    const counted = /^audit trail verified: (\d+) events in (\d+) chains, \d+ anchors\n$/.exec(good.stdout);
    assert.ok(counted, good.stdout);
    assert.ok(Number(counted[1]) >= 2, 'user.created and api_token.created');
    const id = await target.withDb(async (db) => {
      const event = await db.selectFrom('audit_events').select('id').where('action', '=', 'user.created').executeTakeFirstOrThrow();
      await db.transaction().execute(async (tx) => {
        await sql`set local session_replication_role = replica`.execute(tx);
        await sql`update audit_events set action = 'user.nothing' where id = ${event.id}`.execute(tx);
      });
      return event.id;
    });
    assertRefused(await homeward(target, ['audit', 'verify']), 1, new RegExp(`^homeward: audit trail BROKEN: event #${id} \\(chain .+\\) was altered`));
  });
});

describe('homeward demo', () => {
  let target: Target;
  before(async () => {
    target = await newTarget();
  });
  const expected = [
    ...['coordinator', 'judiciary', 'custody', 'security', 'child-protection', 'admin', 'auditor'].map((r) => `demo-${r}`),
    ...DEMO_COUNTRIES.map((c) => `demo-embassy-${c.code.toLowerCase()}`),
  ];

  test('refuses an --as-of that is not a real date, with exit code 2', async () => {
    assertRefused(await homeward(target, ['demo', '--as-of', '2026-02-30']), 2, /^homeward: --as-of: is not a real date$/);
    assertRefused(await homeward(target, ['demo', '--as-of', '1 March 2026']), 2, /^homeward: --as-of: must be a date YYYY-MM-DD$/);
  });

  test('refuses a weak --password and makes nothing', async () => {
    assertRefused(await homeward(target, ['demo', '--password', 'short']), 'non-zero', /--password must be at least 12 characters/);
    // Refused before the database is opened: nothing in it, not even the schema (or, already migrated, no user).
    const n = await target.withDb(async (db) => {
      const table = await sql<{ t: string | null }>`select to_regclass('public.users')::text as t`.execute(db);
      return table.rows[0]?.t ? (await db.selectFrom('users').select('id').execute()).length : 0;
    });
    assert.equal(n, 0);
  });

  test('makes one user per role and an embassy user for each of the 14 countries', async () => {
    assert.equal(DEMO_COUNTRIES.length, 14);
    const run = await homeward(target, ['demo', '--password', PASSWORD, '--as-of', '2026-03-01']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Demo data loaded \(as of 2026-03-01\)/);
    assert.match(run.stdout, /Password: the one given with --password/);
    assert.equal(run.stdout.includes(PASSWORD), false, 'the given password is not echoed');
    for (const name of expected) assert.match(run.stdout, new RegExp(`\\b${name}\\b`));
    await target.withDb(async (db) => {
      const users = await db.selectFrom('users').select(['username', 'role', 'country_code', 'totp_secret', 'must_change_password', 'password_hash']).orderBy('username').execute();
      assert.deepEqual(users.map((u) => u.username), [...expected].sort());
      assert.ok(users.every((u) => u.totp_secret === null && !u.must_change_password), 'no two-factor login, no forced change');
      assert.equal(users.find((u) => u.username === 'demo-embassy-tto')?.country_code, 'TTO');
      assert.equal(users.find((u) => u.username === 'demo-child-protection')?.role, 'child_protection');
      assert.equal(await verifyPassword(users.find((u) => u.username === 'demo-embassy-rus')!.password_hash, PASSWORD), true);
    });
  });

  test('refuses, clearly, a database that already holds data', async () => {
    assertRefused(await homeward(target, ['demo', '--password', PASSWORD]), 'non-zero', /already holds data/);
    const n = await target.withDb(async (db) => (await db.selectFrom('users').select('id').execute()).length);
    assert.equal(n, expected.length);
  });
});

describe('homeward serve', () => {
  let target: Target;
  let server: Server;
  let adminPassword: string;
  before(async () => {
    target = await newTarget();
    server = await startServer(target);
  });

  test('first start on an empty database prints a one-time admin password that logs in', async () => {
    const match = /as "admin" with the one-time password: (\S+)/.exec(server.output());
    assert.ok(match, server.output());
    adminPassword = match[1]!;
    assert.equal((await login(server, 'admin', `${adminPassword}x`)).status, 401);
    const response = await login(server, 'admin', adminPassword);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { user: { username: string; role: string; mustChangePassword: boolean } };
    assert.equal(body.user.username, 'admin');
    assert.equal(body.user.role, 'admin');
    assert.equal(body.user.mustChangePassword, true, 'a one-time password must be changed');
  });

  test('while it serves, other commands on the data directory refuse: in use by process N', { skip: LOCK_ONLY_PGLITE }, async () => {
    const holder = JSON.parse(fs.readFileSync(lockPathFor(target.dataDir), 'utf8')) as { pid: number };
    assert.equal(holder.pid, server.child.pid);
    assertRefused(await homeward(target, ['migrate']), 1, new RegExp(`in use by process ${server.child.pid} \\(homeward serve`));
    assert.ok(fs.existsSync(lockPathFor(target.dataDir)), 'the refused command left the lock alone');
  });

  test('with PostgreSQL, other commands run beside the server', { skip: PG ? false : 'only with DATABASE_URL' }, async () => {
    const run = await homeward(target, ['migrate']);
    assert.equal(run.code, 0, run.stderr);
  });

  test('on SIGTERM, a request in flight still gets its answer and the server stops cleanly', async () => {
    // A login whose body is still arriving when the signal comes: the server has the request, not yet its body.
    // The client keeps its connection alive for a minute, as a browser does.
    const agent = new http.Agent({ keepAlive: true, timeout: 60_000 });
    cleanups.push(() => agent.destroy());
    const body = JSON.stringify({ username: 'admin', password: 'wrong-password-99' });
    const request = http.request(`${server.url}/api/v1/auth/login`, { agent, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.on('error', reject);
    });
    const incoming = () => server.output().split('"msg":"incoming request"').length;
    const seen = incoming();
    request.write(body.slice(0, 12));
    for (let i = 0; i < 200 && incoming() === seen; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(incoming() > seen, 'the server has the request');
    const exitCode = server.stop();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.child.exitCode, null, 'the server waits for the request in flight');
    request.end(body.slice(12));
    const response = await answered;
    const answeredAt = Date.now();
    assert.equal(response.status, 401, response.text);
    assert.equal(typeof JSON.parse(response.text).error.code, 'string');
    assert.equal(await exitCode, 0, server.output());
    const lingered = Date.now() - answeredAt;
    assert.ok(lingered < 3000, `stopped ${lingered} ms after the last answer: it waited on an idle kept-alive connection`);
    assert.match(server.output(), /"msg":"stopped cleanly"/);
  });

  test('after it stops the lock is gone and the CLI works again', { skip: LOCK_ONLY_PGLITE }, async () => {
    assert.equal(fs.existsSync(lockPathFor(target.dataDir)), false);
    const run = await homeward(target, ['migrate']);
    assert.equal(run.code, 0, run.stderr);
  });

  test('a lock left by a process that has ended is taken over', { skip: LOCK_ONLY_PGLITE }, async () => {
    const ended = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => ended.on('exit', resolve));
    fs.writeFileSync(lockPathFor(target.dataDir), JSON.stringify({ pid: ended.pid, host: os.hostname(), command: 'homeward serve', since: new Date().toISOString() }));
    const run = await homeward(target, ['migrate']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fs.existsSync(lockPathFor(target.dataDir)), false, 'released after the command');
  });

  test('a second start neither makes another admin nor loads the demo into the data it holds', async () => {
    const again = await startServer(target, ['--demo']);
    try {
      assert.doesNotMatch(again.output(), /one-time password/);
      assert.match(again.output(), /already holds data; the demo is not loaded again/);
      assert.equal((await login(again, 'admin', adminPassword)).status, 200);
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });
});

describe('homeward serve --demo', () => {
  test('loads the demo into an empty database, prints the generated password once, saves it privately and serves', async () => {
    const target = await newTarget();
    const server = await startServer(target, ['--demo', '--as-of', '2026-03-01']);
    try {
      const match = /Password \(all demo users\): (\S+)/.exec(server.output());
      assert.ok(match, server.output());
      const saved = path.join(target.dataDir, 'demo-credentials.txt');
      assert.ok(fs.readFileSync(saved, 'utf8').includes(match[1]!));
      assert.equal(fs.statSync(saved).mode & 0o077, 0, 'readable only by its owner');
      for (const username of ['demo-coordinator', 'demo-embassy-tjk']) {
        assert.equal((await login(server, username, match[1]!)).status, 200, username);
      }
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
