import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Client, type TestApp, createTestApp, logInAs, makeUser } from '../testing/app.ts';
import { BODY_LIMIT_BYTES } from './app.ts';
import { WEB_DIST } from './web.ts';

let t: TestApp;
let admin: Client;
let auditor: Client;
/** Every error answer of this file, checked for its shape once more at the end. */
const errors: LightMyRequestResponse[] = [];

before(async () => {
  t = await createTestApp();
  admin = await logInAs(t, (await makeUser(t, 'admin')).username);
  auditor = await logInAs(t, (await makeUser(t, 'auditor')).username);
});
after(async () => {
  await t.close();
});

const STACK_LINE = /\bat\s+(?:\S+\s+\()?(?:file:|node:|\/|[A-Za-z]:\\)\S*:\d+:\d+/;

/** The one error shape: exactly {error: {code, message, details}}, no stack trace, no file paths. */
function assertErrorShape(response: LightMyRequestResponse) {
  assert.ok(response.statusCode >= 400, `expected an error, got ${response.statusCode}`);
  assert.ok(response.statusCode < 500, `never a 5xx for bad input: ${response.statusCode} ${response.body.slice(0, 300)}`);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const body = response.json();
  assert.deepEqual(Object.keys(body), ['error'], response.body.slice(0, 300));
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'details', 'message'], response.body.slice(0, 300));
  assert.match(body.error.code, /^[a-z][a-z0-9_]*$/);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(Array.isArray(body.error.details));
  for (const detail of body.error.details) {
    const keys = Object.keys(detail).filter((k) => k !== 'code' && k !== 'params');
    assert.deepEqual(keys.sort(), ['message', 'path'], JSON.stringify(detail));
    if ('code' in detail) assert.match(detail.code, /^[a-z][a-z_]*$/);
    if ('params' in detail) assert.ok(Object.values(detail.params).every((v) => typeof v === 'string' || typeof v === 'number'));
  }
  assert.doesNotMatch(response.body, STACK_LINE);
  assert.ok(!response.body.includes('node_modules'), 'no file paths in errors');
  errors.push(response);
  return body.error as { code: string; message: string; details: { path: string; message: string; code?: string; params?: Record<string, string | number> }[] };
}

function assertError(response: LightMyRequestResponse, status: number, code?: string) {
  assert.equal(response.statusCode, status, response.body.slice(0, 300));
  const error = assertErrorShape(response);
  if (code) assert.equal(error.code, code);
  return error;
}

const raw = (method: 'POST' | 'PUT', url: string, payload: string | Buffer, contentType = 'application/json', client?: Client) =>
  t.app.inject({
    method,
    url,
    payload,
    headers: { 'content-type': contentType, ...(client ? { cookie: client.cookie, 'x-csrf-token': client.csrfToken } : {}) },
  });

