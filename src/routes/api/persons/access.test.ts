import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, addYears } from '../../../domain/birth-date.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp } from '../../../testing/app.ts';
import { signInNew } from '../../../testing/app.ts';
import { type MatrixRow, checkMatrix } from '../../../testing/matrix.ts';

/**
 * Who reaches which registry route (the role × endpoint matrix), and what each
 * role sees of whom: scoping happens in the query, so an invisible person is a 404,
 * never a hint. "An embassy of RUS never learns that a TJK child exists."
 */
let t: TestApp;
const clients = new Map<Role, Client>();
const as = (role: Role) => clients.get(role) as Client;
let custodyB: Client;
let embassyTjk: Client;
const TODAY = new Date().toISOString().slice(0, 10);
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const FA_NAME = 'Rusafa Women’s Prison A';
const FB_NAME = 'Karkh Detention B';
const NOTES = 'Named by two witnesses in Raqqa, 2017';
const WELFARE = 'asthma, needs an inhaler';
let fa: string;
let fb: string;
let agencyB: string;
let proceedingId: string;
const p = { rusChild: '', rusMother: '', tjkChild: '', tjkAdult: '', rusAdult: '', rusWithheld: '' };

const signIn = (role: Role, options: { agencyName?: string; countryCode?: string } = {}): Promise<Client> => signInNew(t, role, options);

