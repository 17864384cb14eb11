import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type World, UNKNOWN, casePage, childAtAssessment, clearAll, consentBody, criteria, criterion, daysAgo, ok, panels, readyForClearance, refused, register, setUp, transition, yearsAgo } from './fixtures.ts';

let w: World;
before(async () => {
  w = await setUp();
});
after(() => w.t.close());

const CLEARANCES = ['clearance_coordinator', 'clearance_judiciary', 'clearance_custody', 'clearance_security'];
const clear = (caseId: string, body: Record<string, unknown>, client = w.coordinator) => client.request('POST', `/api/v1/cases/${caseId}/clearances`, body);

describe('clearances', () => {
  test('four approvals hold; a denial fails; an approval past its validity is unknown (ask again); the latest decision counts', async () => {
    const f = await childAtAssessment(w);
    assert.deepEqual(Object.values(await criteria(w, f.caseId, f.childId, CLEARANCES)), ['unknown', 'unknown', 'unknown', 'unknown']);
    await clearAll(w, f, { validUntil: daysAgo(-90) });
    assert.deepEqual(Object.values(await criteria(w, f.caseId, f.childId, CLEARANCES)), ['holds', 'holds', 'holds', 'holds']);

    ok(await clear(f.caseId, { personId: f.childId, decision: 'deny', decidedOn: daysAgo(0), reasons: 'Screening not complete: a relative is under investigation' }, w.security), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'clearance_security'), 'fails');

    ok(await clear(f.caseId, { personId: f.childId, decision: 'approve', decidedOn: daysAgo(0), validUntil: daysAgo(0) }, w.security), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'clearance_security'), 'holds', 'a later approval replaces the denial');

    // Decided long ago, valid until last week: stale, ask again — unknown, not fails.
    const stale = await childAtAssessment(w);
    ok(await clear(stale.caseId, { personId: stale.childId, decision: 'approve_with_conditions', decidedOn: daysAgo(200), validUntil: daysAgo(7), conditions: ['escorted by a child-protection officer'] }, w.judiciary), 201);
    assert.equal(await criterion(w, stale.caseId, stale.childId, 'clearance_judiciary'), 'unknown');
    const shown = (await panels(w, stale.caseId)).members[0];
    assert.equal(shown.effectiveClearances.judiciary, 'expired');
    assert.equal(shown.effectiveClearances.security, 'missing');
    assert.deepEqual(shown.clearances.map((c: { conditions: string[]; current: boolean }) => [c.conditions, c.current]), [[['escorted by a child-protection officer'], true]]);
  });

  test('who sees what of a clearance: the embassy only each agency’s status; reasons only the coordinator and the agency that decided', async () => {
    const f = await childAtAssessment(w);
    ok(await clear(f.caseId, { personId: f.childId, decision: 'deny', decidedOn: daysAgo(1), reasons: 'Classified screening result' }, w.security), 201);
    ok(await clear(f.caseId, { personId: f.childId, decision: 'approve', decidedOn: daysAgo(1), reasons: 'No proceedings on record' }, w.judiciary), 201);

    const embassy = await w.embassy.request('GET', `/api/v1/cases/${f.caseId}/panels`);
    const seen = ok(embassy).members[0];
    assert.equal('clearances' in seen, false);
    assert.deepEqual(seen.effectiveClearances, { coordinator: 'missing', judiciary: 'approved', custody: 'missing', security: 'denied' });
    assert.ok(!embassy.body.includes('Classified') && !embassy.body.includes('No proceedings'));

    const reasonsSeen = async (client: typeof w.coordinator) =>
      Object.fromEntries((await panels(w, f.caseId, client)).members[0].clearances.map((c: { agency: string; reasons?: string }) => [c.agency, c.reasons ?? '(hidden)']));
    assert.deepEqual(await reasonsSeen(w.coordinator), { security: 'Classified screening result', judiciary: 'No proceedings on record' });
    assert.deepEqual(await reasonsSeen(w.security), { security: 'Classified screening result', judiciary: '(hidden)' });
    assert.deepEqual(await reasonsSeen(w.judiciary), { security: '(hidden)', judiciary: 'No proceedings on record' });
    assert.deepEqual(await reasonsSeen(w.protection), { security: '(hidden)', judiciary: '(hidden)' });
  });

  test('bad decisions are refused with the field named; the agency is the caller’s role', async () => {
    const f = await childAtAssessment(w);
    const base = { personId: f.childId, decision: 'approve', decidedOn: daysAgo(1) };
    refused(await clear(f.caseId, { ...base, decision: 'approve_with_conditions' }), 400, 'body.conditions');
    refused(await clear(f.caseId, { ...base, decision: 'approve_with_conditions', conditions: [] }), 400, 'body.conditions');
    refused(await clear(f.caseId, { ...base, conditions: ['x'] }), 400, 'body.conditions');
    refused(await clear(f.caseId, { ...base, decision: 'deny' }), 400, 'body.reasons');
    refused(await clear(f.caseId, { ...base, decision: 'deny', reasons: 'x', validUntil: daysAgo(-10) }), 400, 'body.validUntil');
    refused(await clear(f.caseId, { ...base, decidedOn: daysAgo(-1) }), 400, 'body.decidedOn');
    refused(await clear(f.caseId, { ...base, validUntil: daysAgo(2) }), 400, 'body.validUntil');
    refused(await clear(f.caseId, { ...base, decision: 'maybe' }), 400, 'body.decision');
    refused(await clear(f.caseId, { ...base, personId: f.motherId }), 400, 'body.personId');
    refused(await clear(f.caseId, { ...base, agency: 'security' }), 400, 'body.agency');
    for (const client of [w.embassy, w.protection]) refused(await clear(f.caseId, base, client), 403);
    refused(await clear(UNKNOWN, base), 404);
    ok(await clear(f.caseId, base, w.custody), 201);
    const rows = await w.t.database.db.selectFrom('clearances').select(['agency', 'decided_by']).where('case_id', '=', f.caseId).execute();
    assert.deepEqual(rows.map((r) => [r.agency, r.decided_by]), [['custody', w.custody.userId]]);
  });
});

