import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

let t: TestApp;
let coordinator: Client;
let custodyF: Client;
let custodyG: Client;
let agencyF: string;
let agencyG: string;
const TODAY = new Date().toISOString().slice(0, 10);

const signIn = (role: Role, options: { displayName?: string; agencyName?: string } = {}): Promise<Client> => signInNew(t, role, options);

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = response.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code, response.body);
  return body.error as { code: string; message: string; details: { path: string; message: string }[] };
}

type Facility = { id: string; name: string; kind: string; capacity: number; occupancy: number; overCapacity: boolean; version: number; agency: { id: string; name: string } | null };
let seq = 0;
const body = (overrides: Record<string, unknown> = {}) => ({ name: `Facility ${++seq}`, kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 100, ...overrides });
async function created(overrides: Record<string, unknown> = {}, client = coordinator): Promise<Facility> {
  const response = await client.request('POST', '/api/v1/facilities', body(overrides));
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}
async function get(id: string): Promise<Facility> {
  const response = await coordinator.request('GET', `/api/v1/facilities/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}
async function list(query: string): Promise<Facility[]> {
  const response = await coordinator.request('GET', `/api/v1/facilities?limit=500&${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
}
async function hold(facilityId: string): Promise<string> {
  const response = await coordinator.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: `Held ${++seq}` }], custody: { facilityId, admittedOn: TODAY } });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}

before(async () => {
  t = await createTestApp();
  coordinator = await signIn('coordinator', { displayName: 'Noor Coordinator' });
  custodyF = await signIn('custody', { agencyName: 'Corrective Directorate F', displayName: 'Officer Faisal' });
  custodyG = await signIn('custody', { agencyName: 'Corrective Directorate G' });
  const agencies = await t.database.db.selectFrom('agencies').select(['id', 'name']).where('name', 'in', ['Corrective Directorate F', 'Corrective Directorate G']).execute();
  agencyF = agencies.find((a) => a.name.endsWith('F'))?.id ?? '';
  agencyG = agencies.find((a) => a.name.endsWith('G'))?.id ?? '';
});
after(() => t.close());

describe('registering facilities', () => {
  test('the coordinator registers one for an agency: 201 with occupancy 0, and it reads back the same', async () => {
    const facility = await created({ name: 'Women’s Correctional Facility No. 1', kind: 'prison', capacity: 400, agencyId: agencyF });
    assert.deepEqual({ ...facility, id: undefined }, {
      id: undefined, name: 'Women’s Correctional Facility No. 1', kind: 'prison', holdingAuthority: 'Ministry of Justice',
      agency: { id: agencyF, name: 'Corrective Directorate F' }, countryCode: 'IRQ', capacity: 400, occupancy: 0, overCapacity: false, version: 1,
    });
    const response = await coordinator.request('GET', `/api/v1/facilities/${facility.id}`);
    assert.deepEqual(response.json(), facility);
    assert.equal(response.headers.etag, '"1"');
    const audit = await t.database.db.selectFrom('audit_events').select(['action', 'actor_user_id']).where('entity_id', '=', facility.id).execute();
    assert.deepEqual(audit, [{ action: 'facility.created', actor_user_id: coordinator.userId }]);
  });

  test('a custody officer registers facilities of their own agency only', async () => {
    const own = await created({ kind: 'juvenile_facility' }, custodyF);
    assert.deepEqual(own.agency, { id: agencyF, name: 'Corrective Directorate F' });
    assertError(await custodyF.request('POST', '/api/v1/facilities', body({ agencyId: agencyG })), 403, 'forbidden');
    assert.equal((await created({ agencyId: agencyF }, custodyF)).agency?.id, agencyF);
    assert.equal((await created()).agency, null, 'the coordinator belongs to no agency: the facility has none unless named');
  });

  test('bad input is 400 naming the field; a taken name is 409, never 500', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ countryCode: 'ZZZ' }, 'body.countryCode'],
      [{ countryCode: 'irq' }, 'body.countryCode'],
      [{ capacity: -1 }, 'body.capacity'],
      [{ capacity: 2.5 }, 'body.capacity'],
      [{ kind: 'hotel' }, 'body.kind'],
      [{ name: '' }, 'body.name'],
      [{ warden: 'Ali' }, 'body.warden'],
      [{ agencyId: '00000000-0000-4000-8000-000000000000' }, 'body.agencyId'],
    ];
    for (const [overrides, path] of cases) {
      const error = assertError(await coordinator.request('POST', '/api/v1/facilities', body(overrides)), 400, 'invalid_input');
      assert.ok(error.details.some((d) => d.path === path), `${path}: ${JSON.stringify(error.details)}`);
    }
    await created({ name: 'Al-Hol Annex' });
    const taken = await coordinator.request('POST', '/api/v1/facilities', body({ name: 'Al-Hol Annex' }));
    assert.equal(taken.statusCode, 409, taken.body);
    assertError(await coordinator.request('GET', '/api/v1/facilities/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    assertError(await coordinator.request('GET', '/api/v1/facilities/nope'), 400, 'invalid_input');
  });
});

