import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type World, PDF, PNG, UNKNOWN, childAtAssessment, criterion, daysAgo, multipart, ok, panels, refused, setUp } from './fixtures.ts';

let w: World;
before(async () => {
  w = await setUp();
});
after(() => w.t.close());

const guardian = { fullName: 'Gulnora Rahimova', relation: 'grandparent', contact: '+992 00 000 0000', address: 'Khujand' };

describe('guardians', () => {
  test('the embassy names the guardian; verified, the criterion holds; rejected, it fails; a new guardian supersedes the old', async () => {
    const f = await childAtAssessment(w);
    assert.equal(await criterion(w, f.caseId, f.childId, 'guardian_identified'), 'unknown');
    const { id } = ok(await w.embassy.request('POST', `/api/v1/persons/${f.childId}/guardians`, guardian), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'guardian_identified'), 'unknown', 'named but not verified');
    const shown = (await panels(w, f.caseId, w.embassy)).members[0].guardian;
    assert.deepEqual(
      { ...shown, recordedAt: undefined },
      { id, childId: f.childId, fullName: 'Gulnora Rahimova', relation: 'grandparent', verification: 'unverified', verifiedBy: null, contact: '+992 00 000 0000', address: 'Khujand', countryCode: 'TJK', superseded: false, recordedAt: undefined, version: 1 },
    );

    const patched = await w.coordinator.request('PATCH', `/api/v1/guardians/${id}`, { verification: 'verified', verifiedBy: 'DNA kinship test' }, { 'if-match': '"1"' });
    const body = ok(patched);
    assert.deepEqual([body.verification, body.verifiedBy, body.version], ['verified', 'DNA kinship test', 2]);
    assert.equal(patched.headers.etag, '"2"');
    assert.equal(await criterion(w, f.caseId, f.childId, 'guardian_identified'), 'holds');

    // A stale version is refused, naming who changed it.
    const stale = refused(await w.protection.request('PATCH', `/api/v1/guardians/${id}`, { contact: 'new' }, { 'if-match': '"1"' }), 412);
    assert.equal(stale.code, 'version_mismatch');
    ok(await w.protection.request('PATCH', `/api/v1/guardians/${id}`, { verification: 'rejected' }, { 'if-match': '"2"' }));
    assert.equal(await criterion(w, f.caseId, f.childId, 'guardian_identified'), 'fails');

    const second = ok(await w.coordinator.request('POST', `/api/v1/persons/${f.childId}/guardians`, { fullName: 'Farrukh Rahimov', relation: 'aunt_uncle', verification: 'verified', verifiedBy: 'embassy inquiry', countryCode: 'TJK' }), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'guardian_identified'), 'holds');
    assert.equal((await panels(w, f.caseId)).members[0].guardian.id, second.id);
    refused(await w.coordinator.request('PATCH', `/api/v1/guardians/${id}`, { contact: 'x' }, { 'if-match': '"3"' }), 409);
    const rows = await w.t.database.db.selectFrom('guardians').select(['id', 'superseded_at']).where('child_id', '=', f.childId).execute();
    assert.deepEqual(rows.map((r) => [r.id, r.superseded_at === null]).sort(), [[id, false], [second.id, true]].sort());
  });

  test('bad guardians are refused with the field named; another country’s embassy does not see the child', async () => {
    const f = await childAtAssessment(w);
    const url = `/api/v1/persons/${f.childId}/guardians`;
    refused(await w.coordinator.request('POST', url, { ...guardian, relation: 'neighbour' }), 400, 'body.relation');
    refused(await w.coordinator.request('POST', url, { ...guardian, fullName: '' }), 400, 'body.fullName');
    refused(await w.coordinator.request('POST', url, { ...guardian, countryCode: 'tjk' }), 400, 'body.countryCode');
    refused(await w.coordinator.request('POST', url, { ...guardian, countryCode: 'XXX' }), 400, 'body.countryCode');
    refused(await w.coordinator.request('POST', url, { ...guardian, verification: 'verified' }), 400, 'body.verifiedBy');
    refused(await w.coordinator.request('POST', url, { ...guardian, age: 60 }), 400, 'body.age');
    refused(await w.coordinator.request('POST', `/api/v1/persons/${f.motherId}/guardians`, guardian), 422);
    refused(await w.rusEmbassy.request('POST', url, guardian), 404);
    const { id } = ok(await w.coordinator.request('POST', url, guardian), 201);
    refused(await w.coordinator.request('PATCH', `/api/v1/guardians/${id}`, {}, { 'if-match': '"1"' }), 400, 'body');
    refused(await w.coordinator.request('PATCH', `/api/v1/guardians/${id}`, { verification: 'verified' }, { 'if-match': '"1"' }), 400, 'body.verifiedBy');
    refused(await w.coordinator.request('PATCH', `/api/v1/guardians/${id}`, { verification: 'maybe' }, { 'if-match': '"1"' }), 400, 'body.verification');
    refused(await w.coordinator.request('PATCH', `/api/v1/guardians/${id}`, { contact: 'x' }), 400, 'headers.if-match');
    refused(await w.rusEmbassy.request('PATCH', `/api/v1/guardians/${id}`, { contact: 'x' }, { 'if-match': '"1"' }), 404);
    refused(await w.coordinator.request('PATCH', `/api/v1/guardians/${UNKNOWN}`, { contact: 'x' }, { 'if-match': '"1"' }), 404);
  });
});

