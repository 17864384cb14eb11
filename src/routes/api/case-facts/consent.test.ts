import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type World, PDF, PNG, UNKNOWN, childAtAssessment, consentBody, criterion, daysAgo, multipart, ok, panels, refused, register, setUp, yearsAgo } from './fixtures.ts';

let w: World;
before(async () => {
  w = await setUp();
});
after(() => w.t.close());

const record = (body: Record<string, unknown>, client = w.protection) => client.request('POST', '/api/v1/consent-records', body);

describe('consent records', () => {
  test('a consent witnessed by child protection holds; a later revocation fails; a new consent holds again; a refusal fails', async () => {
    const f = await childAtAssessment(w);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'unknown');
    const first = ok(await record(consentBody(f, 'consent', daysAgo(20))), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'holds');

    const panel = (await panels(w, f.caseId, w.protection)).members[0].consent;
    assert.deepEqual(panel.effective, { status: 'given', recordId: first.id });
    const [shown] = panel.records;
    assert.equal(shown.witnessName, 'Amina Protection');
    assert.equal(shown.witnessed, true);
    assert.deepEqual(shown.givenBy.id, f.motherId);
    assert.deepEqual(shown.childIds, [f.childId]);
    assert.deepEqual([shown.kind, shown.language, shown.hasDocument, shown.voided, shown.counts], ['consent', 'Tajik', false, null, true]);

    const revocation = ok(await record(consentBody(f, 'revocation', daysAgo(10))), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'fails');
    assert.deepEqual((await panels(w, f.caseId)).members[0].consent.effective, { status: 'revoked', recordId: revocation.id });

    ok(await record(consentBody(f, 'consent', daysAgo(5))), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'holds');
    ok(await record(consentBody(f, 'refusal', daysAgo(2))), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'fails');
    assert.equal((await panels(w, f.caseId)).members[0].consent.effective.status, 'refused');

    // The stored verdict (lists, the board, the country view) followed in the same transactions.
    const stored = await w.t.database.db.selectFrom('case_members').select(['eligible']).where('case_id', '=', f.caseId).executeTakeFirstOrThrow();
    assert.equal(stored.eligible, 'false');
  });

  test('a refusal alone fails the criterion; voiding it (entered in error) leaves no decision', async () => {
    const f = await childAtAssessment(w);
    const refusal = ok(await record(consentBody(f, 'refusal')), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'fails');
    ok(await w.protection.request('POST', `/api/v1/consent-records/${refusal.id}/void`, { reason: 'entered for the wrong child' }), 204);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'unknown');
    const [shown] = (await panels(w, f.caseId)).members[0].consent.records;
    assert.equal(shown.voided.reason, 'entered for the wrong child');
    assert.equal(shown.ignoredBecause, 'voided');
    refused(await w.protection.request('POST', `/api/v1/consent-records/${refusal.id}/void`, { reason: 'again' }), 409);
    refused(await w.protection.request('POST', `/api/v1/consent-records/${refusal.id}/void`, {}), 400, 'body.reason');
  });

  test('the coordinator enters a decision for the officer who witnessed it; without a witnessing officer it is kept but does not count', async () => {
    const f = await childAtAssessment(w);
    ok(await record({ ...consentBody(f), witnessName: 'Somebody at the prison' }, w.coordinator), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'unknown');
    const [unwitnessed] = (await panels(w, f.caseId)).members[0].consent.records;
    assert.deepEqual([unwitnessed.witnessed, unwitnessed.ignoredBecause], [false, 'not_witnessed']);
    refused(await record({ ...consentBody(f), witnessName: undefined }, w.coordinator), 400, 'body.witnessName');
    refused(await record({ ...consentBody(f), witnessUserId: w.coordinator.userId }, w.coordinator), 400, 'body.witnessUserId');
    refused(await record({ ...consentBody(f), witnessUserId: w.coordinator.userId }), 400, 'body.witnessUserId');
    ok(await record({ ...consentBody(f), witnessUserId: w.protection.userId }, w.coordinator), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'holds');
  });

  test('bad records are refused with the field named', async () => {
    const f = await childAtAssessment(w);
    const stranger = await register(w, { birthDate: { precision: 'exact', date: yearsAgo(40) } });
    const adult = await register(w, { birthDate: { precision: 'exact', date: yearsAgo(25) } });
    refused(await record({ ...consentBody(f), givenBy: stranger }), 400, 'body.givenBy');
    refused(await record({ ...consentBody(f), givenBy: UNKNOWN }), 400, 'body.givenBy');
    refused(await record({ ...consentBody(f), givenBy: f.childId }), 400, 'body.givenBy');
    refused(await record({ ...consentBody(f), childIds: [] }), 400, 'body.childIds');
    refused(await record({ ...consentBody(f), childIds: [f.childId, f.childId] }), 400, 'body.childIds');
    refused(await record({ ...consentBody(f), childIds: [f.childId, UNKNOWN] }), 400, 'body.childIds.1');
    refused(await record({ ...consentBody(f), childIds: [adult] }), 400, 'body.childIds.0');
    refused(await record({ ...consentBody(f), decidedOn: '2999-01-01' }), 400, 'body.decidedOn');
    refused(await record({ ...consentBody(f), decidedOn: '2024-02-30' }), 400, 'body.decidedOn');
    refused(await record({ ...consentBody(f), kind: 'maybe' }), 400, 'body.kind');
    refused(await record({ ...consentBody(f), language: undefined }), 400, 'body.language');
    refused(await record({ ...consentBody(f), givenBy: 'not-a-uuid' }), 400, 'body.givenBy');
    refused(await record({ ...consentBody(f), colour: 'blue' }), 400, 'body.colour');
    // The mother's death: her decision can no longer be recorded; an exemption is the way.
    await w.t.database.db.updateTable('persons').set({ vital_status: 'deceased' }).where('id', '=', f.motherId).execute();
    refused(await record(consentBody(f)), 400, 'body.givenBy');
    assert.equal((await panels(w, f.caseId)).members[0].consent.records.length, 0);
  });

  test('the signed form is attached as the file itself or in a multipart form, checked by content, and read back (audited)', async () => {
    const f = await childAtAssessment(w);
    const { id } = ok(await record(consentBody(f)), 201);
    const url = `/api/v1/consent-records/${id}/document`;
    ok(await w.protection.request('POST', url, PDF, { 'content-type': 'application/pdf' }), 204);
    assert.equal((await panels(w, f.caseId)).members[0].consent.records[0].hasDocument, true);
    const read = await w.protection.request('GET', url);
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers['content-type'], 'application/pdf');
    assert.ok(read.rawPayload.equals(PDF));
    const form = multipart(PNG, 'image/png');
    ok(await w.coordinator.request('POST', url, form.body, form.headers), 204);
    assert.equal((await w.coordinator.request('GET', url)).headers['content-type'], 'image/png');
    refused(await w.protection.request('POST', url, PNG, { 'content-type': 'application/pdf' }), 400, 'content-type');
    refused(await w.protection.request('POST', url, Buffer.from('<svg/>'), { 'content-type': 'image/png' }), 400, 'body');
    refused(await w.protection.request('POST', url, { file: 'x' }), 415);
    refused(await w.protection.request('POST', `/api/v1/consent-records/${UNKNOWN}/document`, PDF, { 'content-type': 'application/pdf' }), 404);
    const audit = await w.t.database.db.selectFrom('audit_events').select('action').where('entity_id', '=', id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['consent.document_attached', 'consent.document_attached', 'consent.document_read', 'consent.document_read', 'consent.recorded']);
  });
});