describe('listing facilities', () => {
  test('by name, page by page, every facility once', async () => {
    for (const name of ['Zakho Camp', 'Basra Central', 'Mosul Juvenile']) await created({ name });
    const whole = await list('');
    const names = whole.map((f) => f.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.indexOf('Basra Central') < names.indexOf('Mosul Juvenile') && names.indexOf('Mosul Juvenile') < names.indexOf('Zakho Camp'));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await coordinator.request('GET', `/api/v1/facilities?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(response.statusCode, 200, response.body);
      seen.push(...response.json().data.map((f: Facility) => f.id));
      cursor = response.json().nextCursor;
      assert.ok(++pages < 100);
    } while (cursor);
    assert.deepEqual(seen, whole.map((f) => f.id));
    assertError(await coordinator.request('GET', '/api/v1/facilities?cursor=abc'), 400, 'invalid_cursor');
  });

  test('filters by kind and by over-capacity', async () => {
    const camp = await created({ kind: 'camp', capacity: 1 });
    const prison = await created({ kind: 'prison', capacity: 5 });
    await hold(camp.id);
    await hold(camp.id);
    await hold(prison.id);
    const camps = await list('kind=camp');
    assert.ok(camps.length > 0 && camps.every((f) => f.kind === 'camp'));
    assert.ok(camps.some((f) => f.id === camp.id) && !camps.some((f) => f.id === prison.id));
    const over = await list('overCapacity=true');
    assert.ok(over.every((f) => f.occupancy > f.capacity && f.overCapacity));
    assert.deepEqual([over.some((f) => f.id === camp.id), over.some((f) => f.id === prison.id)], [true, false]);
    const within = await list('overCapacity=false');
    assert.ok(within.every((f) => f.occupancy <= f.capacity && !f.overCapacity));
    assert.deepEqual([within.some((f) => f.id === camp.id), within.some((f) => f.id === prison.id)], [false, true]);
    assertError(await coordinator.request('GET', '/api/v1/facilities?overCapacity=maybe'), 400, 'invalid_input');
  });
});

describe('occupancy and changes', () => {
  test('occupancy is counted from custody; lowering the capacity shows over-capacity', async () => {
    const facility = await created({ capacity: 3 }, custodyF);
    const people = [await hold(facility.id), await hold(facility.id)];
    assert.deepEqual([(await get(facility.id)).occupancy, (await get(facility.id)).overCapacity], [2, false]);
    const lowered = await custodyF.request('PATCH', `/api/v1/facilities/${facility.id}`, { capacity: 1 }, { 'if-match': '"1"' });
    assert.equal(lowered.statusCode, 200, lowered.body);
    assert.deepEqual([lowered.json().capacity, lowered.json().occupancy, lowered.json().overCapacity, lowered.json().version], [1, 2, true, 2]);
    const released = await coordinator.request('POST', `/api/v1/persons/${people[0]}/custody/release`, { releasedOn: TODAY, reason: 'repatriated' });
    assert.equal(released.statusCode, 204, released.body);
    assert.deepEqual([(await get(facility.id)).occupancy, (await get(facility.id)).overCapacity], [1, false]);
  });

  test('PATCH needs the current If-Match: stale is 412 naming who changed it, missing is 400', async () => {
    const facility = await created({ agencyId: agencyF });
    const url = `/api/v1/facilities/${facility.id}`;
    const renamed = await custodyF.request('PATCH', url, { name: 'Renamed by Faisal' }, { 'if-match': '"1"' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'Renamed by Faisal');
    const stale = assertError(await coordinator.request('PATCH', url, { capacity: 5 }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    assert.match(stale.message, /by Officer Faisal\b/);
    assert.match(stale.message, new RegExp(`at ${TODAY}T`));
    const missing = assertError(await coordinator.request('PATCH', url, { capacity: 5 }), 400, 'invalid_input');
    assert.ok(missing.details.some((d) => d.path.includes('if-match')), JSON.stringify(missing.details));
    assertError(await coordinator.request('PATCH', url, { occupancy: 0 }, { 'if-match': '"2"' }), 400, 'invalid_input');
    assertError(await coordinator.request('PATCH', url, {}, { 'if-match': '"2"' }), 400, 'nothing_to_change');
    assertError(await coordinator.request('PATCH', '/api/v1/facilities/00000000-0000-4000-8000-000000000000', { capacity: 5 }, { 'if-match': '"1"' }), 404, 'not_found');
    const current = await get(facility.id);
    assert.deepEqual([current.name, current.capacity, current.version], ['Renamed by Faisal', 100, 2]);
  });

  test('a custody officer changes only their own agency’s facilities; the coordinator any', async () => {
    const facility = await created({ agencyId: agencyF });
    const url = `/api/v1/facilities/${facility.id}`;
    assertError(await custodyG.request('PATCH', url, { capacity: 1 }, { 'if-match': '"1"' }), 403, 'forbidden');
    const unowned = await created();
    assertError(await custodyF.request('PATCH', `/api/v1/facilities/${unowned.id}`, { capacity: 1 }, { 'if-match': '"1"' }), 403, 'forbidden');
    const byCoordinator = await coordinator.request('PATCH', url, { kind: 'camp', holdingAuthority: 'Autonomous Administration' }, { 'if-match': '"1"' });
    assert.equal(byCoordinator.statusCode, 200, byCoordinator.body);
    assert.deepEqual([byCoordinator.json().kind, byCoordinator.json().holdingAuthority, byCoordinator.json().version], ['camp', 'Autonomous Administration', 2]);
    const events = await t.database.db.selectFrom('audit_events').select('action').where('entity_id', '=', facility.id).orderBy('id').execute();
    assert.deepEqual(events.map((e) => e.action), ['facility.created', 'facility.updated']);
  });
});
