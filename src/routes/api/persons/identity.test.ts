import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, createTestApp, signInNew, type TestApp } from '../../../testing/app.ts';

let t: TestApp;
let coordinator: Client;
let embassyKaz: Client;
let personId: string;

const names = async (id: string) => ((await coordinator.request('GET', `/api/v1/persons/${id}`)).json().names as { id: string; kind: string; fullName: string; script: string }[]);
const find = async (client: Client, q: string) => ((await client.request('GET', `/api/v1/persons?q=${encodeURIComponent(q)}`)).json().data as { id: string }[]).map((p) => p.id);

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  embassyKaz = await signInNew(t, 'embassy', { countryCode: 'KAZ' });
  const created = await coordinator.request('POST', '/api/v1/persons', { sex: 'male', birthDate: { precision: 'year', year: 2012 }, names: [{ givenName: 'يوسف', fatherName: 'عمر' }], nationalities: [{ countryCode: 'RUS' }] });
  assert.equal(created.statusCode, 201, created.body);
  personId = created.json().id;
});
after(() => t.close());

describe('names after registration', () => {
  test('an added rendering is searchable at once, and the record’s version moves on', async () => {
    const before = (await coordinator.request('GET', `/api/v1/persons/${personId}`)).json().version as number;
    const added = await coordinator.request('POST', `/api/v1/persons/${personId}/names`, { kind: 'alias', givenName: 'Юсуф', familyName: 'Кайратов' });
    assert.equal(added.statusCode, 201, added.body);
    assert.ok((await find(coordinator, 'Кайратов')).includes(personId));
    assert.ok((await find(coordinator, 'Kairatov')).includes(personId), 'found by the Latin rendering of the new name too');
    const after = (await coordinator.request('GET', `/api/v1/persons/${personId}`)).json();
    assert.equal(after.version, before + 1);
    assert.deepEqual(after.names.map((n: { script: string }) => n.script).sort(), ['arabic', 'cyrillic']);
  });

  test('a new primary name demotes the old one; removing the primary promotes another; the last name stays', async () => {
    const added = await coordinator.request('POST', `/api/v1/persons/${personId}/names`, { kind: 'primary', fullName: 'Yusuf Kairatov' });
    assert.equal(added.statusCode, 201);
    let list = await names(personId);
    assert.deepEqual(list.filter((n) => n.kind === 'primary').map((n) => n.fullName), ['Yusuf Kairatov']);
    assert.equal((await coordinator.request('GET', `/api/v1/persons/${personId}`)).json().displayName, 'Yusuf Kairatov');
    assert.equal((await coordinator.request('DELETE', `/api/v1/persons/${personId}/names/${added.json().id}`)).statusCode, 204);
    list = await names(personId);
    assert.equal(list.filter((n) => n.kind === 'primary').length, 1);
    for (const n of list.slice(1)) assert.equal((await coordinator.request('DELETE', `/api/v1/persons/${personId}/names/${n.id}`)).statusCode, 204);
    const last = (await names(personId))[0] as { id: string };
    const refused = await coordinator.request('DELETE', `/api/v1/persons/${personId}/names/${last.id}`);
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.code, 'last_name');
  });

  test('a name with control characters or no name part is refused, naming the field', async () => {
    const bad = await coordinator.request('POST', `/api/v1/persons/${personId}/names`, { kind: 'alias', fullName: 'a\u0007b' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.details[0].path, /^body\.fullName/);
    assert.equal((await coordinator.request('POST', `/api/v1/persons/${personId}/names`, { kind: 'alias' })).statusCode, 400);
  });
});