describe('the adults’ criteria', () => {
  test('a non-refoulement concern fails the criterion; it is seen by coordinator, security and child protection only', async () => {
    const mother = await register(w, { birthDate: { precision: 'exact', date: yearsAgo(33) } });
    const { id: caseId } = ok(await w.coordinator.request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId: mother, role: 'principal' }] }), 201);
    assert.equal(await criterion(w, caseId, mother, 'no_non_refoulement_concern'), 'holds');
    const url = `/api/v1/persons/${mother}/non-refoulement`;
    ok(await w.security.request('PUT', url, { concern: true, note: 'Her husband’s family was prosecuted on return' }), 204);
    assert.equal(await criterion(w, caseId, mother, 'no_non_refoulement_concern'), 'fails');
    for (const client of [w.coordinator, w.security]) assert.deepEqual((await panels(w, caseId, client)).members[0].nonRefoulement, { concern: true, note: 'Her husband’s family was prosecuted on return' });
    for (const client of [w.embassy, w.judiciary]) {
      const response = await client.request('GET', `/api/v1/cases/${caseId}/panels`);
      assert.equal('nonRefoulement' in ok(response).members[0], false);
      assert.ok(!response.body.includes('prosecuted on return'));
    }
    refused(await w.coordinator.request('PUT', url, { concern: 'yes' }), 400, 'body.concern');
    refused(await w.coordinator.request('PUT', url, {}), 400, 'body.concern');
    refused(await w.embassy.request('PUT', url, { concern: false }), 403);
    refused(await w.coordinator.request('PUT', `/api/v1/persons/${UNKNOWN}/non-refoulement`, { concern: false }), 404);
    ok(await w.coordinator.request('PUT', url, { concern: false }), 204);
    assert.equal(await criterion(w, caseId, mother, 'no_non_refoulement_concern'), 'holds');
  });

  test('a transfer of sentence agreed by the home country satisfies the adults’ sentence criterion', async () => {
    const mother = await register(w, { birthDate: { precision: 'exact', date: yearsAgo(35) } });
    const { id: caseId } = ok(await w.coordinator.request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId: mother, role: 'principal' }] }), 201);
    const url = `/api/v1/cases/${caseId}/members/${mother}/transfer`;
    ok(await w.coordinator.request('PUT', url, { agreed: true }), 204);
    const page = await casePage(w, caseId);
    const sentence = page.members[0]?.verdict.criteria.find((c) => c.id === 'sentence_served_or_transfer_agreed');
    assert.deepEqual([sentence?.status, sentence?.message.code], ['holds', 'eligibility_transfer_agreed']);
    refused(await w.coordinator.request('PUT', url, { agreed: 'yes' }), 400, 'body.agreed');
    refused(await w.coordinator.request('PUT', `/api/v1/cases/${caseId}/members/${UNKNOWN}/transfer`, { agreed: true }), 404);
    refused(await w.judiciary.request('PUT', url, { agreed: false }), 403);
    ok(await w.coordinator.request('PUT', url, { agreed: false }), 204);
    assert.equal((await casePage(w, caseId)).members[0]?.verdict.criteria.find((c) => c.id === 'sentence_served_or_transfer_agreed')?.message.code, 'eligibility_no_conviction');
  });
});