async function ok(client: Client, method: string, url: string, body?: unknown, status = 200) {
  const response = await client.request(method, url, body);
  assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`);
  return response.body ? response.json() : null;
}
async function register(name: string, sex: string, years: number, country: string, facilityId: string | null, extra: Record<string, unknown> = {}) {
  const body = { sex, birthDate: { precision: 'exact', date: addYears(TODAY, -years) }, names: [{ fullName: name }], nationalities: [{ countryCode: country }], ...extra };
  const person = await ok(as('coordinator'), 'POST', '/api/v1/persons', facilityId ? { ...body, custody: { facilityId, admittedOn: addDays(TODAY, -100) } } : body, 201);
  return person.id as string;
}
const get = (role: Role | Client, id: string) => (typeof role === 'string' ? as(role) : role).request('GET', `/api/v1/persons/${id}`);
async function listIds(client: Client, query = ''): Promise<string[]> {
  const body = await ok(client, 'GET', `/api/v1/persons?limit=500${query}`);
  return body.data.map((r: { id: string }) => r.id);
}
function assertNoKeys(record: Record<string, unknown>, keys: string[], who: string) {
  assert.deepEqual(keys.filter((k) => k in record), [], `${who} was sent ${keys.filter((k) => k in record).join(', ')}`);
}
const keysOf = (record: Record<string, unknown>, keys: string[]) => keys.filter((k) => k in record);

before(async () => {
  t = await createTestApp();
  for (const role of ROLES) clients.set(role, await signIn(role, role === 'custody' ? { agencyName: 'Corrective Directorate A' } : {}));
  custodyB = await signIn('custody', { agencyName: 'Corrective Directorate B' });
  embassyTjk = await signIn('embassy', { countryCode: 'TJK' });
  const facility = { kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 100 };
  fa = (await ok(as('custody'), 'POST', '/api/v1/facilities', { ...facility, name: FA_NAME }, 201)).id;
  const b = await ok(custodyB, 'POST', '/api/v1/facilities', { ...facility, name: FB_NAME }, 201);
  [fb, agencyB] = [b.id, b.agency.id];

  p.rusChild = await register('Иван Петров', 'male', 6, 'RUS', fa, { vulnerability: { separated: true, notes: WELFARE } });
  p.rusMother = await register('Мария Петрова', 'female', 31, 'RUS', fa);
  p.tjkChild = await register('Фарзона Рахимова', 'female', 7, 'TJK', fb);
  p.tjkAdult = await register('Далер Назаров', 'male', 40, 'TJK', fb);
  p.rusAdult = await register('Алексей Смирнов', 'male', 38, 'RUS', fb);
  p.rusWithheld = await register('Ольга Кузнецова', 'female', 29, 'RUS', fa, { withheldFromEmbassy: true });
  await ok(as('coordinator'), 'POST', `/api/v1/persons/${p.rusChild}/family-links`, { relativeId: p.rusMother, relation: 'mother', verification: 'dna', confidence: 0.99 }, 201);
  await ok(as('coordinator'), 'POST', `/api/v1/persons/${p.rusMother}/family-links`, { relativeId: p.tjkChild, relation: 'child' }, 201);
  await ok(as('coordinator'), 'POST', `/api/v1/persons/${p.rusAdult}/family-links`, { relativeId: p.tjkAdult, relation: 'sibling' }, 201);
  const flagged = await as('security').request('PATCH', `/api/v1/persons/${p.rusAdult}`, { crimesAgainstHumanity: true, securityNotes: NOTES }, { 'if-match': '"1"' });
  assert.equal(flagged.statusCode, 200, flagged.body);
  const proceeding = { charge: { code: 'anti_terrorism_article_4' }, stage: 'final', verdict: 'convicted', actDate: '2016-01-01', sentence: { kind: 'death' }, sentenceStart: '2018-01-01' };
  proceedingId = (await ok(as('judiciary'), 'POST', `/api/v1/persons/${p.rusAdult}/proceedings`, proceeding, 201)).id;
});
after(() => t.close());

/** The smallest PNG: one pixel. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('the registry’s role × endpoint matrix', () => {
  const CASE_ROLES = ['coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection'] as const;
  const all = (status: number) => Object.fromEntries(CASE_ROLES.map((r) => [r, status]));
  const stale = { 'if-match': '"999"' };
  const csv = 'external_ref,sex,birth_date,full_name\nMATRIX-1,female,1990,Matrix Import\n';
  const rows = (): MatrixRow[] => [
    { method: 'GET', url: '/api/v1/persons', allow: all(200) },
    { method: 'GET', url: `/api/v1/persons?q=${encodeURIComponent('Петров')}&kind=child`, allow: all(200) },
    { method: 'GET', url: '/api/v1/persons/export?format=csv', allow: all(200) },
    { method: 'GET', url: `/api/v1/persons/${p.rusChild}`, allow: all(200) },
    { method: 'GET', url: `/api/v1/persons/${UNKNOWN}`, allow: all(404) },
    { method: 'POST', url: '/api/v1/persons', body: { sex: 'female', birthDate: { precision: 'year', year: 1995 }, names: [{ fullName: 'Matrix Person' }], custody: { facilityId: fa, admittedOn: TODAY } }, allow: { coordinator: 201, custody: 201 } },
    // Stale versions: a role that passes every access check meets the 412, the others a 403.
    { method: 'PATCH', url: `/api/v1/persons/${p.rusChild}`, body: { vulnerability: { medicalNeeds: true } }, headers: stale, allow: { coordinator: 412, custody: 412, child_protection: 412 } },
    { method: 'PATCH', url: `/api/v1/persons/${p.rusChild}`, body: { sex: 'male' }, headers: stale, allow: { coordinator: 412, custody: 412 } },
    { method: 'PATCH', url: `/api/v1/persons/${p.rusChild}`, body: { securityNotes: 'x' }, headers: stale, allow: { security: 412 } },
    { method: 'PATCH', url: `/api/v1/persons/${p.rusChild}`, body: { withheldFromEmbassy: false }, headers: stale, allow: { coordinator: 412 } },
    // Past the access checks, a link to oneself is bad input (400).
    { method: 'POST', url: `/api/v1/persons/${p.rusChild}/family-links`, body: { relativeId: p.rusChild, relation: 'sibling' }, allow: { coordinator: 400, custody: 400, child_protection: 400 } },
    // A record cannot be merged into itself (400 for the coordinator); every other role is refused.
    { method: 'POST', url: `/api/v1/persons/${p.rusChild}/merge`, body: { mergedId: p.rusChild, reason: 'matrix' }, headers: { 'if-match': '"1"' }, allow: { coordinator: 400 } },
    { method: 'DELETE', url: `/api/v1/family-links/${UNKNOWN}`, allow: { coordinator: 404, custody: 404, child_protection: 404 } },
    { method: 'POST', url: `/api/v1/persons/${p.rusChild}/custody`, body: { facilityId: fa, admittedOn: TODAY }, allow: { coordinator: 409, custody: 409 } },
    { method: 'POST', url: `/api/v1/persons/${p.rusChild}/custody/release`, body: { releasedOn: '2001-01-01', reason: 'released' }, allow: { coordinator: 400, custody: 400 } },
    { method: 'POST', url: `/api/v1/persons/${p.rusMother}/proceedings`, body: { charge: { code: 'illegal_entry' }, stage: 'trial', verdict: 'pending' }, allow: { judiciary: 201 } },
    { method: 'PUT', url: `/api/v1/proceedings/${proceedingId}`, body: { charge: { code: 'anti_terrorism_article_4' }, stage: 'final', verdict: 'convicted', actDate: '2016-01-01', sentence: { kind: 'death', commutedTo: { kind: 'life' } } }, headers: { 'if-match': '"1"' }, allow: { judiciary: 200 } },
    { method: 'GET', url: '/api/v1/facilities', allow: { coordinator: 200, judiciary: 200, custody: 200, security: 200, child_protection: 200 } },
    { method: 'GET', url: '/api/v1/facilities/export?format=csv', allow: { coordinator: 200, judiciary: 200, custody: 200, security: 200, child_protection: 200 } },
    { method: 'GET', url: `/api/v1/facilities/${fa}`, allow: { coordinator: 200, judiciary: 200, custody: 200, security: 200, child_protection: 200 } },
    { method: 'POST', url: '/api/v1/facilities', body: { name: 'Matrix Camp', kind: 'camp', holdingAuthority: 'x', countryCode: 'IRQ', capacity: 5, agencyId: agencyB }, allow: { coordinator: 201 } },
    { method: 'POST', url: '/api/v1/facilities', body: { name: 'Matrix Nowhere', kind: 'camp', holdingAuthority: 'x', countryCode: 'ZZZ', capacity: 5 }, allow: { coordinator: 400, custody: 400 } },
    { method: 'PATCH', url: `/api/v1/facilities/${fa}`, body: { capacity: 120 }, headers: stale, allow: { coordinator: 412, custody: 412 } },
    { method: 'PATCH', url: `/api/v1/facilities/${fb}`, body: { capacity: 120 }, headers: stale, allow: { coordinator: 412 } },
    { method: 'POST', url: `/api/v1/persons/${p.rusChild}/photos`, body: PNG, headers: { 'content-type': 'image/png' }, allow: { coordinator: 201, custody: 201 } },
    { method: 'GET', url: `/api/v1/photos/${UNKNOWN}`, allow: all(404) },
    { method: 'POST', url: `/api/v1/persons/${UNKNOWN}/names`, body: { kind: 'alias', fullName: 'Matrix Alias' }, allow: { coordinator: 404, custody: 404 } },
    { method: 'DELETE', url: `/api/v1/persons/${p.rusChild}/names/${UNKNOWN}`, allow: { coordinator: 404, custody: 404 } },
    { method: 'PUT', url: `/api/v1/persons/${UNKNOWN}/nationalities/KAZ`, allow: { coordinator: 404, custody: 404 } },
    { method: 'POST', url: `/api/v1/persons/${UNKNOWN}/documents`, body: { kind: 'passport' }, allow: { coordinator: 404, custody: 404 } },
    { method: 'POST', url: '/api/v1/persons/likely-duplicates', body: { names: [{ fullName: 'Matrix Person' }] }, allow: { coordinator: 200, custody: 200 } },
    { method: 'POST', url: `/api/v1/persons/${UNKNOWN}/evidence`, body: { kind: 'document', observedOn: '2020-01-01', supports: true }, allow: { coordinator: 404, embassy: 404 } },
    { method: 'POST', url: `/api/v1/persons/${p.rusChild}/evidence`, body: { kind: 'interview', observedOn: '2020-01-01', supports: true }, allow: { coordinator: 201, embassy: 201 } },
    { method: 'DELETE', url: `/api/v1/persons/${p.rusChild}/nationalities/KAZ`, allow: { coordinator: 404, custody: 404 } },
    { method: 'GET', url: '/api/v1/imports/template.csv', allow: { coordinator: 200, custody: 200 } },
    { method: 'POST', url: '/api/v1/imports?dryRun=true', body: csv, headers: { 'content-type': 'text/csv' }, allow: { coordinator: 200, custody: 200 } },
  ];

  test('each role reaches only what it may use', async () => {
    await checkMatrix(clients, rows());
    assert.equal((await t.database.db.selectFrom('person_names').select('id').where('full_name', '=', 'Matrix Import').execute()).length, 0, 'a dry run wrote');
  });

  test('the matrix has a row for every registry route', () => {
    const pattern = (url: string) =>
      url
        .replace(/\?.*$/, '')
        .replace(/\/names\/[0-9a-f-]{36}$/, '/names/:nameId')
        .replace(/\/nationalities\/[A-Z]{3}$/, '/nationalities/:countryCode')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id');
    const covered = new Set(rows().map((r) => `${r.method} ${pattern(r.url)}`));
    // The facts a case's eligibility rests on (guardians, consent exemptions, best interests, non-refoulement) and
    // fitness to travel live under /persons too; their matrices are src/routes/api/case-facts/matrix.test.ts and
    // src/routes/api/movements/movements.test.ts.
    const registry = t.app.routeTable
      .filter((r) => /^\/api\/v1\/(persons|family-links|proceedings|facilities|imports|photos|documents)\b/.test(r.url))
      .filter((r) => !(r.access.kind === 'policy' && (r.access.resource === 'case-facts' || r.access.resource === 'movements')))
      .map((r) => `${r.method} ${r.url}`);
    assert.ok(registry.length >= 14, registry.join(', '));
    assert.deepEqual(registry.filter((r) => !covered.has(r)), [], 'registry routes without a matrix row');
  });
});

describe('what each role sees of whom', () => {
  const CUSTODY = ['custody', 'currentFacility'];
  const LEGAL = ['proceedings'];
  const WELFARE_KEYS = ['vulnerability'];
  const SECURITY = ['crimesAgainstHumanity', 'securityNotes'];

  test('an embassy of RUS sees only RUS people not withheld from it — and no trace of a TJK child', async () => {
    const embassy = as('embassy');
    const listed = await listIds(embassy);
    assert.deepEqual([p.rusChild, p.rusMother, p.rusAdult].filter((id) => !listed.includes(id)), [], 'a RUS person is missing');
    assert.deepEqual([p.rusWithheld, p.tjkChild, p.tjkAdult].filter((id) => listed.includes(id)), [], 'the embassy sees someone it may not');
    const items = (await ok(embassy, 'GET', '/api/v1/persons?limit=500')).data as Record<string, unknown>[];
    for (const item of items) {
      assert.ok((item.nationalities as { countryCode: string }[]).some((n) => n.countryCode === 'RUS'), JSON.stringify(item));
      assertNoKeys(item, [...CUSTODY, ...LEGAL, ...WELFARE_KEYS, ...SECURITY, 'withheldFromEmbassy'], 'an embassy list item');
    }
    for (const q of ['Фарзона Рахимова', 'Farzona Rakhimova', 'Ольга Кузнецова']) assert.deepEqual(await listIds(embassy, `&q=${encodeURIComponent(q)}`), [], q);
    assert.deepEqual(await listIds(embassy, '&nationality=TJK'), []);

    const unknown = await get(embassy, UNKNOWN);
    for (const id of [p.tjkChild, p.tjkAdult, p.rusWithheld]) {
      const hidden = await get(embassy, id);
      assert.equal(hidden.statusCode, 404);
      assert.deepEqual(hidden.json(), unknown.json(), 'an invisible person answers exactly like a missing one');
    }
    const mother = await get(embassy, p.rusMother);
    assert.equal(mother.statusCode, 200);
    assert.deepEqual(mother.json().family.map((f: { relative: { id: string } }) => f.relative.id), [p.rusChild]);
    assert.ok(!mother.body.includes(p.tjkChild) && !mother.body.includes('Фарзона'));
    for (const id of [p.rusChild, p.rusMother, p.rusAdult]) {
      const response = await get(embassy, id);
      assertNoKeys(response.json(), [...CUSTODY, ...LEGAL, ...WELFARE_KEYS, ...SECURITY, 'withheldFromEmbassy'], 'an embassy');
      for (const secret of [FA_NAME, FB_NAME, WELFARE, NOTES, 'death']) assert.ok(!response.body.includes(secret), `the embassy was sent “${secret}”`);
    }
    const exported = await embassy.request('GET', '/api/v1/persons/export?format=csv');
    assert.equal(exported.statusCode, 200);
    assert.ok(exported.body.includes('Иван Петров') && !exported.body.includes('Рахимова') && !exported.body.includes('Кузнецова') && !exported.body.includes(FB_NAME));
    // The other mission sees its own child, and not the RUS one.
    assert.equal((await get(embassyTjk, p.tjkChild)).statusCode, 200);
    assert.equal((await get(embassyTjk, p.rusChild)).statusCode, 404);
  });

  test('a filter on a category the role does not see is refused (403 filter_not_allowed), in lists and exports', async () => {
    const filters = [['legalStatus=convicted', ['coordinator', 'judiciary', 'security']], [`facilityId=${fb}`, ['coordinator', 'custody']]] as const;
    for (const [filter, allowed] of filters) {
      for (const role of ['coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection'] as const) {
        for (const url of [`/api/v1/persons?${filter}`, `/api/v1/persons/export?${filter}`]) {
          const response = await as(role).request('GET', url);
          const expected = (allowed as readonly string[]).includes(role) ? 200 : 403;
          assert.equal(response.statusCode, expected, `${role} ${url}: ${response.body.slice(0, 200)}`);
          if (expected === 403) assert.equal(response.json().error.code, 'filter_not_allowed');
        }
      }
    }
    // Were it allowed, the embassy would learn who is convicted, and where its nationals are held.
    assert.ok(!(await as('embassy').request('GET', '/api/v1/persons/export?legalStatus=convicted')).body.includes('Смирнов'));
  });

  test('custody sees only people in its own agency’s facilities', async () => {
    const custody = as('custody');
    const listed = await listIds(custody);
    assert.deepEqual([p.rusChild, p.rusMother, p.rusWithheld].filter((id) => !listed.includes(id)), []);
    assert.deepEqual([p.tjkChild, p.tjkAdult, p.rusAdult].filter((id) => listed.includes(id)), []);
    const items = (await ok(custody, 'GET', '/api/v1/persons?limit=500')).data as { currentFacility: { id: string } | null }[];
    assert.ok(items.every((i) => i.currentFacility?.id === fa), 'a person outside A’s facilities');
    assert.equal((await get(custody, p.rusAdult)).statusCode, 404);
    assert.deepEqual(await listIds(custody, `&q=${encodeURIComponent('Алексей Смирнов')}`), []);
    const child = (await get(custody, p.rusChild)).json();
    assert.deepEqual(keysOf(child, [...CUSTODY, ...WELFARE_KEYS, 'family']), [...CUSTODY, ...WELFARE_KEYS, 'family']);
    assertNoKeys(child, [...LEGAL, ...SECURITY], 'custody');
    // The mother's page does not show her child held in B's facility.
    assert.deepEqual((await get(custody, p.rusMother)).json().family.map((f: { relative: { id: string } }) => f.relative.id), [p.rusChild]);
    assert.equal((await get(custodyB, p.rusAdult)).statusCode, 200);
    assert.equal((await get(custodyB, p.rusChild)).statusCode, 404);
  });

  test('child protection sees children and their mothers, not unrelated adults', async () => {
    const cp = as('child_protection');
    for (const id of [p.rusChild, p.tjkChild, p.rusMother]) assert.equal((await get(cp, id)).statusCode, 200);
    for (const id of [p.rusAdult, p.tjkAdult, p.rusWithheld]) assert.equal((await get(cp, id)).statusCode, 404);
    const listed = await listIds(cp);
    assert.deepEqual([p.rusChild, p.tjkChild, p.rusMother].filter((id) => !listed.includes(id)), []);
    assert.deepEqual([p.rusAdult, p.tjkAdult, p.rusWithheld].filter((id) => listed.includes(id)), []);
    const mother = (await get(cp, p.rusMother)).json();
    assert.deepEqual(mother.family.map((f: { relative: { id: string } }) => f.relative.id).sort(), [p.rusChild, p.tjkChild].sort());
    const child = await get(cp, p.rusChild);
    assert.equal(child.json().vulnerability.notes, WELFARE);
    assertNoKeys(child.json(), [...CUSTODY, ...LEGAL, ...SECURITY], 'child protection');
    assert.ok(!child.body.includes(FA_NAME));
  });

  test('judiciary sees legal data but no family, welfare or custody', async () => {
    const adult = await get('judiciary', p.rusAdult);
    assert.equal(adult.json().proceedings.length, 1);
    assertNoKeys(adult.json(), ['family', ...CUSTODY, ...WELFARE_KEYS, ...SECURITY], 'judiciary');
    assert.ok(!adult.body.includes(NOTES) && !adult.body.includes(p.tjkAdult));
    assertNoKeys((await get('judiciary', p.rusChild)).json(), ['family', 'vulnerability'], 'judiciary');
  });

  test('security sees the crimes-against-humanity flag and its notes; the coordinator the flag only', async () => {
    const security = (await get('security', p.rusAdult)).json();
    assert.equal(security.crimesAgainstHumanity, true);
    assert.equal(security.securityNotes, NOTES);
    assert.equal(security.proceedings.length, 1);
    assert.deepEqual(security.family.map((f: { relative: { id: string } }) => f.relative.id), [p.tjkAdult]);
    assertNoKeys(security, [...CUSTODY, ...WELFARE_KEYS], 'security');
    const coordinator = await get('coordinator', p.rusAdult);
    assert.equal(coordinator.json().crimesAgainstHumanity, true);
    assertNoKeys(coordinator.json(), ['securityNotes'], 'the coordinator');
    assert.ok(!coordinator.body.includes(NOTES));
    assert.deepEqual(keysOf(coordinator.json(), [...CUSTODY, ...LEGAL, ...WELFARE_KEYS, 'family']), [...CUSTODY, ...LEGAL, ...WELFARE_KEYS, 'family']);
    for (const role of ['judiciary', 'custody', 'embassy', 'child_protection'] as const) {
      const list = (await ok(as(role), 'GET', '/api/v1/persons?limit=500')).data as Record<string, unknown>[];
      assert.ok(list.every((i) => !('crimesAgainstHumanity' in i) && !('securityNotes' in i)), role);
    }
  });

  test('admin and auditor see no case data at all', async () => {
    for (const role of ['admin', 'auditor'] as const) {
      for (const url of ['/api/v1/persons', `/api/v1/persons/${p.rusChild}`, '/api/v1/persons/export', `/api/v1/persons?q=${encodeURIComponent('Петров')}`]) {
        const response = await as(role).request('GET', url);
        assert.equal(response.statusCode, 403, `${role} ${url}`);
        assert.ok(!response.body.includes('Петров'));
      }
    }
  });
});
