import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type MatrixRow, checkMatrix } from '../../../testing/matrix.ts';
import { type CaseFixture, type World, PDF, UNKNOWN, childAtAssessment, consentBody, daysAgo, determinationBody, ok, refused, setUp } from './fixtures.ts';

let w: World;
let f: CaseFixture;
let consentId: string;
let assuranceId: string;
before(async () => {
  w = await setUp();
  f = await childAtAssessment(w);
  consentId = ok(await w.protection.request('POST', '/api/v1/consent-records', consentBody(f)), 201).id;
  ok(await w.protection.request('POST', `/api/v1/consent-records/${consentId}/document`, PDF, { 'content-type': 'application/pdf' }), 204);
  assuranceId = ok(await w.coordinator.request('POST', `/api/v1/cases/${f.caseId}/assurances`, { type: 'no prosecution of children', givenOn: daysAgo(2), issuingAuthority: 'Prosecutor General' }), 201).id;
  ok(await w.coordinator.request('POST', `/api/v1/assurances/${assuranceId}/document`, PDF, { 'content-type': 'application/pdf' }), 204);
});
after(() => w.t.close());

const pdf = { 'content-type': 'application/pdf' };
const rows = (): MatrixRow[] => [
  { method: 'GET', url: `/api/v1/cases/${f.caseId}/panels`, allow: { coordinator: 200, judiciary: 200, custody: 200, security: 200, embassy: 200, child_protection: 200 } },
  { method: 'GET', url: `/api/v1/cases/${UNKNOWN}/panels`, allow: { coordinator: 404, judiciary: 404, custody: 404, security: 404, embassy: 404, child_protection: 404 } },
  { method: 'POST', url: '/api/v1/consent-records', body: consentBody(f), allow: { child_protection: 201, coordinator: 201 } },
  { method: 'POST', url: `/api/v1/consent-records/${consentId}/document`, body: PDF, headers: pdf, allow: { child_protection: 204, coordinator: 204 } },
  { method: 'GET', url: `/api/v1/consent-records/${consentId}/document`, allow: { child_protection: 200, coordinator: 200 } },
  { method: 'POST', url: `/api/v1/consent-records/${UNKNOWN}/void`, body: { reason: 'error' }, allow: { child_protection: 404, coordinator: 404 } },
  { method: 'POST', url: `/api/v1/persons/${UNKNOWN}/consent-exemptions`, body: { reason: 'court_order', recordedOn: daysAgo(1) }, allow: { child_protection: 404, coordinator: 404 } },
  { method: 'POST', url: `/api/v1/consent-exemptions/${UNKNOWN}/withdraw`, body: { reason: 'error' }, allow: { child_protection: 404, coordinator: 404 } },
  { method: 'POST', url: `/api/v1/persons/${f.childId}/guardians`, body: { fullName: 'Gulnora Rahimova', relation: 'grandparent' }, allow: { coordinator: 201, embassy: 201 } },
  { method: 'PATCH', url: `/api/v1/guardians/${UNKNOWN}`, body: { contact: 'x' }, headers: { 'if-match': '"1"' }, allow: { coordinator: 404, embassy: 404, child_protection: 404 } },
  { method: 'POST', url: `/api/v1/cases/${f.caseId}/assurances`, body: { type: 'schooling', givenOn: daysAgo(1), issuingAuthority: 'Ministry of Education' }, allow: { coordinator: 201, embassy: 201 } },
  { method: 'POST', url: `/api/v1/assurances/${assuranceId}/document`, body: PDF, headers: pdf, allow: { coordinator: 204, embassy: 204 } },
  { method: 'GET', url: `/api/v1/assurances/${assuranceId}/document`, allow: { coordinator: 200, embassy: 200 } },
  { method: 'POST', url: `/api/v1/assurances/${UNKNOWN}/withdraw`, body: { reason: 'error' }, allow: { coordinator: 404, embassy: 404 } },
  { method: 'POST', url: `/api/v1/persons/${f.childId}/best-interests-assessments`, body: { kind: 'short', assessedOn: daysAgo(1), summary: 'Matrix' }, allow: { child_protection: 201 } },
  { method: 'POST', url: `/api/v1/persons/${f.childId}/best-interests-determinations`, body: determinationBody(), allow: { child_protection: 201 } },
  { method: 'POST', url: `/api/v1/best-interests-determinations/${UNKNOWN}/review`, body: { reason: 'x' }, allow: { child_protection: 404 } },
  { method: 'POST', url: `/api/v1/best-interests-determinations/${UNKNOWN}/reopen`, body: { reason: 'x' }, allow: { child_protection: 404 } },
  { method: 'POST', url: `/api/v1/cases/${f.caseId}/clearances`, body: { personId: f.childId, decision: 'approve', decidedOn: daysAgo(1) }, allow: { coordinator: 201, judiciary: 201, custody: 201, security: 201 } },
  { method: 'PUT', url: `/api/v1/persons/${f.childId}/non-refoulement`, body: { concern: false }, allow: { coordinator: 204, security: 204, child_protection: 204 } },
  { method: 'PUT', url: `/api/v1/cases/${f.caseId}/members/${f.childId}/transfer`, body: { agreed: false }, allow: { coordinator: 204 } },
];

