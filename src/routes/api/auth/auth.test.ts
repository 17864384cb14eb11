import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ADDRESS_ATTEMPTS_PER_WINDOW, MAX_FAILED_LOGINS } from '../../../domain/login-rules.ts';
import type { Role } from '../../../domain/roles.ts';
import { sha256Hex } from '../../../security/tokens.ts';
import { totpCode, totpStep } from '../../../security/totp.ts';
import { type Client, TEST_PASSWORD, type TestApp, clientFor, createTestApp, makeUser } from '../../../testing/app.ts';

let t: TestApp;
before(async () => (t = await createTestApp()));
after(() => t.close());

// Every login comes from its own address unless a test says otherwise, so the
// per-address limit only bites where a test means it to.
let addressCounter = 0;
const freshAddress = () => {
  addressCounter += 1;
  return `10.20.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
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

function sessionCookie(response: LightMyRequestResponse) {
  const cookie = response.cookies.find((c) => c.name === 'homeward_session');
  assert.ok(cookie, `no session cookie in ${JSON.stringify(response.headers['set-cookie'])}`);
  return cookie;
}

function clientOf(response: LightMyRequestResponse): Client {
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as { csrfToken: string; user: { id: string } };
  return clientFor(t, `homeward_session=${sessionCookie(response).value}`, body.csrfToken, body.user.id);
}

async function signIn(username: string, password = TEST_PASSWORD, totp?: string): Promise<Client> {
  return clientOf(await login({ username, password, ...(totp ? { totp } : {}) }));
}

const newUser = (role: Role = 'judiciary') => makeUser(t, role);

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = response.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'details', 'message']);
  assert.equal(body.error.code, code, response.body);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.ok(Array.isArray(body.error.details));
}

const bearer = (token: string, method: 'GET' | 'POST' = 'GET', url = '/api/v1/countries?limit=1', payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

async function auditCount(action: string, entityId: string | null, username?: string): Promise<number> {
  let query = t.database.db
    .selectFrom('audit_events as e')
    .leftJoin('audit_values as v', 'v.event_id', 'e.id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('e.action', '=', action);
  query = entityId === null ? query.where('e.entity_id', 'is', null) : query.where('e.entity_id', '=', entityId);
  if (username !== undefined) query = query.where(sql<string>`v.data->'context'->>'username'`, '=', username);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

describe('login, session and logout', () => {
  test('login answers {user, csrfToken}, sets an HttpOnly SameSite=Strict cookie; the session shows the same user', async () => {
    const user = await newUser('coordinator');
    const response = await login({ username: user.username, password: TEST_PASSWORD });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['csrfToken', 'user']);
    assert.ok(typeof body.csrfToken === 'string' && body.csrfToken.length >= 20);
    const { agency, capabilities, countryCode, displayName, locale, ...rest } = body.user;
    assert.deepEqual(rest, { id: user.id, username: user.username, role: 'coordinator', totpEnabled: false, totpEnrollmentRequired: false, mustChangePassword: false });
    assert.deepEqual([agency, countryCode, displayName, locale], [null, null, user.username, 'en']);
    assert.ok(capabilities.includes('registry'));

    const cookie = sessionCookie(response);
    assert.equal(cookie.httpOnly, true);
    assert.equal(String(cookie.sameSite).toLowerCase(), 'strict');
    assert.equal(cookie.path, '/');
    const raw = [response.headers['set-cookie']].flat().join('\n');
    assert.match(raw, /homeward_session=[^;]+;.*HttpOnly/i);
    assert.match(raw, /SameSite=Strict/i);

    const client = clientOf(response);
    const session = await client.request('GET', '/api/v1/auth/session');
    assert.equal(session.statusCode, 200, session.body);
    assert.deepEqual(session.json(), body);
  });

  test('logout needs X-CSRF-Token, answers 204 and ends the session', async () => {
    const client = await signIn((await newUser()).username);
    const withoutToken = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: client.cookie } });
    assertError(withoutToken, 403, 'csrf_token_invalid');
    assert.equal((await client.request('GET', '/api/v1/auth/session')).statusCode, 200, 'a refused logout must not end the session');

    const out = await client.request('POST', '/api/v1/auth/logout');
    assert.equal(out.statusCode, 204, out.body);
    assertError(await client.request('GET', '/api/v1/auth/session'), 401, 'session_expired');
  });

  test('a wrong password and an unknown username get the same 401 invalid_credentials', async () => {
    const user = await newUser();
    const wrong = await login({ username: user.username, password: 'not-the-password-1' });
    assertError(wrong, 401, 'invalid_credentials');
    const unknown = await login({ username: `nobody-${process.pid}`, password: TEST_PASSWORD });
    assertError(unknown, 401, 'invalid_credentials');
    assert.equal(unknown.json().error.message, wrong.json().error.message);
    assert.equal(unknown.cookies.length, 0);
  });

  test('an arbitrary cookie value opens nothing, and login always issues a new session (no fixation)', async () => {
    const user = await newUser();
    const planted = 'planted-by-an-attacker-0123456789abcdef';
    const cookie = `homeward_session=${planted}`;
    assertError(await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } }), 401, 'session_expired');
    const response = await login({ username: user.username, password: TEST_PASSWORD }, { cookie });
    assert.notEqual(sessionCookie(response).value, planted);
    assertError(await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } }), 401, 'session_expired');
    const again = await login({ username: user.username, password: TEST_PASSWORD }, { cookie: `homeward_session=${sessionCookie(response).value}` });
    assert.notEqual(sessionCookie(again).value, sessionCookie(response).value);
  });

  test('a session idle too long, or past its end, is refused with session_expired', async () => {
    const user = await newUser();
    const idle = await signIn(user.username);
    const idleId = sha256Hex(idle.cookie.split('=')[1] as string);
    await t.database.db.updateTable('sessions').set({ last_seen_at: sql`now() - interval '2 hours'` }).where('id', '=', idleId).execute();
    assertError(await idle.request('GET', '/api/v1/auth/session'), 401, 'session_expired');

    const old = await signIn(user.username);
    assert.equal((await old.request('GET', '/api/v1/auth/session')).statusCode, 200);
    const oldId = sha256Hex(old.cookie.split('=')[1] as string);
    await t.database.db.updateTable('sessions').set({ expires_at: sql`now() - interval '1 minute'` }).where('id', '=', oldId).execute();
    assertError(await old.request('GET', '/api/v1/auth/session'), 401, 'session_expired');
  });
});

describe('lock-out and rate limits', () => {
  test(`after ${MAX_FAILED_LOGINS} failed logins the username is locked for everyone, other users are not`, async () => {
    const user = await newUser();
    const other = await newUser();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      assertError(await login({ username: user.username, password: `wrong-password-${i}` }), 401, 'invalid_credentials');
    }
    const locked = await login({ username: user.username, password: TEST_PASSWORD });
    assertError(locked, 429, 'account_locked');
    const retryAfter = Number(locked.headers['retry-after']);
    assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${locked.headers['retry-after']}`);
    assert.equal(locked.cookies.length, 0);
    assert.equal((await login({ username: other.username, password: TEST_PASSWORD })).statusCode, 200);
    assert.equal(await auditCount('auth.login_failed', user.id), MAX_FAILED_LOGINS);
    assert.equal(await auditCount('auth.account_locked', user.id), 1);

    // Fifteen minutes later (simulated): the lock has run out.
    await t.database.db
      .updateTable('login_throttle')
      .set({ locked_until: sql`now() - interval '1 second'` })
      .where('key', '=', `user:${user.username}`)
      .execute();
    const afterwards = await login({ username: user.username, password: TEST_PASSWORD });
    assert.equal(afterwards.statusCode, 200, afterwards.body);
  });

  test(`more than ${ADDRESS_ATTEMPTS_PER_WINDOW} attempts from one address are refused with rate_limited; other addresses are not`, async () => {
    const user = await newUser();
    const address = '192.0.2.77';
    for (let i = 0; i < ADDRESS_ATTEMPTS_PER_WINDOW; i++) {
      // A different unknown username each time, so no username lock gets in the way.
      const response = await login({ username: `ghost-${i}`, password: 'whatever-password' }, { remoteAddress: address });
      assertError(response, 401, 'invalid_credentials');
    }
    const limited = await login({ username: user.username, password: TEST_PASSWORD }, { remoteAddress: address });
    assertError(limited, 429, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After');
    const elsewhere = await login({ username: user.username, password: TEST_PASSWORD }, { remoteAddress: '192.0.2.78' });
    assert.equal(elsewhere.statusCode, 200, elsewhere.body);
  });
});