describe('request bodies', () => {
  test('malformed or empty JSON is 400 malformed_json, signed in or not', async () => {
    assertError(await raw('POST', '/api/v1/auth/login', '{"username": "a", "password":'), 400, 'malformed_json');
    assertError(await raw('POST', '/api/v1/auth/login', "{'username': 'a'}"), 400, 'malformed_json');
    assertError(await raw('POST', '/api/v1/auth/login', ''), 400, 'malformed_json');
    assertError(await raw('POST', '/api/v1/agencies', '{"name": "x",,}', 'application/json', admin), 400, 'malformed_json');
    assertError(await raw('PUT', '/api/v1/auth/preferences', '{"locale": "ar"', 'application/json', admin), 400, 'malformed_json');
  });

  test('a body that is not an object, or fields of the wrong type, are 400 invalid_input naming each field', async () => {
    const error = assertError(await raw('POST', '/api/v1/auth/login', JSON.stringify({ username: 5, password: true })), 400, 'invalid_input');
    const paths = error.details.map((d) => d.path).sort();
    assert.deepEqual(paths, ['body.password', 'body.username']);
    assert.match(error.message, /body\.(username|password)/);
    for (const body of ['[]', 'null', '"text"', '42']) {
      assert.deepEqual(assertError(await raw('POST', '/api/v1/auth/login', body), 400, 'invalid_input').details[0]?.path, 'body');
    }
    const nested = assertError(await raw('POST', '/api/v1/api-tokens', JSON.stringify({ name: 'x', scopes: ['read', 7] }), 'application/json', admin), 400, 'invalid_input');
    assert.ok(nested.details.some((d) => d.path === 'body.scopes.1'), JSON.stringify(nested.details));
    const locale = assertError(await raw('PUT', '/api/v1/auth/preferences', JSON.stringify({ locale: 'xx' }), 'application/json', admin), 400, 'invalid_input');
    assert.equal(locale.details[0]?.path, 'body.locale');
  });

  test('each detail carries a stable code and the values it names, for clients to translate', async () => {
    const login = assertError(await raw('POST', '/api/v1/auth/login', JSON.stringify({ username: 'a' })), 400, 'invalid_input');
    assert.deepEqual(login.details, [{ path: 'body.password', message: 'is required', code: 'required' }]);
    const unknown = assertError(await raw('POST', '/api/v1/auth/login', JSON.stringify({ username: 'a', password: 'b', extra: 1 })), 400, 'invalid_input');
    assert.equal(unknown.details[0]?.code, 'unknown_field');
    const choice = assertError(await raw('PUT', '/api/v1/auth/preferences', JSON.stringify({ locale: 'xx' }), 'application/json', admin), 400, 'invalid_input');
    assert.equal(choice.details[0]?.code, 'invalid_value');
    assert.match(String(choice.details[0]?.params?.values), /ar/);
  });

  test('unknown fields are refused by name, prototype tricks too', async () => {
    const error = assertError(
      await raw('POST', '/api/v1/auth/login', JSON.stringify({ username: 'a', password: 'b', isAdmin: true })),
      400,
      'invalid_input',
    );
    assert.deepEqual(error.details.map((d) => d.path), ['body.isAdmin']);
    assert.match(error.message, /isAdmin/);
    const proto = await raw('POST', '/api/v1/auth/login', '{"username": "a", "password": "b", "__proto__": {"role": "admin"}}');
    assertError(proto, 400);
    const agency = assertError(await raw('POST', '/api/v1/agencies', JSON.stringify({ name: 'x', kind: 'judiciary', id: 'mine' }), 'application/json', admin), 400);
    assert.ok(agency.details.some((d) => d.path === 'body.id'));
  });

  test(`a body over ${BODY_LIMIT_BYTES} bytes is 413 payload_too_large`, async () => {
    const big = JSON.stringify({ username: 'a', password: 'x'.repeat(BODY_LIMIT_BYTES) });
    assertError(await raw('POST', '/api/v1/auth/login', big), 413, 'payload_too_large');
    assertError(await raw('POST', '/api/v1/agencies', JSON.stringify({ name: 'y'.repeat(BODY_LIMIT_BYTES + 10), kind: 'judiciary' }), 'application/json', admin), 413, 'payload_too_large');
  });

  test('a body that is not JSON is 415 unsupported_media_type', async () => {
    assertError(await raw('POST', '/api/v1/auth/login', '<login/>', 'application/xml'), 415, 'unsupported_media_type');
    assertError(await raw('POST', '/api/v1/auth/login', 'username=a&password=b', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
    assertError(await raw('POST', '/api/v1/agencies', Buffer.from([1, 2, 3]), 'application/octet-stream', admin), 415, 'unsupported_media_type');
    // The API speaks JSON only: text/plain is refused, not parsed as a string.
    assertError(await raw('POST', '/api/v1/auth/login', '{"username": "a", "password": "b"}', 'text/plain'), 415, 'unsupported_media_type');
  });

  test('NUL bytes and other control characters in JSON strings are refused, not a 500', async () => {
    for (const username of ['a\u0000b', '\u0000', 'x\u0001\u001b[31m']) {
      const response = await raw('POST', '/api/v1/auth/login', JSON.stringify({ username, password: 'some-password-1' }));
      assert.ok([400, 401].includes(response.statusCode), `${JSON.stringify(username)}: ${response.statusCode} ${response.body}`);
      assertErrorShape(response);
    }
    const agency = await raw('POST', '/api/v1/agencies', JSON.stringify({ name: 'Bad\u0000Name', kind: 'judiciary' }), 'application/json', admin);
    assertError(agency, 400, 'invalid_input');
  });
});

describe('paths', () => {
  test('an id that is not a UUID is 400 naming params.id', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/users/not-a-uuid'],
      ['GET', "/api/v1/users/1'%20or%20'1'='1"],
      ['PATCH', '/api/v1/users/123'],
      ['DELETE', '/api/v1/api-tokens/00000000-0000-0000-0000'],
    ] as const) {
      const error = assertError(await admin.request(method, url, method === 'PATCH' ? { displayName: 'x' } : undefined, { 'if-match': '"1"' }), 400, 'invalid_input');
      assert.ok(error.details.some((d) => d.path === 'params.id'), `${method} ${url}: ${JSON.stringify(error.details)}`);
    }
    assertError(await admin.request('PUT', '/api/v1/role-settings/pirate', { totpRequired: true }), 400, 'invalid_input');
  });

  test('an over-long or badly encoded path is a 4xx in the error format', async () => {
    const long = await admin.request('GET', `/api/v1/users/${'x'.repeat(10_000)}`);
    assert.ok(long.statusCode >= 400 && long.statusCode < 500, String(long.statusCode));
    assertErrorShape(long);
    assertError(await admin.request('GET', '/api/v1/users/%E0%A4%A'), 400);
  });

  test('an unknown /api/v1 route is 404 route_not_found, signed in or not', async () => {
    assertError(await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'route_not_found');
    assertError(await admin.request('GET', '/api/v1/nothing-here?x=1'), 404, 'route_not_found');
    assertError(await admin.request('POST', '/api/v1/users/00000000-0000-4000-8000-000000000000/promote', {}), 404, 'route_not_found');
    assertError(await admin.request('DELETE', '/api/v1/countries'), 404, 'route_not_found');
    assertError(await t.app.inject({ method: 'POST', url: '/not-an-api', payload: {} }), 404, 'route_not_found');
    assertError(await t.app.inject({ method: 'GET', url: '/api/v2/health' }), 404, 'route_not_found');
  });
});

