import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addDays } from '../../../domain/birth-date.ts';
import { verifyAuditTrail } from '../../../audit/verify.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix, type MatrixRow } from '../../../testing/matrix.ts';

let t: TestApp;
let coordinator: Client;
let tjk: Client;
let rus: Client;
const TODAY = new Date().toISOString().slice(0, 10);

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
  return response.json().error as { message: string; details: { path: string; message: string }[] };
}

let seq = 0;
async function person(nationalities: string[], extra: Record<string, unknown> = {}): Promise<string> {
  seq += 1;
  const response = await coordinator.request('POST', '/api/v1/persons', {
    sex: 'male',
    birthDate: { precision: 'year', year: 2016 },
    names: [{ givenName: `Verif${seq}`, familyName: 'Test' }],
    nationalities: nationalities.map((countryCode) => ({ countryCode, status: 'claimed' })),
    ...extra,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}
const send = (body: Record<string, unknown>, client = coordinator) => client.request('POST', '/api/v1/verification-requests', body);
const answer = (id: string, body: Record<string, unknown>, client = tjk) => client.request('POST', `/api/v1/verification-requests/${id}/answers`, body);
const nationalityOf = async (id: string, code: string) =>
  ((await coordinator.request('GET', `/api/v1/persons/${id}`)).json().nationalities as { countryCode: string; status: string }[]).find((n) => n.countryCode === code)?.status;

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  rus = await signInNew(t, 'embassy', { countryCode: 'RUS' });
});
after(() => t.close());

