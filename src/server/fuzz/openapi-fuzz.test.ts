import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../testing/app.ts';
import { TEST_DB_KIND } from '../../testing/database.ts';
import { REGEX_BOMBS, SQL, WEIRD, problem } from './contract.ts';

/**
 * Hostile input, generated from the OpenAPI document: every operation, signed in as
 * every role (and as nobody), with malformed path parameters, query strings, bodies
 * and headers. No answer may be a 5xx, and every error has the one error format.
 * The seed is fixed (HOMEWARD_FUZZ_SEED to change it) so a failure replays.
 */
const SEED = Number(process.env.HOMEWARD_FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.HOMEWARD_FUZZ_RUNS ?? (TEST_DB_KIND === 'pglite' ? 10_000 : 2_000));

/** Operations that end the caller's own session or credentials: they would sign the fuzzer out. */
const SKIP = new Set(['POST /api/v1/auth/logout', 'PUT /api/v1/auth/password', 'POST /api/v1/auth/totp/enable']);

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly params: readonly string[];
  readonly query: readonly string[];
  readonly bodyKeys: readonly string[];
  readonly json: boolean;
}

let t: TestApp;
let operations: Operation[] = [];
const clients = new Map<Role | 'anonymous', Client | null>();

before(async () => {
  t = await createTestApp();
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>;
  };
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const key = `${method.toUpperCase()} ${path}`;
      if (SKIP.has(key)) continue;
      const parameters = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyKeys: Object.keys(content['application/json']?.schema?.properties ?? {}),
        json: 'application/json' in content,
      });
    }
  }
  operations = operations.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
  clients.set('anonymous', null);
  for (const role of ROLES) clients.set(role, await signInNew(t, role));
});
after(async () => {
  await t?.close();
});

// ---- the hostile values ----------------------------------------------------

const stringValue = fc.oneof(
  fc.constantFrom(...SQL, ...REGEX_BOMBS, ...WEIRD),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('a', 'Ж', '\u0000', '../', '😀').chain((c) => fc.integer({ min: 100, max: 3000 }).map((n) => c.repeat(n))),
);
const numberValue = fc.oneof(fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, -0), fc.integer(), fc.double());

/** JSON, nested and mixed, with prototype-pollution keys. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stringValue,
    numberValue,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'role'), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const deep = fc.integer({ min: 50, max: 5000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const deepObject = fc.integer({ min: 50, max: 3000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);

const bodyFor = (op: Operation) =>
  fc.oneof(
    fc.constant(undefined),
    // the right field names with hostile values, some left out, some extra
    fc.record(Object.fromEntries(op.bodyKeys.map((k) => [k, jsonValue])), { requiredKeys: [] }).chain((r) =>
      fc.record({ extra: fc.option(fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'id', 'createdAt'), { nil: undefined }), v: jsonValue }).map(({ extra, v }) =>
        extra ? JSON.stringify(r).replace(/^\{/, `{${JSON.stringify(extra)}:${JSON.stringify(v) ?? 'null'}${Object.keys(r).length ? ',' : ''}`) : JSON.stringify(r),
      ),
    ),
    jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom('{', '{"a":}', "{'a':1}", 'null', '[]', '"x"', '{"__proto__": {"role": "admin"}}', '{"constructor": {"prototype": {"x": 1}}}', '\ufeff{}', '{"a":1,"a":2}'),
    deep,
    deepObject,
  );

const queryFor = (op: Operation) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...op.query, 'limit', 'cursor', 'q', 'sort', 'format'), fc.constantFrom('__proto__', 'constructor[prototype]', 'a[b]', 'limit[]')),
        fc.oneof(stringValue, fc.constantFrom('-1', '1e309', '0', '1001', 'abc', '!!!', 'eyJ4IjoxfQ', Buffer.from('{"id":"\' or 1=1"}').toString('base64url'))),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'))}`).join('&'));

/** A path parameter, sent percent-encoded or raw (raw lets `../` and `%` through as they are). */
const paramValue = fc.oneof(
  stringValue.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))),
  fc.constantFrom('..', '../..', '%2e%2e', '%2F', '%00', '%ZZ', '%', 'a%ed%a0%80', '%c0%ae', '~', ';', 'a?b=c', 'a#b', '%20'),
  fc.uuid(),
);

