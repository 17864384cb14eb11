import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addDays, addYears } from '../../../domain/birth-date.ts';
import type { Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

let t: TestApp;
let coordinator: Client;
let custodyA: Client;
let custodyB: Client;
const facilities: Record<'A1' | 'A2' | 'B1', string> = { A1: '', A2: '', B1: '' };

const TODAY = new Date().toISOString().slice(0, 10);
const yearsAgo = (years: number) => addYears(TODAY, -years);
const daysAgo = (days: number) => addDays(TODAY, -days);

const signIn = (role: Role, agencyName?: string): Promise<Client> => signInNew(t, role, { agencyName });

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const error = response.json().error as { code: string; message: string; details: { path: string; message: string }[] };
  assert.equal(error.code, code, response.body);
  return error;
}

let seq = 0;
async function register(body: Record<string, unknown> = {}, client = coordinator): Promise<{ id: string; displayName: string }> {
  seq += 1;
  const response = await client.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'exact', date: yearsAgo(30) }, names: [{ fullName: `Family Test ${seq}` }], ...body });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}
const adultWoman = () => register({ sex: 'female', birthDate: { precision: 'exact', date: yearsAgo(32) } });
const adultMan = () => register({ sex: 'male', birthDate: { precision: 'exact', date: yearsAgo(35) } });
const child = (years = 6) => register({ sex: 'male', birthDate: { precision: 'exact', date: yearsAgo(years) } });

