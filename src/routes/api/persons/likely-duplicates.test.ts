import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

let t: TestApp;
let coordinator: Client;
let existing: string;

const check = (body: Record<string, unknown>, client = coordinator) => client.request('POST', '/api/v1/persons/likely-duplicates', body);
const found = async (body: Record<string, unknown>, client = coordinator) => {
  const response = await check(body, client);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json().data as { person: { id: string }; similarity: number }[]).map((d) => d.person.id);
};

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  const response = await coordinator.request('POST', '/api/v1/persons', {
    sex: 'male',
    birthDate: { precision: 'year', year: 2015 },
    names: [{ givenName: 'Мухаммад', familyName: 'Алиев' }],
    nationalities: [{ countryCode: 'RUS', status: 'claimed' }],
  });
  assert.equal(response.statusCode, 201, response.body);
  existing = response.json().id;
  await coordinator.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ givenName: 'Aisha', familyName: 'Bekova' }] });
});
after(() => t.close());

describe('likely duplicates before registering', () => {
  test('the same boy typed in Arabic or Latin, born about the same year, is found before a second record is made', async () => {
    assert.deepEqual(await found({ names: [{ givenName: 'محمد', familyName: 'علييف' }], sex: 'male', birthDate: { precision: 'estimated', aboutYear: 2015 } }), [existing]);
    assert.deepEqual(await found({ names: [{ fullName: 'Mukhammad Aliev' }], sex: 'male', birthDate: { precision: 'exact', date: '2015-07-01' } }), [existing]);
    const [first] = (await check({ names: [{ fullName: 'Muhammad Aliyev' }] })).json().data;
    assert.ok(first.similarity >= 0.5 && first.similarity <= 1, JSON.stringify(first));
  });

  test('another sex, a birth years apart or another name is no warning', async () => {
    assert.deepEqual(await found({ names: [{ fullName: 'Mukhammad Aliev' }], sex: 'female' }), []);
    assert.deepEqual(await found({ names: [{ fullName: 'Mukhammad Aliev' }], birthDate: { precision: 'year', year: 2008 } }), []);
    assert.deepEqual(await found({ names: [{ fullName: 'Rustam Nazarov' }] }), []);
  });

  test('only people the caller may see are looked at; bad input is named', async () => {
    const custody = await signInNew(t, 'custody', { agencyName: 'Duplicates Directorate' });
    assert.deepEqual(await found({ names: [{ fullName: 'Mukhammad Aliev' }] }, custody), [], 'not held in the officer’s facilities');
    const embassy = await signInNew(t, 'embassy', { countryCode: 'RUS' });
    assert.equal((await check({ names: [{ fullName: 'Mukhammad Aliev' }] }, embassy)).statusCode, 403);
    const bad = await check({ names: [] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details[0].path, 'body.names');
  });
});
