import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addDays, addYears } from '../../../domain/birth-date.ts';
import type { Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

let t: TestApp;
let coordinator: Client;
let custody: Client;
let security: Client;
let judiciary: Client;
let facilityId: string;

const TODAY = new Date().toISOString().slice(0, 10);
const YEAR = Number(TODAY.slice(0, 4));
const yearsAgo = (years: number) => addYears(TODAY, -years);
/** Completed years from birth to today, written out here rather than taken from the code under test. */
function completed(birth: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = TODAY.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
const kindForMinAge = (min: number) => (min >= 18 ? 'adult' : min < 9 ? 'child' : 'juvenile');

const signIn = (role: Role, options: { displayName?: string; agencyName?: string; countryCode?: string } = {}): Promise<Client> => signInNew(t, role, options);

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const error = response.json().error as { code: string; message: string; details: { path: string; message: string }[] };
  assert.equal(error.code, code, response.body);
  return error;
}

let seq = 0;
async function register(body: Record<string, unknown> = {}, client = coordinator) {
  seq += 1;
  const response = await client.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'exact', date: yearsAgo(30) }, names: [{ fullName: `Test Person ${seq}` }], ...body });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}
const post = (body: Record<string, unknown>) =>
  coordinator.request('POST', '/api/v1/persons', { sex: 'male', birthDate: { precision: 'exact', date: '2000-01-01' }, names: [{ fullName: 'Some One' }], ...body });
