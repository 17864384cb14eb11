import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ADDRESS_ATTEMPTS_PER_WINDOW, LOCK_MINUTES, MAX_FAILED_LOGINS } from '../domain/login-rules.ts';
import type { Role } from '../domain/roles.ts';
import { COMMON_PASSWORDS, MIN_PASSWORD_LENGTH } from '../security/passwords.ts';
import { sha256Hex } from '../security/tokens.ts';
import { totpCode, totpStep } from '../security/totp.ts';
import { type Client, TEST_PASSWORD, type TestApp, clientFor, createTestApp, makeUser } from '../testing/app.ts';
import { createTestDatabase, TEST_DB_KIND } from '../testing/database.ts';

/**
 * Issue 8, "Security controls": one test (or a few) per control of docs/security.md, on the
 * in-process app, on both databases. Some controls are also tested where they live (auth.test.ts,
 * exports.test.ts, diplomacy.test.ts, passwords.test.ts); here each is checked from the outside,
 * as an attacker would try it.
 */
let t: TestApp;
/** HOMEWARD_TLS=1: the operator says every request arrives over TLS. */
let tls: TestApp;
/** HOMEWARD_TRUST_PROXY=1: X-Forwarded-Proto and -For from the proxy in front are believed. */
let proxied: TestApp;

before(async () => {
  [t, tls, proxied] = await Promise.all([createTestApp(), createTestApp({ HOMEWARD_TLS: '1' }), createTestApp({ HOMEWARD_TRUST_PROXY: '1' })]);
});
after(async () => {
  await Promise.all([t?.close(), tls?.close(), proxied?.close()]);
});

// Every login from its own address, so the per-address limit bites only where a test means it to.
let addresses = 0;
const freshAddress = () => {
  addresses += 1;
  return `10.77.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

function login(body: Record<string, unknown>, options: { remoteAddress?: string; cookie?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: body,
    remoteAddress: options.remoteAddress ?? freshAddress(),
    ...(options.cookie ? { headers: { cookie: options.cookie } } : {}),
  });
}

function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'homeward_session');
  assert.ok(cookie, `no session cookie: ${response.statusCode} ${response.body}`);
  return cookie.value;
}

function clientOf(response: LightMyRequestResponse): Client {
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as { csrfToken: string; user: { id: string } };
  return clientFor(t, `homeward_session=${sessionCookieOf(response)}`, body.csrfToken, body.user.id);
}

async function signIn(role: Role = 'judiciary', countryCode?: string) {
  const user = await makeUser(t, role, countryCode ? { countryCode } : {});
  const client = clientOf(await login({ username: user.username, password: TEST_PASSWORD }));
  return { user, client };
}

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
}

const session = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });

async function auditEvents(action: string, entityId?: string) {
  let query = t.database.db
    .selectFrom('audit_events as e')
    .leftJoin('audit_values as v', 'v.event_id', 'e.id')
    .select(['e.id', 'e.actor_user_id', 'e.actor_role', 'e.entity_type', 'e.entity_id', 'v.data'])
    .where('e.action', '=', action);
  if (entityId !== undefined) query = query.where('e.entity_id', '=', entityId);
  return query.execute();
}

// ---------------------------------------------------------------------------------------------
// 1. Response headers
// ---------------------------------------------------------------------------------------------

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

/** A strict policy: nothing inline or evaluated as script, no plugins, no <base>, no framing. */
function assertStrictCsp(response: LightMyRequestResponse, what: string) {
  const header = response.headers['content-security-policy'];
  assert.equal(typeof header, 'string', `${what}: a Content-Security-Policy`);
  const csp = directives(header as string);
  const defaultSrc = csp.get('default-src') ?? [];
  assert.ok(defaultSrc.length === 1 && ["'self'", "'none'"].includes(defaultSrc[0] as string), `${what}: default-src 'self' or 'none', got ${header}`);
  const scriptSrc = csp.get('script-src') ?? defaultSrc;
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'https:', 'http:']) {
    assert.ok(!scriptSrc.includes(unsafe), `${what}: script-src must not allow ${unsafe}: ${header}`);
  }
  const objectSrc = csp.get('object-src') ?? defaultSrc;
  assert.deepEqual(objectSrc, ["'none'"], `${what}: object-src 'none': ${header}`);
  const baseUri = csp.get('base-uri');
  assert.ok(baseUri && baseUri.length === 1 && ["'none'", "'self'"].includes(baseUri[0] as string), `${what}: base-uri 'none' or 'self': ${header}`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors 'none': ${header}`);
}

