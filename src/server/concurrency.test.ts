import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { verifyAuditTrail } from '../audit/verify.ts';
import { addDays } from '../domain/birth-date.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../testing/app.ts';
import { TEST_DB_KIND } from '../testing/database.ts';

// Issue 8, concurrency: many clients at once making conflicting edits and transitions, in waves
// of parallel requests. Per version exactly one write wins; every other is answered 412 (its
// If-Match is stale) or 409 (the state changed under it, or a unique rule refused it) — never a
// 500, never a lost update, never a duplicate. At the end, counts: versions, history, audit trail.

const TODAY = new Date().toISOString().slice(0, 10);
const CLIENTS = 8;

let t: TestApp;
let clients: Client[];
let facilityId: string;
const totals = { operations: 0, winners: 0, conflicts: 0 };

const ok = (response: LightMyRequestResponse, status = 200) => {
  assert.equal(response.statusCode, status, response.body);
  return response.json();
};
const client = (i: number) => clients[i % clients.length]!;

/** Sends a wave at once; asserts one winner (`winners` statuses) and only 409/412 otherwise. */
async function wave(requests: (() => Promise<LightMyRequestResponse>)[], winStatus: number, expectWinners: number | null = 1) {
  const responses = await Promise.all(requests.map((r) => r()));
  totals.operations += responses.length;
  const winners = responses.filter((r) => r.statusCode === winStatus);
  const losers = responses.filter((r) => r.statusCode !== winStatus);
  for (const r of losers) assert.ok(r.statusCode === 409 || r.statusCode === 412, `a non-winner answered ${r.statusCode}: ${r.body}`);
  if (expectWinners !== null) assert.equal(winners.length, expectWinners, `winners of a wave of ${responses.length}`);
  totals.winners += winners.length;
  totals.conflicts += losers.length;
  return { winners, losers };
}

async function newPerson(n: number): Promise<string> {
  return ok(
    await client(n).request('POST', '/api/v1/persons', {
      sex: n % 2 ? 'female' : 'male',
      birthDate: { precision: 'year', year: 1980 + (n % 20) },
      names: [{ fullName: `Concurrent Person ${n}` }],
      nationalities: [{ countryCode: 'TJK' }],
      custody: { facilityId, admittedOn: addDays(TODAY, -100) },
    }),
    201,
  ).id as string;
}

const count = async (table: 'audit_events' | 'case_transitions' | 'cases', where: (q: any) => any) =>
  Number((await where(t.database.db.selectFrom(table as 'cases').select((eb) => eb.fn.countAll().as('n'))).executeTakeFirstOrThrow()).n);

