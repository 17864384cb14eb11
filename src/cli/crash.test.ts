import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../config/env.ts';
import { type Database, databaseFromPGlite, type Db, openPGlite } from '../db/database.ts';
import { lockPathFor } from '../db/lock.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { addDays } from '../domain/birth-date.ts';
import { buildApp } from '../server/app.ts';
import { type Client, logInAs, makeUser, TEST_PASSWORD, type TestApp } from '../testing/app.ts';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../testing/database.ts';
import { recordChildFacts } from '../routes/api/movements/fixtures.ts';

// Issue 8, crashes: real `homeward` processes killed with SIGKILL in the middle of an import, of case
// transitions and of a manifest lock — at exact points (HOMEWARD_TEST_CRASH_AT, src/testing/crash-point.ts)
// and after random delays — on a PGlite data directory or a fresh PostgreSQL database. After each
// restart: nothing half-done, nothing answered lost, no duplicates, and `homeward audit verify` passes.
// On PGlite the restart also takes over the data-directory lock the killed process left behind.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'homeward.js');
const PG = TEST_DB_KIND === 'postgres';
const TODAY = new Date().toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min: number, max: number) => Math.round(min + Math.random() * (max - min));

/** Crashes survived, per operation, printed at the end (the figures of docs/benchmarks.md). */
const survived: Record<string, string[]> = { import: [], transition: [], 'manifest lock': [] };

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
  console.log(`crashes survived on ${TEST_DB_KIND}: ${Object.entries(survived).map(([op, kills]) => `${op} ${kills.length} (${kills.join(', ')})`).join('; ')}`);
});

interface Target {
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** The test's own view of the database; for PGlite only while no homeward process runs on it. */
  withDb<T>(fn: (database: Database) => Promise<T>): Promise<T>;
}

/** A data directory, and the database: an embedded one in it, or a fresh copy on the PostgreSQL server (dropped after). */
async function newTarget(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-crash-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEWARD_DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.NODE_TEST_CONTEXT;
  delete env.HOMEWARD_TEST_CRASH_AT;
  let testDb: TestDatabase | null = null;
  if (PG) {
    testDb = await createTestDatabase('postgres');
    cleanups.push(() => testDb?.destroy());
    env.DATABASE_URL = testDb.url as string;
  } else {
    // The migrated template, unpacked into the data directory the homeward processes will open.
    const template = process.env.HOMEWARD_TEST_PGLITE_TEMPLATE;
    const blob = template && fs.existsSync(template) ? new Blob([fs.readFileSync(template)]) : undefined;
    const database = databaseFromPGlite(await openPGlite(path.join(dataDir, 'pglite'), blob));
    if (!blob) await migrateToLatest(database.db);
    await database.close();
  }
  return {
    dataDir,
    env,
    async withDb(fn) {
      if (testDb) return fn(testDb);
      const database = databaseFromPGlite(await openPGlite(path.join(dataDir, 'pglite')));
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
  };
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}
interface Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  output(): string;
}

function spawnHomeward(target: Target, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...target.env, ...env } });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exited, output: () => output };
}

async function homeward(target: Target, args: string[], env: Record<string, string> = {}): Promise<Exit & { output: string; pid: number }> {
  const p = spawnHomeward(target, args, env);
  const exit = await p.exited;
  return { ...exit, output: p.output(), pid: p.child.pid as number };
}

async function until(what: string, probe: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The embedded database's lock, as the killed process left it: its pid, and that process gone. */
function assertStaleLock(target: Target, pid: number) {
  if (PG) return;
  const holder = JSON.parse(fs.readFileSync(lockPathFor(target.dataDir), 'utf8')) as { pid: number };
  assert.equal(holder.pid, pid, 'the lock file still names the killed process');
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'and that process is gone');
}

async function auditVerifies(target: Target) {
  const run = await homeward(target, ['audit', 'verify']);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /^audit trail verified: \d+ events/m);
  if (!PG) assert.equal(fs.existsSync(lockPathFor(target.dataDir)), false, 'the lock taken over was released');
}

const count = async (query: Promise<{ n: unknown }>) => Number((await query).n);

// ---- imports ---------------------------------------------------------------------------------