type FamilyEntry = { linkId: string; relation: string; verification: string; confidence: number; relative: { id: string; kind: string } };
async function familyOf(id: string, client = coordinator): Promise<FamilyEntry[]> {
  const response = await client.request('GET', `/api/v1/persons/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().family;
}
const relationsOf = async (id: string) => (await familyOf(id)).map((f) => `${f.relation}:${f.relative.id}`).sort();
const link = (personId: string, body: Record<string, unknown>, client = coordinator) => client.request('POST', `/api/v1/persons/${personId}/family-links`, body);
async function linked(personId: string, relativeId: string, relation: string): Promise<string> {
  const response = await link(personId, { relativeId, relation });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().linkId;
}

async function facility(id: string) {
  const response = await coordinator.request('GET', `/api/v1/facilities/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as { occupancy: number; capacity: number; overCapacity: boolean };
}
const admit = (personId: string, facilityId: string, admittedOn: string, client = coordinator) =>
  client.request('POST', `/api/v1/persons/${personId}/custody`, { facilityId, admittedOn });

before(async () => {
  t = await createTestApp();
  coordinator = await signIn('coordinator');
  custodyA = await signIn('custody', 'Corrective Directorate A');
  custodyB = await signIn('custody', 'Corrective Directorate B');
  for (const [key, client, capacity] of [['A1', custodyA, 1], ['A2', custodyA, 10], ['B1', custodyB, 10]] as const) {
    const response = await client.request('POST', '/api/v1/facilities', { name: `Facility ${key}`, kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity });
    assert.equal(response.statusCode, 201, response.body);
    facilities[key] = response.json().id;
  }
});
after(() => t.close());

describe('family links', () => {
  test('a mother linked from the child’s page shows on both pages, with how it was verified', async () => {
    const mother = await adultWoman();
    const son = await child();
    const response = await link(son.id, { relativeId: mother.id, relation: 'mother', verification: 'document', confidence: 0.9 });
    assert.equal(response.statusCode, 201, response.body);
    const { linkId } = response.json();
    const [fromChild] = await familyOf(son.id);
    assert.deepEqual({ ...fromChild, version: undefined }, { linkId, relation: 'mother', verification: 'document', confidence: 0.9, version: undefined, relative: { id: mother.id, displayName: mother.displayName, vitalStatus: 'alive', kind: 'adult', currentFacility: null } });
    const fromMother = await familyOf(mother.id);
    assert.equal(fromMother.length, 1);
    assert.deepEqual([fromMother[0]?.linkId, fromMother[0]?.relation, fromMother[0]?.relative.id, fromMother[0]?.relative.kind], [linkId, 'child', son.id, 'child']);
  });

  test('a child linked from the parent’s page: the parent’s sex decides mother or father', async () => {
    const mother = await adultWoman();
    const father = await adultMan();
    const daughter = await child(4);
    await linked(mother.id, daughter.id, 'child');
    await linked(father.id, daughter.id, 'child');
    assert.deepEqual(await relationsOf(daughter.id), [`father:${father.id}`, `mother:${mother.id}`].sort());
    assert.deepEqual(await relationsOf(mother.id), [`child:${daughter.id}`]);
    assert.deepEqual(await relationsOf(father.id), [`child:${daughter.id}`]);
    const other = await child(3);
    assertError(await link(other.id, { relativeId: mother.id, relation: 'father' }), 422, 'relation_contradicts_sex');
  });

  test('siblings, guardian ↔ ward and caregiver ↔ cared-for read the same from both sides', async () => {
    const [a, b] = [await child(5), await child(7)];
    await linked(a.id, b.id, 'sibling');
    assert.deepEqual(await relationsOf(a.id), [`sibling:${b.id}`]);
    assert.deepEqual(await relationsOf(b.id), [`sibling:${a.id}`]);
    assertError(await link(a.id, { relativeId: b.id, relation: 'sibling' }), 409, 'already_linked');
    const guardian = await adultMan();
    await linked(a.id, guardian.id, 'guardian');
    assert.deepEqual(await relationsOf(guardian.id), [`ward:${a.id}`]);
    assert.ok((await relationsOf(a.id)).includes(`guardian:${guardian.id}`));
    const carer = await adultWoman();
    await linked(carer.id, b.id, 'cared_for');
    assert.ok((await relationsOf(b.id)).includes(`caregiver:${carer.id}`));
  });

  test('a second mother is 422 parent_already_recorded, from either page', async () => {
    const [first, second] = [await adultWoman(), await adultWoman()];
    const son = await child();
    await linked(son.id, first.id, 'mother');
    const error = assertError(await link(son.id, { relativeId: second.id, relation: 'mother' }), 422, 'parent_already_recorded');
    assert.deepEqual(error.details.map((d) => d.path), ['body.relation']);
    assertError(await link(second.id, { relativeId: son.id, relation: 'child' }), 422, 'parent_already_recorded');
    assert.deepEqual(await relationsOf(son.id), [`mother:${first.id}`]);
    assert.deepEqual(await relationsOf(second.id), []);
  });

  test('a parent born after the child is 422 parent_not_older', async () => {
    const son = await child(8);
    const tooYoung = await register({ sex: 'female', birthDate: { precision: 'exact', date: yearsAgo(7) } });
    assertError(await link(son.id, { relativeId: tooYoung.id, relation: 'mother' }), 422, 'parent_not_older');
    assertError(await link(tooYoung.id, { relativeId: son.id, relation: 'child' }), 422, 'parent_not_older');
    assert.deepEqual(await relationsOf(son.id), []);
  });

  test('a person of unknown sex cannot be recorded as a parent: 422 sex_unknown', async () => {
    const unknown = await register({ sex: 'unknown' });
    const son = await child();
    const error = assertError(await link(unknown.id, { relativeId: son.id, relation: 'child' }), 422, 'sex_unknown');
    assert.match(error.message, /sex/);
    assert.deepEqual(await relationsOf(son.id), []);
  });

  test('a person is not their own relative; an unknown relative is 400', async () => {
    const someone = await adultWoman();
    assertError(await link(someone.id, { relativeId: someone.id, relation: 'sibling' }), 400, 'invalid_input');
    const error = assertError(await link(someone.id, { relativeId: '00000000-0000-4000-8000-000000000000', relation: 'sibling' }), 400, 'invalid_input');
    assert.deepEqual(error.details.map((d) => d.path), ['body.relativeId']);
    assertError(await link(someone.id, { relativeId: someone.id, relation: 'aunt' }), 400, 'invalid_input');
  });

  test('a mother’s page shows where each child is held, to roles that see custody only', async () => {
    const mother = await adultWoman();
    const held = await child(7);
    const free = await child(3);
    await linked(held.id, mother.id, 'mother');
    await linked(free.id, mother.id, 'mother');
    const created = await custodyA.request('POST', '/api/v1/facilities', { name: 'Juvenile Facility F', kind: 'juvenile_facility', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 10 });
    assert.equal(created.statusCode, 201, created.body);
    const juvenile = created.json().id as string;
    const admitted = await admit(held.id, juvenile, daysAgo(30));
    assert.ok(admitted.statusCode < 300, admitted.body);
    const where = Object.fromEntries((await familyOf(mother.id)).map((f) => [f.relative.id, (f.relative as { currentFacility?: unknown }).currentFacility]));
    assert.deepEqual(where, { [held.id]: { id: juvenile, name: 'Juvenile Facility F' }, [free.id]: null });
    const protection = await signIn('child_protection');
    const seenByProtection = await familyOf(held.id, protection);
    assert.ok(seenByProtection.length > 0);
    assert.ok(seenByProtection.every((f) => !('currentFacility' in f.relative)), 'child protection does not see custody');
  });

  test('DELETE /family-links/:pairId removes both directions', async () => {
    const mother = await adultWoman();
    const son = await child();
    const linkId = await linked(son.id, mother.id, 'mother');
    const removed = await coordinator.request('DELETE', `/api/v1/family-links/${linkId}?reason=${encodeURIComponent('recorded on the wrong child')}`);
    assert.equal(removed.statusCode, 204, removed.body);
    assert.deepEqual(await relationsOf(son.id), []);
    assert.deepEqual(await relationsOf(mother.id), []);
    const rows = await t.database.db.selectFrom('family_links').select('id').where('pair_id', '=', linkId).execute();
    assert.equal(rows.length, 0);
    assertError(await coordinator.request('DELETE', `/api/v1/family-links/${linkId}`), 404, 'not_found');
    await linked(son.id, (await adultWoman()).id, 'mother');
  });
});

describe('custody episodes', () => {
  test('admission, transfer and release: the current place and occupancy follow the episodes', async () => {
    const person = await adultWoman();
    assert.equal((await admit(person.id, facilities.A1, daysAgo(30))).statusCode, 204);
    let page = (await coordinator.request('GET', `/api/v1/persons/${person.id}`)).json();
    assert.deepEqual(page.currentFacility, { id: facilities.A1, name: 'Facility A1', kind: 'prison', since: daysAgo(30) });
    const a1 = await facility(facilities.A1);
    assert.deepEqual([a1.occupancy, a1.capacity, a1.overCapacity], [1, 1, false]);

    const second = await register({ custody: { facilityId: facilities.A1, admittedOn: daysAgo(20) } });
    assert.equal((await facility(facilities.A1)).occupancy, 2);
    assert.equal((await facility(facilities.A1)).overCapacity, true);
    const over = (await coordinator.request('GET', '/api/v1/facilities?overCapacity=true')).json().data.map((f: { id: string }) => f.id);
    assert.ok(over.includes(facilities.A1) && !over.includes(facilities.A2), JSON.stringify(over));

    // The custody officer of A sees both people in A's facilities and moves one of them.
    assertError(await admit(person.id, facilities.A1, daysAgo(10), custodyA), 409, 'already_held_there');
    assertError(await admit(person.id, facilities.A2, daysAgo(40), custodyA), 400, 'invalid_input');
    assert.equal((await admit(person.id, facilities.A2, daysAgo(10), custodyA)).statusCode, 204);
    page = (await coordinator.request('GET', `/api/v1/persons/${person.id}`)).json();
    assert.equal(page.currentFacility.id, facilities.A2);
    assert.deepEqual(
      page.custody.map((c: { facility: { id: string }; admittedOn: string; releasedOn: string | null; releaseReason: string | null }) => [c.facility.id, c.admittedOn, c.releasedOn, c.releaseReason]),
      [[facilities.A2, daysAgo(10), null, null], [facilities.A1, daysAgo(30), daysAgo(10), 'transferred']],
    );
    assert.deepEqual([(await facility(facilities.A1)).occupancy, (await facility(facilities.A1)).overCapacity, (await facility(facilities.A2)).occupancy], [1, false, 1]);

    const released = await custodyA.request('POST', `/api/v1/persons/${person.id}/custody/release`, { releasedOn: daysAgo(2), reason: 'released' });
    assert.equal(released.statusCode, 204, released.body);
    page = (await coordinator.request('GET', `/api/v1/persons/${person.id}`)).json();
    assert.equal(page.currentFacility, null);
    assert.deepEqual([page.custody[0].releasedOn, page.custody[0].releaseReason], [daysAgo(2), 'released']);
    assert.equal((await facility(facilities.A2)).occupancy, 0);
    assertError(await custodyA.request('GET', `/api/v1/persons/${person.id}`), 404, 'not_found');
    assertError(await coordinator.request('POST', `/api/v1/persons/${person.id}/custody/release`, { releasedOn: TODAY, reason: 'released' }), 409, 'not_in_custody');
    assert.equal((await coordinator.request('GET', `/api/v1/persons/${second.id}`)).json().currentFacility.id, facilities.A1);
  });

  test('a custody officer cannot admit to, or register in, another agency’s facility (403)', async () => {
    const held = await register({ custody: { facilityId: facilities.A1, admittedOn: daysAgo(5) } }, custodyA);
    assertError(await admit(held.id, facilities.B1, daysAgo(1), custodyA), 403, 'forbidden');
    assertError(await admit(held.id, facilities.A2, daysAgo(1), custodyB), 404, 'not_found');
    assertError(await custodyB.request('POST', `/api/v1/persons/${held.id}/custody/release`, { releasedOn: TODAY, reason: 'released' }), 404, 'not_found');
    const page = (await coordinator.request('GET', `/api/v1/persons/${held.id}`)).json();
    assert.equal(page.currentFacility.id, facilities.A1);
    assert.equal(page.custody.length, 1);
    assertError(
      await custodyA.request('POST', '/api/v1/persons', { sex: 'male', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: 'Elsewhere Man' }], custody: { facilityId: facilities.B1, admittedOn: TODAY } }),
      403,
      'forbidden',
    );
    const nowhere = assertError(await custodyA.request('POST', '/api/v1/persons', { sex: 'male', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: 'Nowhere Man' }] }), 400, 'invalid_input');
    assert.deepEqual(nowhere.details.map((d) => d.path), ['body.custody']);

    // When the coordinator moves the person to B's facility, A loses sight of them and B gains it.
    assert.equal((await admit(held.id, facilities.B1, TODAY)).statusCode, 204);
    assertError(await custodyA.request('GET', `/api/v1/persons/${held.id}`), 404, 'not_found');
    assert.equal((await custodyB.request('GET', `/api/v1/persons/${held.id}`)).statusCode, 200);
  });

  test('dates in the future are 400', async () => {
    const person = await adultMan();
    const admitted = assertError(await admit(person.id, facilities.A2, addDays(TODAY, 1)), 400, 'invalid_input');
    assert.deepEqual(admitted.details.map((d) => d.path), ['body.admittedOn']);
    assertError(await admit(person.id, facilities.A2, '2021-02-29'), 400, 'invalid_input');
    assertError(await admit(person.id, facilities.A2, yearsAgo(40)), 400, 'invalid_input');
    const registered = assertError(
      await coordinator.request('POST', '/api/v1/persons', { sex: 'male', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: 'Future Admission' }], custody: { facilityId: facilities.A2, admittedOn: addDays(TODAY, 3) } }),
      400,
      'invalid_input',
    );
    assert.deepEqual(registered.details.map((d) => d.path), ['body.custody.admittedOn']);
    assert.equal((await admit(person.id, facilities.A2, TODAY)).statusCode, 204);
    const release = assertError(await coordinator.request('POST', `/api/v1/persons/${person.id}/custody/release`, { releasedOn: addDays(TODAY, 1), reason: 'released' }), 400, 'invalid_input');
    assert.deepEqual(release.details.map((d) => d.path), ['body.releasedOn']);
    assert.equal((await facility(facilities.A2)).occupancy, 1);
  });
});