describe(`many clients at once (${TEST_DB_KIND})`, () => {
  before(async () => {
    t = await createTestApp();
    clients = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await signInNew(t, 'coordinator'));
    facilityId = ok(await clients[0]!.request('POST', '/api/v1/facilities', { name: 'Concurrency Facility', kind: 'camp', holdingAuthority: 'Test authority', countryCode: 'IRQ', capacity: 10_000 }), 201).id;
  });
  after(async () => {
    console.log(`concurrency (${TEST_DB_KIND}): ${totals.operations} operations, ${totals.winners} winners, ${totals.conflicts} conflicts (409/412), 0 errors`);
    await t?.close();
  });

  test('editing one person with the same If-Match: one winner per version, the rest 412/409, no update lost', async () => {
    const id = await newPerson(0);
    const read = await client(0).request('GET', `/api/v1/persons/${id}`);
    const start = Number(String(read.headers.etag).replaceAll('"', ''));
    const WAVES = 24;
    const PER_WAVE = 25;
    const notes: string[] = [];
    for (let w = 0; w < WAVES; w++) {
      const version = start + w;
      const { winners } = await wave(
        Array.from({ length: PER_WAVE }, (_, i) => () =>
          client(i).request('PATCH', `/api/v1/persons/${id}`, { vulnerability: { notes: `wave ${w} client ${i}` } }, { 'if-match': `"${version}"` }),
        ),
        200,
      );
      notes.push(winners[0]!.json().vulnerability?.notes ?? winners[0]!.json().welfare?.notes ?? '');
    }
    const row = await t.database.db.selectFrom('persons').select(['version', 'welfare_notes']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.version, start + WAVES, 'the version advanced exactly once per winner');
    assert.match(row.welfare_notes ?? '', new RegExp(`^wave ${WAVES - 1} client \\d+$`), 'the last winner’s change is the one kept');
    const updates = await count('audit_events', (q) => q.where('entity_id', '=', id).where('action', '=', 'person.updated'));
    assert.equal(updates, WAVES, 'one audit event per winning update');
  });

  test('transitions of one case from many clients: one succeeds per state, the rest 409', async () => {
    const person = await newPerson(1);
    const c = ok(await client(0).request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId: person, role: 'principal' }] }), 201);
    const WAVES = 12;
    const PER_WAVE = 20;
    for (let w = 0; w < WAVES; w++) {
      const hold = w % 2 === 0;
      await wave(
        Array.from({ length: PER_WAVE }, (_, i) => () =>
          // Half say which state they saw (409 case_state_changed), half do not (the machine's 409).
          client(i).request('POST', `/api/v1/cases/${c.id}/transitions`, hold ? { to: 'on_hold', reason: `wave ${w}`, ...(i % 2 ? { from: 'identification' } : {}) } : { to: 'identification', ...(i % 2 ? { from: 'on_hold' } : {}) }),
        ),
        200,
      );
    }
    const row = await t.database.db.selectFrom('cases').select(['state', 'version']).where('id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'identification');
    assert.equal(await count('case_transitions', (q) => q.where('case_id', '=', c.id)), 1 + WAVES, 'open, then exactly one transition per wave');
    assert.equal(await count('audit_events', (q) => q.where('entity_id', '=', c.id).where('action', '=', 'case.transitioned')), WAVES);
  });

  test('opening a case for the same person from many clients at once: exactly one case each', async () => {
    const PEOPLE = 10;
    const PER_PERSON = 16;
    const people = await Promise.all(Array.from({ length: PEOPLE }, (_, n) => newPerson(100 + n)));
    const before = await count('cases', (q) => q);
    for (const person of people) {
      await wave(
        Array.from({ length: PER_PERSON }, (_, i) => () => client(i).request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId: person, role: 'principal' }] })),
        201,
      );
    }
    assert.equal((await count('cases', (q) => q)) - before, PEOPLE, 'no case left behind by a refused opening');
    const members = await t.database.db
      .selectFrom('case_members')
      .select(['person_id', (eb) => eb.fn.countAll().as('n')])
      .where('person_id', 'in', people)
      .groupBy('person_id')
      .execute();
    assert.equal(members.length, PEOPLE);
    for (const m of members) assert.equal(Number(m.n), 1, 'one membership per person');
  });

  test('planning movements at once gives distinct references; adding the same people to many movements at once puts each on one', async () => {
    const PLANS = 60;
    const plans = await wave(
      Array.from({ length: PLANS }, (_, i) => () =>
        client(i).request('POST', '/api/v1/movements', { kind: 'transfer', mode: 'land', fromPlace: 'Camp', toPlace: 'Baghdad', departureDate: TODAY, capacity: 50, toFacilityId: facilityId }),
      ),
      201,
      PLANS,
    );
    const movements = plans.winners.map((r) => r.json() as { id: string; reference: string });
    assert.equal(new Set(movements.map((m) => m.reference)).size, PLANS, 'no duplicate reference');

    const PEOPLE = 12;
    const people = await Promise.all(Array.from({ length: PEOPLE }, (_, n) => newPerson(200 + n)));
    const SHARED = 15; // movements racing for each person
    for (const [p, person] of people.entries()) {
      await wave(
        Array.from({ length: SHARED }, (_, i) => () => client(i).request('POST', `/api/v1/movements/${movements[(p + i) % PLANS]!.id}/passengers`, { personIds: [person] })),
        200,
      );
    }
    const active = await t.database.db.selectFrom('movement_passengers').select(['person_id', (eb) => eb.fn.countAll().as('n')]).where('person_id', 'in', people).where('active', '=', true).groupBy('person_id').execute();
    assert.equal(active.length, PEOPLE);
    for (const a of active) assert.equal(Number(a.n), 1, 'each person on exactly one movement');

    // Locking the same manifest from many clients with the same version: one lock, one manifest kept as sent.
    const first = await t.database.db.selectFrom('movement_passengers').select('movement_id').where('person_id', '=', people[0]!).where('active', '=', true).executeTakeFirstOrThrow();
    const m = { id: first.movement_id };
    const onIt = await t.database.db.selectFrom('movement_passengers').select('person_id').where('movement_id', '=', m.id).where('active', '=', true).execute();
    for (const p of onIt) ok(await client(0).request('POST', `/api/v1/persons/${p.person_id}/fitness`, { assessedOn: TODAY, fit: true }), 201);
    const version = Number(String((await client(0).request('GET', `/api/v1/movements/${m.id}`)).headers.etag ?? (await client(0).request('GET', `/api/v1/movements/${m.id}`)).json().version).replaceAll('"', ''));
    await wave(Array.from({ length: 20 }, (_, i) => () => client(i).request('POST', `/api/v1/movements/${m.id}/lock`, undefined, { 'if-match': `"${version}"` })), 200);
    const locked = await t.database.db.selectFrom('movements').select(['status', 'sent_manifest_sha256']).where('id', '=', m.id).executeTakeFirstOrThrow();
    assert.equal(locked.status, 'manifest_locked');
    assert.ok(locked.sent_manifest_sha256);
    assert.equal(Number((await t.database.db.selectFrom('movement_events').select((eb) => eb.fn.countAll().as('n')).where('movement_id', '=', m.id).where('transition', '=', 'lock').executeTakeFirstOrThrow()).n), 1);
  });

  test('after it all: at least 1,000 operations, and the audit trail verifies', async () => {
    assert.ok(totals.operations >= 1000, `${totals.operations} operations`);
    const result = await verifyAuditTrail(t.database.db);
    assert.equal(result.ok, true, result.problem ?? '');
  });
});