async function list(query: string, client = coordinator): Promise<{ id: string; [k: string]: any }[]> {
  const response = await client.request('GET', `/api/v1/persons?limit=500&${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
}
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

before(async () => {
  t = await createTestApp();
  coordinator = await signIn('coordinator', { displayName: 'Amina Clerk' });
  custody = await signIn('custody', { agencyName: 'Corrective Directorate Rusafa' });
  security = await signIn('security');
  judiciary = await signIn('judiciary');
  const facility = await custody.request('POST', '/api/v1/facilities', { name: 'Rusafa Women’s Prison', kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 50 });
  assert.equal(facility.statusCode, 201, facility.body);
  facilityId = facility.json().id;
});
after(() => t.close());

describe('registering a person', () => {
  test('names in Arabic, Cyrillic and Latin, each with its script and a Latin rendering', async () => {
    const person = await register({
      names: [{ givenName: 'محمد', fatherName: 'أحمد', familyName: 'الحسيني' }, { kind: 'alias', fullName: 'Мухаммад Абдуллаев' }, { kind: 'kunya', fullName: 'Abu Ahmad' }],
    });
    assert.equal(person.displayName, 'محمد أحمد الحسيني');
    assert.match(person.latinName, /^Muhammad Ahmad [A-Za-z' -]*Hus+aini$/);
    // The primary name comes first (the others share its created_at, so their order is not kept).
    type Name = { kind: string; script: string; latin: string; givenName: string | null; familyName: string | null };
    const [primary, ...others] = person.names as Name[];
    const byKind = Object.fromEntries(others.map((n) => [n.kind, n]));
    assert.deepEqual([primary, byKind.alias, byKind.kunya].map((n) => [n?.kind, n?.script]), [['primary', 'arabic'], ['alias', 'cyrillic'], ['kunya', 'latin']]);
    assert.equal(primary?.latin, person.latinName);
    assert.equal(primary?.givenName, 'محمد');
    assert.equal(primary?.familyName, 'الحسيني');
    assert.match(byKind.alias?.latin ?? '', /^Mukhammad Abdullay?ev$/);
    assert.equal(byKind.kunya?.latin, 'Abu Ahmad');
    assert.equal(person.version, 1);
    const fetched = await coordinator.request('GET', `/api/v1/persons/${person.id}`);
    assert.deepEqual(fetched.json(), person);
    const cyrillicOnly = await register({ names: [{ fullName: 'Зарина Саидова' }] });
    assert.equal(cyrillicOnly.latinName, 'Zarina Saidova');
    assert.equal(cyrillicOnly.names[0].script, 'cyrillic');
  });

  test('a birth date of each precision gives an age range and a kind read protectively', async () => {
    const cases = [
      { input: { precision: 'exact', date: yearsAgo(5) }, earliest: yearsAgo(5), latest: yearsAgo(5), display: yearsAgo(5) },
      { input: { precision: 'exact', date: addDays(yearsAgo(9), 1) }, earliest: addDays(yearsAgo(9), 1), latest: addDays(yearsAgo(9), 1), kind: 'child' },
      { input: { precision: 'exact', date: yearsAgo(18) }, earliest: yearsAgo(18), latest: yearsAgo(18), kind: 'adult' },
      { input: { precision: 'exact', date: addDays(yearsAgo(18), 1) }, earliest: addDays(yearsAgo(18), 1), latest: addDays(yearsAgo(18), 1), kind: 'juvenile' },
      { input: { precision: 'year', year: YEAR - 9 }, earliest: `${YEAR - 9}-01-01`, latest: `${YEAR - 9}-12-31`, display: String(YEAR - 9) },
      { input: { precision: 'year', year: YEAR - 18 }, earliest: `${YEAR - 18}-01-01`, latest: `${YEAR - 18}-12-31`, display: String(YEAR - 18) },
      { input: { precision: 'month', month: '2015-03' }, earliest: '2015-03-01', latest: '2015-03-31', display: '2015-03' },
      { input: { precision: 'estimated', aboutYear: 2015 }, earliest: '2014-01-01', latest: '2016-12-31', display: 'about 2014–2016' },
      { input: { precision: 'estimated', aboutYear: YEAR - 20 }, earliest: `${YEAR - 21}-01-01`, latest: `${YEAR - 19}-12-31`, kind: 'adult' },
    ];
    for (const c of cases) {
      const person = await register({ birthDate: c.input });
      const age = { min: completed(c.latest), max: completed(c.earliest) };
      const label = JSON.stringify(c.input);
      assert.deepEqual(person.age, age, label);
      assert.equal(person.kind, kindForMinAge(age.min), label);
      if (c.kind) assert.equal(person.kind, c.kind, label);
      assert.equal(person.birthDate.precision, c.input.precision, label);
      assert.equal(person.birthDate.earliest, c.earliest, label);
      assert.equal(person.birthDate.latest, c.latest, label);
      if (c.display) assert.equal(person.birthDate.display, c.display, label);
    }
    // A year of birth 18 years ago leaves the person possibly 17: a minor, never an adult.
    if (!TODAY.endsWith('-12-31')) {
      assert.equal((await register({ birthDate: { precision: 'year', year: YEAR - 18 } })).kind, 'juvenile');
      assert.equal((await register({ birthDate: { precision: 'year', year: YEAR - 9 } })).kind, 'child');
    }
  });

  test('an impossible or malformed date is 400 naming body.birthDate…, and nothing is stored', async () => {
    const before = await t.database.db.selectFrom('persons').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const feb30 = assertError(await post({ birthDate: { precision: 'exact', date: '2015-02-30' } }), 400, 'invalid_input');
    assert.ok(feb30.details.some((d) => d.path === 'body.birthDate.date' && d.message.includes('2015-02-30')), JSON.stringify(feb30.details));
    const month13 = assertError(await post({ birthDate: { precision: 'month', month: '2015-13' } }), 400, 'invalid_input');
    assert.ok(month13.details.some((d) => d.path === 'body.birthDate.month'), JSON.stringify(month13.details));
    for (const birthDate of [{ precision: 'weekly', date: '2015-01-01' }, { precision: 'year', year: 2015.5 }, { precision: 'estimated', aboutYear: 2015, earliest: '2014-01-01', latest: '2015-01-01' }, '2015-01-01']) {
      const error = assertError(await post({ birthDate }), 400, 'invalid_input');
      assert.ok(error.details.some((d) => d.path.startsWith('body.birthDate')), JSON.stringify(error.details));
    }
    const after = await t.database.db.selectFrom('persons').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  test('unknown fields are refused, wherever they are', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ nickname: 'Sasha' }, 'body.nickname'],
      [{ birthDate: { precision: 'exact', date: '2000-01-01', day: 3 } }, 'body.birthDate.day'],
      [{ names: [{ fullName: 'Some One', middleName: 'X' }] }, 'body.names.0.middleName'],
      [{ nationalities: [{ countryCode: 'RUS', verifiedBy: 'me' }] }, 'body.nationalities.0.verifiedBy'],
    ];
    for (const [body, path] of cases) {
      const error = assertError(await post(body), 400, 'invalid_input');
      assert.ok(error.details.some((d) => d.path === path), `${path}: ${JSON.stringify(error.details)}`);
    }
  });

  test('a birth in the future is 400; an estimate that only reaches past today is accepted', async () => {
    const tomorrow = assertError(await post({ birthDate: { precision: 'exact', date: addDays(TODAY, 1) } }), 400, 'invalid_input');
    assert.deepEqual(tomorrow.details.map((d) => d.path), ['body.birthDate.date']);
    const nextYear = assertError(await post({ birthDate: { precision: 'year', year: YEAR + 1 } }), 400, 'invalid_input');
    assert.deepEqual(nextYear.details.map((d) => d.path), ['body.birthDate.year']);
    const about = assertError(await post({ birthDate: { precision: 'estimated', aboutYear: YEAR + 3 } }), 400, 'invalid_input');
    assert.deepEqual(about.details.map((d) => d.path), ['body.birthDate.aboutYear']);
    const baby = await register({ birthDate: { precision: 'estimated', aboutYear: YEAR } });
    assert.deepEqual(baby.age, { min: 0, max: completed(`${YEAR - 1}-01-01`) });
    assert.equal(baby.kind, 'child');
  });

  test('an external reference already registered is 409 external_ref_taken', async () => {
    await register({ externalRef: 'SHEET-2019-0417' });
    const error = assertError(await post({ externalRef: 'SHEET-2019-0417', names: [{ fullName: 'Other Name' }] }), 409, 'external_ref_taken');
    assert.deepEqual(error.details.map((d) => d.path), ['body.externalRef']);
    const rows = await t.database.db.selectFrom('persons').select('id').where('external_ref', '=', 'SHEET-2019-0417').execute();
    assert.equal(rows.length, 1);
  });
});

describe('searching the registry', () => {
  test('finds the same person by «Мухаммад», «محمد», Muhammad, Mohammed and a typo', async () => {
    const target = await register({ names: [{ fullName: 'محمد يوسف' }], sex: 'male' });
    const fatima = await register({ names: [{ fullName: 'فاطمة حسن' }] });
    const zarina = await register({ names: [{ fullName: 'Зарина Саидова' }] });
    for (const q of ['Мухаммад', 'محمد', 'Muhammad', 'Mohammed', 'Muhamad']) {
      const response = await coordinator.request('GET', `/api/v1/persons?q=${encodeURIComponent(q)}&limit=10`);
      assert.equal(response.statusCode, 200, response.body);
      const found = ids(response.json().data);
      assert.ok(found.includes(target.id), `${q} did not find محمد يوسف: ${JSON.stringify(response.json().data.map((r: { displayName: string }) => r.displayName))}`);
      assert.ok(!found.includes(fatima.id) && !found.includes(zarina.id), `${q} found unrelated people`);
    }
  });

  test('filters: nationality, facility, kind, sex, age range, legal status', async () => {
    const child = await register({ sex: 'female', birthDate: { precision: 'exact', date: yearsAgo(5) }, nationalities: [{ countryCode: 'RUS' }], custody: { facilityId, admittedOn: TODAY } });
    const adult = await register({ sex: 'male', birthDate: { precision: 'exact', date: yearsAgo(35) }, nationalities: [{ countryCode: 'TJK' }] });
    const juvenile = await register({ sex: 'female', birthDate: { precision: 'exact', date: yearsAgo(12) }, nationalities: [{ countryCode: 'TJK' }], custody: { facilityId, admittedOn: TODAY } });
    const convict = await register({ sex: 'male', birthDate: { precision: 'exact', date: yearsAgo(40) }, nationalities: [{ countryCode: 'RUS' }] });
    const proceeding = await judiciary.request('POST', `/api/v1/persons/${convict.id}/proceedings`, {
      charge: { code: 'anti_terrorism_article_4' }, stage: 'final', verdict: 'convicted', actDate: '2016-05-01', verdictDate: '2018-03-01', sentence: { kind: 'term', years: 10 }, sentenceStart: '2017-06-01',
    });
    assert.equal(proceeding.statusCode, 201, proceeding.body);
    const all = [child.id, adult.id, juvenile.id, convict.id];
    const check = async (query: string, expected: string[], every: (row: any) => boolean) => {
      const rows = await list(query);
      assert.deepEqual(all.filter((id) => ids(rows).includes(id)), expected, query);
      assert.ok(rows.length > 0 && rows.every(every), `${query}: a row does not match`);
    };
    await check('nationality=TJK', [adult.id, juvenile.id], (r) => r.nationalities.some((n: { countryCode: string }) => n.countryCode === 'TJK'));
    await check(`facilityId=${facilityId}`, [child.id, juvenile.id], (r) => r.currentFacility?.id === facilityId);
    await check('kind=child', [child.id], (r) => r.kind === 'child');
    await check('kind=juvenile', [juvenile.id], (r) => r.kind === 'juvenile');
    await check('kind=adult', [adult.id, convict.id], (r) => r.kind === 'adult');
    await check('sex=male', [adult.id, convict.id], (r) => r.sex === 'male');
    await check('ageMin=10&ageMax=14', [juvenile.id], (r) => r.age.max >= 10 && r.age.min <= 14);
    await check('ageMin=36', [convict.id], (r) => r.age.max >= 36);
    await check('nationality=TJK&kind=adult&sex=male', [adult.id], (r) => r.kind === 'adult');
    await check('legalStatus=convicted', [convict.id], () => true);
    await check('legalStatus=none', [child.id, adult.id, juvenile.id], () => true);
    assert.deepEqual(ids(await list('legalStatus=convicted', judiciary)).filter((id) => all.includes(id)), [convict.id]);
    assertError(await coordinator.request('GET', '/api/v1/persons?ageMin=15&ageMax=10'), 400, 'invalid_input');
    assertError(await coordinator.request('GET', '/api/v1/persons?kind=baby'), 400, 'invalid_input');
    const embassy = await signIn('embassy', { countryCode: 'RUS' });
    const refused = assertError(await embassy.request('GET', '/api/v1/persons?legalStatus=convicted'), 403, 'filter_not_allowed');
    assert.deepEqual(refused.details.map((d) => d.path), ['query.legalStatus']);
    assertError(await custody.request('GET', '/api/v1/persons?legalStatus=none'), 403, 'filter_not_allowed');
  });

  async function pageThrough(query: string, limit: number) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await coordinator.request('GET', `/api/v1/persons?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ['data', 'nextCursor']);
      assert.ok(body.data.length <= limit);
      seen.push(...ids(body.data));
      cursor = body.nextCursor;
      assert.ok(++pages < 200, 'pagination does not end');
    } while (cursor !== null);
    return seen;
  }

  test('cursor pagination without q: every person once, in the order of the whole list', async () => {
    for (let i = 0; i < 3; i++) await register({ names: [{ fullName: 'Same Name' }] });
    const whole = ids(await list(''));
    assert.ok(whole.length >= 10, `only ${whole.length} people`);
    const paged = await pageThrough('', 3);
    assert.equal(new Set(paged).size, paged.length, 'a person appears on two pages');
    assert.deepEqual(paged, whole);
    assertError(await coordinator.request('GET', '/api/v1/persons?cursor=garbage'), 400, 'invalid_cursor');
  });

  test('cursor pagination with q: the ranked results, every one once', async () => {
    for (const fullName of ['Khadija Umarova', 'Хадиджа Умарова', 'خديجة عمر', 'Khadidja Umarova', 'Khadija Omar']) await register({ names: [{ fullName }] });
    const whole = ids(await list('q=Khadija'));
    assert.ok(whole.length >= 4, `only ${whole.length} found`);
    const paged = await pageThrough('q=Khadija', 2);
    assert.equal(new Set(paged).size, paged.length, 'a person appears on two pages');
    assert.deepEqual(paged, whole);
  });
});