describe('a list of one nationality in name order', () => {
  test('follows a renamed person at once, page by page, for the coordinator and the embassy', async () => {
    const make = async (fullName: string) => {
      const r = await coordinator.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'year', year: 2015 }, names: [{ fullName }], nationalities: [{ countryCode: 'KAZ' }] });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().id as string;
    };
    const [a, b, c] = [await make('Aigerim Order'), await make('Bota Order'), await make('Dana Order')];
    const walk = async (client: Client) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r = await client.request('GET', `/api/v1/persons?nationality=KAZ&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.statusCode, 200, r.body);
        seen.push(...(r.json().data as { id: string }[]).map((p) => p.id));
        cursor = r.json().nextCursor;
      } while (cursor);
      return seen.filter((id) => [a, b, c].includes(id));
    };
    assert.deepEqual(await walk(coordinator), [a, b, c]);
    assert.deepEqual(await walk(embassyKaz), [a, b, c]);
    // A new primary name moves her in the list: the nationality's copy of the name follows in the same transaction.
    assert.equal((await coordinator.request('POST', `/api/v1/persons/${a}/names`, { kind: 'primary', fullName: 'Zarina Order' })).statusCode, 201);
    assert.deepEqual(await walk(coordinator), [b, c, a]);
    assert.deepEqual(await walk(embassyKaz), [b, c, a]);
    // A nationality claimed later carries the name too.
    assert.equal((await coordinator.request('PUT', `/api/v1/persons/${b}/nationalities/UZB`)).statusCode, 204);
    const uzb = ((await coordinator.request('GET', '/api/v1/persons?nationality=UZB&limit=500')).json().data as { id: string; displayName: string }[]).find((p) => p.id === b);
    assert.equal(uzb?.displayName, 'Bota Order');
  });
});

describe('claimed nationalities', () => {
  test('a claim brings the person into that embassy’s view; withdrawing it takes them out again', async () => {
    assert.equal((await embassyKaz.request('GET', `/api/v1/persons/${personId}`)).statusCode, 404);
    assert.equal((await coordinator.request('PUT', `/api/v1/persons/${personId}/nationalities/KAZ`)).statusCode, 204);
    assert.equal((await embassyKaz.request('GET', `/api/v1/persons/${personId}`)).statusCode, 200);
    const again = await coordinator.request('PUT', `/api/v1/persons/${personId}/nationalities/KAZ`);
    assert.equal(again.statusCode, 409);
    assert.equal((await coordinator.request('DELETE', `/api/v1/persons/${personId}/nationalities/KAZ`)).statusCode, 204);
    assert.equal((await embassyKaz.request('GET', `/api/v1/persons/${personId}`)).statusCode, 404);
    assert.equal((await coordinator.request('PUT', `/api/v1/persons/${personId}/nationalities/ZZZ`)).statusCode, 400);
  });

  test('a nationality the home country verified is not withdrawn here', async () => {
    await t.database.db.updateTable('person_nationalities').set({ status: 'verified' }).where('person_id', '=', personId).where('country_code', '=', 'RUS').execute();
    const refused = await coordinator.request('DELETE', `/api/v1/persons/${personId}/nationalities/RUS`);
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.code, 'nationality_verified');
  });
});

describe('identity documents', () => {
  test('a passport is recorded with the holder’s name as travel documents print it (ICAO 9303)', async () => {
    const created = await coordinator.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'exact', date: '1991-04-02' }, names: [{ fullName: 'Юлия Щукина' }] });
    const id = created.json().id as string;
    const doc = await coordinator.request('POST', `/api/v1/persons/${id}/documents`, { kind: 'passport', countryCode: 'RUS', number: '75 1234567', issuedOn: '2015-01-10', expiresOn: '2025-01-10' });
    assert.equal(doc.statusCode, 201, doc.body);
    const documents = (await coordinator.request('GET', `/api/v1/persons/${id}`)).json().documents as { holderNameIcao: string; number: string }[];
    assert.deepEqual(documents.map((d) => [d.number, d.holderNameIcao]), [['75 1234567', 'IULIIA SHCHUKINA']]);
    const backwards = await coordinator.request('POST', `/api/v1/persons/${id}/documents`, { kind: 'passport', issuedOn: '2015-01-10', expiresOn: '2014-01-10' });
    assert.equal(backwards.statusCode, 400);
    assert.equal(backwards.json().error.details[0].path, 'body.expiresOn');
    assert.equal((await embassyKaz.request('POST', `/api/v1/persons/${id}/documents`, { kind: 'passport' })).statusCode, 403);
  });

  test('a sub-resource write that says which version it read (If-Match) is refused once the person has changed', async () => {
    const created = await coordinator.request('POST', '/api/v1/persons', { sex: 'male', birthDate: { precision: 'year', year: 2013 }, names: [{ fullName: 'Version Test' }] });
    const id = created.json().id as string;
    const version = created.json().version as number;
    const first = await coordinator.request('POST', `/api/v1/persons/${id}/names`, { kind: 'alias', fullName: 'Версия Тест' }, { 'if-match': `"${version}"` });
    assert.equal(first.statusCode, 201, first.body);
    // A second clerk, still looking at the old page, adds another name: the person moved on meanwhile.
    const stale = await coordinator.request('POST', `/api/v1/persons/${id}/names`, { kind: 'alias', fullName: 'Old Page' }, { 'if-match': `"${version}"` });
    assert.equal(stale.statusCode, 412, stale.body);
    assert.equal(stale.json().error.code, 'version_mismatch');
    assert.equal((await coordinator.request('POST', `/api/v1/persons/${id}/documents`, { kind: 'passport' }, { 'if-match': `"${version}"` })).statusCode, 412);
    assert.equal((await coordinator.request('POST', `/api/v1/persons/${id}/documents`, { kind: 'passport' }, { 'if-match': 'three' })).statusCode, 400);
    // Without If-Match an additive write still goes through (API clients that do not track versions).
    assert.equal((await coordinator.request('POST', `/api/v1/persons/${id}/documents`, { kind: 'passport' })).statusCode, 201);
  });
});