describe('missions', () => {
  test('the coordinator records a mission; changing it needs the version read; an embassy reads only its own', async () => {
    const created = await coordinator.request('PUT', '/api/v1/missions/TJK', { residency: 'non_resident', accreditedFrom: 'Embassy in Amman', phone: '+962 6 000 0000', contactName: 'Consul' });
    assert.equal(created.statusCode, 200, created.body);
    assert.equal(created.json().version, 1);
    assertError(await coordinator.request('PUT', '/api/v1/missions/TJK', { residency: 'resident' }), 412, 'version_required');
    const changed = await coordinator.request('PUT', '/api/v1/missions/TJK', { residency: 'resident', address: 'Baghdad' }, { 'if-match': '"1"' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual([changed.json().residency, changed.json().accreditedFrom, changed.json().version], ['resident', null, 2]);
    assertError(await coordinator.request('PUT', '/api/v1/missions/TJK', { residency: 'resident' }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    assertError(await coordinator.request('PUT', '/api/v1/missions/RUS', { residency: 'resident', accreditedFrom: 'Amman' }), 400, 'invalid_input');
    assert.equal((await coordinator.request('PUT', '/api/v1/missions/RUS', { residency: 'resident' })).statusCode, 200);
    assert.deepEqual((await tjk.request('GET', '/api/v1/missions')).json().data.map((m: { countryCode: string }) => m.countryCode), ['TJK']);
    assertError(await tjk.request('GET', '/api/v1/missions/RUS'), 404, 'not_found');
    assertError(await tjk.request('PUT', '/api/v1/missions/TJK', { residency: 'resident' }), 403, 'forbidden');
  });
});

describe('verification requests', () => {
  test('the coordinator sends a list; the embassy sees it in its queue and answers person by person; the nationality follows', async () => {
    const [a, b, c] = [await person(['TJK']), await person(['TJK', 'RUS']), await person(['TJK'])];
    const sent = await send({ countryCode: 'TJK', personIds: [a, b, c, a], dueOn: addDays(TODAY, 30), note: 'Children held in Baghdad' });
    assert.equal(sent.statusCode, 201, sent.body);
    const request = sent.json();
    assert.deepEqual([request.total, request.settled, request.overdue, request.answeredAt], [3, 0, false, null]);

    const queue = (await tjk.request('GET', '/api/v1/verification-requests?state=open')).json().data;
    assert.ok(queue.some((r: { id: string }) => r.id === request.id));
    assert.deepEqual((await rus.request('GET', '/api/v1/verification-requests')).json().data, [], 'the Russian embassy sees no Tajik request');
    assertError(await rus.request('GET', `/api/v1/verification-requests/${request.id}`), 404, 'not_found');

    const seen = (await tjk.request('GET', `/api/v1/verification-requests/${request.id}`)).json();
    assert.equal(seen.items.length, 3);
    assert.deepEqual(Object.keys(seen.items[0].person).sort(), ['age', 'birthDate', 'displayName', 'id', 'kind', 'latinName', 'sex'], 'identity only');

    const first = await answer(request.id, { personId: a, answer: 'confirmed', evidence: 'Found in the civil register of Dushanbe' });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(await nationalityOf(a, 'TJK'), 'verified');
    assert.equal((await answer(request.id, { personId: b, answer: 'not_national' })).statusCode, 200);
    assert.equal(await nationalityOf(b, 'TJK'), 'rejected');
    assert.equal(await nationalityOf(b, 'RUS'), 'claimed', 'another nationality is untouched');
    assertError(await tjk.request('GET', `/api/v1/persons/${b}`), 404, 'not_found');

    const more = (await answer(request.id, { personId: c, answer: 'more_information', evidence: 'Send the mother’s name' })).json();
    assert.equal(more.answeredAt, null, 'more information keeps the request open');
    assert.equal(await nationalityOf(c, 'TJK'), 'claimed');
    const done = (await answer(request.id, { personId: c, answer: 'confirmed' })).json();
    assert.ok(done.answeredAt, 'everyone settled: the request is answered');
    assertError(await answer(request.id, { personId: a, answer: 'not_national' }), 409, 'already_answered');
    assert.ok((await coordinator.request('GET', '/api/v1/verification-requests?state=answered')).json().data.some((r: { id: string }) => r.id === request.id));
    assert.deepEqual((await verifyAuditTrail(t.database.db)).ok, true);
  });

  test('withheld people and people who do not claim the nationality cannot be sent; nothing is sent then', async () => {
    const ok = await person(['TJK']);
    const withheld = await person(['TJK'], { withheldFromEmbassy: true });
    const russian = await person(['RUS']);
    const error = assertError(await send({ countryCode: 'TJK', personIds: [ok, withheld, russian], dueOn: addDays(TODAY, 10) }), 422, 'not_verifiable');
    assert.deepEqual(error.details.map((d) => d.path), ['body.personIds.1', 'body.personIds.2']);
    assert.match(error.details[0]?.message ?? '', /withheld/);
    const queue = (await tjk.request('GET', '/api/v1/verification-requests')).json().data as { total: number }[];
    assert.ok(!queue.some((r) => r.total === 1), 'no request was made');
    assertError(await send({ countryCode: 'TJK', personIds: [ok], dueOn: addDays(TODAY, -1) }), 400, 'invalid_input');
    assertError(await send({ countryCode: 'TJK', personIds: [] , dueOn: addDays(TODAY, 1) }), 400, 'invalid_input');
  });

  test('an overdue request is listed as overdue until everyone is settled', async () => {
    const p = await person(['TJK']);
    const id = (await send({ countryCode: 'TJK', personIds: [p], dueOn: TODAY })).json().id as string;
    await t.database.db.updateTable('verification_requests').set({ due_on: addDays(TODAY, -3) }).where('id', '=', id).execute();
    const overdue = (await coordinator.request('GET', '/api/v1/verification-requests?state=overdue')).json().data as { id: string; overdue: boolean }[];
    assert.ok(overdue.some((r) => r.id === id && r.overdue));
    await answer(id, { personId: p, answer: 'confirmed' });
    const after = (await coordinator.request('GET', '/api/v1/verification-requests?state=overdue')).json().data as { id: string }[];
    assert.ok(!after.some((r) => r.id === id));
  });

  test('only the embassy of the request’s country answers; other roles may not send or see requests', async () => {
    const p = await person(['TJK']);
    const id = (await send({ countryCode: 'TJK', personIds: [p], dueOn: addDays(TODAY, 5) })).json().id as string;
    assertError(await answer(id, { personId: p, answer: 'confirmed' }, rus), 404, 'not_found');
    assertError(await answer(id, { personId: p, answer: 'confirmed' }, coordinator), 403, 'forbidden');
    const judge = await signInNew(t, 'judiciary');
    assertError(await judge.request('GET', '/api/v1/verification-requests'), 403, 'forbidden');
    assertError(await send({ countryCode: 'TJK', personIds: [p], dueOn: addDays(TODAY, 5) }, tjk), 403, 'forbidden');
    assertError(await answer(id, { personId: p, answer: 'maybe' }), 400, 'invalid_input');
    // A person withheld after the request was sent disappears from the embassy's view of it.
    await t.database.db.updateTable('persons').set({ withheld_from_embassy: true }).where('id', '=', p).execute();
    assert.equal((await tjk.request('GET', `/api/v1/verification-requests/${id}`)).json().items.length, 0);
    assertError(await answer(id, { personId: p, answer: 'confirmed' }), 404, 'not_found');
  });
});

describe('the role × endpoint matrix for missions and verification', () => {
  test('each role reaches only what it may use, and every route has a row', async () => {
    const clients = new Map<Role, Client>();
    for (const role of ROLES) clients.set(role, await signInNew(t, role)); // the embassy is Russia's
    const p = await person(['TJK']);
    const id = (await send({ countryCode: 'TJK', personIds: [p], dueOn: addDays(TODAY, 5) })).json().id as string;
    const UNKNOWN = '00000000-0000-4000-8000-000000000000';
    const rows: MatrixRow[] = [
      { method: 'GET', url: '/api/v1/missions', allow: { coordinator: 200, admin: 200, embassy: 200 } },
      { method: 'GET', url: '/api/v1/missions/export?format=csv', allow: { coordinator: 200, admin: 200, embassy: 200 } },
      { method: 'GET', url: '/api/v1/missions/TJK', allow: { coordinator: 200, admin: 200, embassy: 404 } },
      { method: 'PUT', url: '/api/v1/missions/KAZ', body: { residency: 'non_resident' }, allow: { coordinator: 200, admin: 412 } },
      { method: 'GET', url: '/api/v1/verification-requests', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET', url: '/api/v1/verification-requests/export?format=csv', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET', url: `/api/v1/verification-requests/${id}`, allow: { coordinator: 200, embassy: 404 } },
      { method: 'POST', url: '/api/v1/verification-requests', body: { countryCode: 'TJK', personIds: [UNKNOWN], dueOn: addDays(TODAY, 5) }, allow: { coordinator: 422 } },
      { method: 'POST', url: `/api/v1/verification-requests/${id}/answers`, body: { personId: p, answer: 'confirmed' }, allow: { embassy: 404 } },
    ];
    await checkMatrix(clients, rows);
    const routes = t.app.routeTable.filter((r) => /^\/api\/v1\/(missions|verification-requests)\b/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    const covered = new Set(rows.map((r) => `${r.method} ${r.url.replace(/\?.*$/, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/missions\/[A-Z]{3}$/, 'missions/:countryCode')}`));
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });
});
