import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createUser } from '../commands/userCreator.ts';
import { type Database, databaseFromUrl, type Db } from '../db/database.ts';
import { lockPathFor } from '../db/lock.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { verifyAuditTrail } from '../audit/verify.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { adminQuery, TEST_DB_KIND, urlFor } from '../testing/database.ts';

// Issue 7, several instances: two real `homeward serve` processes on one PostgreSQL database.
// A session made on one is valid on the other; each background job's effect happens exactly once
// though delivery is at least once (jobs re-delivered, delivered twice at once, an instance killed
// mid-job); the audit chain verifies after both have served traffic (and while one still does).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'homeward.js');
const PASSWORD = 'correct-horse-battery-9';
/** Short, so that the job of the instance killed mid-job is run again within the test. */
const LEASE_SECONDS = 3;
const SKIP = TEST_DB_KIND === 'postgres' ? false : 'needs PostgreSQL (HOMEWARD_TEST_DB=postgres): several instances cannot share an embedded database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Instance {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** The id its job worker writes in jobs.locked_by (from its "homeward is serving" log line). */
  readonly workerId: string;
  output(): string;
  readonly exited: Promise<number | null>;
}

function homewardEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...extra };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

async function startInstance(name: string, databaseUrl: string, dataDir: string, cleanups: (() => unknown)[]): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: homewardEnv(databaseUrl, { PORT: String(port), HOMEWARD_DATA_DIR: dataDir, HOMEWARD_JOB_LEASE_SECONDS: String(LEASE_SECONDS) }),
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 40_000;
  const workerOf = () => /"worker":"(worker-[0-9a-f-]+)"/.exec(output)?.[1];
  while (!output.includes('Homeward is running at') || !workerOf()) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`instance ${name} did not start:\n${output}`);
    await sleep(25);
  }
  const workerId = workerOf() as string;
  return { name, url: `http://127.0.0.1:${port}`, child, workerId, output: () => output, exited };
}

/** A signed-in browser: the session cookie and its CSRF token, usable against any instance. */
interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
}

