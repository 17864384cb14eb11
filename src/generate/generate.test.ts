import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { verifyAuditTrail } from '../audit/verify.ts';
import { loadConfig } from '../config/env.ts';
import type { Database } from '../db/database.ts';
import { buildApp } from '../server/app.ts';
import type { ApiApp } from '../server/context.ts';
import { clientFor, type TestApp } from '../testing/app.ts';
import { openTestBulkSession } from '../testing/bulk-session.ts';
import { TEST_DB_KIND, type TestDatabase } from '../testing/database.ts';
import { type BulkSession, copyValue } from './copy.ts';
import { generate, type GenerateResult } from './generate.ts';
import { NATIONALITIES } from './names.ts';
import { GENERATED_TABLES, type PopulationContext, PopulationGenerator } from './population.ts';

const AS_OF = '2026-06-01';
const PASSWORD = 'Generated-Test-2026!';

function fakeContext(): PopulationContext {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-8000-${prefix}${String(i).padStart(12 - prefix.length, '0')}`, country: 'IRQ' }));
  return {
    asOf: AS_OF,
    now: new Date('2026-06-01T12:00:00Z'),
    facilities: { camp: ids('1', 2), womenPrison: ids('2', 2), menPrison: ids('3', 2), juvenile: ids('4', 1), care: ids('5', 1), transitCamp: ids('6', 1) },
    users: { coordinator: 'u1', childProtection: 'u2', security: 'u3', judiciary: 'u4', custody: 'u5' },
    agreements: new Map(NATIONALITIES.filter((n) => n.code !== 'FIN').map((n) => [n.code, { id: `a-${n.code}`, currency: 'USD', perChild: 400, perAdult: 400 }])),
  };
}

function digest(seed: string, people: number): string {
  const generator = new PopulationGenerator(fakeContext(), people, seed);
  const hash = createHash('sha256');
  for (let chunk = generator.next(700); chunk; chunk = generator.next(700)) {
    for (const table of GENERATED_TABLES) hash.update(JSON.stringify(chunk[table], (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
  }
  return hash.digest('hex');
}

describe('the population (pure)', () => {
  test('is the same for a seed, ids included, and differs for another seed', () => {
    assert.equal(digest('a', 2000), digest('a', 2000));
    assert.notEqual(digest('a', 2000), digest('b', 2000));
  });

  test('makes exactly the people asked for, in households, with names in their nationality’s script', () => {
    const generator = new PopulationGenerator(fakeContext(), 3000, 'scripts');
    const persons: Record<string, unknown>[] = [];
    const names: Record<string, unknown>[] = [];
    const nationalities: Record<string, unknown>[] = [];
    const links: Record<string, unknown>[] = [];
    for (let chunk = generator.next(1000); chunk; chunk = generator.next(1000)) {
      persons.push(...chunk.persons);
      names.push(...chunk.person_names);
      nationalities.push(...chunk.person_nationalities);
      links.push(...chunk.family_links);
    }
    assert.equal(persons.length, 3000);
    const countryOf = new Map(nationalities.map((n) => [n.person_id, n.country_code]));
    const primary = names.filter((n) => n.kind === 'primary');
    assert.equal(primary.length, 3000, 'one primary name each');
    for (const n of primary) {
      const script = NATIONALITIES.find((x) => x.code === countryOf.get(n.person_id))?.script;
      assert.equal(n.script, script, `${n.full_name} of ${countryOf.get(n.person_id)} should be in ${script}`);
    }
    assert.ok(names.some((n) => n.kind === 'alias' && n.script === 'arabic'), 'the host country’s Arabic renderings are kept as aliases');
    // Family links come in pairs, both directions, and mothers have children.
    const pairs = new Map<unknown, number>();
    for (const l of links) pairs.set(l.pair_id, (pairs.get(l.pair_id) ?? 0) + 1);
    assert.ok([...pairs.values()].every((n) => n === 2));
    assert.ok(links.filter((l) => l.relation === 'mother').length > 300);
  });

  test('COPY text escapes what would break a row', () => {
    assert.equal(copyValue('a\tb\nc\\d'), 'a\\tb\\nc\\\\d');
    assert.equal(copyValue(null), '\\N');
    assert.equal(copyValue(['x', 'y"z']), '{"x","y\\\\"z"}');
    assert.equal(copyValue(Buffer.from([1, 255])), '\\\\x01ff');
    assert.equal(copyValue(true), 't');
  });
});

describe(`homeward generate into the ${TEST_DB_KIND === 'postgres' ? 'PostgreSQL' : 'embedded'} database`, () => {
  let session: BulkSession;
  let testDb: TestDatabase | null = null;
  let result: GenerateResult;
  let app: ApiApp;

  before(async () => {
    const opened = await openTestBulkSession();
    session = opened.session;
    testDb = opened.testDb;
    result = await generate(session, { people: 1500, seed: 'test', password: PASSWORD, asOf: AS_OF, chunk: 600 });
    const database: Database = { db: session.db, kind: session.kind, close: async () => {} };
    app = await buildApp({ database, config: loadConfig({ HOMEWARD_DATA_DIR: '/nonexistent-test-dir' }), log: pino({ level: 'silent' }) });
    await app.ready();
  });

  after(async () => {
    await app?.close();
    await session?.close();
    await testDb?.destroy();
  });

  test('writes the people, their families, custody, cases at every stage, movements and fees', async () => {
    const { db } = session;
    const count = async (table: string, where = sql`true`) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(db)).rows[0]?.n);
    assert.equal(await count('persons'), 1500);
    assert.equal(result.rows.persons, 1500);
    assert.equal(await count('persons', sql`not exists (select 1 from person_names n where n.person_id = persons.id and n.kind = 'primary')`), 0, 'everyone has a primary name');
    assert.equal(await count('persons', sql`cardinality(search_keys) = 0`), 0, 'everyone is in the search index');
    assert.ok((await count('custody_episodes', sql`released_on is null`)) > 1000, 'most are held');
    assert.ok((await count('custody_episodes', sql`release_reason = 'repatriated'`)) > 50, 'some went home');
    assert.ok((await count('custody_episodes', sql`release_reason = 'transferred'`)) > 20, 'some were transferred from across the border');
    const states = (await sql<{ state: string }>`select distinct state from cases`.execute(db)).rows.map((r) => r.state).sort();
    for (const state of ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved', 'closed', 'rejected', 'withdrawn', 'on_hold']) assert.ok(states.includes(state), `a case is ${state} (${states})`);
    const movements = (await sql<{ status: string }>`select distinct status from movements`.execute(db)).rows.map((r) => r.status);
    assert.ok(movements.includes('completed') && movements.includes('planned'), movements.join());
    assert.ok((await count('handovers')) > 50);
    assert.ok((await count('invoices')) > 0 && (await count('payments')) > 0);
    assert.ok((await count('tracing_requests')) > 10);
    assert.ok((await count('proceedings', sql`verdict = 'convicted'`)) > 100);
    // Every open case has its members' verdicts, as the application would have stored them.
    const unevaluated = await sql<{ n: string }>`select count(*) as n from case_members cm join cases c on c.id = cm.case_id where c.state not in ('closed', 'rejected', 'withdrawn') and cm.evaluated_at is null`.execute(db);
    assert.equal(Number(unevaluated.rows[0]?.n), 0);
    // The application numbers the next case after the generated ones.
    const next = (await sql<{ n: string }>`select nextval('case_reference_seq') as n`.execute(db)).rows[0]?.n;
    assert.equal(Number(next), (await count('cases')) + 1);
  });

  test('the audit trail verifies, with the history of each person and case', async () => {
    const verified = await verifyAuditTrail(session.db);
    assert.equal(verified.ok, true, String(verified.problem ?? ''));
    assert.ok(verified.eventsChecked >= 1500 + (result.rows.cases ?? 0));
  });

  test('the users sign in and the API serves the generated people, cases and figures', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'demo-coordinator', password: PASSWORD } });
    assert.equal(login.statusCode, 200, login.body);
    const cookie = login.cookies.find((c) => c.name === 'homeward_session');
    const client = clientFor({ app } as TestApp, `homeward_session=${cookie?.value}`, login.json().csrfToken, login.json().user.id);
    const cyrillic = (await sql<{ full_name: string; person_id: string }>`select full_name, person_id from person_names where script = 'cyrillic' and kind = 'primary' order by person_id limit 1`.execute(session.db)).rows[0];
    assert.ok(cyrillic);
    const search = await client.request('GET', `/api/v1/persons?q=${encodeURIComponent(cyrillic.full_name)}`);
    assert.equal(search.statusCode, 200, search.body);
    assert.ok(search.json().data.some((p: { id: string }) => p.id === cyrillic.person_id), 'found by their name as written');
    const open = (await sql<{ id: string }>`select id from cases where state = 'clearance' order by id limit 1`.execute(session.db)).rows[0];
    const page = await client.request('GET', `/api/v1/cases/${open?.id}`);
    assert.equal(page.statusCode, 200, page.body);
    const dashboard = await client.request('GET', '/api/v1/figures/dashboard');
    assert.equal(dashboard.statusCode, 200, dashboard.body);
  });

  test('refuses a database that already holds data', async () => {
    await assert.rejects(generate(session, { people: 10, password: PASSWORD, asOf: AS_OF }), /already holds data/);
  });
});