function assertCommonHeaders(response: LightMyRequestResponse, what: string) {
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(response.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(response.headers['x-frame-options'], 'DENY', what);
  assertStrictCsp(response, what);
}

/** The three kinds of answer: the JSON API, the web app's HTML, the API documentation page. */
const PAGES = [
  { what: 'the API', url: '/api/v1/health' },
  { what: 'an API error', url: '/api/v1/no-such-thing' },
  { what: 'the web app', url: '/registry' },
  { what: 'the API docs', url: '/api/docs/static/index.html' },
  { what: 'the OpenAPI document', url: '/api/v1/openapi.json' },
];

describe('control: response headers', () => {
  test('API, web app and /api/docs carry a strict CSP, nosniff, no-referrer and DENY framing', async () => {
    for (const { what, url } of PAGES) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.ok(response.statusCode < 500 || url === '/registry', `${what}: ${response.statusCode}`); // 503 when web/dist is not built
      assertCommonHeaders(response, what);
    }
    // The docs entry point too, wherever it sends the browser.
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    assertCommonHeaders(docs, '/api/docs');
  });

  test("the web app's styles are allowed only by a fresh nonce; only the docs page allows inline styles, never inline scripts", async () => {
    const one = (await t.app.inject({ method: 'GET', url: '/registry' })).headers['content-security-policy'] as string;
    const two = (await t.app.inject({ method: 'GET', url: '/registry' })).headers['content-security-policy'] as string;
    const nonce = (csp: string) => /'nonce-([^']+)'/.exec(directives(csp).get('style-src')?.join(' ') ?? '')?.[1];
    assert.ok(nonce(one) && nonce(two) && nonce(one) !== nonce(two), `a new nonce per page: ${one} / ${two}`);
    assert.ok(!one.includes('unsafe-inline'), one);
    const docs = directives((await t.app.inject({ method: 'GET', url: '/api/docs/static/index.html' })).headers['content-security-policy'] as string);
    assert.deepEqual(docs.get('script-src'), ["'self'"]);
  });

  test('HSTS only over TLS: never over plain HTTP, not even when a client claims X-Forwarded-Proto: https', async () => {
    for (const { what, url } of PAGES) {
      const plain = await t.app.inject({ method: 'GET', url });
      assert.equal(plain.headers['strict-transport-security'], undefined, `${what} over HTTP`);
      const spoofed = await t.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(spoofed.headers['strict-transport-security'], undefined, `${what}: X-Forwarded-Proto from a client is not believed without HOMEWARD_TRUST_PROXY`);
      // No upgrade-insecure-requests over HTTP: it would break the docs page on a plain-HTTP address.
      assert.doesNotMatch(plain.headers['content-security-policy'] as string, /upgrade-insecure-requests/, what);
    }
  });

  test('HSTS over TLS: with HOMEWARD_TLS on every answer; with HOMEWARD_TRUST_PROXY when the proxy says https', async () => {
    for (const { what, url } of PAGES) {
      const secure = await tls.app.inject({ method: 'GET', url });
      assert.match(String(secure.headers['strict-transport-security']), /^max-age=(\d{8,}); includeSubDomains$/, `${what} with HOMEWARD_TLS`);
      assertCommonHeaders(secure, `${what} with HOMEWARD_TLS`);
      const viaProxy = await proxied.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      assert.match(String(viaProxy.headers['strict-transport-security']), /^max-age=\d+/, `${what} behind a trusted TLS proxy`);
      const plainViaProxy = await proxied.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'http' } });
      assert.equal(plainViaProxy.headers['strict-transport-security'], undefined, `${what} behind a trusted proxy over HTTP`);
    }
    // Over TLS the session cookie is Secure and __Host- bound to the origin.
    const user = await makeUser(tls, 'judiciary');
    const signedIn = await tls.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: TEST_PASSWORD } });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    const cookie = signedIn.cookies.find((c) => c.name === '__Host-homeward_session');
    assert.ok(cookie?.secure && cookie.httpOnly && cookie.path === '/' && String(cookie.sameSite).toLowerCase() === 'strict', JSON.stringify(signedIn.cookies));
  });

  test('API answers are not cached', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).headers['cache-control'], 'no-store');
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Sessions: no fixation, logout ends the session on the server
// ---------------------------------------------------------------------------------------------

