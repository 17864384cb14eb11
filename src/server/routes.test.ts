import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROLES } from '../domain/roles.ts';
import { type Client, clientsByRole, createTestApp, type TestApp } from '../testing/app.ts';
import { checkMatrix } from '../testing/matrix.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t.close();
});

const PUBLIC_ROUTES = new Set(['GET /api/v1/health', 'POST /api/v1/auth/login', 'GET /api/v1/openapi.json']);

function registeredRoutes() {
  return t.app.routeTable;
}

describe('every API route', () => {
  test('declares an access policy', () => {
    const routes = registeredRoutes();
    assert.ok(routes.length >= 15, `found only ${routes.length} routes`);
    const missing = routes.filter((r) => !r.access || !['public', 'policy'].includes(r.access.kind)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, []);
    const publicOnes = routes.filter((r) => r.access.kind === 'public').map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(new Set(publicOnes), PUBLIC_ROUTES);
  });

  test('answers 401 in the error format without a session, except health, login and the OpenAPI document', async () => {
    const routes = registeredRoutes();
    for (const route of routes) {
      const url = route.url.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':role', 'admin');
      const response = await t.app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      const key = `${route.method} ${route.url}`;
      if (PUBLIC_ROUTES.has(key)) {
        assert.notEqual(response.statusCode, 401, key);
        continue;
      }
      assert.equal(response.statusCode, 401, `${key} answered ${response.statusCode}`);
      const body = response.json();
      assert.equal(typeof body.error.code, 'string', key);
      assert.equal(typeof body.error.message, 'string', key);
      assert.ok(Array.isArray(body.error.details), key);
    }
  });
});

describe('the OpenAPI document', () => {
  test('is served without login and describes the API', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const doc = response.json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/v1/auth/login'].post);
    assert.ok(doc.paths['/api/v1/users'].get);
  });
  test('has a browsable page at /api/docs without login', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/docs' });
    assert.ok([200, 302].includes(response.statusCode), String(response.statusCode));
  });
});

describe('the role × endpoint matrix', () => {
  let clients: Map<(typeof ROLES)[number], Client>;
  before(async () => {
    clients = await clientsByRole(t, ROLES);
  });
  test('each role reaches only what it may use', async () => {
    const everyone = Object.fromEntries(ROLES.map((r) => [r, 200]));
    await checkMatrix(clients, [
      { method: 'GET', url: '/api/v1/auth/session', allow: everyone },
      { method: 'GET', url: '/api/v1/countries?limit=5', allow: everyone },
      { method: 'GET', url: '/api/v1/agencies', allow: everyone },
      { method: 'GET', url: '/api/v1/api-tokens', allow: everyone },
      { method: 'GET', url: '/api/v1/users', allow: { admin: 200 } },
      { method: 'GET', url: '/api/v1/role-settings', allow: { admin: 200 } },
      { method: 'GET', url: '/api/v1/audit-events', allow: { auditor: 200 } },
      { method: 'POST', url: '/api/v1/audit-events/verify', allow: { auditor: 200 } },
      { method: 'POST', url: '/api/v1/agencies', body: { name: 'x', kind: 'judiciary' }, allow: { admin: 201 }, deny: 403 },
    ]);
  });
});