describe('two-factor login', () => {
  test('enrol, then no code → totp_required, wrong → invalid_totp, right → 200, replay → invalid_totp', async () => {
    const user = await newUser();
    const client = await signIn(user.username);
    const setup = await client.request('POST', '/api/v1/auth/totp/setup', {});
    assert.equal(setup.statusCode, 200, setup.body);
    const { secret, otpauthUrl, qrSvg } = setup.json();
    assert.match(qrSvg, /^data:image\/svg\+xml;base64,/);
    assert.match(Buffer.from(qrSvg.split(',')[1], 'base64').toString('utf8'), /<svg/);
    assert.match(otpauthUrl, /^otpauth:\/\/totp\//);
    assert.ok(otpauthUrl.includes(`secret=${secret}`));

    const step = totpStep(new Date());
    const enable = await client.request('POST', '/api/v1/auth/totp/enable', { code: totpCode(secret, step) });
    assert.equal(enable.statusCode, 200, enable.body);
    assert.equal(enable.json().user.totpEnabled, true);
    assert.equal(await auditCount('user.totp_enabled', user.id), 1);
    // Sealed at rest (decision 0024): the stored secret is an envelope that does not hold it.
    const stored = await t.database.db.selectFrom('users').select(['totp_secret', 'totp_pending_secret']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.match(stored.totp_secret ?? '', /^hw1:/);
    assert.ok(!(stored.totp_secret ?? '').includes(secret));
    assert.equal(stored.totp_pending_secret, null);

    assertError(await login({ username: user.username, password: TEST_PASSWORD }), 401, 'totp_required');
    const near = new Set([-1, 0, 1, 2].map((d) => totpCode(secret, step + d)));
    let wrongCode = '000000';
    while (near.has(wrongCode)) wrongCode = String(Number(wrongCode) + 1).padStart(6, '0');
    assertError(await login({ username: user.username, password: TEST_PASSWORD, totp: wrongCode }), 401, 'invalid_totp');
    // The code that enabled two-factor login has been used: it does not sign in.
    assertError(await login({ username: user.username, password: TEST_PASSWORD, totp: totpCode(secret, step) }), 401, 'invalid_totp');

    const code = totpCode(secret, step + 1);
    const ok = await login({ username: user.username, password: TEST_PASSWORD, totp: code });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().user.totpEnabled, true);
    assertError(await login({ username: user.username, password: TEST_PASSWORD, totp: code }), 401, 'invalid_totp');
    // The password is checked before the code: a wrong password with a code is invalid_credentials.
    assertError(await login({ username: user.username, password: 'wrong-password-x', totp: code }), 401, 'invalid_credentials');
  });

  test('a role that requires two-factor login holds its users at enrolment', async () => {
    const admin = await signIn((await newUser('admin')).username);
    const setRequired = async (totpRequired: boolean) => {
      const response = await admin.request('PUT', '/api/v1/role-settings/coordinator', { totpRequired });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { role: 'coordinator', totpRequired });
    };
    await setRequired(true);
    try {
      const user = await newUser('coordinator');
      const response = await login({ username: user.username, password: TEST_PASSWORD });
      assert.equal(response.json().user.totpEnrollmentRequired, true);
      const client = clientOf(response);
      assertError(await client.request('GET', '/api/v1/countries'), 403, 'totp_enrollment_required');
      assertError(await client.request('GET', '/api/v1/api-tokens'), 403, 'totp_enrollment_required');
      assert.equal((await client.request('GET', '/api/v1/auth/session')).statusCode, 200);
      const setup = await client.request('POST', '/api/v1/auth/totp/setup', {});
      assert.equal(setup.statusCode, 200, setup.body);
      const enable = await client.request('POST', '/api/v1/auth/totp/enable', { code: totpCode(setup.json().secret, totpStep(new Date())) });
      assert.equal(enable.statusCode, 200, enable.body);
      assert.equal(enable.json().user.totpEnrollmentRequired, false);
      assert.equal((await client.request('GET', '/api/v1/countries?limit=1')).statusCode, 200);
    } finally {
      await setRequired(false);
    }
  });
});

