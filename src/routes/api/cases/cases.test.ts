import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { jobDefinition } from '../../../jobs/registry.ts';
import { today } from '../../../registry/as-of.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix } from '../../../testing/matrix.ts';

let t: TestApp;
let coordinator: Client;
let tjk: Client;
let rus: Client;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
  return response.json().error as { code: string; message: string; details: { path: string; code?: string; message: string }[] };
}
let seq = 0;
async function person(body: Record<string, unknown> = {}): Promise<string> {
  seq++;
  const response = await coordinator.request('POST', '/api/v1/persons', {
    sex: 'female',
    birthDate: { precision: 'year', year: 2016 },
    names: [{ givenName: `Case${seq}`, familyName: 'Testova' }],
    nationalities: [{ countryCode: 'TJK' }],
    ...body,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}
const open = (members: { personId: string; role: string }[], kind = members.length > 1 ? 'family' : 'individual', countryCode = 'TJK') =>
  coordinator.request('POST', '/api/v1/cases', { countryCode, kind, members });
async function opened(members: { personId: string; role: string }[], kind?: string, countryCode?: string) {
  const response = await open(members, kind, countryCode);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}
const move = (id: string, to: string, body: Record<string, unknown> = {}, client = coordinator) => client.request('POST', `/api/v1/cases/${id}/transitions`, { to, ...body });
const read = async (id: string, client = coordinator) => {
  const response = await client.request('GET', `/api/v1/cases/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
};
const verify = (personId: string, country = 'TJK') => t.database.db.updateTable('person_nationalities').set({ status: 'verified' }).where('person_id', '=', personId).where('country_code', '=', country).execute();

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  rus = await signInNew(t, 'embassy', { countryCode: 'RUS' });
});
after(() => t.close());

describe('opening a case', () => {
  test('for one person or a family group, with a reference, in identification, with each member\'s verdict', async () => {
    const child = await person();
    const c = await opened([{ personId: child, role: 'child' }]);
    assert.match(c.reference, /^TJK-\d{4}-\d{4}$/);
    assert.equal(c.state, 'identification');
    assert.equal(c.members.length, 1);
    assert.equal(c.members[0].verdict.subject, 'child');
    assert.ok(c.members[0].verdict.criteria.some((k: { id: string; status: string }) => k.id === 'nationality_confirmed' && k.status === 'unknown'));
    assert.deepEqual(c.history.map((h: { transition: string }) => h.transition), ['open']);
  });

  test('bad input is named field by field; nobody is on two open cases', async () => {
    const a = await person();
    const b = await person();
    const bad = await coordinator.request('POST', '/api/v1/cases', { countryCode: 'tjk', kind: 'group', members: [] });
    const paths = assertError(bad, 400, 'invalid_input').details.map((d) => d.path);
    assert.ok(['body.countryCode', 'body.kind', 'body.members'].every((p) => paths.includes(p)), paths.join(' '));
    assertError(await open([{ personId: a, role: 'child' }, { personId: b, role: 'child' }], 'individual'), 400, 'invalid_input');
    assertError(await open([{ personId: a, role: 'child' }, { personId: a, role: 'child' }], 'family'), 400, 'invalid_input');
    const missing = assertError(await open([{ personId: UNKNOWN, role: 'child' }]), 400, 'invalid_input');
    assert.equal(missing.details[0]?.path, 'body.members.0.personId');
    assertError(await coordinator.request('POST', '/api/v1/cases', { countryCode: 'ZZZ', kind: 'individual', members: [{ personId: a, role: 'child' }] }), 400, 'invalid_input');
    const first = await opened([{ personId: a, role: 'child' }]);
    const twice = assertError(await open([{ personId: a, role: 'child' }]), 409, 'already_on_case');
    assert.match(twice.message, new RegExp(first.reference));
    assert.equal(twice.details[0]?.path, 'body.members.0.personId');
  });
});

describe('transitions through the machine', () => {
  test('each guard is checked against what is recorded, with a stable code', async () => {
    const stateless = await person({ nationalities: [] });
    const c = await opened([{ personId: stateless, role: 'child' }]);
    const noClaim = assertError(await move(c.id, 'nationality_verification'), 422, 'case_transition_guard_failed');
    assert.equal(noClaim.details[0]?.code, 'case_guard_nationality_claimed');
    assert.ok(c.transitions.some((x: { to: string; allowed: boolean; closedBecause: { guardCode?: string }[] }) => x.to === 'nationality_verification' && !x.allowed && x.closedBecause[0]?.guardCode === 'case_guard_nationality_claimed'), 'the closed transition says why');

    const child = await person();
    const d = await opened([{ personId: child, role: 'child' }]);
    assert.equal((await move(d.id, 'nationality_verification')).statusCode, 200);
    assert.equal(assertError(await move(d.id, 'assessment'), 422, 'case_transition_guard_failed').details[0]?.code, 'case_guard_nationality_confirmed');
    await verify(child);
    const assessed = await move(d.id, 'assessment');
    assert.equal(assessed.statusCode, 200, assessed.body);
    // Everything but clearances must hold before clearances are asked for: here guardian, consent, assurances… are missing.
    const early = assertError(await move(d.id, 'clearance'), 422, 'case_transition_guard_failed');
    assert.equal(early.details[0]?.code, 'case_guard_eligible_except_clearances');
    assert.ok(early.details.some((x) => x.path.endsWith('.guardian_identified')), early.details.map((x) => x.path).join(' '));
    assert.ok(!early.details.some((x) => x.path.includes('clearance_')), 'clearances are not asked for yet');
  });

  test('a transition not in the table is refused with a stable code; a role not in the table too', async () => {
    const c = await opened([{ personId: await person(), role: 'child' }]);
    assertError(await move(c.id, 'approved'), 409, 'case_transition_not_in_table');
    assertError(await move(c.id, 'departed'), 409, 'case_transition_not_in_table');
    assertError(await move(c.id, 'nationality_verification', {}, tjk), 403, 'case_transition_role_not_allowed');
    assertError(await move(c.id, 'identification'), 409, 'case_transition_not_in_table');
  });

  test('hold needs a reason and returns to the state it came from; reject and reopen keep the history', async () => {
    const c = await opened([{ personId: await person(), role: 'child' }]);
    assert.equal((await move(c.id, 'nationality_verification')).statusCode, 200);
    assert.equal(assertError(await move(c.id, 'on_hold'), 422, 'case_transition_guard_failed').details[0]?.code, 'case_guard_reason_given');
    const held = (await move(c.id, 'on_hold', { reason: 'the mission asked to wait for the census' })).json();
    assert.deepEqual([held.state, held.heldFrom], ['on_hold', 'nationality_verification']);
    assert.equal(assertError(await move(c.id, 'assessment'), 422, 'case_transition_guard_failed').details[0]?.code, 'case_guard_returns_to_held_state');
    const back = (await move(c.id, 'nationality_verification')).json();
    assert.deepEqual([back.state, back.heldFrom], ['nationality_verification', null]);
    const rejected = (await move(c.id, 'rejected', { reason: 'not a national after all' })).json();
    assert.equal(rejected.state, 'rejected');
    // A rejected case holds nobody: the person can be on a new case.
    const again = await opened([{ personId: rejected.members[0].personId, role: 'child' }]);
    assertError(await move(c.id, 'identification', { reason: 'new evidence' }), 409, 'already_on_case');
    assert.equal((await move(again.id, 'withdrawn', { reason: 'opened by mistake' })).statusCode, 200);
    const reopened = (await move(c.id, 'identification', { reason: 'new evidence from the family' })).json();
    assert.equal(reopened.state, 'identification');
    assert.deepEqual(
      reopened.history.map((h: { transition: string }) => h.transition),
      ['open', 'start_verification', 'hold', 'resume', 'reject', 'reopen'],
    );
    assert.equal(reopened.history[2].reason, 'the mission asked to wait for the census');
  });

  test('two simultaneous transitions: one wins, the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await opened([{ personId: await person(), role: 'child' }]);
      const answers = await Promise.all([move(c.id, 'nationality_verification', { from: 'identification' }), move(c.id, 'nationality_verification', { from: 'identification' })]);
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 409], answers.map((a) => a.body).join('\n'));
      const lost = answers.find((a) => a.statusCode === 409);
      assert.ok(['case_state_changed', 'case_transition_not_in_table'].includes(lost?.json().error.code), lost?.body);
      assert.equal((await read(c.id)).history.length, 2, 'one transition written');
    }
  });
});

describe('verdicts kept current', () => {
  test('the hourly job re-computes the stored verdicts computed for another day (an expiry, a birthday, a fact set outside the application), and only those', async () => {
    const child = await person();
    const c = await opened([{ personId: child, role: 'child' }]);
    const row = () => t.database.db.selectFrom('case_members').select(['eligibility', 'evaluated_at', 'evaluated_for']).where('case_id', '=', c.id).executeTakeFirstOrThrow();
    const stored = async () => ((await row()).eligibility as { criteria: { id: string; status: string }[] }).criteria.find((k) => k.id === 'nationality_confirmed')?.status;
    assert.equal(await stored(), 'unknown');
    assert.equal((await row()).evaluated_for, today(), 'computed for today when the case opened');
    await verify(child); // behind the application's back: no request re-computed it
    assert.equal(await stored(), 'unknown');
    // Computed today: today's verdict, left alone (a change through the application re-computes at once).
    const first = (await row()).evaluated_at;
    await jobDefinition('eligibility.refresh').handle(t.database.db);
    assert.equal(await stored(), 'unknown');
    assert.deepEqual((await row()).evaluated_at, first, 'a verdict computed for today is not computed again');
    // The next day: computed for yesterday, so re-computed from the facts as they are.
    await t.database.db.updateTable('case_members').set({ evaluated_for: sql<string>`(${today()}::date - 1)` }).where('case_id', '=', c.id).execute();
    await jobDefinition('eligibility.refresh').handle(t.database.db);
    assert.equal(await stored(), 'holds');
    assert.equal((await row()).evaluated_for, today());
    await jobDefinition('eligibility.refresh').handle(t.database.db);
    assert.equal(await stored(), 'holds', 'idempotent');
  });
});

describe('family cases', () => {
  test('a mother who cannot go leaves the case with a reason; her child then needs a best-interests determination', async () => {
    const mother = await person({ birthDate: { precision: 'year', year: 1990 }, names: [{ givenName: 'Malika', familyName: 'Testova' }] });
    const child = await person({ birthDate: { precision: 'year', year: 2017 } });
    const linked = await coordinator.request('POST', `/api/v1/persons/${child}/family-links`, { relativeId: mother, relation: 'mother' });
    assert.equal(linked.statusCode, 201, linked.body);
    const c = await opened([{ personId: mother, role: 'mother' }, { personId: child, role: 'child' }]);
    const before = c.members.find((m: { personId: string }) => m.personId === child).verdict.criteria.find((k: { id: string }) => k.id === 'best_interests');
    assert.equal(before.status, 'holds', 'going home with her mother: no determination needed');
    assertError(await coordinator.request('POST', `/api/v1/cases/${c.id}/members/${mother}/leave`, { reason: 'x' }, { 'if-match': `"${c.version + 1}"` }), 412, 'version_mismatch');
    const left = await coordinator.request('POST', `/api/v1/cases/${c.id}/members/${mother}/leave`, { reason: 'serving her sentence until 2031' }, { 'if-match': `"${c.version}"` });
    assert.equal(left.statusCode, 200, left.body);
    const after = left.json();
    const leaving = after.members.find((m: { personId: string }) => m.personId === mother);
    assert.equal(leaving.left.reason, 'serving her sentence until 2031');
    assert.equal(leaving.verdict, null, 'she is no longer weighed');
    const bi = after.members.find((m: { personId: string }) => m.personId === child).verdict.criteria.find((k: { id: string }) => k.id === 'best_interests');
    assert.notEqual(bi.status, 'holds', 'separated from her mother by going home: a determination is required');
    // She stays registered and can be on a case of her own.
    await opened([{ personId: mother, role: 'principal' }]);
    assertError(await coordinator.request('POST', `/api/v1/cases/${c.id}/members/${child}/leave`, { reason: 'x' }, { 'if-match': `"${after.version}"` }), 409, 'last_member');
  });
});

describe('who sees which case', () => {
  test('an embassy sees its own country\'s cases only, and its country view', async () => {
    const russian = await person({ nationalities: [{ countryCode: 'RUS' }] });
    const ours = await opened([{ personId: await person(), role: 'child' }]);
    const theirs = await opened([{ personId: russian, role: 'child' }], 'individual', 'RUS');
    assert.equal((await tjk.request('GET', `/api/v1/cases/${ours.id}`)).statusCode, 200);
    assertError(await tjk.request('GET', `/api/v1/cases/${theirs.id}`), 404, 'not_found');
    const list = (await tjk.request('GET', '/api/v1/cases?limit=500')).json().data as { countryCode: string }[];
    assert.ok(list.length > 0 && list.every((c) => c.countryCode === 'TJK'));
    assert.ok((await rus.request('GET', '/api/v1/cases?limit=500')).json().data.every((c: { countryCode: string }) => c.countryCode === 'RUS'));
    const view = await tjk.request('GET', '/api/v1/countries/TJK/eligibility');
    assert.equal(view.statusCode, 200, view.body);
    assert.ok(view.json().children.total >= 1);
    assert.equal(view.json().children.total, view.json().children.eligible + view.json().children.blocked);
    assertError(await tjk.request('GET', '/api/v1/countries/RUS/eligibility'), 404, 'not_found');
    // The embassy's checklist leaves out what its categories do not cover (legal, security).
    const page = await read(ours.id, tjk);
    const ids = page.members[0].verdict.criteria.map((k: { id: string }) => k.id);
    assert.ok(!ids.includes('no_pending_proceedings') && page.members[0].verdict.hiddenCriteria >= 2, ids.join(' '));
    assert.ok((await read(ours.id)).members[0].verdict.criteria.some((k: { id: string }) => k.id === 'no_pending_proceedings'), 'the coordinator sees every criterion');
  });

  test('reading a case with a child is audited; the board counts cases by state', async () => {
    const c = await opened([{ personId: await person(), role: 'child' }]);
    await read(c.id, tjk);
    const events = await t.database.db.selectFrom('audit_events').select(['action']).where('entity_id', '=', c.id).where('action', '=', 'case.read').execute();
    assert.equal(events.length, 1);
    const board = (await coordinator.request('GET', '/api/v1/cases/board?perState=2')).json();
    const identification = board.columns.find((col: { state: string }) => col.state === 'identification');
    assert.ok(identification.count >= 1 && identification.cases.length <= 2);
    assert.equal(board.columns.length, 12);
    const filtered = (await coordinator.request('GET', '/api/v1/cases?state=rejected')).json().data as { state: string }[];
    assert.ok(filtered.every((x) => x.state === 'rejected'));
    const paged = await coordinator.request('GET', '/api/v1/cases?limit=2');
    const next = await coordinator.request('GET', `/api/v1/cases?limit=2&cursor=${paged.json().nextCursor}`);
    assert.equal(next.statusCode, 200, next.body);
    assert.ok(!next.json().data.some((x: { id: string }) => paged.json().data.some((y: { id: string }) => y.id === x.id)));
  });

  test('the role × endpoint matrix covers every case route', async () => {
    const clients = new Map<Role, Client>();
    for (const role of ROLES) clients.set(role, await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {}));
    const readers = { coordinator: 200, judiciary: 200, custody: 200, security: 200, embassy: 200, child_protection: 200 } as const;
    await checkMatrix(clients, [
      { method: 'GET', url: '/api/v1/cases', allow: readers },
      { method: 'GET', url: '/api/v1/cases/board', allow: readers },
      { method: 'GET', url: `/api/v1/cases/${UNKNOWN}`, allow: { coordinator: 404, judiciary: 404, custody: 404, security: 404, embassy: 404, child_protection: 404 } },
      { method: 'POST', url: '/api/v1/cases', body: { countryCode: 'TJK', kind: 'individual', members: [{ personId: UNKNOWN, role: 'child' }] }, allow: { coordinator: 400 } },
      { method: 'POST', url: `/api/v1/cases/${UNKNOWN}/transitions`, body: { to: 'nationality_verification' }, allow: { coordinator: 404, embassy: 404 } },
      { method: 'POST', url: `/api/v1/cases/${UNKNOWN}/members`, body: { members: [{ personId: UNKNOWN, role: 'child' }] }, headers: { 'if-match': '"1"' }, allow: { coordinator: 404 } },
      { method: 'POST', url: `/api/v1/cases/${UNKNOWN}/members/${UNKNOWN}/leave`, body: { reason: 'x' }, headers: { 'if-match': '"1"' }, allow: { coordinator: 404 } },
      { method: 'GET', url: '/api/v1/countries/TJK/eligibility', allow: { coordinator: 200, embassy: 200 } },
    ]);
  });
});