const GIVEN = ['Nadira', 'Тимур', 'سلمى', 'Zarina', 'Аминат', 'يوسف', 'Lola', 'Farrukh'];
const FAMILY = ['Testova', 'Примерова', 'Exampleson', 'Фиктивов', 'Placeholder', 'Demoeva'];
/** N rows with references `<prefix>-i`; every third row a child whose mother is the row before. */
function importCsv(prefix: string, rows: number): string {
  const lines = ['external_ref,sex,birth_date,given_name,family_name,nationality,facility,admitted_on,mother_ref'];
  for (let i = 1; i <= rows; i++) {
    const child = i % 3 === 0;
    lines.push([`${prefix}-${i}`, child ? 'male' : 'female', child ? `about ${2012 + (i % 8)}` : `${1980 + (i % 20)}`, GIVEN[i % GIVEN.length], FAMILY[i % FAMILY.length], 'TJK', 'Crash Test Facility', '2020-01-15', child ? `${prefix}-${i - 1}` : ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}
const linksOf = (rows: number) => Math.floor(rows / 3);

/**
 * An import is there wholly or not at all: its people, each with one name, nationality and custody
 * episode and their person.created event, its family links both ways. Returns how many people it has.
 */
async function importState(db: Db, prefix: string, rows: number): Promise<0 | number> {
  const ids = (await db.selectFrom('persons').select('id').where('external_ref', 'like', `${prefix}-%`).execute()).map((p) => p.id);
  const n = ids.length;
  assert.ok(n === 0 || n === rows, `import ${prefix}: ${n} of ${rows} people — half done`);
  if (n === 0) return 0;
  const refs = await db.selectFrom('persons').select((eb) => eb.fn.count<string>('external_ref').distinct().as('n')).where('external_ref', 'like', `${prefix}-%`).executeTakeFirstOrThrow();
  assert.equal(Number(refs.n), rows, 'no reference twice');
  const inImport = async (table: 'person_names' | 'person_nationalities' | 'custody_episodes') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} t join persons p on p.id = t.person_id where p.external_ref like ${`${prefix}-%`}`.execute(db)).rows[0]?.n);
  for (const table of ['person_names', 'person_nationalities', 'custody_episodes'] as const) assert.equal(await inImport(table), rows, `${prefix}: one ${table} row a person`);
  const links = await count(db.selectFrom('family_links as f').innerJoin('persons as p', 'p.id', 'f.person_id').select((eb) => eb.fn.countAll().as('n')).where('p.external_ref', 'like', `${prefix}-%`).executeTakeFirstOrThrow());
  assert.equal(links, 2 * linksOf(rows), `${prefix}: each mother–child link both ways`);
  const events = await count(
    db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'person.created').where(sql<boolean>`entity_id in (select id::text from persons where external_ref like ${`${prefix}-%`})`).executeTakeFirstOrThrow(),
  );
  assert.equal(events, rows, `${prefix}: one person.created event a person`);
  return n;
}

/** What must hold whatever was killed: no row without its parent, no event without its person, one registry.imported event per import present. */
async function registryConsistent(db: Db, importsPresent: number) {
  const orphans = await sql<{ n: string }>`
    select (select count(*) from person_names t where not exists (select 1 from persons p where p.id = t.person_id))
         + (select count(*) from person_nationalities t where not exists (select 1 from persons p where p.id = t.person_id))
         + (select count(*) from custody_episodes t where not exists (select 1 from persons p where p.id = t.person_id))
         + (select count(*) from family_links t where not exists (select 1 from persons p where p.id = t.person_id) or not exists (select 1 from persons p where p.id = t.relative_id))
         + (select count(*) from audit_events e where e.action = 'person.created' and not exists (select 1 from persons p where p.id::text = e.entity_id))
         + (select count(*) from persons p where not exists (select 1 from audit_events e where e.action = 'person.created' and e.entity_id = p.id::text)) as n`.execute(db);
  assert.equal(Number(orphans.rows[0]?.n), 0, 'no orphan rows, no person without its event, no event without its person');
  const imported = await count(db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'registry.imported').executeTakeFirstOrThrow());
  assert.equal(imported, importsPresent, 'one registry.imported event per import present');
}

describe('SIGKILL during `homeward import`', () => {
  let target: Target;
  const SMALL = 3_000;
  const ROWS = 3_000;
  /** The files killed after a random delay: big enough that the kill lands while they are checked or written. */
  const TIMED = 10_000;
  /** Random kills: one in CI (the exact points are the deterministic part); more with HOMEWARD_CRASH_ROUNDS. */
  const ROUNDS = Math.max(1, Number(process.env.HOMEWARD_CRASH_ROUNDS ?? 1) || 1);
  const file = (prefix: string, rows: number) => {
    const name = path.join(target.dataDir, `${prefix}.csv`);
    fs.writeFileSync(name, importCsv(prefix, rows));
    return name;
  };
  /** From the first "checking" line to the kill after the commit: how long the writing takes here. */
  let writeMs = 0;
  /** Imports committed so far (each has its registry.imported event). */
  let importsPresent = 0;

  before(async () => {
    target = await newTarget();
    await target.withDb((d) => d.db.insertInto('facilities').values({ name: 'Crash Test Facility', kind: 'prison', holding_authority: 'Ministry of Justice', country_code: 'IRQ', capacity: 100_000, updated_at: new Date() }).execute());
  });

  test('killed after its third batch is written: nothing of it is left, and the next process takes over the lock', async () => {
    const run = await homeward(target, ['import', file('CRA', SMALL)], { HOMEWARD_TEST_CRASH_AT: 'import-batch:3' });
    assert.equal(run.signal, 'SIGKILL', run.output);
    assert.match(run.output, /checking 3000 rows/);
    assertStaleLock(target, run.pid);
    await auditVerifies(target);
    await target.withDb(async ({ db }) => {
      assert.equal(await importState(db, 'CRA', SMALL), 0);
      await registryConsistent(db, 0);
    });
    survived.import!.push('after batch 3');
  });

  test('killed with every row and the registry.imported event written, before the commit: nothing is left', async () => {
    const run = await homeward(target, ['import', file('CRB', SMALL)], { HOMEWARD_TEST_CRASH_AT: 'import-before-commit' });
    assert.equal(run.signal, 'SIGKILL', run.output);
    assertStaleLock(target, run.pid);
    await target.withDb(async ({ db }) => {
      assert.equal(await importState(db, 'CRB', SMALL), 0);
      await registryConsistent(db, 0);
    });
    survived.import!.push('before commit');
  });

  test('killed just after the commit, before it could say so: the import is there, whole, and importing it again adds nothing', async () => {
    const name = file('CRD', ROWS);
    const p = spawnHomeward(target, ['import', name], { HOMEWARD_TEST_CRASH_AT: 'import-committed' });
    await until('checking', () => p.output().includes('checking'));
    const started = Date.now();
    const exit = await p.exited;
    writeMs = Date.now() - started;
    assert.equal(exit.signal, 'SIGKILL', p.output());
    assert.doesNotMatch(p.output(), /imported —/, 'killed before it printed its report');
    assertStaleLock(target, p.child.pid as number);
    const again = await homeward(target, ['import', name]);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, new RegExp(`imported — ${ROWS} rows: 0 new people, ${ROWS} already registered, 0 family links`));
    await target.withDb(async ({ db }) => {
      assert.equal(await importState(db, 'CRD', ROWS), ROWS);
      // The second run found nothing to do and committed its own, empty, import.
      importsPresent = 2;
      await registryConsistent(db, importsPresent);
    });
    survived.import!.push('after commit');
  });

  for (const round of Array.from({ length: ROUNDS }, (_, i) => i + 1)) {
    test(`killed after a random delay while it checks or writes (round ${round}): there wholly or not at all`, async () => {
      const prefix = `CRT${round}`;
      const p = spawnHomeward(target, ['import', file(prefix, TIMED)]);
      await until('checking', () => p.output().includes('checking'));
      // While it checks or writes: the run killed after its commit took writeMs for less than a third of the rows.
      const delay = random(writeMs * 0.2, writeMs * 0.8);
      await sleep(delay);
      const finishedFirst = p.child.exitCode !== null;
      const phase = p.output().includes('importing:') ? 'writing, past half' : 'checking or writing';
      p.child.kill('SIGKILL');
      const exit = await p.exited;
      await target.withDb(async ({ db }) => {
        const n = await importState(db, prefix, TIMED);
        if (finishedFirst) assert.equal(n, TIMED, 'it finished before the kill: all there');
        if (n > 0) importsPresent++;
        await registryConsistent(db, importsPresent);
        survived.import!.push(`random ${delay} ms: ${finishedFirst || exit.signal !== 'SIGKILL' ? 'finished first' : `${phase}, ${n === 0 ? 'rolled back' : 'committed'}`}`);
      });
    });
  }

  test('after the kills, the file killed mid-way imports whole, and the audit trail verifies', async () => {
    const run = await homeward(target, ['import', path.join(target.dataDir, 'CRA.csv')]);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, new RegExp(`imported — ${SMALL} rows: ${SMALL} new people, 0 already registered, ${linksOf(SMALL)} family links`));
    await target.withDb(async ({ db }) => {
      assert.equal(await importState(db, 'CRA', SMALL), SMALL);
      assert.equal(await importState(db, 'CRB', SMALL), 0);
      await registryConsistent(db, importsPresent + 1);
    });
    await auditVerifies(target);
  });
});

// ---- case transitions and the manifest lock, through `homeward serve` -------------------------

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Server extends Proc {
  readonly url: string;
}

async function startServer(target: Target, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const p = spawnHomeward(target, ['serve'], { PORT: String(port), ...env });
  await until('the server to start', () => p.output().includes('Homeward is running at') || p.child.exitCode !== null);
  if (p.child.exitCode !== null) throw new Error(`the server did not start:\n${p.output()}`);
  return { ...p, url: `http://127.0.0.1:${port}` };
}

interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
}
async function logIn(server: Server, username: string): Promise<Session> {
  const response = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  assert.equal(response.status, 200, await response.clone().text());
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('homeward_session='));
  assert.ok(cookie);
  return { cookie: cookie.split(';')[0] as string, csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken };
}
function call(server: Server, s: Session, method: string, url: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { cookie: s.cookie };
  if (method !== 'GET') headers['x-csrf-token'] = s.csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${server.url}${url}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

describe('SIGKILL of `homeward serve` during case transitions and a manifest lock', () => {
  let target: Target;
  const CASES = 12;
  const PASSENGERS = 5;
  const caseIds: string[] = [];
  const passengerCases: string[] = [];
  let movementId = '';
  const coordinatorName = `crash-coordinator-${process.pid}`;
  /** Transitions answered 200, per case. */
  const acked = new Map<string, number>();
  /** Rounds in which a case had a transition in flight when its server died (each may or may not have landed). */
  const inFlight = new Map<string, number>();
  let base: Map<string, { version: number; transitions: number; events: number }>;
  /** Lock answered 200 before the server died: it must be locked after the restart. */
  let lockAnswered = false;

  before(async () => {
    target = await newTarget();
    // Set up in this process, through the API in-process, on the very database the servers will open.
    await target.withDb(async (database) => {
      const config = loadConfig({ HOMEWARD_DATA_DIR: target.dataDir });
      const app = await buildApp({ database, config, log: pino({ level: 'silent' }) });
      await app.ready();
      try {
        const t = { app, database, config } as unknown as TestApp;
        await makeUser(t, 'coordinator', { username: coordinatorName });
        const c = await logInAs(t, coordinatorName, TEST_PASSWORD, undefined, '10.8.0.1');
        await setUp(c, database.db);
      } finally {
        await app.close();
      }
      base = await caseBaseline(database.db);
    });
  });

  async function setUp(c: Client, db: Db) {
    const ok = async (response: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
      const r = await response;
      assert.equal(r.statusCode, status, r.body);
      return r.json() as { id: string; escorts: { id: string }[] };
    };
    const facilityId = (await ok(c.request('POST', '/api/v1/facilities', { name: 'Crash Test Camp', kind: 'camp', holdingAuthority: 'Test authority', countryCode: 'IRQ', capacity: 500 }), 201)).id;
    const child = (n: number) =>
      ok(
        c.request('POST', '/api/v1/persons', {
          sex: n % 2 ? 'female' : 'male',
          birthDate: { precision: 'year', year: 2015 + (n % 3) },
          names: [{ givenName: `Crashtest${n}`, familyName: 'Fictiva' }],
          nationalities: [{ countryCode: 'TJK' }],
          custody: { facilityId, admittedOn: addDays(TODAY, -300) },
        }),
        201,
      );
    const openCase = async (personId: string) => (await ok(c.request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId, role: 'child' }] }), 201)).id;
    for (let n = 0; n < CASES; n++) caseIds.push(await openCase((await child(n)).id));

    // Approved children, every pre-departure check passing, on one planned flight (as movements.test.ts does it).
    const movement = await ok(
      c.request('POST', '/api/v1/movements', { kind: 'repatriation', mode: 'air', countryCode: 'TJK', fromPlace: 'Baghdad', toPlace: 'Dushanbe', carrier: 'Test Air', flightNumber: 'TA 808', departureDate: TODAY, capacity: 40 }),
      201,
    );
    movementId = movement.id;
    const escortId = (await ok(c.request('POST', `/api/v1/movements/${movementId}/escorts`, { name: 'Escort (crash test)', role: 'official' }))).escorts[0]!.id;
    for (let n = 0; n < PASSENGERS; n++) {
      const id = (await child(100 + n)).id;
      await recordChildFacts(db, id);
      const caseId = await openCase(id);
      await db.insertInto('legal_assurances').values({ case_id: caseId, type: 'rights of the child', given_on: addDays(TODAY, -15), issuing_authority: 'Ministry of Foreign Affairs' }).execute();
      for (const agency of ['coordinator', 'judiciary', 'custody', 'security']) {
        await db.insertInto('clearances').values({ case_id: caseId, person_id: id, agency, decision: 'approve', decided_on: addDays(TODAY, -2), valid_until: addDays(TODAY, 60) }).execute();
      }
      for (const to of ['nationality_verification', 'assessment', 'clearance', 'approved']) await ok(c.request('POST', `/api/v1/cases/${caseId}/transitions`, { to }));
      await ok(c.request('POST', `/api/v1/persons/${id}/documents`, { kind: 'travel_document', countryCode: 'TJK', number: `TD ${7000 + n}`, expiresOn: addDays(TODAY, 30) }), 201);
      await ok(c.request('POST', `/api/v1/persons/${id}/fitness`, { assessedOn: addDays(TODAY, -1), fit: true, assessedBy: 'Facility physician' }), 201);
      await ok(c.request('POST', `/api/v1/movements/${movementId}/passengers`, { caseId }));
      await ok(c.request('PUT', `/api/v1/movements/${movementId}/passengers/${id}/escort`, { escortId }));
      passengerCases.push(caseId);
    }
    const page = (await ok(c.request('GET', `/api/v1/movements/${movementId}`))) as unknown as { checks: { ok: boolean }; status: string };
    assert.deepEqual([page.status, page.checks.ok], ['planned', true], 'the manifest is ready to lock');
  }

  async function caseBaseline(db: Db) {
    const rows = await db
      .selectFrom('cases as c')
      .select((eb) => [
        'c.id',
        'c.version',
        eb.selectFrom('case_transitions as t').select((e) => e.fn.countAll<string>().as('n')).whereRef('t.case_id', '=', 'c.id').as('transitions'),
        eb.selectFrom('audit_events as e').select((e) => e.fn.countAll<string>().as('n')).where('e.action', '=', 'case.transitioned').whereRef('e.entity_id', '=', sql`c.id::text`).as('events'),
      ])
      .execute();
    return new Map(rows.map((r) => [r.id, { version: r.version, transitions: Number(r.transitions), events: Number(r.events) }]));
  }

  /**
   * One client per case, each moving its case on hold and back (`from` says the state it saw) for as
   * long as the server answers. Resolves when every client has lost the server.
   */
  function transitionsUntilDeath(server: Server, s: Session, onAnswered?: () => void, stop: () => boolean = () => false): Promise<void> {
    return Promise.all(
      caseIds.map(async (id) => {
        let state: string;
        try {
          const page = await call(server, s, 'GET', `/api/v1/cases/${id}`);
          if (page.status !== 200) throw new Error(`GET case: ${page.status} ${await page.text()}`);
          state = ((await page.json()) as { state: string }).state;
        } catch (error) {
          if (error instanceof TypeError) return; // the server is gone already
          throw error;
        }
        while (!stop()) {
          const body = state === 'identification' ? { to: 'on_hold', from: state, reason: 'crash test: waiting for a document' } : { to: 'identification', from: state };
          let response: Response;
          try {
            response = await call(server, s, 'POST', `/api/v1/cases/${id}/transitions`, body);
          } catch (error) {
            if (!(error instanceof TypeError)) throw error;
            inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
            return;
          }
          if (response.status !== 200) throw new Error(`transition of ${id}: ${response.status} ${await response.text()}`);
          state = ((await response.json()) as { state: string }).state;
          acked.set(id, (acked.get(id) ?? 0) + 1);
          onAnswered?.();
        }
      }),
    ).then(() => undefined);
  }

  async function movementPage(server: Server, s: Session) {
    const r = await call(server, s, 'GET', `/api/v1/movements/${movementId}`);
    assert.equal(r.status, 200, await r.clone().text());
    return (await r.json()) as { status: string; version: number; manifestSent: { sha256: string } | null; passengers: unknown[] };
  }

  let session: Session;
  let server: Server;

  test('killed in its 30th transition, with the case state written and its history not yet (checked after the restarts, below)', async () => {
    server = await startServer(target, { HOMEWARD_TEST_CRASH_AT: 'case-transition-state:30' });
    session = await logIn(server, coordinatorName);
    await transitionsUntilDeath(server, session);
    assert.equal((await server.exited).signal, 'SIGKILL', server.output());
    assertStaleLock(target, server.child.pid as number);
    survived.transition!.push('state written, history not');
  });

  test('restarted on the same database: the session still holds; killed after a random delay with transitions and the manifest lock in flight', async () => {
    server = await startServer(target);
    let answered = 0;
    const transitions = transitionsUntilDeath(server, session, () => answered++);
    await until('a few answers', () => answered >= 10);
    const lock = call(server, session, 'POST', `/api/v1/movements/${movementId}/lock`).then(
      (r) => {
        lockAnswered = r.status === 200;
        assert.equal(r.status, 200);
      },
      (error) => assert.ok(error instanceof TypeError, String(error)),
    );
    const delay = random(0, PG ? 400 : 1200);
    await sleep(delay);
    server.child.kill('SIGKILL');
    await Promise.all([transitions, lock]);
    assert.equal((await server.exited).signal, 'SIGKILL');
    survived.transition!.push(`random ${delay} ms`);
    survived['manifest lock']!.push(`random ${delay} ms: ${lockAnswered ? 'answered first' : 'in flight'}`);
  });

  test('killed in the lock with the manifest stored as sent but the status not yet changed: after the restart it is not locked, nor sent', async () => {
    server = await startServer(target, { HOMEWARD_TEST_CRASH_AT: 'manifest-lock-stored' });
    let page = await movementPage(server, session);
    if (lockAnswered) assert.equal(page.status, 'manifest_locked', 'a lock that was answered is not lost');
    assert.equal(page.status === 'manifest_locked', page.manifestSent !== null, 'locked exactly when a manifest is sent');
    if (page.status === 'manifest_locked') {
      const unlocked = await call(server, session, 'POST', `/api/v1/movements/${movementId}/unlock`, { reason: 'crash test: lock it again' });
      assert.equal(unlocked.status, 200, await unlocked.text());
    }
    page = await movementPage(server, session);
    assert.equal(page.status, 'planned');
    const transitions = transitionsUntilDeath(server, session);
    const lock = await call(server, session, 'POST', `/api/v1/movements/${movementId}/lock`).catch((error: unknown) => error);
    assert.ok(lock instanceof TypeError, 'the server died in the lock');
    await transitions;
    assert.equal((await server.exited).signal, 'SIGKILL', server.output());
    assertStaleLock(target, server.child.pid as number);
    survived['manifest lock']!.push('stored, status not changed');
  });

  test('killed just after the lock committed, before answering: after the restart it is locked, with the manifest as sent', async () => {
    server = await startServer(target, { HOMEWARD_TEST_CRASH_AT: 'manifest-lock-committed' });
    const page = await movementPage(server, session);
    assert.equal(page.status, 'planned', 'the lock killed half-way left nothing');
    assert.equal(page.manifestSent, null);
    const sent = await call(server, session, 'GET', `/api/v1/movements/${movementId}/manifest.pdf?version=sent`);
    assert.equal(sent.status, 404, 'no manifest sent');
    const transitions = transitionsUntilDeath(server, session);
    const lock = await call(server, session, 'POST', `/api/v1/movements/${movementId}/lock`).catch((error: unknown) => error);
    assert.ok(lock instanceof TypeError, 'the server died after the commit, before the answer');
    await transitions;
    assert.equal((await server.exited).signal, 'SIGKILL', server.output());
    survived['manifest lock']!.push('after commit');
  });

  test('restarted once more: the manifest is locked and its PDF is the one stored; transitions go on; the database is consistent and audit verify passes', async () => {
    server = await startServer(target);
    const page = await movementPage(server, session);
    assert.equal(page.status, 'manifest_locked');
    assert.equal(page.passengers.length, PASSENGERS);
    const pdf = await call(server, session, 'GET', `/api/v1/movements/${movementId}/manifest.pdf?version=sent`);
    assert.equal(pdf.status, 200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), page.manifestSent?.sha256);
    // One more transition per case, answered: the server works on after three crashes.
    let answered = 0;
    await transitionsUntilDeath(server, session, () => answered++, () => answered >= CASES);
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0, server.output());
    if (!PG) assert.equal(fs.existsSync(lockPathFor(target.dataDir)), false, 'a clean stop releases the lock');

    await target.withDb(async ({ db }) => {
      const now = await caseBaseline(db);
      for (const id of caseIds) {
        const b = base.get(id)!;
        const n = now.get(id)!;
        const made = n.transitions - b.transitions;
        const answeredHere = acked.get(id) ?? 0;
        const unsure = inFlight.get(id) ?? 0;
        assert.ok(made >= answeredHere && made <= answeredHere + unsure, `case ${id}: ${made} transitions recorded, ${answeredHere} answered, ${unsure} in flight at a crash`);
        assert.equal(n.version - b.version, made, `case ${id}: one version per transition`);
        assert.equal(n.events - b.events, made, `case ${id}: one audit event per transition`);
        const history = await db.selectFrom('case_transitions').select(['from_state', 'to_state']).where('case_id', '=', id).orderBy('occurred_at').orderBy('id').execute();
        const c = await db.selectFrom('cases').select(['state', 'held_from']).where('id', '=', id).executeTakeFirstOrThrow();
        history.forEach((h, i) => i > 0 && assert.equal(h.from_state, history[i - 1]!.to_state, `case ${id}: history is one unbroken path`));
        assert.equal(c.state, history.at(-1)?.to_state, `case ${id}: its state is its last transition's`);
        assert.equal(c.held_from, c.state === 'on_hold' ? 'identification' : null);
      }
      const m = await db.selectFrom('movements').selectAll().where('id', '=', movementId).executeTakeFirstOrThrow();
      const events = await db.selectFrom('movement_events').selectAll().where('movement_id', '=', movementId).orderBy('occurred_at').execute();
      const locks = events.filter((e) => e.transition === 'lock');
      const unlocks = events.filter((e) => e.transition === 'unlock');
      assert.equal(m.status, 'manifest_locked');
      assert.equal(locks.length, unlocks.length + 1, 'one lock more than unlocks');
      assert.equal(locks.at(-1)?.manifest_sha256, m.sent_manifest_sha256, 'the lock event names the manifest kept');
      const files = await db.selectFrom('files').select(['sha256', 'size_bytes']).where('content_type', '=', 'application/pdf').execute();
      for (const l of locks) assert.ok(files.some((f) => f.sha256 === l.manifest_sha256), 'each lock event’s manifest is stored');
      for (const f of files) assert.ok(locks.some((l) => l.manifest_sha256 === f.sha256), 'no manifest stored by a lock that did not commit');
      const audited = await count(db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('entity_id', '=', movementId).where('action', '=', 'movement.transitioned').executeTakeFirstOrThrow());
      assert.equal(audited, events.length, 'one audit event per movement event');
      const passengers = await db.selectFrom('movement_passengers').select(['case_id', 'active']).where('movement_id', '=', movementId).execute();
      assert.deepEqual(passengers.map((p) => [p.case_id, p.active]).sort(), passengerCases.map((id) => [id, true]).sort(), 'the manifest kept all its passengers');
      const states = await db.selectFrom('cases').select('state').where('id', 'in', passengerCases).execute();
      assert.ok(states.every((s) => s.state === 'scheduled'));
    });
    await auditVerifies(target);
  });
});
