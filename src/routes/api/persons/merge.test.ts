import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { verifyAuditTrail } from '../../../audit/verify.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix } from '../../../testing/matrix.ts';

let t: TestApp;
let coordinator: Client;
let judge: Client;
let facilityId: string;
const TODAY = new Date().toISOString().slice(0, 10);

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
}
async function register(body: Record<string, unknown>): Promise<string> {
  const response = await coordinator.request('POST', '/api/v1/persons', body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}
const page = async (id: string) => {
  const response = await coordinator.request('GET', `/api/v1/persons/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
};
const merge = async (survivor: string, mergedId: string, reason = 'one girl registered in two facilities', version?: number) =>
  coordinator.request('POST', `/api/v1/persons/${survivor}/merge`, { mergedId, reason }, { 'if-match': `"${version ?? (await page(survivor)).version}"` });
const markDuplicate = (id: string, of: string) => t.database.db.updateTable('persons').set({ duplicate_of: of }).where('id', '=', id).execute();

let mother: string;
let first: string;
let second: string;

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  judge = await signInNew(t, 'judiciary');
  const facility = await coordinator.request('POST', '/api/v1/facilities', { name: 'Merge Test Facility', kind: 'juvenile_facility', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 50 });
  assert.equal(facility.statusCode, 201, facility.body);
  facilityId = facility.json().id;
  mother = await register({ sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ givenName: 'Малика', familyName: 'Курбанова' }], nationalities: [{ countryCode: 'TJK' }] });
  // The same girl, registered twice: in Cyrillic by the mother's facility, in Arabic by another.
  first = await register({
    sex: 'female',
    birthDate: { precision: 'year', year: 2017 },
    names: [{ givenName: 'Зарина', familyName: 'Курбанова' }],
    nationalities: [{ countryCode: 'TJK' }],
    custody: { facilityId, admittedOn: TODAY },
  });
  second = await register({
    sex: 'female',
    birthDate: { precision: 'exact', date: '2017-04-12' },
    names: [{ givenName: 'زرينة', familyName: 'قربانوفا' }],
    nationalities: [{ countryCode: 'TJK' }, { countryCode: 'UZB' }],
    vulnerability: { unaccompanied: true },
  });
  for (const child of [first, second]) {
    const linked = await coordinator.request('POST', `/api/v1/persons/${child}/family-links`, { relativeId: mother, relation: 'mother' });
    assert.equal(linked.statusCode, 201, linked.body);
  }
  const doc = await coordinator.request('POST', `/api/v1/persons/${second}/documents`, { kind: 'birth_certificate', countryCode: 'TJK', number: 'II-TJ 0012345' });
  assert.equal(doc.statusCode, 201, doc.body);
  const evidence = await coordinator.request('POST', `/api/v1/persons/${second}/evidence`, { kind: 'interview', observedOn: TODAY, supports: true, summary: 'consistent account' });
  assert.equal(evidence.statusCode, 201, evidence.body);
  const proceeding = await judge.request('POST', `/api/v1/persons/${second}/proceedings`, { charge: { code: 'membership' }, stage: 'investigation', verdict: 'pending', actDate: '2019-06-01' });
  assert.equal(proceeding.statusCode, 201, proceeding.body);
});
after(() => t.close());

describe('merging two registrations of one person', () => {
  test('only a pair confirmed as one person can be merged, by a deliberate request with a reason and the version', async () => {
    assertError(await merge(first, second), 409, 'not_confirmed_duplicate');
    await markDuplicate(second, first);
    const noReason = await coordinator.request('POST', `/api/v1/persons/${first}/merge`, { mergedId: second }, { 'if-match': `"${(await page(first)).version}"` });
    assertError(noReason, 400, 'invalid_input');
    assert.ok(noReason.json().error.details.some((d: { path: string }) => d.path === 'body.reason'), noReason.body);
    assertError(await coordinator.request('POST', `/api/v1/persons/${first}/merge`, { mergedId: second, reason: 'x' }), 400, 'invalid_input');
    assertError(await merge(first, second, 'stale', (await page(first)).version + 1), 412, 'version_mismatch');
    assertError(await merge(first, first), 400, 'invalid_input');
  });

  test('refused while both records are held somewhere: custody must say which episode is wrong', async () => {
    const admitted = await coordinator.request('POST', `/api/v1/persons/${second}/custody`, { facilityId, admittedOn: TODAY });
    assert.equal(admitted.statusCode, 204, admitted.body);
    assertError(await merge(first, second), 409, 'held_twice');
    const released = await coordinator.request('POST', `/api/v1/persons/${second}/custody/release`, { releasedOn: TODAY, reason: 'other' });
    assert.equal(released.statusCode, 204, released.body);
  });

  test('everything moves to the record that stays; the merged one is kept as history and points to it', async () => {
    const before = await page(first);
    const response = await merge(first, second);
    assert.equal(response.statusCode, 200, response.body);
    const survivor = response.json();
    assert.equal(survivor.version, before.version + 1);
    const names = survivor.names.map((n: { fullName: string; kind: string }) => `${n.kind}:${n.fullName}`);
    assert.ok(names.includes('primary:Зарина Курбанова') && names.includes('alias:زرينة قربانوفا'), names.join(', '));
    assert.deepEqual(survivor.nationalities.map((n: { countryCode: string }) => n.countryCode).sort(), ['TJK', 'UZB']);
    assert.equal(survivor.documents.length, 1);
    assert.equal(survivor.evidence.length, 1);
    assert.equal(survivor.proceedings.length, 1);
    assert.equal(survivor.custody.length, 2, 'both custody histories');
    assert.equal(survivor.vulnerability.unaccompanied, true, 'a protective flag of either record is kept');
    assert.equal(survivor.family.filter((f: { relation: string }) => f.relation === 'mother').length, 1, 'one mother, not two links to her');
    assert.deepEqual(survivor.mergedFrom.map((m: { id: string }) => m.id), [second]);
    assert.equal(survivor.duplicateOf, null);
    assert.deepEqual([survivor.birthDate.precision, survivor.birthDate.earliest], ['exact', '2017-04-12'], 'the more precise birth date, inside the survivor\'s year, is kept');

    const merged = await page(second);
    assert.equal(merged.mergedInto, first);
    assert.deepEqual(merged.allowedActions, []);
    assert.ok(merged.names.some((n: { fullName: string }) => n.fullName === 'زرينة قربانوفا'), 'the merged record keeps its own names');
    const motherPage = await page(mother);
    assert.deepEqual(motherPage.family.filter((f: { relation: string }) => f.relation === 'child').map((f: { relative: { id: string } }) => f.relative.id), [first]);
  });

  test('the merged record leaves the search and cannot be changed; the survivor is found by either name', async () => {
    const found = await coordinator.request('GET', `/api/v1/persons?q=${encodeURIComponent('زرينة')}`);
    assert.deepEqual(found.json().data.map((p: { id: string }) => p.id), [first]);
    assertError(await coordinator.request('POST', `/api/v1/persons/${second}/names`, { kind: 'alias', fullName: 'Zarina Qurbonova' }), 409, 'merged');
    assertError(await coordinator.request('PATCH', `/api/v1/persons/${second}`, { sex: 'unknown' }, { 'if-match': `"${(await page(second)).version}"` }), 409, 'merged');
    assertError(await merge(first, second), 409, 'already_merged');
  });

  test('the merge is audited on both records, with the reason, and the trail verifies', async () => {
    const events = await t.database.db
      .selectFrom('audit_events as e')
      .innerJoin('audit_values as v', 'v.event_id', 'e.id')
      .select(['e.action', 'e.entity_id', 'v.data'])
      .where('e.action', 'in', ['person.merged', 'person.merged_into'])
      .execute();
    assert.deepEqual(events.map((e) => `${e.action}:${e.entity_id}`).sort(), [`person.merged:${first}`, `person.merged_into:${second}`].sort());
    assert.ok(events.every((e) => (e.data as { reason?: string }).reason === 'one girl registered in two facilities'), JSON.stringify(events));
    assert.equal((await verifyAuditTrail(t.database.db)).ok, true);
  });

  test('only the coordinator may merge', async () => {
    const clients = new Map<Role, Client>();
    for (const role of ROLES) clients.set(role, await signInNew(t, role));
    const UNKNOWN = '00000000-0000-4000-8000-000000000000';
    await checkMatrix(clients, [
      { method: 'POST', url: `/api/v1/persons/${UNKNOWN}/merge`, body: { mergedId: first, reason: 'no such record' }, headers: { 'if-match': '"1"' }, allow: { coordinator: 404 } },
    ]);
  });
});