describe('a coordinator moves a case from assessment to approved', () => {
  test('refused with the guard’s 422 and the failing criteria until every fact is recorded', async () => {
    const f = await childAtAssessment(w);
    const early = refused(await transition(w, f.caseId, 'clearance'), 422);
    assert.equal(early.code, 'case_transition_guard_failed');
    const blocking = early.details.map((d) => d.path).filter((p) => p.startsWith('eligibility.'));
    for (const id of ['guardian_identified', 'legal_assurances', 'consent', 'best_interests']) assert.ok(blocking.includes(`eligibility.${f.childId}.${id}`), `${id} not named: ${blocking.join(', ')}`);
    assert.ok(!blocking.some((p) => p.includes('clearance_')), 'the guard to clearance ignores clearances');

    const { guardianId } = await readyForClearance(w, f);
    assert.ok(guardianId);
    const [page] = (await casePage(w, f.caseId)).members;
    assert.deepEqual(
      page?.verdict.criteria.filter((c) => c.status !== 'holds').map((c) => c.id),
      CLEARANCES,
      'everything but the clearances holds',
    );
    ok(await transition(w, f.caseId, 'clearance'));

    const notYet = refused(await transition(w, f.caseId, 'approved'), 422);
    assert.deepEqual(notYet.details.map((d) => d.path).filter((p) => p.startsWith('eligibility.')).sort(), CLEARANCES.map((c) => `eligibility.${f.childId}.${c}`).sort());
    await clearAll(w, f);
    ok(await w.security.request('POST', `/api/v1/cases/${f.caseId}/clearances`, { personId: f.childId, decision: 'deny', decidedOn: daysAgo(0), reasons: 'new information' }), 201);
    const denied = refused(await transition(w, f.caseId, 'approved'), 422);
    assert.deepEqual(denied.details.map((d) => d.path).filter((p) => p.startsWith('eligibility.')), [`eligibility.${f.childId}.clearance_security`]);
    ok(await w.security.request('POST', `/api/v1/cases/${f.caseId}/clearances`, { personId: f.childId, decision: 'approve', decidedOn: daysAgo(0) }), 201);

    const approved = ok(await transition(w, f.caseId, 'approved'));
    assert.equal(approved.state, 'approved');
    assert.equal(approved.members[0].verdict.eligible, true);
    const stored = await w.t.database.db.selectFrom('case_members').select('eligible').where('case_id', '=', f.caseId).executeTakeFirstOrThrow();
    assert.equal(stored.eligible, 'true');

    // Facts keep changing after approval: a revocation shows at once.
    ok(await w.protection.request('POST', '/api/v1/consent-records', consentBody(f, 'revocation', daysAgo(0))), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'fails');
  });
});