describe('the role × endpoint matrix of the case facts', () => {
  test('each role reaches only what it may use', async () => {
    await checkMatrix(w.clients, rows());
  });

  test('the matrix has a row for every case-facts route', () => {
    const pattern = (url: string) =>
      url
        .replace(/\/members\/[0-9a-f-]{36}\/transfer$/, '/members/:personId/transfer')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id');
    const covered = new Set(rows().map((r) => `${r.method} ${pattern(r.url)}`));
    const ours = w.t.app.routeTable
      .filter((r) => r.access.kind === 'policy' && r.access.resource === 'case-facts')
      .map((r) => `${r.method} ${r.url}`);
    assert.equal(ours.length, 20, ours.join(', '));
    assert.deepEqual(ours.filter((r) => !covered.has(r)), [], 'case-facts routes without a matrix row');
  });

  test('another country’s embassy sees nothing of the case: 404 everywhere', async () => {
    const rus = w.rusEmbassy;
    refused(await rus.request('GET', `/api/v1/cases/${f.caseId}`), 404);
    refused(await rus.request('GET', `/api/v1/cases/${f.caseId}/panels`), 404);
    refused(await rus.request('POST', `/api/v1/persons/${f.childId}/guardians`, { fullName: 'X', relation: 'other' }), 404);
    refused(await rus.request('POST', `/api/v1/cases/${f.caseId}/assurances`, { type: 'x', givenOn: daysAgo(1), issuingAuthority: 'y' }), 404);
    refused(await rus.request('POST', `/api/v1/assurances/${assuranceId}/document`, PDF, pdf), 404);
    refused(await rus.request('GET', `/api/v1/assurances/${assuranceId}/document`), 404);
    refused(await rus.request('POST', `/api/v1/assurances/${assuranceId}/withdraw`, { reason: 'x' }), 404);
    const guardian = await w.t.database.db.selectFrom('guardians').select(['id', 'version']).where('child_id', '=', f.childId).where('superseded_at', 'is', null).executeTakeFirstOrThrow();
    refused(await rus.request('PATCH', `/api/v1/guardians/${guardian.id}`, { contact: 'x' }, { 'if-match': `"${guardian.version}"` }), 404);
  });

  test('what each role sees on the panels: consent and guardian need family; content only child protection', async () => {
    const keysOf = async (client: typeof w.coordinator) => {
      const member = ok(await client.request('GET', `/api/v1/cases/${f.caseId}/panels`)).members[0];
      return { keys: Object.keys(member).sort(), content: 'content' in (member.bestInterests.determination ?? {}) };
    };
    const base = ['bestInterests', 'displayName', 'effectiveClearances', 'personId', 'role', 'subject'];
    assert.deepEqual(await keysOf(w.coordinator), { keys: [...base, 'clearances', 'consent', 'guardian', 'nonRefoulement'].sort(), content: false });
    assert.deepEqual(await keysOf(w.judiciary), { keys: [...base, 'clearances'].sort(), content: false });
    assert.deepEqual(await keysOf(w.custody), { keys: [...base, 'clearances', 'consent', 'guardian'].sort(), content: false });
    assert.deepEqual(await keysOf(w.security), { keys: [...base, 'clearances', 'consent', 'guardian', 'nonRefoulement'].sort(), content: false });
    assert.deepEqual(await keysOf(w.embassy), { keys: [...base, 'consent', 'guardian'].sort(), content: false });
    assert.deepEqual(await keysOf(w.protection), { keys: [...base, 'clearances', 'consent', 'guardian', 'nonRefoulement'].sort(), content: true });
    // Reading a child's panels is audited.
    const reads = await w.t.database.db.selectFrom('audit_events').select('actor_role').where('action', '=', 'case.facts_read').where('entity_id', '=', f.caseId).execute();
    assert.ok(reads.some((r) => r.actor_role === 'embassy'));
  });
});
