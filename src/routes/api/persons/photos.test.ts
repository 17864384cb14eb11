import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, logInAs, makeUser, type Client, type TestApp } from '../../../testing/app.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

let t: TestApp;
let coordinator: Client;
let embassyTjk: Client;
let embassyRus: Client;
let childId: string;

const upload = (client: Client, id: string, data: Buffer, type: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/persons/${id}/photos`, payload: data, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, 'content-type': type } });

before(async () => {
  t = await createTestApp();
  coordinator = await logInAs(t, (await makeUser(t, 'coordinator')).username);
  embassyTjk = await logInAs(t, (await makeUser(t, 'embassy', { countryCode: 'TJK' })).username);
  embassyRus = await logInAs(t, (await makeUser(t, 'embassy', { countryCode: 'RUS' })).username);
  const created = await coordinator.request('POST', '/api/v1/persons', {
    sex: 'female',
    birthDate: { precision: 'year', year: new Date().getUTCFullYear() - 6 },
    names: [{ fullName: 'Мария Фото' }],
    nationalities: [{ countryCode: 'RUS' }],
  });
  assert.equal(created.statusCode, 201, created.body);
  childId = created.json().id;
});
after(() => t.close());

describe('photos', () => {
  test('an image is stored by its hash, listed on the person, and served to those who may see the person', async () => {
    const response = await upload(coordinator, childId, PNG, 'image/png');
    assert.equal(response.statusCode, 201, response.body);
    const photoId = response.json().id as string;
    const person = (await coordinator.request('GET', `/api/v1/persons/${childId}`)).json();
    assert.deepEqual(person.photos.map((p: { id: string }) => p.id), [photoId]);
    const image = await coordinator.request('GET', `/api/v1/photos/${photoId}`);
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/png');
    assert.deepEqual(image.rawPayload, PNG);
    assert.equal((await embassyRus.request('GET', `/api/v1/photos/${photoId}`)).statusCode, 200);
    // Another country's embassy learns nothing, not even that the photo exists.
    assert.equal((await embassyTjk.request('GET', `/api/v1/photos/${photoId}`)).statusCode, 404);
    const reads = await t.database.db.selectFrom('audit_events').select('id').where('action', '=', 'photo.read').where('entity_id', '=', childId).execute();
    assert.equal(reads.length, 2, 'every read of a child’s photo is audited');
    const same = await upload(coordinator, childId, PNG, 'image/png');
    assert.equal(same.statusCode, 201);
    const files = await t.database.db.selectFrom('files').select('sha256').execute();
    assert.equal(files.length, 1, 'the same bytes are stored once');
  });

  test('what is not a JPEG, PNG or WebP image is refused by its content, whatever it claims', async () => {
    const svg = await upload(coordinator, childId, SVG, 'image/png');
    assert.equal(svg.statusCode, 400);
    assert.equal(svg.json().error.code, 'not_an_image');
    const svgType = await upload(coordinator, childId, SVG, 'image/svg+xml');
    assert.equal(svgType.statusCode, 415);
    const mismatch = await upload(coordinator, childId, JPEG, 'image/png');
    assert.equal(mismatch.statusCode, 400);
    assert.equal(mismatch.json().error.code, 'content_type_mismatch');
    const huge = await upload(coordinator, childId, Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]), 'image/png');
    assert.equal(huge.statusCode, 413);
  });

  test('an embassy may not add photos, and nobody adds one to a person they cannot see', async () => {
    assert.equal((await upload(embassyRus, childId, PNG, 'image/png')).statusCode, 403);
    assert.equal((await upload(coordinator, '00000000-0000-4000-8000-000000000000', PNG, 'image/png')).statusCode, 404);
  });
});