const headersFor = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'multipart/form-data', 'application/xml', '', 'application/json; boundary=x', 'image/png', ';;;'),
    'if-match': fc.oneof(fc.constantFrom('*', '"1"', 'W/"1"', '"', '""', '"-1"', '"1e309"', '"abc"', 'garbage', '1'), fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))),
    'accept-language': fc.constantFrom('xx', 'ar;q=abc', '*', 'en-US,en;q=0.9', ''),
    accept: fc.constantFrom('text/csv', '*/*', 'application/pdf', 'garbage'),
  },
  { requiredKeys: [] },
);

const roleNames = ['anonymous', ...ROLES] as const;

test(`${RUNS} hostile requests across every OpenAPI operation and role answer without a 5xx, in the error format`, { timeout: 600_000 }, async () => {
  assert.ok(operations.length > 100, `expected the whole API in the OpenAPI document, found ${operations.length} operations`);
  const requestArb = fc
    .tuple(fc.integer({ min: 0, max: operations.length - 1 }), fc.constantFrom(...roleNames))
    .chain(([index, role]) => {
      const op = operations[index]!;
      return fc.record({
        op: fc.constant(op),
        role: fc.constant(role),
        params: fc.tuple(...op.params.map(() => paramValue)),
        query: queryFor(op),
        body: op.method === 'GET' || op.method === 'DELETE' ? fc.option(bodyFor(op), { nil: undefined, freq: 8 }) : bodyFor(op),
        headers: headersFor,
        csrf: fc.constantFrom('right', 'right', 'right', 'right', 'none', 'wrong'),
      });
    });

  console.log(`openapi fuzz: seed ${SEED}, ${RUNS} requests, ${operations.length} operations, ${roleNames.length} roles (incl. anonymous), database ${TEST_DB_KIND}`);
  const started = Date.now();
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  const seenOps = new Set<string>();
  const samples = fc.sample(requestArb, { seed: SEED, numRuns: RUNS });
  for (const [i, sample] of samples.entries()) {
    const { op, role, params, query, body, headers, csrf } = sample;
    let url = op.path;
    op.params.forEach((name, j) => {
      url = url.replace(`{${name}}`, () => params[j] || 'x');
    });
    if (query) url += `?${query}`;
    const client = clients.get(role) ?? null;
    const allHeaders: Record<string, string> = { ...headers };
    if (body === undefined) delete allHeaders['content-type'];
    if (client) {
      allHeaders.cookie = client.cookie;
      if (csrf !== 'none') allHeaders['x-csrf-token'] = csrf === 'right' ? client.csrfToken : 'not-the-token';
    }
    let response: LightMyRequestResponse;
    const where = `#${i} ${role} ${op.method} ${url.slice(0, 200)} body=${String(body).slice(0, 120)} headers=${JSON.stringify(headers)}`;
    try {
      response = await t.app.inject({ method: op.method as 'GET', url, headers: allHeaders, ...(body !== undefined ? { payload: body } : {}) });
    } catch (error) {
      failures.push(`${where}: inject threw ${(error as Error).message}`);
      continue;
    }
    seenOps.add(`${op.method} ${op.path}`);
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    const why = problem(response);
    if (why) failures.push(`${where}: ${why}: ${response.body.slice(0, 300)}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
  console.log(`openapi fuzz: seed ${SEED}: ${RUNS} requests to ${seenOps.size}/${operations.length} operations in ${seconds} s; statuses ${byStatus}; ${failures.length} failures`);
  // the app still answers after all that
  const health = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: clients.get('admin')!.cookie } });
  assert.ok(health.statusCode < 500, `the app still answers: ${health.statusCode}`);
  assert.deepEqual(failures.slice(0, 30), [], `seed ${SEED} (HOMEWARD_FUZZ_SEED=${SEED} to replay): ${failures.length} answers broke the contract`);
});
