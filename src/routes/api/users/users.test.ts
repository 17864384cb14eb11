import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Client, type TestApp, createTestApp, logInAs, makeUser } from '../../../testing/app.ts';

let t: TestApp;
let admin: Client;
let coordinator: Client;
/** Every body the API answered in this file: none may carry a password hash or a secret. */
const bodies: string[] = [];

before(async () => {
  t = await createTestApp();
  admin = await logInAs(t, (await makeUser(t, 'admin')).username);
  coordinator = await logInAs(t, (await makeUser(t, 'coordinator')).username);
});
after(async () => {
  await t.close();
});

async function as(client: Client, method: string, url: string, body?: unknown, headers?: Record<string, string>) {
  const response = await client.request(method, url, body, headers);
  bodies.push(response.body);
  return response;
}

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = response.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code, response.body);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(Array.isArray(body.error.details));
  return body.error as { code: string; message: string; details: { path: string; message: string }[] };
}

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}-${++counter}-${process.pid}`;

async function createViaApi(body: Record<string, unknown>) {
  return as(admin, 'POST', '/api/v1/users', body);
}

describe('listing users', () => {
  test('pages through everyone with limit=2: no duplicates, nothing missed, nextCursor null at the end', async () => {
    for (let i = 0; i < 5; i++) await makeUser(t, 'custody');
    const expected = (await t.database.db.selectFrom('users').select('username').orderBy('username').execute()).map((u) => u.username);
    assert.ok(expected.length >= 7);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/api/v1/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await as(admin, 'GET', url);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json() as { data: { username: string }[]; nextCursor: string | null };
      assert.deepEqual(Object.keys(body).sort(), ['data', 'nextCursor']);
      assert.ok(body.data.length <= 2);
      seen.push(...body.data.map((u) => u.username));
      cursor = body.nextCursor;
      pages += 1;
      assert.ok(pages <= expected.length, 'pagination does not end');
    } while (cursor !== null);

    assert.equal(new Set(seen).size, seen.length, `duplicates: ${seen.join(', ')}`);
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 2));
  });

  test('the last page has nextCursor null and a full list needs no cursor', async () => {
    const all = await as(admin, 'GET', '/api/v1/users?limit=500');
    assert.equal(all.statusCode, 200);
    assert.equal(all.json().nextCursor, null);
    const firstTwo = await as(admin, 'GET', '/api/v1/users?limit=2');
    assert.deepEqual(firstTwo.json().data, all.json().data.slice(0, 2));
    assert.equal(typeof firstTwo.json().nextCursor, 'string');
  });

  test('filters by role', async () => {
    const response = await as(admin, 'GET', '/api/v1/users?role=custody');
    assert.equal(response.statusCode, 200);
    const roles = new Set(response.json().data.map((u: { role: string }) => u.role));
    assert.deepEqual([...roles], ['custody']);
    assertError(await as(admin, 'GET', '/api/v1/users?role=pirate'), 400, 'invalid_input');
  });

  test('refuses a cursor it did not give out, and limits outside 1..500', async () => {
    const forged = Buffer.from(JSON.stringify([42])).toString('base64url');
    for (const cursor of ['garbage', forged, Buffer.from('{"a":1}').toString('base64url'), '%00']) {
      const error = assertError(await as(admin, 'GET', `/api/v1/users?cursor=${cursor}`), 400, 'invalid_cursor');
      assert.equal(error.details[0]?.path, 'query.cursor');
    }
    for (const limit of ['501', '0', '-1', 'abc', '2.5']) {
      const error = assertError(await as(admin, 'GET', `/api/v1/users?limit=${limit}`), 400, 'invalid_input');
      assert.ok(error.details.some((d) => d.path.endsWith('limit')), JSON.stringify(error.details));
    }
  });
});

describe('creating users', () => {
  test('answers 201 with a one-time password that signs in (and must then be changed)', async () => {
    const username = uniqueName('new-judge');
    const response = await createViaApi({ username, role: 'judiciary', displayName: 'New Judge' });
    assert.equal(response.statusCode, 201, response.body);
    const { user, oneTimePassword } = response.json();
    assert.equal(user.username, username);
    assert.equal(user.displayName, 'New Judge');
    assert.equal(user.role, 'judiciary');
    assert.equal(user.disabled, false);
    assert.equal(user.version, 1);
    assert.match(oneTimePassword, /^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);

    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: oneTimePassword } });
    assert.equal(login.statusCode, 200, login.body);
    assert.equal(login.json().user.id, user.id);
    assert.equal(login.json().user.mustChangePassword, true);
    const stored = await t.database.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.ok(!stored.password_hash.includes(oneTimePassword), 'the one-time password is stored only as a hash');

    const fetched = await as(admin, 'GET', `/api/v1/users/${user.id}`);
    assert.equal(fetched.statusCode, 200);
    assert.equal(fetched.headers.etag, '"1"');
    assert.deepEqual(fetched.json(), user);
  });

  test('an embassy user needs a country, which must exist', async () => {
    const missing = assertError(await createViaApi({ username: uniqueName('consul'), role: 'embassy' }), 400, 'invalid_input');
    assert.ok(missing.details.some((d) => d.path === 'body.countryCode'), JSON.stringify(missing.details));
    const unknown = assertError(await createViaApi({ username: uniqueName('consul'), role: 'embassy', countryCode: 'ZZZ' }), 400, 'invalid_input');
    assert.match(unknown.message, /ZZZ/);
    const lower = assertError(await createViaApi({ username: uniqueName('consul'), role: 'embassy', countryCode: 'rus' }), 400, 'invalid_input');
    assert.ok(lower.details.some((d) => d.path === 'body.countryCode'), JSON.stringify(lower.details));
    const notEmbassy = await createViaApi({ username: uniqueName('judge'), role: 'judiciary', countryCode: 'RUS' });
    assertError(notEmbassy, 400, 'invalid_input');

    const ok = await createViaApi({ username: uniqueName('consul'), role: 'embassy', countryCode: 'TJK' });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().user.countryCode, 'TJK');
    assert.ok(ok.json().user.agency, 'an embassy user belongs to their mission');
  });

  test('a taken username, in any case, is 409 username_taken', async () => {
    const username = uniqueName('twin');
    assert.equal((await createViaApi({ username, role: 'auditor' })).statusCode, 201);
    assertError(await createViaApi({ username, role: 'auditor' }), 409, 'username_taken');
    assertError(await createViaApi({ username: ` ${username.toUpperCase()} `, role: 'custody' }), 409, 'username_taken');
    const count = await t.database.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('username', '=', username).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  test('a username that is not lower-case letters, digits, dot, dash or underscore is refused', async () => {
    const error = assertError(await createViaApi({ username: 'no spaces here', role: 'auditor' }), 400, 'invalid_input');
    assert.ok(error.details.some((d) => d.path.endsWith('username')), JSON.stringify(error.details));
  });
});

describe('changing users', () => {
  test('If-Match must carry the current version: stale → 412, missing → 400', async () => {
    const user = await makeUser(t, 'security');
    const url = `/api/v1/users/${user.id}`;
    const renamed = await as(admin, 'PATCH', url, { displayName: 'Renamed Once' }, { 'if-match': '"1"' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().version, 2);
    assert.equal(renamed.json().displayName, 'Renamed Once');

    const stale = await as(admin, 'PATCH', url, { displayName: 'Lost Update' }, { 'if-match': '"1"' });
    assertError(stale, 412, 'version_mismatch');
    const missing = await as(admin, 'PATCH', url, { displayName: 'No Header' });
    const error = assertError(missing, 400, 'invalid_input');
    assert.ok(error.details.some((d) => d.path.includes('if-match')), JSON.stringify(error.details));
    assertError(await as(admin, 'PATCH', url, { displayName: 'Bad Header' }, { 'if-match': 'W/"abc"' }), 400, 'invalid_input');

    const current = await as(admin, 'GET', url);
    assert.equal(current.json().displayName, 'Renamed Once');
    assert.equal(current.json().version, 2);
    assert.equal(current.headers.etag, '"2"');
  });

  test('an administrator cannot disable themselves', async () => {
    const self = await as(admin, 'GET', `/api/v1/users/${admin.userId}`);
    const refused = await as(admin, 'PATCH', `/api/v1/users/${admin.userId}`, { disabled: true }, { 'if-match': String(self.headers.etag) });
    assertError(refused, 422, 'cannot_disable_self');
    assert.equal((await as(admin, 'GET', '/api/v1/auth/session')).statusCode, 200);
  });

  test('an unknown id is 404, a malformed one 400', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    assertError(await as(admin, 'GET', `/api/v1/users/${unknown}`), 404, 'not_found');
    assertError(await as(admin, 'PATCH', `/api/v1/users/${unknown}`, { displayName: 'x y' }, { 'if-match': '"1"' }), 404, 'not_found');
    assertError(await as(admin, 'GET', '/api/v1/users/not-a-uuid'), 400, 'invalid_input');
  });

  test('the list shows who is locked out', async () => {
    const user = await makeUser(t, 'custody');
    for (let i = 0; i < 5; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: `wrong-${i}-password` }, remoteAddress: `198.51.100.${i + 1}` });
    }
    const response = await as(admin, 'GET', `/api/v1/users/${user.id}`);
    assert.equal(response.json().locked, true);
    const other = await as(admin, 'GET', `/api/v1/users/${coordinator.userId}`);
    assert.equal(other.json().locked, false);
  });
});

describe('who may manage users', () => {
  test('every other role is refused with 403', async () => {
    const target = await makeUser(t, 'judiciary');
    for (const role of ['coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection', 'auditor'] as const) {
      const client = role === 'coordinator' ? coordinator : await logInAs(t, (await makeUser(t, role)).username);
      assertError(await as(client, 'GET', '/api/v1/users'), 403, 'forbidden');
      assertError(await as(client, 'GET', `/api/v1/users/${target.id}`), 403, 'forbidden');
      assertError(await as(client, 'POST', '/api/v1/users', { username: uniqueName('sneaky'), role: 'admin' }), 403, 'forbidden');
      assertError(await as(client, 'PATCH', `/api/v1/users/${target.id}`, { disabled: true }, { 'if-match': '"1"' }), 403, 'forbidden');
    }
    const unchanged = await as(admin, 'GET', `/api/v1/users/${target.id}`);
    assert.equal(unchanged.json().disabled, false);
    assert.equal((await t.database.db.selectFrom('users').select('id').where('username', 'like', 'sneaky-%').execute()).length, 0);
  });

  test('no answer in this file carried a password hash or a TOTP secret', async () => {
    assert.ok(bodies.length > 30, `only ${bodies.length} answers recorded`);
    const hashes = (await t.database.db.selectFrom('users').select('password_hash').execute()).map((u) => u.password_hash);
    for (const body of bodies) {
      assert.doesNotMatch(body, /\$argon2/);
      assert.doesNotMatch(body, /password_?hash|totp_?secret/i);
      for (const hash of hashes) assert.ok(!body.includes(hash));
    }
  });
});
