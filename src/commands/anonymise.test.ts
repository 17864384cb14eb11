import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { verifyAuditTrail } from '../audit/verify.ts';
import { anonymiseCommand } from '../cli/commands/anonymise.ts';
import { CliError } from '../cli/errors.ts';
import { addDays } from '../domain/birth-date.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../testing/app.ts';
import { TEST_DB_KIND } from '../testing/database.ts';
import { jobDefinition } from '../jobs/registry.ts';
import { ANONYMISED, anonymiseExpired, planAnonymisation } from './anonymiser.ts';

// Decision 0025: cases that ended more than the retention period ago are anonymised with their members,
// unless a member is still in the process; dry runs change nothing; a second run changes nothing more.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'homeward.js');
const TODAY = new Date().toISOString().slice(0, 10);
const DAYS = 3650;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let t: TestApp;
let coordinator: Client;
const ids = { mother: '', child: '', recent: '', busy: '', oldCase: '', recentCase: '', busyOldCase: '', busyOpenCase: '' };

async function person(fullName: string, birth: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await coordinator.request('POST', '/api/v1/persons', {
    sex: 'female',
    birthDate: { precision: 'exact', date: birth },
    names: [{ fullName }, { kind: 'alias', fullName: `${fullName.split(' ')[0]} Umm Testa` }],
    nationalities: [{ countryCode: 'TJK', status: 'claimed' }],
    ...extra,
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id as string;
}

async function openCase(title: string, members: { personId: string; role: string }[]): Promise<string> {
  const r = await coordinator.request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: members.length > 1 ? 'family' : 'individual', title, members });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id as string;
}

/** Withdraws a case through the API, then dates its end `daysAgo` back (the one thing written behind the API's back). */
async function withdraw(caseId: string, daysAgo: number): Promise<void> {
  const r = await coordinator.request('POST', `/api/v1/cases/${caseId}/transitions`, { to: 'withdrawn', reason: 'The family of Zarina Testova asked to wait' }, { 'if-match': '"1"' });
  assert.equal(r.statusCode, 200, r.body);
  await sql`update cases set state_changed_at = now() - make_interval(days => ${daysAgo}) where id = ${caseId}::uuid`.execute(t.database.db);
}