describe('control: session fixation refused', () => {
  test('a planted session id opens nothing and is not adopted by login', async () => {
    const user = await makeUser(t, 'judiciary');
    const planted = `homeward_session=planted-${'x'.repeat(40)}`;
    assertError(await session(planted), 401, 'session_expired');
    const response = await login({ username: user.username, password: TEST_PASSWORD }, { cookie: planted });
    assert.notEqual(`homeward_session=${sessionCookieOf(response)}`, planted);
    assertError(await session(planted), 401, 'session_expired');
  });

  test('a session sent with a login is replaced: a new cookie is issued and the old one is invalid', async () => {
    const { user, client: before } = await signIn();
    assert.equal((await session(before.cookie)).statusCode, 200);
    const again = await login({ username: user.username, password: TEST_PASSWORD }, { cookie: before.cookie });
    const after = clientOf(again);
    assert.notEqual(after.cookie, before.cookie);
    assert.notEqual(after.csrfToken, before.csrfToken);
    assertError(await session(before.cookie), 401, 'session_expired');
    assert.equal((await session(after.cookie)).statusCode, 200);
  });

  test('logout ends the session on the server: the cookie, kept by an attacker, no longer works', async () => {
    const { client } = await signIn();
    const out = await client.request('POST', '/api/v1/auth/logout');
    assert.equal(out.statusCode, 204, out.body);
    assertError(await session(client.cookie), 401, 'session_expired');
    assertError(await client.request('PUT', '/api/v1/auth/preferences', { locale: 'ar' }), 401, 'session_expired');
    const row = await t.database.db.selectFrom('sessions').select('revoked_at').where('id', '=', sha256Hex(client.cookie.split('=')[1] as string)).executeTakeFirstOrThrow();
    assert.ok(row.revoked_at, 'revoked in the database');
    // Only the hash of the session id is stored.
    const stored = await t.database.db.selectFrom('sessions').select('id').where('id', '=', client.cookie.split('=')[1] as string).executeTakeFirst();
    assert.equal(stored, undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. CSRF
// ---------------------------------------------------------------------------------------------

describe('control: CSRF refused', () => {
  test("a cookie-authenticated change without X-CSRF-Token, or with another session's token, is 403", async () => {
    const { client } = await signIn();
    const { client: other } = await signIn();
    const put = (headers: Record<string, string>) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/auth/preferences', headers: { cookie: client.cookie, ...headers }, payload: { locale: 'ar' } });
    assertError(await put({}), 403, 'csrf_token_invalid');
    assertError(await put({ 'x-csrf-token': '' }), 403, 'csrf_token_invalid');
    assertError(await put({ 'x-csrf-token': other.csrfToken }), 403, 'csrf_token_invalid');
    assertError(await put({ 'x-csrf-token': `${client.csrfToken}x` }), 403, 'csrf_token_invalid');
    // Logout is a change too: a forged cross-site logout is refused.
    assertError(await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: client.cookie } }), 403, 'csrf_token_invalid');
    assert.equal((await session(client.cookie)).json().user.locale, 'en', 'nothing changed');
    assert.equal((await put({ 'x-csrf-token': client.csrfToken })).statusCode, 200);
  });

  test('a bearer token needs no CSRF token', async () => {
    const { client: admin } = await signIn('admin');
    const issued = await admin.request('POST', '/api/v1/api-tokens', { name: 'csrf-free', scopes: ['read', 'write'] });
    assert.equal(issued.statusCode, 201, issued.body);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agencies',
      headers: { authorization: `Bearer ${issued.json().token}` },
      payload: { name: `Security Agency ${process.pid}`, kind: 'judiciary' },
    });
    assert.equal(created.statusCode, 201, created.body);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Lock-out and rate limit
// ---------------------------------------------------------------------------------------------

describe('control: lock-out and per-address rate limit', () => {
  test(`after ${MAX_FAILED_LOGINS} failed logins a username is locked for ${LOCK_MINUTES} minutes, even with the right password; then unlocked`, async () => {
    assert.equal(MAX_FAILED_LOGINS, 5);
    assert.equal(LOCK_MINUTES, 15);
    const user = await makeUser(t, 'judiciary');
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      assertError(await login({ username: user.username, password: `wrong-password-${i}` }), 401, 'invalid_credentials');
    }
    for (const password of [TEST_PASSWORD, 'wrong-password-again']) {
      const locked = await login({ username: user.username.toUpperCase(), password });
      assertError(locked, 429, 'account_locked');
      assert.equal(locked.cookies.length, 0);
      const retryAfter = Number(locked.headers['retry-after']);
      assert.ok(retryAfter > (LOCK_MINUTES - 1) * 60 && retryAfter <= LOCK_MINUTES * 60, `Retry-After ${retryAfter}`);
    }
    // The lock runs on the database's clock: it ends 15 minutes after it began.
    const key = `user:${user.username}`;
    const row = await t.database.db
      .selectFrom('login_throttle')
      .select(sql<number>`extract(epoch from locked_until - now())::float8`.as('left'))
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    assert.ok(row.left > (LOCK_MINUTES - 1) * 60 && row.left <= LOCK_MINUTES * 60, `locked for ${row.left} s`);
    // One second short of the end (simulated by moving the lock back): still locked.
    await t.database.db.updateTable('login_throttle').set({ locked_until: sql`now() + interval '1 second'` }).where('key', '=', key).execute();
    assertError(await login({ username: user.username, password: TEST_PASSWORD }), 429, 'account_locked');
    // Fifteen minutes on (simulated): the right password signs in again.
    await t.database.db.updateTable('login_throttle').set({ locked_until: sql`locked_until - make_interval(mins => ${LOCK_MINUTES})` }).where('key', '=', key).execute();
    const afterwards = await login({ username: user.username, password: TEST_PASSWORD });
    assert.equal(afterwards.statusCode, 200, afterwards.body);
  });

  test(`one client address may try ${ADDRESS_ATTEMPTS_PER_WINDOW} logins per window, whatever the usernames (behind a trusted proxy: X-Forwarded-For)`, async () => {
    const user = await makeUser(proxied, 'judiciary');
    const attempt = (username: string, password: string, forwardedFor: string) =>
      proxied.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': forwardedFor } });
    for (let i = 0; i < ADDRESS_ATTEMPTS_PER_WINDOW; i++) {
      assertError(await attempt(`ghost-${i}`, 'whatever-password', '198.51.100.9'), 401, 'invalid_credentials');
    }
    const limited = await attempt(user.username, TEST_PASSWORD, '198.51.100.9');
    assertError(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    const elsewhere = await attempt(user.username, TEST_PASSWORD, '198.51.100.10');
    assert.equal(elsewhere.statusCode, 200, elsewhere.body);
  });
});

// ---------------------------------------------------------------------------------------------
// 5. TOTP replay (also in src/routes/api/auth/auth.test.ts)
// ---------------------------------------------------------------------------------------------

describe('control: TOTP codes cannot be replayed', () => {
  test('a code signs in once; the same code again, even at once and concurrently, is invalid_totp', async () => {
    const { user, client } = await signIn();
    const setup = await client.request('POST', '/api/v1/auth/totp/setup', {});
    assert.equal(setup.statusCode, 200, setup.body);
    const { secret } = setup.json() as { secret: string };
    const step = totpStep(new Date());
    assert.equal((await client.request('POST', '/api/v1/auth/totp/enable', { code: totpCode(secret, step) })).statusCode, 200);
    assertError(await login({ username: user.username, password: TEST_PASSWORD }), 401, 'totp_required');
    // The enabling code is spent; an earlier step is refused too.
    assertError(await login({ username: user.username, password: TEST_PASSWORD, totp: totpCode(secret, step) }), 401, 'invalid_totp');
    assertError(await login({ username: user.username, password: TEST_PASSWORD, totp: totpCode(secret, step - 1) }), 401, 'invalid_totp');
    const code = totpCode(secret, step + 1);
    const answers = await Promise.all([0, 1, 2].map(() => login({ username: user.username, password: TEST_PASSWORD, totp: code })));
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 401, 401], answers.map((r) => r.body).join('\n'));
    assertError(await login({ username: user.username, password: TEST_PASSWORD, totp: code }), 401, 'invalid_totp');
  });
});

// ---------------------------------------------------------------------------------------------
// 6. API tokens: scoped and expiring
// ---------------------------------------------------------------------------------------------

describe('control: API tokens scoped, expiring, revocable', () => {
  const bearer = (token: string, method: 'GET' | 'POST' | 'DELETE' = 'GET', url = '/api/v1/countries?limit=1', payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  test('a read token cannot change anything; no token can mint tokens; a token never exceeds its user’s role', async () => {
    const { client: admin } = await signIn('admin');
    const read = (await admin.request('POST', '/api/v1/api-tokens', { name: 'read-only', scopes: ['read'] })).json() as { token: string };
    assert.equal((await bearer(read.token)).statusCode, 200);
    assertError(await bearer(read.token, 'POST', '/api/v1/agencies', { name: 'Refused', kind: 'judiciary' }), 403, 'token_scope');
    const write = (await admin.request('POST', '/api/v1/api-tokens', { name: 'rw', scopes: ['read', 'write'] })).json() as { token: string };
    assertError(await bearer(write.token, 'POST', '/api/v1/api-tokens', { name: 'child' }), 403, 'session_required');

    const { client: embassy } = await signIn('embassy', 'RUS');
    const issued = await embassy.request('POST', '/api/v1/api-tokens', { name: 'embassy-rw', scopes: ['read', 'write'] });
    assert.equal(issued.statusCode, 201, issued.body);
    assertError(await bearer(issued.json().token, 'GET', '/api/v1/users'), 403, 'forbidden');
    assertError(await bearer(issued.json().token, 'GET', '/api/v1/audit-events'), 403, 'forbidden');
  });

  test('an expired token and a revoked token are 401 invalid_token; the secret is stored only as a hash', async () => {
    const { client: admin } = await signIn('admin');
    const expiring = (await admin.request('POST', '/api/v1/api-tokens', { name: 'short', scopes: ['read'], expiresInDays: 1 })).json() as { id: string; token: string; expiresAt: string };
    const lifetime = new Date(expiring.expiresAt).getTime() - Date.now();
    assert.ok(lifetime > 23 * 3600_000 && lifetime <= 24 * 3600_000 + 60_000, `expires in a day: ${expiring.expiresAt}`);
    assert.equal((await bearer(expiring.token)).statusCode, 200);
    await t.database.db.updateTable('api_tokens').set({ expires_at: sql`now() - interval '1 second'` }).where('id', '=', expiring.id).execute();
    assertError(await bearer(expiring.token), 401, 'invalid_token');

    const revoked = (await admin.request('POST', '/api/v1/api-tokens', { name: 'revoked', scopes: ['read'] })).json() as { id: string; token: string };
    assert.equal((await bearer(revoked.token)).statusCode, 200);
    assert.equal((await admin.request('DELETE', `/api/v1/api-tokens/${revoked.id}`)).statusCode, 204);
    assertError(await bearer(revoked.token), 401, 'invalid_token');

    const secret = /^hw_[0-9a-f-]{36}_(.+)$/.exec(revoked.token)?.[1] as string;
    const row = await t.database.db.selectFrom('api_tokens').selectAll().where('id', '=', revoked.id).executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, sha256Hex(secret));
    assert.ok(!JSON.stringify(row).includes(secret));
    // A token past the longest lifetime cannot be asked for.
    assertError(await admin.request('POST', '/api/v1/api-tokens', { name: 'forever', scopes: ['read'], expiresInDays: 3650 }), 400, 'invalid_input');
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Password rules and common passwords (API and `homeward user add`)
// ---------------------------------------------------------------------------------------------

/** Common passwords long enough to pass the length rule: only the list (or a suffix rule) stops them. */
const LONG_COMMON = ['passwordpassword', 'Administrator', 'qwertyuiopas', '1q2w3e4r5t6y', 'Password2024!', 'Sunshine12345', '123456789012'];

describe('control: password rules and common passwords', () => {
  test(`the bundled list holds hundreds of common passwords; the minimum length is ${MIN_PASSWORD_LENGTH}`, () => {
    assert.ok(COMMON_PASSWORDS.size >= 500, `${COMMON_PASSWORDS.size} common passwords`);
    for (const p of ['123456', 'password', 'qwerty', 'iloveyou', 'letmein', 'admin', 'welcome']) assert.ok(COMMON_PASSWORDS.has(p), p);
    assert.equal(MIN_PASSWORD_LENGTH, 12);
  });

  test('changing one’s password through the API refuses short, common and username-containing passwords', async () => {
    const { user, client } = await signIn();
    const change = (newPassword: string) => client.request('PUT', '/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword });
    const refused = async (newPassword: string, message: string) => {
      const response = await change(newPassword);
      assertError(response, 400, 'weak_password');
      assert.deepEqual(response.json().error.details, [{ path: 'body.newPassword', message }], newPassword);
    };
    await refused('Xk9#mP2$vL7', 'must be at least 12 characters');
    for (const common of LONG_COMMON) await refused(common, 'is too common');
    await refused(`My-${user.username.toUpperCase()}-secret`, 'must not contain the username');
    const ok = await change('a-long-unusual-passphrase-42');
    assert.equal(ok.statusCode, 200, ok.body);
  });

  test('a user made through the API gets a generated one-time password that passes the rules and must be changed', async () => {
    const { client: admin } = await signIn('admin');
    const created = await admin.request('POST', '/api/v1/users', { username: `sec-new-${process.pid}`, role: 'judiciary' });
    assert.equal(created.statusCode, 201, created.body);
    const { oneTimePassword } = created.json() as { oneTimePassword: string };
    assert.ok(oneTimePassword.length >= MIN_PASSWORD_LENGTH);
    const signedIn = await login({ username: `sec-new-${process.pid}`, password: oneTimePassword });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    assert.equal(signedIn.json().user.mustChangePassword, true);
  });

  test('`homeward user add` refuses a short, a common and a username-containing password, and makes nothing', { timeout: 240_000 }, async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-sec-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOMEWARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    delete env.NODE_TEST_CONTEXT;
    const pg = TEST_DB_KIND === 'postgres' ? await createTestDatabase('postgres') : null;
    if (pg) env.DATABASE_URL = pg.url as string;
    const run = (args: string[], input: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(root, 'bin', 'homeward.js'), ...args], { cwd: root, env, timeout: 120_000 });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(input);
      });
    try {
      const add = (username: string, password: string) => run(['user', 'add', '--username', username, '--role', 'coordinator'], `${password}\n`);
      for (const [username, password, message] of [
        ['carla', 'short-pass', /password: must be at least 12 characters$/],
        ['carla', 'Password2024!', /password: is too common$/],
        ['carla', 'qwertyuiopas', /password: is too common$/],
        ['carla', 'the-CARLA-passphrase', /password: must not contain the username$/],
      ] as const) {
        const result = await add(username, password);
        assert.ok(result.code !== 0 && result.code !== null, `${password}: exit ${result.code} ${result.stdout}`);
        assert.match(result.stderr.trim(), message);
      }
      const made = await add('carla', 'a-long-unusual-passphrase-42');
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, /^created user carla \(coordinator/);
    } finally {
      await pg?.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 8. Every export and every share with an embassy audited
// ---------------------------------------------------------------------------------------------

describe('control: exports and shares with embassies audited', () => {
  let coordinator: Client;
  let embassy: Client;
  let childId: string;
  let adultId: string;
  const TODAY = new Date().toISOString().slice(0, 10);

  before(async () => {
    coordinator = (await signIn('coordinator')).client;
    embassy = (await signIn('embassy', 'TJK')).client;
    const db = t.database.db;
    const facility = await db
      .insertInto('facilities')
      .values({ name: `SEC Facility ${process.pid}`, kind: 'juvenile_facility', holding_authority: 'Ministry of Labour', country_code: 'IRQ', capacity: 10, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const person = async (name: string, birthYear: number) => {
      const p = await db
        .insertInto('persons')
        .values({ display_name: name, sex: 'female', birth_precision: 'year', birth_earliest: `${birthYear}-01-01`, birth_latest: `${birthYear}-12-31` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('person_nationalities').values({ person_id: p.id, country_code: 'TJK', status: 'claimed' }).execute();
      await db.insertInto('custody_episodes').values({ person_id: p.id, facility_id: facility.id, admitted_on: '2024-01-01' }).execute();
      return p.id;
    };
    childId = await person('Зарина Рахимова', Number(TODAY.slice(0, 4)) - 8);
    adultId = await person('Мадина Рахимова', Number(TODAY.slice(0, 4)) - 40);
  });

  test('a list export (CSV) writes an audit event with its filters and row count', async () => {
    const response = await coordinator.request('GET', '/api/v1/facilities/export?format=csv&kind=juvenile_facility');
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    const rows = response.body.trim().split('\n').length - 1;
    const events = (await auditEvents('facilities.exported')).filter((e) => e.actor_user_id === coordinator.userId);
    assert.equal(events.length, 1);
    const data = JSON.stringify(events[0]?.data);
    assert.equal(events[0]?.entity_type, 'export');
    assert.match(data, /"format":"csv"/);
    assert.match(data, /"kind":"juvenile_facility"/);
    assert.match(data, new RegExp(`"rows":${rows}\\b`));
  });

  test('a notification with the nationals list shares each person with the embassy, audited person by person', async () => {
    const sent = await coordinator.request('POST', '/api/v1/countries/TJK/notifications', { sentOn: TODAY, channel: 'Note verbale' });
    assert.equal(sent.statusCode, 201, sent.body);
    const id = sent.json().id as string;
    const created = await auditEvents('notification.created', id);
    assert.equal(created.length, 1);
    assert.match(JSON.stringify(created[0]?.data), /"people":2\b/);
    for (const person of [childId, adultId]) {
      const shares = await auditEvents('person.shared_with_embassy', person);
      assert.ok(shares.some((s) => JSON.stringify(s.data).includes(id)), `shared ${person}: ${JSON.stringify(shares)}`);
    }
    // The embassy downloading the list is an export of it, audited.
    const pdf = await embassy.request('GET', `/api/v1/notifications/${id}/pdf`);
    assert.equal(pdf.statusCode, 200, pdf.body);
    const exported = await auditEvents('notification.exported', id);
    assert.ok(exported.some((e) => e.actor_user_id === embassy.userId && e.actor_role === 'embassy'));
  });

  test('an embassy reading a person — child or adult — is audited as person.read with its country', async () => {
    for (const id of [childId, adultId]) {
      const before = (await auditEvents('person.read', id)).filter((e) => e.actor_user_id === embassy.userId).length;
      assert.equal((await embassy.request('GET', `/api/v1/persons/${id}`)).statusCode, 200);
      const reads = (await auditEvents('person.read', id)).filter((e) => e.actor_user_id === embassy.userId);
      assert.equal(reads.length, before + 1, id);
      assert.match(JSON.stringify(reads.at(-1)?.data), /"countryCode":"TJK"/);
    }
  });
});