describe('legal assurances', () => {
  test('an assurance makes the criterion hold; withdrawn, it does not; the scanned note verbale is attached', async () => {
    const f = await childAtAssessment(w);
    assert.equal(await criterion(w, f.caseId, f.childId, 'legal_assurances'), 'unknown');
    const { id } = ok(await w.embassy.request('POST', `/api/v1/cases/${f.caseId}/assurances`, { type: 'no prosecution of children', givenOn: daysAgo(3), issuingAuthority: 'Prosecutor General of Tajikistan', note: 'Note verbale 12/3' }), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'legal_assurances'), 'holds');
    ok(await w.embassy.request('POST', `/api/v1/assurances/${id}/document`, PDF, { 'content-type': 'application/pdf' }), 204);
    const form = multipart(PNG, 'application/octet-stream');
    ok(await w.coordinator.request('POST', `/api/v1/assurances/${id}/document`, form.body, form.headers), 204);
    const read = await w.embassy.request('GET', `/api/v1/assurances/${id}/document`);
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers['content-type'], 'image/png');
    const [shown] = (await panels(w, f.caseId, w.embassy)).assurances;
    assert.deepEqual(
      { ...shown, recordedAt: undefined },
      { id, personId: null, type: 'no prosecution of children', givenOn: daysAgo(3), issuingAuthority: 'Prosecutor General of Tajikistan', hasDocument: true, note: 'Note verbale 12/3', withdrawnAt: null, recordedAt: undefined },
    );
    ok(await w.coordinator.request('POST', `/api/v1/assurances/${id}/withdraw`, { reason: 'superseded by the agreement of May' }), 204);
    assert.equal(await criterion(w, f.caseId, f.childId, 'legal_assurances'), 'unknown');
    assert.ok((await panels(w, f.caseId)).assurances[0].withdrawnAt);
    refused(await w.coordinator.request('POST', `/api/v1/assurances/${id}/withdraw`, { reason: 'again' }), 409);
    refused(await w.coordinator.request('POST', `/api/v1/assurances/${id}/document`, PDF, { 'content-type': 'application/pdf' }), 409);

    // One for the child by name counts too.
    ok(await w.coordinator.request('POST', `/api/v1/cases/${f.caseId}/assurances`, { type: 'schooling', givenOn: daysAgo(1), issuingAuthority: 'Ministry of Education', personId: f.childId }), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'legal_assurances'), 'holds');
  });

  test('bad assurances are refused with the field named; another country’s embassy does not see the case', async () => {
    const f = await childAtAssessment(w);
    const url = `/api/v1/cases/${f.caseId}/assurances`;
    const body = { type: 'no prosecution of children', givenOn: daysAgo(3), issuingAuthority: 'Prosecutor General' };
    refused(await w.coordinator.request('POST', url, { ...body, givenOn: '2999-01-01' }), 400, 'body.givenOn');
    refused(await w.coordinator.request('POST', url, { ...body, issuingAuthority: undefined }), 400, 'body.issuingAuthority');
    refused(await w.coordinator.request('POST', url, { ...body, type: ' ' }), 400, 'body.type');
    refused(await w.coordinator.request('POST', url, { ...body, personId: f.motherId }), 400, 'body.personId');
    refused(await w.coordinator.request('POST', url, { ...body, personId: 'x' }), 400, 'body.personId');
    refused(await w.rusEmbassy.request('POST', url, body), 404);
    refused(await w.coordinator.request('POST', `/api/v1/cases/${UNKNOWN}/assurances`, body), 404);
    const { id } = ok(await w.coordinator.request('POST', url, body), 201);
    refused(await w.rusEmbassy.request('POST', `/api/v1/assurances/${id}/withdraw`, { reason: 'x' }), 404);
    refused(await w.rusEmbassy.request('GET', `/api/v1/cases/${f.caseId}/panels`), 404);
    refused(await w.coordinator.request('GET', `/api/v1/assurances/${id}/document`), 404);
    refused(await w.coordinator.request('POST', `/api/v1/assurances/${id}/withdraw`, {}), 400, 'body.reason');
    // A closed case takes no new facts.
    ok(await w.coordinator.request('POST', `/api/v1/cases/${f.caseId}/transitions`, { to: 'withdrawn', reason: 'the family asked' }));
    assert.equal(refused(await w.coordinator.request('POST', url, body), 409).code, 'case_closed');
  });
});