describe('CSRF and preferences', () => {
  test('a change with the cookie needs the session’s X-CSRF-Token; the locale is remembered', async () => {
    const client = await signIn((await newUser()).username);
    const put = (headers: Record<string, string>) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/auth/preferences', headers: { cookie: client.cookie, ...headers }, payload: { locale: 'ar' } });
    assertError(await put({}), 403, 'csrf_token_invalid');
    assertError(await put({ 'x-csrf-token': 'not-the-token' }), 403, 'csrf_token_invalid');
    const other = await signIn((await newUser()).username);
    assertError(await put({ 'x-csrf-token': other.csrfToken }), 403, 'csrf_token_invalid');
    assert.equal((await client.request('GET', '/api/v1/auth/session')).json().user.locale, 'en');

    const ok = await put({ 'x-csrf-token': client.csrfToken });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().user.locale, 'ar');
    assert.equal((await client.request('GET', '/api/v1/auth/session')).json().user.locale, 'ar');
  });
});

describe('disabled users', () => {
  test('cannot log in, and their sessions end', async () => {
    const admin = await signIn((await newUser('admin')).username);
    const user = await newUser();
    const session = await signIn(user.username);
    const current = await admin.request('GET', `/api/v1/users/${user.id}`);
    const patch = await admin.request('PATCH', `/api/v1/users/${user.id}`, { disabled: true }, { 'if-match': String(current.headers.etag) });
    assert.equal(patch.statusCode, 200, patch.body);
    assert.equal(patch.json().disabled, true);
    assertError(await session.request('GET', '/api/v1/auth/session'), 401, 'session_expired');
    assertError(await login({ username: user.username, password: TEST_PASSWORD }), 401, 'invalid_credentials');
  });
});