describe('changing a person', () => {
  test('a stale If-Match is 412 naming who changed it and when; a missing one is 400', async () => {
    const person = await register({ custody: { facilityId, admittedOn: TODAY } });
    const layla = await signIn('coordinator', { displayName: 'Layla Hassan' });
    const first = await layla.request('PATCH', `/api/v1/persons/${person.id}`, { vulnerability: { medicalNeeds: true }, reason: 'clinic report' }, { 'if-match': '"1"' });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().version, 2);
    assert.equal(first.json().vulnerability.medicalNeeds, true);
    // A family link is not a change of the person's record: it must not be blamed for the new version.
    const sibling = await register({ custody: { facilityId, admittedOn: TODAY } });
    assert.equal((await custody.request('POST', `/api/v1/persons/${person.id}/family-links`, { relativeId: sibling.id, relation: 'sibling' })).statusCode, 201);

    const stale = assertError(await coordinator.request('PATCH', `/api/v1/persons/${person.id}`, { sex: 'male' }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    assert.match(stale.message, /by Layla Hassan\b/);
    assert.match(stale.message, new RegExp(`at ${TODAY}T\\d{2}:\\d{2}`));
    assert.match(stale.message, /version 1.*version 2/);
    const missing = assertError(await coordinator.request('PATCH', `/api/v1/persons/${person.id}`, { sex: 'male' }), 400, 'invalid_input');
    assert.ok(missing.details.some((d) => d.path.includes('if-match')), JSON.stringify(missing.details));
    const current = await coordinator.request('GET', `/api/v1/persons/${person.id}`);
    assert.equal(current.json().sex, 'female');
    assert.equal(current.headers.etag, '"2"');
    assertError(await coordinator.request('PATCH', `/api/v1/persons/${person.id}`, { reason: 'nothing' }, { 'if-match': '"2"' }), 400, 'nothing_to_change');
  });

  test('each part belongs to its role: security flags, coordinator withholds, custody keeps welfare', async () => {
    const person = await register({ sex: 'male', custody: { facilityId, admittedOn: TODAY } });
    const url = `/api/v1/persons/${person.id}`;
    const version = async () => String((await coordinator.request('GET', url)).headers.etag);
    assertError(await custody.request('PATCH', url, { crimesAgainstHumanity: true }, { 'if-match': await version() }), 403, 'forbidden');
    assertError(await custody.request('PATCH', url, { vulnerability: { orphan: true }, securityNotes: 'x' }, { 'if-match': await version() }), 403, 'forbidden');
    assertError(await custody.request('PATCH', url, { withheldFromEmbassy: true }, { 'if-match': await version() }), 403, 'forbidden');
    assertError(await security.request('PATCH', url, { withheldFromEmbassy: true }, { 'if-match': await version() }), 403, 'forbidden');
    assert.equal(await version(), '"1"', 'a refused change wrote nothing');

    const flagged = await security.request('PATCH', url, { crimesAgainstHumanity: true, securityNotes: 'named by two witnesses' }, { 'if-match': '"1"' });
    assert.equal(flagged.statusCode, 200, flagged.body);
    assert.equal(flagged.json().crimesAgainstHumanity, true);
    assert.equal(flagged.json().securityNotes, 'named by two witnesses');
    const welfare = await custody.request('PATCH', url, { vulnerability: { orphan: true } }, { 'if-match': '"2"' });
    assert.equal(welfare.statusCode, 200, welfare.body);
    assert.equal(welfare.json().vulnerability.orphan, true);
    const withheld = await coordinator.request('PATCH', url, { withheldFromEmbassy: true }, { 'if-match': '"3"' });
    assert.equal(withheld.statusCode, 200, withheld.body);
    assert.equal(withheld.json().withheldFromEmbassy, true);
    assert.equal(withheld.json().crimesAgainstHumanity, true);
    assert.equal(withheld.json().version, 4);
  });
});

describe('reading a person', () => {
  test('reading a child (or someone who could be under 18) is audited as person.read; reading an adult is not', async () => {
    const child = await register({ birthDate: { precision: 'exact', date: yearsAgo(6) } });
    const maybeMinor = await register({ birthDate: { precision: 'year', year: YEAR - 18 } });
    const adult = await register({ birthDate: { precision: 'exact', date: yearsAgo(25) } });
    const reads = async (id: string) =>
      t.database.db.selectFrom('audit_events').select(['actor_user_id', 'entity_type']).where('action', '=', 'person.read').where('entity_id', '=', id).execute();
    for (const p of [child, maybeMinor, adult]) assert.equal((await reads(p.id)).length, 0, 'registering is not a read');
    for (const p of [child, child, maybeMinor, adult]) assert.equal((await coordinator.request('GET', `/api/v1/persons/${p.id}`)).statusCode, 200);
    const childReads = await reads(child.id);
    assert.equal(childReads.length, 2);
    assert.deepEqual(childReads[0], { actor_user_id: coordinator.userId, entity_type: 'person' });
    assert.equal((await reads(maybeMinor.id)).length, TODAY.endsWith('-12-31') ? 0 : 1);
    assert.equal((await reads(adult.id)).length, 0);
  });

  test('an unknown id is 404, a malformed one 400', async () => {
    assertError(await coordinator.request('GET', '/api/v1/persons/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    assertError(await coordinator.request('GET', '/api/v1/persons/not-a-uuid'), 400, 'invalid_input');
  });
});
