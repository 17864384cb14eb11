import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays } from '../../../domain/birth-date.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

// Decision 0023: an embassy receives DESIGN.md's default categories, its agreement's while one is in force,
// the default again once it has ended, and nothing at all for a person withheld from it.
let t: TestApp;
let coordinator: Client;
let uzb: Client;
let shown: string;
let withheld: string;
const TODAY = new Date().toISOString().slice(0, 10);
const YEAR = Number(TODAY.slice(0, 4));

async function person(name: string, options: { withheld?: boolean } = {}, facilityId: string) {
  const response = await coordinator.request('POST', '/api/v1/persons', {
    sex: 'female',
    birthDate: { precision: 'year', year: YEAR - 30 },
    names: [{ fullName: name }],
    nationalities: [{ countryCode: 'UZB', status: 'claimed' }],
    ...(options.withheld ? { withheldFromEmbassy: true } : {}),
    custody: { facilityId, admittedOn: addDays(TODAY, -200) },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id as string;
}

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  uzb = await signInNew(t, 'embassy', { countryCode: 'UZB' });
  const custody = await signInNew(t, 'custody', { agencyName: 'Corrective Directorate (data sharing test)' });
  const facility = await custody.request('POST', '/api/v1/facilities', { name: 'Prison No. 3', kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 50 });
  assert.equal(facility.statusCode, 201, facility.body);
  shown = await person('Dilnoza Yusupova', {}, facility.json().id);
  withheld = await person('Withheld Woman', { withheld: true }, facility.json().id);
});
after(() => t.close());

async function read(id: string) {
  const response = await uzb.request('GET', `/api/v1/persons/${id}`);
  return response;
}

describe('data-sharing agreements decide what an embassy receives', () => {
  test('default, in force, ended, withheld', async () => {
    // No agreement: identity and family, no custody.
    let r = await read(shown);
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(r.json().names, 'identity is shared by default');
    assert.equal(r.json().custody, undefined, 'custody is not shared by default');

    // An agreement on fees only (no categories) keeps the default.
    const feesOnly = await coordinator.request('POST', '/api/v1/countries/UZB/agreements', { title: 'Fees', validFrom: addDays(TODAY, -400), validUntil: addDays(TODAY, -300), currency: 'USD', feePerChild: '0', feePerAdult: '0' });
    assert.equal(feesOnly.statusCode, 201, feesOnly.body);
    assert.equal(feesOnly.json().dataCategories, null);

    // An agreement in force that grants custody (and tries security: refused by the schema).
    const bad = await coordinator.request('POST', '/api/v1/countries/UZB/agreements', { title: 'Sharing', validFrom: addDays(TODAY, -10), currency: 'USD', feePerChild: '0', feePerAdult: '0', dataCategories: ['identity', 'security'] });
    assert.equal(bad.statusCode, 400, bad.body);
    const created = await coordinator.request('POST', '/api/v1/countries/UZB/agreements', {
      title: 'Data-sharing memorandum',
      validFrom: addDays(TODAY, -10),
      currency: 'USD',
      feePerChild: '0',
      feePerAdult: '0',
      signatories: ['Minister of Foreign Affairs', 'Ambassador of Uzbekistan'],
      dataCategories: ['identity', 'family', 'custody', 'case_status'],
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().signatories, ['Minister of Foreign Affairs', 'Ambassador of Uzbekistan']);
    r = await read(shown);
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(Array.isArray(r.json().custody) && r.json().custody.length === 1, `custody is shared under the agreement: ${r.body}`);
    assert.equal(r.json().security, undefined);

    // Withheld: nothing, agreement or not.
    assert.equal((await read(withheld)).statusCode, 404);

    // Ended yesterday: back to the default.
    const ended = await coordinator.request('PATCH', `/api/v1/agreements/${created.json().id}`, { validFrom: addDays(TODAY, -30), validUntil: addDays(TODAY, -1) }, { 'if-match': '"1"' });
    assert.equal(ended.statusCode, 200, ended.body);
    r = await read(shown);
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(r.json().names);
    assert.equal(r.json().custody, undefined, 'custody is no longer shared once the agreement has ended');

    // Not yet in force: the default.
    const future = await coordinator.request('POST', '/api/v1/countries/UZB/agreements', { title: 'Next', validFrom: addDays(TODAY, 5), currency: 'USD', feePerChild: '0', feePerAdult: '0', dataCategories: ['identity', 'custody'] });
    assert.equal(future.statusCode, 201, future.body);
    assert.equal((await read(shown)).json().custody, undefined);
    assert.equal((await read(withheld)).statusCode, 404);
  });
});