const figures = async () => {
  const r = await coordinator.request('GET', `/api/v1/figures/dashboard`);
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};
const personRow = (id: string) => t.database.db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** Every text the database holds about someone, as one string, to search for a name in. */
async function everythingAbout(id: string): Promise<string> {
  const { rows } = await sql<{ doc: string }>`
    select concat_ws(' | ',
      (select row_to_json(p)::text from persons p where p.id = ${id}::uuid),
      (select json_agg(n)::text from person_names n where n.person_id = ${id}::uuid),
      (select json_agg(d)::text from identity_documents d where d.person_id = ${id}::uuid),
      (select json_agg(g)::text from guardians g where g.child_id = ${id}::uuid),
      (select json_agg(b)::text from best_interests_assessments b where b.child_id = ${id}::uuid),
      (select json_agg(tr)::text from tracing_requests tr where tr.found_person_id = ${id}::uuid),
      (select json_agg(v.data)::text from audit_values v join audit_events e on e.id = v.event_id where e.entity_id = ${id}),
      (select json_agg(ct.reason)::text from case_transitions ct join case_members cm on cm.case_id = ct.case_id where cm.person_id = ${id}::uuid)
    ) as doc`.execute(t.database.db);
  return rows[0]?.doc ?? '';
}

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  const db = t.database.db;
  ids.mother = await person('Zarina Testova', '1990-04-12', { vulnerability: { medicalNeeds: true, notes: 'Zarina needs insulin' }, externalRef: 'row-17' });
  ids.child = await person('Malika Testova', '2016-08-03', { vulnerability: { separated: true, notes: 'Malika was separated at Camp 4' } });
  ids.recent = await person('Dilbar Sampleva', '1992-02-01');
  ids.busy = await person('Gulnora Exampleva', '1988-11-30');
  const doc = await coordinator.request('POST', `/api/v1/persons/${ids.mother}/documents`, { kind: 'passport', countryCode: 'TJK', number: 'P1234567', issuedOn: '2014-05-01' });
  assert.equal(doc.statusCode, 201, doc.body);
  const photo = await coordinator.request('POST', `/api/v1/persons/${ids.child}/photos`, PNG, { 'content-type': 'image/png' });
  assert.equal(photo.statusCode, 201, photo.body);
  // Facts recorded by other agencies, written here as their rows (their APIs are tested where they live).
  await sql`update persons set security_notes = 'screened: brother of Zarina in Raqqa', non_refoulement_note = 'risk noted' where id = ${ids.mother}::uuid`.execute(db);
  await sql`insert into guardians (child_id, full_name, relation, contact, address, country_code) values (${ids.child}::uuid, 'Rustam Testov', 'grandparent', '+992 00 000 0000', 'Dushanbe, street 1', 'TJK')`.execute(db);
  await sql`insert into best_interests_assessments (child_id, kind, assessed_on, summary, recommendation) values (${ids.child}::uuid, 'short', ${addDays(TODAY, -30)}::date, 'Malika speaks of her grandmother', 'return')`.execute(db);
  await sql`insert into tracing_requests (country_code, status, sought_names, sought_sex, mother_name, notes, enquirer_name, enquirer_relationship, enquirer_contact, found_person_id)
    values ('TJK', 'found', array['Malika Testova'], 'female', 'Zarina Testova', 'last seen in Camp 4', 'Rustam Testov', 'grandfather', 'rustam@example.test', ${ids.child}::uuid)`.execute(db);

  ids.oldCase = await openCase('Testova family', [{ personId: ids.mother, role: 'mother' }, { personId: ids.child, role: 'child' }]);
  ids.recentCase = await openCase('Sampleva', [{ personId: ids.recent, role: 'principal' }]);
  ids.busyOldCase = await openCase('Exampleva (first)', [{ personId: ids.busy, role: 'principal' }]);
  await withdraw(ids.oldCase, DAYS + 40);
  await withdraw(ids.recentCase, 100);
  await withdraw(ids.busyOldCase, DAYS + 40);
  // Gulnora is back in the process: a new case, open.
  ids.busyOpenCase = await openCase('Exampleva (again)', [{ personId: ids.busy, role: 'principal' }]);
});
after(() => t?.close());