describe('API tokens', () => {
  let admin: Client;
  const issue = async (scopes: string[]) => {
    const response = await admin.request('POST', '/api/v1/api-tokens', { name: `t-${scopes.join('-')}`, scopes });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; token: string; expiresAt: string };
  };
  before(async () => {
    admin = await signIn((await newUser('admin')).username);
  });

  test('a token is shown once and works as Bearer without CSRF; write scope may change things', async () => {
    const { id, token } = await issue(['read', 'write']);
    assert.match(token, /^hw_[0-9a-f-]{36}_/);
    const list = await admin.request('GET', '/api/v1/api-tokens');
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().data.some((row: { id: string }) => row.id === id));
    // The secret is everything after the id; it may itself hold underscores (base64url).
    const secret = /^hw_[0-9a-f-]{36}_(.+)$/.exec(token)?.[1] as string;
    assert.ok(secret.length >= 20 && !list.body.includes(secret), 'the secret must not be listed');
    assert.equal((await bearer(token)).statusCode, 200);
    const created = await bearer(token, 'POST', '/api/v1/agencies', { name: `Token Agency ${process.pid}`, kind: 'judiciary' });
    assert.equal(created.statusCode, 201, created.body);
  });

  test('a read token may not change anything; a token may not create tokens', async () => {
    const read = await issue(['read']);
    assert.equal((await bearer(read.token)).statusCode, 200);
    assertError(await bearer(read.token, 'POST', '/api/v1/agencies', { name: 'Refused Agency', kind: 'judiciary' }), 403, 'token_scope');
    const write = await issue(['read', 'write']);
    assertError(await bearer(write.token, 'POST', '/api/v1/api-tokens', { name: 'child' }), 403, 'session_required');
  });

  test('revoked, expired, tampered and garbage tokens are invalid_token', async () => {
    const revoked = await issue(['read']);
    assert.equal((await admin.request('DELETE', `/api/v1/api-tokens/${revoked.id}`)).statusCode, 204);
    assertError(await bearer(revoked.token), 401, 'invalid_token');
    assert.equal((await admin.request('DELETE', `/api/v1/api-tokens/${revoked.id}`)).statusCode, 404);

    const expired = await issue(['read']);
    assert.equal((await bearer(expired.token)).statusCode, 200);
    await t.database.db.updateTable('api_tokens').set({ expires_at: sql`now() - interval '1 minute'` }).where('id', '=', expired.id).execute();
    assertError(await bearer(expired.token), 401, 'invalid_token');

    const live = await issue(['read']);
    const tampered = `${live.token.slice(0, -1)}${live.token.endsWith('A') ? 'B' : 'A'}`;
    assertError(await bearer(tampered), 401, 'invalid_token');
    assertError(await bearer('garbage'), 401, 'invalid_token');
    assertError(await bearer(`hw_${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}_${'x'.repeat(43)}`), 401, 'invalid_token');
    assert.equal((await bearer(live.token)).statusCode, 200);
  });
});

describe('the audit trail', () => {
  test('records logins, failed logins, logouts and who they were', async () => {
    const user = await newUser();
    const ghost = `ghost-audit-${process.pid}`;
    await login({ username: user.username, password: 'wrong-password-audit' });
    await login({ username: ghost, password: 'wrong-password-audit' });
    const client = await signIn(user.username);
    assert.equal((await client.request('POST', '/api/v1/auth/logout')).statusCode, 204);
    assert.equal(await auditCount('auth.login_failed', user.id, user.username), 1);
    assert.equal(await auditCount('auth.login_failed', null, ghost), 1);
    assert.equal(await auditCount('auth.login', user.id), 1);
    assert.equal(await auditCount('auth.logout', user.id), 1);
    const logout = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'actor_role'])
      .where('action', '=', 'auth.logout')
      .where('entity_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(logout, { actor_user_id: user.id, actor_role: 'judiciary' });
  });
});
