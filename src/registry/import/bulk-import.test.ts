import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAuditTrail } from '../../audit/verify.ts';
import { registerPeople } from '../../commands/personRegistrar.ts';
import type { Executor } from '../../db/database.ts';
import { addDays } from '../../domain/birth-date.ts';
import { NewPersonSchema } from '../../domain/person.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../testing/app.ts';
import { today } from '../as-of.ts';
import { readTable } from './read-table.ts';
import { type ImportPhase, runImport } from './run-import.ts';

// The bulk path of imports (registerPeople): the same rules, rows, search columns
// and audit events as registering one person at a time, in a few statements.

let t: TestApp;
let coordinator: Client;
let custody: Client;
const OWN = 'Bulk Test Own Prison';
const OTHER = 'Bulk Test Other Camp';
const TODAY = today();
const HEADER = 'external_ref,sex,birth_date,given_name,father_name,family_name,full_name,other_name,kunya,nationality,facility,admitted_on,mother_ref,father_ref,vital_status,vital_date,orphan';
let batch = 0;
const prefix = () => `BULK-${process.pid}-${++batch}`;

const post = (csv: string, query = 'dryRun=false', client = coordinator) =>
  client.request('POST', `/api/v1/imports?${query}`, csv, { 'content-type': 'text/csv', accept: 'application/json' });

const idsOf = async (refs: readonly string[]) =>
  (await t.database.db.selectFrom('persons').select(['id', 'external_ref']).where('external_ref', 'in', [...refs]).execute()).map((r) => r.id);

const figuresOf = (db: Executor, ids: readonly string[]) => db.selectFrom('person_figures').selectAll().where('person_id', 'in', [...ids]).orderBy('person_id').execute();
const figuresSetting = async (db: Executor) => (await sql<{ v: string | null }>`select current_setting('homeward.figures', true) as v`.execute(db)).rows[0]?.v ?? null;
class Undo extends Error {}

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  custody = await signInNew(t, 'custody', { agencyName: 'Bulk Corrective Directorate' });
  const own = await custody.request('POST', '/api/v1/facilities', { name: OWN, kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 5000 });
  assert.equal(own.statusCode, 201, own.body);
  const other = await coordinator.request('POST', '/api/v1/facilities', { name: OTHER, kind: 'camp', holdingAuthority: 'Autonomous Administration', countryCode: 'SYR', capacity: 5000 });
  assert.equal(other.statusCode, 201, other.body);
});
after(() => t.close());