describe('hostile query strings on list endpoints', () => {
  const nasty = [
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '1) UNION SELECT password_hash FROM users --',
    '%00',
    'a%00b',
    '%01%02%1B%7F',
    '%0D%0ASet-Cookie:%20x=y',
    '%E0%A4%A',
    '%F0%9F%92%A9',
    'x'.repeat(10_000),
    '9'.repeat(10_000),
    '-1',
    '1e309',
    '[]',
    '{}',
  ];
  const forgedCursors = [["'; DROP TABLE users; --"], ['\u0000'], [1e308], ['x'.repeat(400)], [null], {}].map((key) =>
    Buffer.from(JSON.stringify(key)).toString('base64url'),
  );
  const endpoints: [() => Client, string, string[]][] = [
    [() => admin, '/api/v1/users', ['limit', 'cursor', 'role', 'q']],
    [() => admin, '/api/v1/countries', ['limit', 'cursor', 'q']],
    [() => admin, '/api/v1/agencies', ['limit', 'cursor']],
    [() => admin, '/api/v1/api-tokens', ['limit']],
    [() => admin, '/api/v1/role-settings', ['role']],
    [() => auditor, '/api/v1/audit-events', ['limit', 'cursor', 'entityType', 'entityId', 'actorUserId']],
  ];

  for (const [client, url, params] of endpoints) {
    test(`${url} answers 200 or a 4xx in the error format, never a 5xx`, async () => {
      const failures: string[] = [];
      const check = async (query: string) => {
        const response = await client().request('GET', `${url}?${query}`);
        if (response.statusCode >= 500) failures.push(`${query.slice(0, 80)} → ${response.statusCode} ${response.body.slice(0, 120)}`);
        else if (response.statusCode >= 400) assertErrorShape(response);
        else assert.equal(response.statusCode, 200, query.slice(0, 80));
      };
      for (const param of params) {
        for (const value of nasty) await check(`${param}=${value}`);
        await check(`${param}=1&${param}=2`);
      }
      if (params.includes('cursor')) for (const cursor of forgedCursors) await check(`cursor=${cursor}`);
      await check(`${'k'.repeat(10_000)}=1`);
      assert.deepEqual(failures, []);
    });
  }

  test('the database is intact afterwards', async () => {
    const users = await admin.request('GET', '/api/v1/users');
    assert.equal(users.statusCode, 200);
    assert.ok(users.json().data.length >= 2);
  });
});

describe('the error format', () => {
  test('every error answer in this file had exactly {error: {code, message, details}} and no stack', () => {
    assert.ok(errors.length > 50, `only ${errors.length} error answers checked`);
    const codes = new Set(errors.map((r) => r.json().error.code));
    for (const code of ['malformed_json', 'invalid_input', 'payload_too_large', 'unsupported_media_type', 'route_not_found']) {
      assert.ok(codes.has(code), `no ${code} seen`);
    }
  });
});

describe('security headers', () => {
  const assertCommonHeaders = (response: LightMyRequestResponse) => {
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
  };

  test('API answers, successes and errors, may not be framed, sniffed or cached', async () => {
    for (const response of [
      await t.app.inject({ method: 'GET', url: '/api/v1/health' }),
      await admin.request('GET', '/api/v1/users'),
      await t.app.inject({ method: 'GET', url: '/api/v1/users' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/nothing' }),
      await raw('POST', '/api/v1/auth/login', '{'),
    ]) {
      assertCommonHeaders(response);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
    }
  });

  test('the web page has a strict CSP with a fresh style nonce that matches its csp-nonce meta tag', async () => {
    const nonceOf = (response: LightMyRequestResponse) => {
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /(^|; )script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      const match = /style-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})'/.exec(csp);
      assert.ok(match, csp);
      return match[1] as string;
    };
    const first = await t.app.inject({ method: 'GET', url: '/' });
    const second = await t.app.inject({ method: 'GET', url: '/cases/some-page' });
    assertCommonHeaders(first);
    assert.equal(first.headers['cache-control'], 'no-store');
    const nonce = nonceOf(first);
    assert.notEqual(nonceOf(second), nonce, 'a new nonce for every page');

    if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
      assert.equal(first.statusCode, 200);
      assert.match(String(first.headers['content-type']), /^text\/html/);
      const meta = /<meta name="csp-nonce" content="([^"]*)"/.exec(first.body);
      assert.ok(meta, 'the page carries the csp-nonce meta tag');
      assert.equal(meta[1], nonce);
      assert.ok(!first.body.includes('__CSP_NONCE__'));
    } else {
      assert.equal(first.statusCode, 503);
    }
  });
});