describe('retention: homeward anonymise', () => {
  test('a dry run lists what would be anonymised and changes nothing', async () => {
    const before = await everythingAbout(ids.mother);
    const auditEvents = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const plan = await planAnonymisation(t.database.db, { asOf: TODAY, retentionDays: DAYS });
    assert.equal(plan.cutoff, addDays(TODAY, -DAYS));
    assert.deepEqual(plan.cases, [ids.oldCase]);
    assert.deepEqual([...plan.people], [ids.mother, ids.child].sort());
    assert.deepEqual(plan.heldBack, [{ caseId: ids.busyOldCase, reasons: ['member_on_open_case'] }]);
    assert.equal(await everythingAbout(ids.mother), before);
    const auditAfter = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(auditAfter.n, auditEvents.n);
  });

  test('past the period: every personal field gone, figures unchanged, the audit chain verifies; twice is once', async () => {
    const db = t.database.db;
    const figuresBefore = await figures();
    const photoFile = await db.selectFrom('photos').select('file_sha256').where('person_id', '=', ids.child).executeTakeFirstOrThrow();
    assert.match(await everythingAbout(ids.mother), /Zarina/);

    const result = await anonymiseExpired(db, { asOf: TODAY, retentionDays: DAYS, batchSize: 1 });
    assert.deepEqual(result.cases, [ids.oldCase]);
    assert.deepEqual([...result.people].sort(), [ids.mother, ids.child].sort());
    assert.ok(result.filesDeleted >= 1, 'the photo file is deleted');
    assert.ok(result.auditValuesErased > 0);

    for (const id of [ids.mother, ids.child]) {
      const text = await everythingAbout(id);
      for (const word of ['Zarina', 'Malika', 'Testova', 'Testov', 'Umm Testa', 'P1234567', 'insulin', 'Camp 4', 'Raqqa', 'grandmother', 'Dushanbe', '+992', 'rustam@', 'row-17', 'family of']) {
        assert.ok(!text.toLowerCase().includes(word.toLowerCase()), `${word} is gone from ${id}: ${text.slice(0, 2000)}`);
      }
      const p = await personRow(id);
      assert.equal(p.display_name, ANONYMISED);
      assert.deepEqual(p.search_keys, []);
      assert.equal(p.search_text, '');
      assert.equal(p.welfare_notes, null);
      assert.equal(p.security_notes, null);
      assert.ok(p.anonymised_at instanceof Date);
      assert.equal(p.sex, 'female', 'sex stays');
      assert.equal(p.birth_precision, 'year');
    }
    const mother = await personRow(ids.mother);
    assert.equal(mother.birth_earliest, '1990-01-01');
    assert.equal(mother.birth_latest, '1990-12-31');
    assert.equal(mother.medical_needs, true, 'the flags the figures may count stay');
    const nationalities = await db.selectFrom('person_nationalities').select(['country_code', 'display_name']).where('person_id', '=', ids.mother).execute();
    assert.deepEqual(nationalities, [{ country_code: 'TJK', display_name: ANONYMISED }]);
    assert.equal((await db.selectFrom('photos').select('id').where('person_id', '=', ids.child).execute()).length, 0);
    assert.equal(await db.selectFrom('files').select('sha256').where('sha256', '=', photoFile.file_sha256).executeTakeFirst(), undefined, 'the photo file is deleted');
    const doc = await db.selectFrom('identity_documents').selectAll().where('person_id', '=', ids.mother).executeTakeFirstOrThrow();
    assert.deepEqual([doc.kind, doc.country_code, doc.number, doc.issued_on], ['passport', 'TJK', null, null]);
    const c = await db.selectFrom('cases').selectAll().where('id', '=', ids.oldCase).executeTakeFirstOrThrow();
    assert.equal(c.state, 'withdrawn', 'the state stays');
    assert.equal(c.title, null);
    assert.ok(c.anonymised_at instanceof Date);

    // Search by the old names finds nothing; the others are still found.
    for (const q of ['Zarina Testova', 'Malika', 'Testova']) {
      const r = await coordinator.request('GET', `/api/v1/persons?q=${encodeURIComponent(q)}`);
      assert.equal(r.statusCode, 200, r.body);
      const found = (r.json().data as { id: string }[]).map((p) => p.id);
      assert.ok(!found.includes(ids.mother) && !found.includes(ids.child), `${q} finds nothing: ${r.body.slice(0, 300)}`);
    }
    const still = await coordinator.request('GET', `/api/v1/persons?q=${encodeURIComponent('Dilbar Sampleva')}`);
    assert.ok((still.json().data as { id: string }[]).some((p) => p.id === ids.recent));

    // Inside the period, and a member on another open case: untouched.
    assert.equal((await personRow(ids.recent)).display_name, 'Dilbar Sampleva');
    assert.equal((await personRow(ids.recent)).anonymised_at, null);
    assert.equal((await personRow(ids.busy)).display_name, 'Gulnora Exampleva');
    assert.equal((await db.selectFrom('cases').select('anonymised_at').where('id', '=', ids.busyOldCase).executeTakeFirstOrThrow()).anonymised_at, null);

    assert.deepEqual(await figures(), figuresBefore, 'the figures count them as before');
    const verified = await verifyAuditTrail(db);
    assert.ok(verified.ok, verified.problem ?? '');
    const events = await db.selectFrom('audit_events').select(['action', 'entity_id']).where('action', 'in', ['person.anonymised', 'case.anonymised']).execute();
    assert.equal(events.length, 3);

    // Twice is once: nothing more is changed, no event added.
    const count = async () => Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const eventsBefore = await count();
    const versionBefore = (await personRow(ids.mother)).version;
    const again = await anonymiseExpired(db, { asOf: TODAY, retentionDays: DAYS });
    assert.deepEqual([again.cases, again.people, again.filesDeleted, again.auditValuesErased], [[], [], 0, 0]);
    assert.equal(await count(), eventsBefore);
    assert.equal((await personRow(ids.mother)).version, versionBefore);
    assert.ok((await verifyAuditTrail(db)).ok);

    // The person's page still opens, anonymised.
    const page = await coordinator.request('GET', `/api/v1/persons/${ids.mother}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.ok(!page.body.includes('Zarina'));

    // An anonymised case cannot be reopened: what it was about is gone.
    const reopen = await coordinator.request('POST', `/api/v1/cases/${ids.oldCase}/transitions`, { to: 'identification', reason: 'New information came in' });
    assert.equal(reopen.statusCode, 409, reopen.body);
    assert.equal(reopen.json().error.code, 'case_anonymised');
  });

  test('a later day brings the recent case past its period', async () => {
    const plan = await planAnonymisation(t.database.db, { asOf: addDays(TODAY, DAYS), retentionDays: DAYS });
    assert.deepEqual(plan.cases, [ids.recentCase]);
    assert.deepEqual(plan.people, [ids.recent]);
  });

  test('the command line: --dry-run', { skip: TEST_DB_KIND !== 'postgres' && 'the CLI needs a database another process can open (PostgreSQL run)' }, async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.database.url as string, HOMEWARD_RETENTION_DAYS: '30', LOG_LEVEL: 'silent' };
        delete env.NODE_TEST_CONTEXT;
        const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 60_000 });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const dry = await run(['anonymise', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^dry run, nothing changed: would anonymise 1 case\(s\) and 1 person\(s\)/);
    assert.ok(dry.stdout.includes(`case ${ids.recentCase}`) && dry.stdout.includes(`person ${ids.recent}`), dry.stdout);
    assert.equal((await personRow(ids.recent)).anonymised_at, null, 'a dry run changes nothing');
  });

  test('a bad --as-of is refused by name, before the database is opened', async () => {
    await assert.rejects(anonymiseCommand({ asOf: '2026-02-30' }), (e: unknown) => e instanceof CliError && e.exitCode === 2 && e.message === '--as-of: is not a real date');
    await assert.rejects(anonymiseCommand({ asOf: 'yesterday' }), (e: unknown) => e instanceof CliError && e.message === '--as-of: must be a date YYYY-MM-DD');
  });

  test('the daily job reads HOMEWARD_RETENTION_DAYS; delivered twice, it anonymises once', async () => {
    const saved = process.env.HOMEWARD_RETENTION_DAYS;
    process.env.HOMEWARD_RETENTION_DAYS = '30';
    try {
      const job = jobDefinition('retention.anonymise');
      assert.equal(job.everySeconds, 24 * 3600);
      await Promise.all([job.handle(t.database.db), job.handle(t.database.db)]);
      await job.handle(t.database.db);
    } finally {
      if (saved === undefined) delete process.env.HOMEWARD_RETENTION_DAYS;
      else process.env.HOMEWARD_RETENTION_DAYS = saved;
    }
    assert.equal((await personRow(ids.recent)).display_name, ANONYMISED);
    const events = await t.database.db.selectFrom('audit_events').select('action').where('entity_id', 'in', [ids.recent, ids.recentCase]).where('action', 'in', ['person.anonymised', 'case.anonymised']).execute();
    assert.deepEqual(events.map((e) => e.action).sort(), ['case.anonymised', 'person.anonymised']);
    assert.equal((await personRow(ids.busy)).anonymised_at, null, 'still on an open case');
    assert.ok((await verifyAuditTrail(t.database.db)).ok);
  });
});