describe('consent exemptions', () => {
  test('an exemption makes consent unnecessary; withdrawn, consent is needed again', async () => {
    const f = await childAtAssessment(w);
    ok(await record(consentBody(f, 'refusal')), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'fails');
    const url = `/api/v1/persons/${f.childId}/consent-exemptions`;
    const { id } = ok(await w.coordinator.request('POST', url, { reason: 'court_order', recordedOn: daysAgo(1), note: 'Juvenile court of Baghdad' }), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'holds');
    const shown = (await panels(w, f.caseId)).members[0].consent;
    assert.deepEqual(shown.exemption, { id, reason: 'court_order', recordedOn: daysAgo(1), note: 'Juvenile court of Baghdad' });
    assert.equal(shown.exempt, true);
    refused(await w.protection.request('POST', url, { reason: 'both_parents_deceased', recordedOn: daysAgo(1) }), 409);
    ok(await w.protection.request('POST', `/api/v1/consent-exemptions/${id}/withdraw`, { reason: 'the order was quashed' }), 204);
    assert.equal(await criterion(w, f.caseId, f.childId, 'consent'), 'fails');
    assert.equal((await panels(w, f.caseId)).members[0].consent.exemption, null);
    refused(await w.protection.request('POST', `/api/v1/consent-exemptions/${id}/withdraw`, { reason: 'again' }), 409);
  });

  test('bad exemptions are refused with the field named; only for children', async () => {
    const f = await childAtAssessment(w);
    const url = `/api/v1/persons/${f.childId}/consent-exemptions`;
    refused(await w.coordinator.request('POST', url, { reason: 'orphan', recordedOn: daysAgo(1) }), 400, 'body.reason');
    refused(await w.coordinator.request('POST', url, { reason: 'court_order', recordedOn: '2999-01-01' }), 400, 'body.recordedOn');
    refused(await w.coordinator.request('POST', url, { reason: 'court_order' }), 400, 'body.recordedOn');
    refused(await w.coordinator.request('POST', `/api/v1/persons/${f.motherId}/consent-exemptions`, { reason: 'court_order', recordedOn: daysAgo(1) }), 422);
    refused(await w.coordinator.request('POST', `/api/v1/persons/${UNKNOWN}/consent-exemptions`, { reason: 'court_order', recordedOn: daysAgo(1) }), 404);
    refused(await w.coordinator.request('POST', `/api/v1/consent-exemptions/${UNKNOWN}/withdraw`, { reason: 'x' }), 404);
  });
});
