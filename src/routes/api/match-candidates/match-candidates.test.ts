import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sweepCandidates } from '../../../commands/candidateFinder.ts';
import { registerPerson } from '../../../commands/personRegistrar.ts';
import { childNames, pickGiven, pickSurname, plannedBirth, yearsBefore } from '../../../demo/population.ts';
import { Random } from '../../../demo/random.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { jobDefinition } from '../../../jobs/registry.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix } from '../../../testing/matrix.ts';

let t: TestApp;
let coordinator: Client;
let rus: Client;
let tjk: Client;
const TODAY = new Date().toISOString().slice(0, 10);

interface Candidate {
  id: string;
  kind: string;
  status: string;
  probability: number;
  version: number;
  person: { id: string };
  other: { id: string } | null;
  tracingRequest: { id: string; status: string } | null;
  explanation: { text: string; fields: { field: string; weight: number; text: string }[] };
}

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
}

async function register(body: Record<string, unknown>): Promise<string> {
  const response = await coordinator.request('POST', '/api/v1/persons', body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}
const candidates = async (query: string, client = coordinator): Promise<Candidate[]> => {
  const response = await client.request('GET', `/api/v1/match-candidates?limit=500&${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
};
const decide = (c: Candidate, decision: 'confirm' | 'reject', client = coordinator, version = c.version) =>
  client.request('POST', `/api/v1/match-candidates/${c.id}/decision`, { decision, reason: `${decision} in a test` }, { 'if-match': `"${version}"` });

/** A background population like the demo's, so that the engine learns from more than the pairs under test. */
async function population(count: number) {
  const random = new Random('match-candidates-test');
  await t.database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < count; i++) {
      const country = random.pick(['RUS', 'TJK', 'AZE', 'KAZ', 'UZB']);
      const female = random.chance(0.5);
      const names = childNames(random, country, pickGiven(random, female), pickGiven(random, false), pickSurname(random, country), female);
      await registerPerson(
        tx,
        {
          sex: female ? 'female' : 'male',
          birthDate: plannedBirth(random, yearsBefore(TODAY, 14), yearsBefore(TODAY, 2)),
          names: names.map((n) => ({ ...n })),
          nationalities: [{ countryCode: country, status: 'claimed' }],
          vitalStatus: 'alive',
          withheldFromEmbassy: false,
        },
        { system: 'test' },
        TODAY,
      );
    }
  });
}

let tracingId: string;
let sought: string;
let firstCopy: string;
let secondCopy: string;

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  rus = await signInNew(t, 'embassy', { countryCode: 'RUS' });
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  await population(150);
  // A grandmother in Dagestan looks for «Магомед», recorded in Baghdad as «محمد» born about 2015.
  const filed = await rus.request('POST', '/api/v1/tracing-requests', {
    sought: { names: ['Магомед Исмаилов'], sex: 'male', birthDate: { precision: 'estimated', age: 10, onDate: '2025-06-01' }, fatherName: 'Рашид', lastKnownPlace: 'Mosul' },
    enquirer: { name: 'Патимат Исмаилова', relationship: 'grandmother', contact: '+7 900 000 00 00' },
  });
  assert.equal(filed.statusCode, 201, filed.body);
  tracingId = filed.json().id;
  sought = await register({ sex: 'male', birthDate: { precision: 'estimated', aboutYear: 2015 }, names: [{ givenName: 'محمد', fatherName: 'رشيد', familyName: 'إسماعيلوف' }], nationalities: [{ countryCode: 'RUS', status: 'claimed' }] });
  // The same girl registered twice, in two facilities, in two scripts.
  firstCopy = await register({ sex: 'female', birthDate: { precision: 'year', year: 2017 }, names: [{ givenName: 'Зарина', fatherName: 'Алишер', familyName: 'Курбанова' }], nationalities: [{ countryCode: 'TJK', status: 'claimed' }] });
  secondCopy = await register({ sex: 'female', birthDate: { precision: 'exact', date: '2017-04-12' }, names: [{ givenName: 'زرينة', fatherName: 'علي شير', familyName: 'قربانوفا' }], nationalities: [{ countryCode: 'TJK', status: 'claimed' }] });
  const report = await sweepCandidates(t.database.db);
});
after(() => t.close());

describe('the matching engine in the app', () => {
  test('registering a person and filing a tracing request queue a sweep, once per ten seconds', async () => {
    const jobs = await t.database.db.selectFrom('jobs').select(['dedupe_key']).where('kind', '=', 'matching.sweep').execute();
    assert.ok(jobs.length >= 1 && jobs.length <= 3, `${jobs.length} sweeps queued for four changes made together`);
  });

  test('the sweep is idempotent: a second run with no change in between changes nothing', async () => {
    const snapshot = async () =>
      (await t.database.db.selectFrom('match_candidates').select(['id', 'status', 'version', 'probability']).orderBy('id').execute()).map((c) => `${c.id}:${c.status}:${c.version}:${c.probability.toFixed(6)}`);
    const first = await snapshot();
    assert.ok(first.length > 0);
    await jobDefinition('matching.sweep').handle(t.database.db, {});
    assert.deepEqual(await snapshot(), first);
  });

  test('the sought child is proposed for the tracing request, with an explanation field by field', async () => {
    const found = (await candidates(`kind=tracing&tracingRequestId=${tracingId}`)).find((c) => c.person.id === sought);
    assert.ok(found, 'the Arabic registration is proposed for the Cyrillic request');
    assert.ok(found.probability >= 0.5);
    for (const field of ['given_name', 'family_name', 'father_name']) {
      assert.ok(found.explanation.fields.some((f) => f.field === field && f.weight > 0), `${field} counts for the pair:\n${found.explanation.text}`);
    }
    assert.ok(found.explanation.text.length > 20);
  });

  test('the same girl registered twice in two scripts is proposed as a duplicate', async () => {
    const pair = (await candidates('kind=duplicate')).find((c) => [c.person.id, c.other?.id].sort().join() === [firstCopy, secondCopy].sort().join());
    assert.ok(pair, 'the two registrations are proposed as one person');
  });

  test('an embassy sees only tracing candidates of its own requests, among its own nationals', async () => {
    assert.ok((await candidates('kind=tracing', rus)).some((c) => c.person.id === sought));
    assert.deepEqual(await candidates('kind=duplicate', rus), []);
    assert.deepEqual((await candidates('', tjk)).filter((c) => c.tracingRequest?.id === tracingId), []);
    assertError(await tjk.request('GET', `/api/v1/tracing-requests/${tracingId}`), 404, 'not_found');
  });

  test('a rejected pair is remembered and never proposed again; a confirmed one answers the request', async () => {
    const proposed = await candidates(`kind=tracing&tracingRequestId=${tracingId}`);
    const right = proposed.find((c) => c.person.id === sought) as Candidate;
    const others = proposed.filter((c) => c.person.id !== sought);
    for (const wrong of others) assert.equal((await decide(wrong, 'reject', rus)).statusCode, 200);
    const duplicate = (await candidates('kind=duplicate')).find((c) => c.person.id === firstCopy || c.person.id === secondCopy) as Candidate;
    assertError(await decide(duplicate, 'confirm', coordinator, duplicate.version + 1), 412, 'version_mismatch');
    assert.equal((await decide(duplicate, 'reject')).statusCode, 200);
    assertError(await decide(duplicate, 'confirm'), 409, 'already_decided');

    await sweepCandidates(t.database.db);
    const again = await candidates('kind=duplicate');
    assert.ok(!again.some((c) => c.id === duplicate.id), 'the rejected duplicate is not proposed again');
    assert.ok((await candidates('status=rejected')).some((c) => c.id === duplicate.id));

    const confirmed = await decide(right, 'confirm', rus);
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().tracingRequest.status, 'found');
    const request = (await rus.request('GET', `/api/v1/tracing-requests/${tracingId}`)).json();
    assert.deepEqual([request.status, request.foundPersonId], ['found', sought]);
    await sweepCandidates(t.database.db);
    assert.deepEqual(await candidates(`kind=tracing&tracingRequestId=${tracingId}`), [], 'a found request is matched no more');
  });

  test('confirming a duplicate marks the later registration; the pair then leaves the queue', async () => {
    const a = await register({ sex: 'male', birthDate: { precision: 'year', year: 2012 }, names: [{ givenName: 'Юсуф', fatherName: 'Давлат', familyName: 'Назаров' }], nationalities: [{ countryCode: 'TJK', status: 'claimed' }] });
    const b = await register({ sex: 'male', birthDate: { precision: 'year', year: 2012 }, names: [{ givenName: 'Yusuf', fatherName: 'Davlat', familyName: 'Nazarov' }], nationalities: [{ countryCode: 'TJK', status: 'claimed' }] });
    await sweepCandidates(t.database.db);
    const pair = (await candidates('kind=duplicate')).find((c) => [c.person.id, c.other?.id].sort().join() === [a, b].sort().join());
    assert.ok(pair, 'Юсуф Назаров and Yusuf Nazarov are proposed as one person');
    assert.equal((await decide(pair, 'confirm')).statusCode, 200);
    const later = await t.database.db.selectFrom('persons').select(['id', 'duplicate_of']).where('id', '=', b).executeTakeFirstOrThrow();
    assert.equal(later.duplicate_of, a);
    assert.equal((await coordinator.request('GET', `/api/v1/persons/${b}`)).json().duplicateOf, a, 'the person page says so');
    await sweepCandidates(t.database.db);
    assert.ok((await candidates('status=confirmed&kind=duplicate')).some((c) => c.id === pair.id));
    assert.ok(!(await candidates('kind=duplicate')).some((c) => c.person.id === b || c.other?.id === b));
  });

  test('tracing requests: bad input is named; only the coordinator and embassies may file; an embassy files for its own country', async () => {
    const bad = await rus.request('POST', '/api/v1/tracing-requests', { sought: { names: [] }, enquirer: { name: 'X' } });
    assert.equal(bad.statusCode, 400);
    const paths = (bad.json().error.details as { path: string }[]).map((d) => d.path);
    assert.ok(paths.includes('body.sought.names') && paths.includes('body.enquirer.relationship'), paths.join(' '));
    assertError(await rus.request('POST', '/api/v1/tracing-requests', { countryCode: 'TJK', sought: { names: ['A B'] }, enquirer: { name: 'C', relationship: 'aunt' } }), 403, 'forbidden');
    assertError(await coordinator.request('POST', '/api/v1/tracing-requests', { sought: { names: ['A B'] }, enquirer: { name: 'C', relationship: 'aunt' } }), 400, 'invalid_input');
    const judge = await signInNew(t, 'judiciary');
    assertError(await judge.request('GET', '/api/v1/tracing-requests'), 403, 'forbidden');
    const open = await coordinator.request('POST', '/api/v1/tracing-requests', { countryCode: 'KAZ', sought: { names: ['Айгерим'] }, enquirer: { name: 'Асель', relationship: 'aunt' } });
    assert.equal(open.statusCode, 201, open.body);
    const closed = await coordinator.request('POST', `/api/v1/tracing-requests/${open.json().id}/close`, { reason: 'the family found her' });
    assert.equal(closed.json().status, 'closed');
    assert.equal(closed.json().closed.reason, 'the family found her', 'the reason is kept and shown');
    assertError(await coordinator.request('POST', `/api/v1/tracing-requests/${open.json().id}/close`, { reason: 'again' }), 409, 'not_open');
  });

  test('the role × endpoint matrix covers every tracing and candidate route', async () => {
    const clients = new Map<Role, Client>();
    for (const role of ROLES) clients.set(role, await signInNew(t, role));
    const UNKNOWN = '00000000-0000-4000-8000-000000000000';
    const rows = [
      { method: 'GET' as const, url: '/api/v1/tracing-requests', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET' as const, url: '/api/v1/tracing-requests/export?format=csv', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET' as const, url: `/api/v1/tracing-requests/${UNKNOWN}`, allow: { coordinator: 404, embassy: 404 } },
      { method: 'POST' as const, url: '/api/v1/tracing-requests', body: { countryCode: 'ZZZ', sought: { names: ['A'] }, enquirer: { name: 'B', relationship: 'c' } }, allow: { coordinator: 400, embassy: 403 } },
      { method: 'POST' as const, url: `/api/v1/tracing-requests/${UNKNOWN}/close`, body: { reason: 'x' }, allow: { coordinator: 404, embassy: 404 } },
      { method: 'GET' as const, url: '/api/v1/match-candidates', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET' as const, url: '/api/v1/match-candidates/export?format=csv', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET' as const, url: `/api/v1/match-candidates/${UNKNOWN}`, allow: { coordinator: 404, embassy: 404 } },
      { method: 'POST' as const, url: `/api/v1/match-candidates/${UNKNOWN}/decision`, body: { decision: 'reject' }, headers: { 'if-match': '"1"' }, allow: { coordinator: 404, embassy: 404 } },
    ];
    await checkMatrix(clients, rows);
    const routes = t.app.routeTable.filter((r) => /^\/api\/v1\/(tracing-requests|match-candidates)\b/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    const covered = new Set(rows.map((r) => `${r.method} ${r.url.replace(UNKNOWN, ':id').replace(/\?.*$/, '')}`));
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });
});