describe('bulk import', () => {
  test('every imported person has a person.created event, the import one registry.imported, and the chain verifies', async () => {
    const p = prefix();
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const mother = i % 3 === 2 ? `${p}-${i - 2}` : '';
      return [`${p}-${i}`, mother ? 'male' : 'female', mother ? '2015' : `${1975 + (i % 20)}`, `Given${i}`, '', `Family${i % 50}`, '', '', '', 'TJK', OWN, '2020-01-15', mother, '', '', '', ''].join(',');
    });
    const phases: [number, ImportPhase][] = [];
    const table = await readTable(Buffer.from(`${HEADER}\n${rows.join('\n')}\n`), 'csv');
    const report = await runImport(t.database.db, table, { system: 'bulk-test' }, TODAY, { dryRun: false, onProgress: (done, _total, phase) => phases.push([done, phase]) });
    assert.deepEqual({ ...report, problems: report.problems.length }, { dryRun: false, committed: true, total: 1200, created: 1200, alreadyRegistered: 0, familyLinks: 400, problems: 0 });

    const writing = phases.filter(([, phase]) => phase === 'writing').map(([done]) => done);
    assert.ok(writing.length >= 5, `progress while writing: ${writing.join(',')}`);
    assert.deepEqual(writing, [...writing].sort((a, b) => a - b));
    assert.equal(writing.at(-1), 1200);

    const ids = await idsOf(rows.map((_, i) => `${p}-${i}`));
    assert.equal(ids.length, 1200);
    const events = await t.database.db
      .selectFrom('audit_events')
      .select(['entity_id', 'chain_id'])
      .where('action', '=', 'person.created')
      .where('entity_id', 'in', ids)
      .execute();
    assert.equal(new Set(events.map((e) => e.entity_id)).size, 1200, 'one person.created event per imported person');
    assert.equal(events.length, 1200);
    const imported = await t.database.db.selectFrom('audit_events').select(['chain_id', 'id']).where('action', '=', 'registry.imported').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.ok(events.every((e) => e.chain_id === imported.chain_id), 'the import records all its events in one chain');

    // Family links in both directions.
    const links = await t.database.db.selectFrom('family_links').select(['relation']).where('person_id', 'in', ids).execute();
    assert.equal(links.filter((l) => l.relation === 'mother').length, 400);
    assert.equal(links.filter((l) => l.relation === 'child').length, 400);

    const verified = await verifyAuditTrail(t.database.db);
    assert.equal(verified.problem, null);
    assert.ok(verified.ok);

    // The figures' rows (their triggers deferred while the rows are written, then refreshed once) equal a rebuild from scratch.
    const kept = await figuresOf(t.database.db, ids);
    assert.equal(kept.length, 1200);
    assert.ok(kept.every((f) => f.nat === 'TJK' && f.held_in !== null && f.held_since === '2020-01-15'), 'nationality and custody counted');
    let rebuilt: typeof kept = [];
    await t.database.db
      .transaction()
      .execute(async (tx) => {
        await sql`select person_figures_rebuild()`.execute(tx);
        rebuilt = await figuresOf(tx, ids);
        throw new Undo();
      })
      .catch((error) => {
        if (!(error instanceof Undo)) throw error;
      });
    assert.deepEqual(kept, rebuilt);

    // Each nationality row carries its person's name (migration 0010: the list of one nationality in name order reads it).
    const names = await sql<{ n: number; differ: number }>`select count(*)::int as n, count(*) filter (where pn.display_name is distinct from p.display_name)::int as differ
      from person_nationalities pn join persons p on p.id = pn.person_id where p.id = any(${ids}::uuid[])`.execute(t.database.db);
    assert.deepEqual(names.rows[0], { n: 1200, differ: 0 });
  });

  test('a nationality row carries its person\'s name whatever a writer supplies: filled, corrected, moved, renamed', async () => {
    const p = prefix();
    const people = ['Copied Name One', 'Copied Name Two'].map((name, i) =>
      NewPersonSchema.parse({ externalRef: `${p}-${i}`, sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: name }] }),
    );
    await t.database.db
      .transaction()
      .execute(async (tx) => {
        const { ids } = await registerPeople(tx, people, { system: 'bulk-test' }, TODAY);
        const [one, two] = ids as [string, string];
        const nameOf = async (personId: string, country: string) =>
          (await sql<{ display_name: string }>`select display_name from person_nationalities where person_id = ${personId} and country_code = ${country}`.execute(tx)).rows[0]?.display_name;
        // One statement: a row without a name, a row with the wrong one, a row with the right one.
        await sql`insert into person_nationalities (person_id, country_code, status, display_name) values
          (${one}, 'TJK', 'claimed', null), (${one}, 'RUS', 'claimed', 'Somebody Else'), (${two}, 'TJK', 'claimed', 'Copied Name Two')`.execute(tx);
        assert.equal(await nameOf(one, 'TJK'), 'Copied Name One');
        assert.equal(await nameOf(one, 'RUS'), 'Copied Name One');
        assert.equal(await nameOf(two, 'TJK'), 'Copied Name Two');
        await sql`update person_nationalities set person_id = ${two} where person_id = ${one} and country_code = 'RUS'`.execute(tx);
        assert.equal(await nameOf(two, 'RUS'), 'Copied Name Two');
        await sql`update persons set display_name = 'Renamed Two' where id = ${two}`.execute(tx);
        assert.equal(await nameOf(two, 'RUS'), 'Renamed Two');
        assert.equal(await nameOf(two, 'TJK'), 'Renamed Two');
        throw new Undo();
      })
      .catch((error) => {
        if (!(error instanceof Undo)) throw error;
      });
  });

  test('search finds imported people by their Arabic, Cyrillic and Latin names, and their search columns equal registerPerson’s', async () => {
    const p = prefix();
    const csv = [
      HEADER,
      `${p}-1,female,1988,زينب,,الكردي,,Зейнаб Алькурди,أم محمد,IRQ,,,,,,,`,
      `${p}-2,male,2014-05,Руслан,,Шамилев,,Ruslan Shamilev,,RUS,,,,,,,yes`,
      `${p}-3,female,about 1990,Khadija,Omar,Benali,,خديجة بن علي,,MAR,,,,,,,`,
    ].join('\n');
    const report = (await post(`${csv}\n`)).json();
    assert.equal(report.committed, true, JSON.stringify(report));
    const find = async (q: string) => ((await coordinator.request('GET', `/api/v1/persons?q=${encodeURIComponent(q)}`)).json().data as { externalRef?: string }[]).map((r) => r.externalRef);
    assert.ok((await find('زينب الكردي')).includes(`${p}-1`), 'Arabic');
    assert.ok((await find('Zaynab al-Kurdi')).includes(`${p}-1`), 'Arabic name found in Latin');
    assert.ok((await find('Руслан Шамилев')).includes(`${p}-2`), 'Cyrillic');
    assert.ok((await find('Ruslan Shamilev')).includes(`${p}-2`), 'Cyrillic name found in Latin');
    assert.ok((await find('Khadija Benali')).includes(`${p}-3`), 'Latin');
    assert.ok((await find('خديجة')).includes(`${p}-3`), 'Latin name found by its alias in Arabic');

    // The same people registered one at a time through the API have the same search columns and names.
    const columns = async (ref: string) => {
      const person = await t.database.db.selectFrom('persons').select(['id', 'display_name', 'search_keys', 'search_text', 'birth_precision', 'birth_earliest', 'birth_latest', 'birth_text', 'orphan']).where('external_ref', '=', ref).executeTakeFirstOrThrow();
      const names = await t.database.db.selectFrom('person_names').select(['kind', 'script', 'given_name', 'father_name', 'family_name', 'full_name', 'latin']).where('person_id', '=', person.id).orderBy('full_name').execute();
      return { ...person, id: undefined, names };
    };
    const single = await coordinator.request('POST', '/api/v1/persons', {
      externalRef: `${p}-single`,
      sex: 'male',
      birthDate: { precision: 'month', month: '2014-05' },
      names: [{ givenName: 'Руслан', familyName: 'Шамилев' }, { kind: 'alias', fullName: 'Ruslan Shamilev' }],
      nationalities: [{ countryCode: 'RUS' }],
      vulnerability: { orphan: true },
    });
    assert.equal(single.statusCode, 201, single.body);
    assert.deepEqual(await columns(`${p}-single`), await columns(`${p}-2`));
  });

  test('a custody officer’s rows outside their own facilities, or without one, are refused by row and column', async () => {
    const p = prefix();
    const csv = [
      HEADER,
      `${p}-1,female,1990,Amina,,Saleh,,,,IRQ,${OWN},2019-06-01,,,,,`,
      `${p}-2,female,1991,Mariam,,Saleh,,,,IRQ,${OTHER},2019-06-01,,,,,`,
      `${p}-3,female,1992,Huda,,Saleh,,,,IRQ,,,,,,,`,
    ].join('\n');
    const dry = (await post(`${csv}\n`, 'dryRun=true', custody)).json();
    const real = (await post(`${csv}\n`, 'dryRun=false', custody)).json();
    assert.equal(real.committed, false);
    assert.deepEqual(
      real.problems.map((x: { row: number; column: string }) => `${x.row}:${x.column}`),
      ['3:facility', '4:facility'],
    );
    assert.match(real.problems[0].message, /own agency/);
    assert.deepEqual({ ...dry, dryRun: undefined }, { ...real, dryRun: undefined }, 'a dry run reports exactly what a real run does');
    assert.equal((await idsOf([`${p}-1`, `${p}-2`, `${p}-3`])).length, 0);

    const ok = (await post(`${HEADER}\n${p}-4,female,1990,Amina,,Saleh,,,,IRQ,${OWN},2019-06-01,,,,,\n`, 'dryRun=false', custody)).json();
    assert.equal(ok.committed, true, JSON.stringify(ok));
  });

  test('registerPerson’s rules while writing: vital date, admission date; problems by row and column, nothing written', async () => {
    const p = prefix();
    const tomorrow = addDays(TODAY, 1);
    const csv = [
      HEADER,
      `${p}-1,female,1990,Good,,Row,,,,IRQ,${OTHER},2019-06-01,,,,,`,
      `${p}-2,female,1990-05-01,Died,,Before,,,,IRQ,,,,,deceased,1989-01-01,`,
      `${p}-3,female,1990,Died,,Tomorrow,,,,IRQ,,,,,deceased,${tomorrow},`,
      `${p}-4,female,2000,Admitted,,Before,,,,IRQ,${OTHER},1999-01-01,,,,,`,
      `${p}-5,female,2000,Admitted,,Tomorrow,,,,IRQ,${OTHER},${tomorrow},,,,,`,
      `${p}-6,male,2010,Wrong,,Mother,,,,IRQ,,,${p}-7,,,,`,
      `${p}-7,male,1980,A,,Man,,,,IRQ,,,,,,,`,
    ].join('\n');
    const dry = (await post(`${csv}\n`, 'dryRun=true')).json();
    const real = (await post(`${csv}\n`)).json();
    assert.equal(real.committed, false);
    assert.deepEqual(
      real.problems.map((x: { row: number; column: string }) => `${x.row}:${x.column}`),
      ['3:vital_date', '4:vital_date', '5:admitted_on', '6:admitted_on', '7:mother_ref'],
    );
    assert.deepEqual({ ...dry, dryRun: undefined }, { ...real, dryRun: undefined });
    assert.equal((await idsOf([`${p}-1`, `${p}-7`])).length, 0);
  });

  test('registerPeople refuses an external reference already registered, or repeated, as registerPerson does', async () => {
    const p = prefix();
    const person = (ref: string) => NewPersonSchema.parse({ externalRef: ref, sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: 'Same Name' }] });
    await t.database.db.transaction().execute(async (tx) => {
      const first = await registerPeople(tx, [person(`${p}-1`)], { system: 'bulk-test' }, TODAY);
      assert.equal(first.refused.length, 0);
      const second = await registerPeople(tx, [person(`${p}-1`), person(`${p}-2`), person(`${p}-2`)], { system: 'bulk-test' }, TODAY);
      assert.deepEqual(
        second.refused.map((r) => [r.index, r.error.code]),
        [
          [0, 'external_ref_taken'],
          [2, 'external_ref_taken'],
        ],
      );
      assert.deepEqual(
        second.ids.map((id) => id !== null),
        [false, true, false],
      );
      // The figures' triggers were deferred for the registration only: its people have their rows, and the triggers work again.
      assert.notEqual(await figuresSetting(tx), 'deferred');
      assert.equal((await figuresOf(tx, [...first.ids, ...second.ids].filter((id): id is string => id !== null))).length, 2);
    });
    assert.equal((await idsOf([`${p}-1`, `${p}-2`])).length, 2);
    assert.ok((await verifyAuditTrail(t.database.db)).ok);
  });

  test('registerPeople leaves the figures deferred for a caller that deferred them (homeward generate rebuilds them at its end)', async () => {
    const p = prefix();
    const person = NewPersonSchema.parse({ externalRef: `${p}-1`, sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: 'Deferred Name' }] });
    await t.database.db
      .transaction()
      .execute(async (tx) => {
        await sql`set local homeward.figures = 'deferred'`.execute(tx);
        const { ids } = await registerPeople(tx, [person], { system: 'bulk-test' }, TODAY);
        assert.equal(await figuresSetting(tx), 'deferred');
        assert.equal((await figuresOf(tx, ids.filter((id): id is string => id !== null))).length, 0);
        throw new Undo();
      })
      .catch((error) => {
        if (!(error instanceof Undo)) throw error;
      });
  });
});
