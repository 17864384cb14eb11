import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import { today } from '../registry/as-of.ts';
import { indexNames } from '../registry/search-index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { inSearchPlan, MANY_WORD_MATCHES, RANKED_CANDIDATES, searchPersons } from './person-search.ts';

/**
 * The search's two tiers (decision 0034): the people one of whose names is exactly the query rank
 * above everyone else; when many people match every word, the exact namesakes are looked for alone
 * first, and the page they fill is the page both tiers would give.
 */
const coordinator: Actor = {
  userId: '00000000-0000-4000-8000-000000000000',
  username: 'tiers',
  role: 'coordinator',
  agencyId: null,
  countryCode: null,
  via: 'session',
  scopes: ['read'],
  totpEnrollmentPending: false,
  passwordChangePending: false,
};
const asOf = today();
let database: TestDatabase;

/** People inserted with their search index as the registry computes it (one statement). */
async function insertPeople(names: readonly string[][]): Promise<string[]> {
  const rows = names.map((own) => ({ name: own[0] as string, ...indexNames(own) }));
  const inserted = await sql<{ id: string }>`insert into persons (display_name, sex, birth_precision, birth_earliest, birth_latest, search_text, search_keys, updated_at)
    select n, 'female', 'exact', '1990-01-01', '1990-01-01', t, string_to_array(k, ' '), now()
    from unnest(${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.searchText)}::text[], ${rows.map((r) => r.searchKeys.join(' '))}::text[]) as x (n, t, k)
    returning id`.execute(database.db);
  return inserted.rows.map((r) => r.id);
}

/** The page as the API asks for it (inSearchPlan), and the same page from both tiers ranked at once. */
async function pages(q: string, offset: number, limit: number, actor: Actor = coordinator, filters: { nationality?: string } = {}) {
  const page = { offset, limit };
  const search = { q, ...filters };
  const planned = await inSearchPlan(database.db, search, page, (tx, run) => searchPersons(tx, actor, asOf, search, run).query.execute());
  const both = await searchPersons(database.db, actor, asOf, search, { typos: false, page }).query.execute();
  return { planned: planned.map((r) => [r.display_name, r.id]), both: both.map((r) => [r.display_name, r.id]) };
}

describe('registry search: exact namesakes first', () => {
  before(async () => {
    database = await createTestDatabase();
    // Many people with every word of the name and more (not exact), 30 exact namesakes — and one
    // exact namesake recorded in the other script only (found by the query's Latin rendering).
    const words: string[][] = [];
    for (let i = 0; i < MANY_WORD_MATCHES + 40; i++) words.push([`Zubayr Nurlanovich Qasimov ${['Ali', 'Umar', 'Yusuf', 'Bilal'][i % 4]}`]);
    const exact: string[][] = [];
    for (let i = 0; i < 30; i++) exact.push(['Zubayr Qasimov']);
    await insertPeople([...words, ...exact, ['Qasimov Zubayr Tahir'], ['Зубайр Касимов']]);
  });
  after(async () => {
    await database?.destroy();
  });

  test('a page the exact namesakes fill is the same page both tiers give, and holds only them', async () => {
    for (const [offset, limit] of [
      [0, 21],
      [21, 21],
      [10, 5],
    ] as const) {
      const { planned, both } = await pages('Zubayr Qasimov', offset, limit);
      assert.deepEqual(planned, both, `offset ${offset}, limit ${limit}`);
      if (offset + limit <= 30) assert.ok(planned.every(([name]) => name === 'Zubayr Qasimov'), `offset ${offset}: only exact namesakes`);
    }
  });

  test('past the exact namesakes the page goes on with the others, in the order of both tiers', async () => {
    const { planned, both } = await pages('Zubayr Qasimov', 21, 21);
    assert.deepEqual(planned, both);
    const names = planned.map(([name]) => name);
    const lastExact = names.lastIndexOf('Zubayr Qasimov');
    const firstOther = names.findIndex((n) => n !== 'Zubayr Qasimov');
    assert.ok(lastExact >= 0 && firstOther > lastExact, `the exact namesakes come first: ${names.join(', ')}`);
    // 31 people answer to "Zubayr Qasimov" exactly: the 30 and the one recorded in Cyrillic, whose Latin rendering it is.
    const exactCount = (await pages('Zubayr Qasimov', 0, 100)).planned.filter(([name]) => name === 'Zubayr Qasimov' || name === 'Зубайр Касимов').length;
    assert.equal(exactCount, 31);
  });

  test('the exact namesakes rank above a name with the same words in another order', async () => {
    const { planned } = await pages('Zubayr Qasimov', 0, 100);
    const names = planned.map(([name]) => name);
    assert.ok(names.indexOf('Qasimov Zubayr Tahir') > names.lastIndexOf('Zubayr Qasimov'));
    // The exact namesakes among themselves: by id (they score alike).
    const exactIds = planned.filter(([name]) => name === 'Zubayr Qasimov').map(([, id]) => id);
    assert.deepEqual(exactIds, [...exactIds].sort());
  });

  test(`more than ${RANKED_CANDIDATES} people matching every word do not crowd out an exact namesake`, async () => {
    const crowd: string[][] = [];
    for (let i = 0; i < RANKED_CANDIDATES + 100; i++) crowd.push([`Harun Dilshodovich Sattarov ${i % 7}`]);
    await insertPeople([...crowd, ['Harun Sattarov']]);
    const { planned, both } = await pages('Harun Sattarov', 0, 10);
    assert.deepEqual(planned, both);
    assert.equal(planned[0]?.[0], 'Harun Sattarov');
  });

  test(`an embassy, or a filter, chooses among its own: more than ${RANKED_CANDIDATES} exact namesakes of other countries do not hide its nationals`, async () => {
    // Written first, so that a source limited before the caller's scope would take them all.
    await insertPeople(Array.from({ length: RANKED_CANDIDATES + 5 }, () => ['Karim Yusupov']));
    const nationals = await insertPeople([...Array.from({ length: 5 }, () => ['Karim Yusupov']), ['Karim Yusupov Tahir']]);
    await sql`insert into person_nationalities (person_id, country_code, status) select unnest(${nationals}::uuid[]), 'TJK', 'claimed'`.execute(database.db);
    const embassy: Actor = { ...coordinator, role: 'embassy', countryCode: 'TJK' };
    for (const [who, actor, filters] of [
      ['the embassy of Tajikistan', embassy, {}],
      ['a search filtered to Tajikistan', coordinator, { nationality: 'TJK' }],
    ] as const) {
      const { planned, both } = await pages('Karim Yusupov', 0, 10, actor, filters);
      assert.deepEqual(planned, both, who);
      assert.deepEqual(planned.map(([name]) => name), [...Array.from({ length: 5 }, () => 'Karim Yusupov'), 'Karim Yusupov Tahir'], who);
      assert.deepEqual(new Set(planned.map(([, id]) => id)), new Set(nationals), who);
    }
  });
});