async function logIn(on: Instance, username: string, password = PASSWORD): Promise<Response> {
  return fetch(`${on.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

async function session(on: Instance, username: string): Promise<Session> {
  const response = await logIn(on, username);
  assert.equal(response.status, 200, await response.clone().text());
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('homeward_session='));
  assert.ok(cookie, 'a session cookie');
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0]!, csrfToken: body.csrfToken };
}

function call(on: Instance, s: Session | null, method: string, url: string, body?: unknown, options: { csrf?: boolean } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (s) headers.cookie = s.cookie;
  if (s && method !== 'GET' && options.csrf !== false) headers['x-csrf-token'] = s.csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${on.url}${url}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

const person = (n: number) => ({ sex: n % 2 ? 'female' : 'male', birthDate: { precision: 'year', year: 1990 + (n % 20) }, names: [{ fullName: `Multi Instance ${n}` }] });
const facility = (n: number) => ({ name: `Facility ${n}`, kind: 'camp', holdingAuthority: 'Test authority', countryCode: 'IRQ', capacity: 100 + n });

describe('several homeward serve instances on one PostgreSQL database', { skip: SKIP }, () => {
  const cleanups: (() => unknown)[] = [];
  const dbName = `hw_multi_${randomBytes(6).toString('hex')}`;
  let database: Database;
  let db: Db;
  let a: Instance;
  let b: Instance;
  let dataDir = '';
  let startedAt = 0;
  let servingAfter = 0;

  before(async () => {
    startedAt = Date.now();
    // Its own database, migrated, then two instances started at the same moment on it.
    await adminQuery(`create database ${dbName}`);
    cleanups.push(() => adminQuery(`drop database if exists ${dbName} with (force)`));
    const url = urlFor(dbName);
    database = databaseFromUrl(url, 5);
    cleanups.push(() => database.close());
    db = database.db;
    await migrateToLatest(db);
    // One data directory for both: its lock guards only the embedded database and must not stop a second
    // instance on PostgreSQL (on two machines each would have its own; nothing in it is shared).
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-multi-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    [a, b] = await Promise.all([startInstance('a', url, dataDir, cleanups), startInstance('b', url, dataDir, cleanups)]);
    servingAfter = Math.round((Date.now() - startedAt) / 1000);
    for (const username of ['coordinator-mi', 'other-mi', 'locked-mi']) await createUser(db, { username, role: 'coordinator', password: PASSWORD }, { system: 'test' });
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('cleanup failed:', error);
      }
    }
  });

  test('started together on an empty database, exactly one of them made the first administrator', async () => {
    const admins = await db.selectFrom('users').select('username').where('role', '=', 'admin').execute();
    assert.deepEqual(admins.map((u) => u.username), ['admin']);
    const firstStarts = [a, b].filter((i) => i.output().includes('First start: the database is empty.'));
    assert.equal(firstStarts.length, 1, 'one instance bootstrapped, the other found the database no longer empty');
    assert.equal(fs.existsSync(lockPathFor(dataDir)), false, 'no data-directory lock is taken for PostgreSQL');
  });

  test('a session made on A is valid on B, for a read and a write, with the same CSRF token; logging out on B ends it on A', async () => {
    const s = await session(a, 'coordinator-mi');
    const onB = await call(b, s, 'GET', '/api/v1/auth/session');
    assert.equal(onB.status, 200, await onB.clone().text());
    const seen = (await onB.json()) as { user: { username: string }; csrfToken: string };
    assert.equal(seen.user.username, 'coordinator-mi');
    assert.equal(seen.csrfToken, s.csrfToken, 'the CSRF token is the session’s, wherever it is read');

    const refused = await call(b, s, 'POST', '/api/v1/persons', person(0), { csrf: false });
    assert.equal(refused.status, 403, 'B still wants the CSRF token on a change');
    const written = await call(b, s, 'POST', '/api/v1/persons', person(1));
    assert.equal(written.status, 201, await written.clone().text());
    const { id } = (await written.json()) as { id: string };
    const readOnA = await call(a, s, 'GET', `/api/v1/persons/${id}`);
    assert.equal(readOnA.status, 200, 'what B wrote, A reads');

    const out = await call(b, s, 'POST', '/api/v1/auth/logout');
    assert.equal(out.status, 204);
    assert.equal((await call(a, s, 'GET', '/api/v1/auth/session')).status, 401, 'revoked on B, refused on A');
  });

  test('failed logins on both instances count towards one lock-out', async () => {
    for (const on of [a, b, a, b, a]) assert.equal((await logIn(on, 'locked-mi', 'not-the-password-1')).status, 401);
    const locked = await logIn(b, 'locked-mi');
    assert.equal(locked.status, 429, 'the right password is refused on B after five failures spread over A and B');
    assert.equal(((await locked.json()) as { error: { code: string } }).error.code, 'account_locked');
  });

  test('concurrent writes through both instances all land, each audited once; a race on one record has one winner', async () => {
    const [one, other] = await Promise.all([session(a, 'coordinator-mi'), session(b, 'other-mi')]);
    const count = async (action: string) =>
      Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);
    // Each session on both instances at the same time.
    const created = await Promise.all(Array.from({ length: 40 }, (_, n) => call(n % 2 ? a : b, n % 4 < 2 ? one : other, 'POST', '/api/v1/facilities', facility(n))));
    for (const r of created) assert.equal(r.status, 201, await r.clone().text());
    assert.equal(await count('facility.created'), 40);

    // Ten changes of one facility, all sent with the version they read, half to each instance: one wins.
    const { id } = (await created[0]!.json()) as { id: string };
    const changes = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        fetch(`${(n % 2 ? a : b).url}/api/v1/facilities/${id}`, {
          method: 'PATCH',
          headers: { cookie: one.cookie, 'x-csrf-token': one.csrfToken, 'content-type': 'application/json', 'if-match': '"1"' },
          body: JSON.stringify({ capacity: 500 + n }),
        }),
      ),
    );
    const statuses = changes.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, 1, `one change wins: ${statuses.join(', ')}`);
    assert.ok(statuses.filter((s) => s !== 200).every((s) => s === 412 || s === 409), `the others are refused as stale: ${statuses.join(', ')}`);
    assert.equal(await count('facility.updated'), 1);
    const row = await db.selectFrom('facilities').select(['version', 'capacity']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.version, 2);
  });

  // The effect of a `jobs.probe` job is one audit event named after its probe: countable.
  const probeEvents = async (prefix: string) => {
    const rows = await db
      .selectFrom('audit_events')
      .select(['entity_id', (eb) => eb.fn.countAll().as('n')])
      .where('action', '=', 'jobs.probe_ran')
      .where('entity_id', 'like', `${prefix}%`)
      .groupBy('entity_id')
      .execute();
    return new Map(rows.map((r) => [r.entity_id as string, Number(r.n)]));
  };
  const probeJobs = (prefix: string) =>
    db.selectFrom('jobs').selectAll().where('kind', '=', 'jobs.probe').where(sql<boolean>`payload->>'probe' like ${`${prefix}%`}`).orderBy('id').execute();
  const allDone = (prefix: string) => until(`the ${prefix} jobs to be done`, async () => (await probeJobs(prefix)).every((j) => j.done_at !== null && j.failed_at === null));
  const assertOncePerProbe = async (prefix: string, n: number) => {
    const events = await probeEvents(prefix);
    assert.equal(events.size, n, `every ${prefix} probe ran`);
    const repeated = [...events].filter(([, count]) => count !== 1);
    assert.deepEqual(repeated, [], 'no probe’s effect happened twice');
  };

  test('jobs run by both workers happen once each, also when delivered again, and twice at once', async (t) => {
    const phase = Date.now();
    // The sweeps the registrations queued (due within ten seconds) first, so that both workers are free for the probes.
    await until(
      'the queued matching sweeps to be done',
      async () => !(await db.selectFrom('jobs').select('id').where('kind', '=', 'matching.sweep').where('done_at', 'is', null).where('failed_at', 'is', null).executeTakeFirst()),
      30_000,
    );
    const sweepsDone = Date.now();
    const N = 100;
    await db.connection().execute(async (conn) => {
      // Hold the probes' own locks (the handler's advisory lock, taken here first) until each instance
      // is inside one: then both drain the queue at once, however fast one of them would alone.
      await sql`select pg_advisory_lock(hashtext('jobs.probe'), hashtext('p1-' || i)) from generate_series(0, ${N - 1}) i`.execute(conn);
      try {
        await db.transaction().execute(async (tx) => {
          for (let i = 0; i < N; i++) await enqueueJob(tx, 'jobs.probe', { probe: `p1-${i}` });
        });
        await until('both instances to be running a probe', async () => {
          const holders = new Set((await probeJobs('p1-')).filter((j) => j.done_at === null && j.locked_by !== null).map((j) => j.locked_by));
          return holders.has(a.workerId) && holders.has(b.workerId);
        });
      } finally {
        await sql`select pg_advisory_unlock_all()`.execute(conn);
      }
    });
    await allDone('p1-');
    const firstRound = Date.now();
    await assertOncePerProbe('p1-', N);
    const ranBy = new Set((await probeJobs('p1-')).map((j) => j.locked_by));
    assert.ok(ranBy.has(a.workerId) && ranBy.has(b.workerId), `both instances ran jobs: ${[...ranBy].join(', ')}`);

    const jobs = await probeJobs('p1-');
    // At least once, as it happens: a worker that did the work but died before marking it done ...
    const redone = jobs.slice(0, 30).map((j) => j.id);
    await db.updateTable('jobs').set({ done_at: null, locked_until: null }).where('id', 'in', redone).execute();
    // ... a worker that died holding the job, its lease now over ...
    const expired = jobs.slice(30, 50).map((j) => j.id);
    await db.updateTable('jobs').set({ done_at: null, locked_by: 'worker-dead', locked_until: sql<Date>`now() - interval '1 second'` }).where('id', 'in', expired).execute();
    // ... and the same job delivered twice at the same moment (two more rows for each of 40 probes).
    await db.transaction().execute(async (tx) => {
      for (let i = 50; i < 90; i++) for (let copy = 0; copy < 2; copy++) await enqueueJob(tx, 'jobs.probe', { probe: `p1-${i}` });
    });
    await allDone('p1-');
    await assertOncePerProbe('p1-', N);
    const after = await probeJobs('p1-');
    assert.equal(after.length, N + 80);
    t.diagnostic(`sweeps waited for ${sweepsDone - phase} ms, ${N} jobs in ${firstRound - sweepsDone} ms, ${after.length - N} deliveries again in ${Date.now() - firstRound} ms`);
    for (const j of after.filter((j) => [...redone, ...expired].includes(j.id))) assert.equal(j.attempts, 2, `job ${j.id} was run again`);
  });

  test('an instance killed mid-job: the other runs its job again when the lease ends, and the effect is still once', async (t) => {
    const N = 60;
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < N; i++) await enqueueJob(tx, 'jobs.probe', { probe: `p2-${i}` });
    });
    // Wait until B holds a probe job, then kill it with SIGKILL: no shutdown, no chance to finish.
    const held = await until('instance B to hold a job', async () => (await probeJobs('p2-')).find((j) => j.locked_by === b.workerId && j.done_at === null));
    b.child.kill('SIGKILL');
    await b.exited;
    await allDone('p2-');
    await assertOncePerProbe('p2-', N);
    const rerun = (await probeJobs('p2-')).find((j) => j.id === held.id);
    assert.ok(rerun?.done_at, 'the job B held is done');
    // B may have finished that job in the instant before the kill; almost always A ran it again.
    if (rerun.locked_by === a.workerId) assert.ok(rerun.attempts >= 2, 'A ran it after B had claimed it');
    const byB = (await probeJobs('p2-')).filter((j) => j.locked_by === b.workerId && j.done_at !== null).length;
    assert.ok(byB < N, 'A finished what B left');
    t.diagnostic(`B ran ${byB} of ${N} before it was killed holding job ${held.id}, which ${rerun.locked_by === a.workerId ? `A ran again (attempt ${rerun.attempts})` : 'B had just finished'}`);
  });

  test('the audit chain verifies after both served traffic, even while A is still writing', async () => {
    const coordinator = await session(a, 'coordinator-mi');
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        const r = await call(a, coordinator, 'POST', '/api/v1/facilities', facility(1000 + n++));
        assert.equal(r.status, 201);
      }
      return n;
    })();
    // Give A's writes a head start, then verify (what `homeward audit verify` runs) while they go on.
    await until('A to be writing', async () => (await db.selectFrom('facilities').select('id').where('name', '=', 'Facility 1001').executeTakeFirst()) ?? null);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await verifyAuditTrail(db));
    writing = false;
    const written = await writer;
    for (const result of results) assert.equal(result.problem, null);
    assert.ok(written > 2, `A wrote ${written} facilities while the trail was verified`);
    // The chains are shared by both instances: no two events hold one place in a chain.
    const forks = await sql<{ n: number }>`select count(*)::int as n from (select chain_id, seq from audit_events group by 1, 2 having count(*) > 1) d`.execute(db);
    assert.equal(forks.rows[0]?.n, 0);
  });

  test('A stops cleanly on SIGTERM, and the trail of both instances verifies', async (t) => {
    a.child.kill('SIGTERM');
    assert.equal(await a.exited, 0, a.output().slice(-2000));
    assert.match(a.output(), /stopped cleanly/);
    // What `homeward audit verify` runs (cli.test.ts runs the command itself).
    const result = await verifyAuditTrail(db);
    assert.equal(result.problem, null);
    assert.ok(result.eventsChecked > 200, `the events of both instances: ${result.eventsChecked}`);
    t.diagnostic(`${result.eventsChecked} events in ${result.chains} chains, ${result.anchorsChecked} anchors; both instances served ${servingAfter} s after the database was made, all done after ${Math.round((Date.now() - startedAt) / 1000)} s`);
  });
});
