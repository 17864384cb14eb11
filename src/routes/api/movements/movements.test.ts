import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { verifyAuditTrail } from '../../../audit/verify.ts';
import { addDays } from '../../../domain/birth-date.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix } from '../../../testing/matrix.ts';
import { PDF, PNG, multipart } from '../case-facts/fixtures.ts';
import { approvedChild, plan } from './fixtures.ts';

let t: TestApp;
let coordinator: Client;
let tjk: Client;
let rus: Client;
let facilityId: string;
let otherFacilityId: string;
const TODAY = new Date().toISOString().slice(0, 10);
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
  return response.json().error as { details: { path: string; code?: string; message: string }[] };
}
const ok = (response: LightMyRequestResponse, status = 200) => {
  assert.equal(response.statusCode, status, response.body);
  return response.json();
};

const caseState = async (id: string) => (await coordinator.request('GET', `/api/v1/cases/${id}`)).json().state as string;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The manifest as sent, twice: the same bytes each time, whose SHA-256 is the one the movement names. */
async function sentManifest(id: string): Promise<string> {
  const page = ok(await coordinator.request('GET', `/api/v1/movements/${id}`));
  const [first, second] = [await coordinator.request('GET', `/api/v1/movements/${id}/manifest.pdf?version=sent`), await tjk.request('GET', `/api/v1/movements/${id}/manifest.pdf?version=sent`)];
  for (const r of [first, second]) {
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/pdf');
  }
  assert.ok(first.rawPayload.equals(second.rawPayload), 'the stored bytes, exactly');
  assert.equal(sha256(first.rawPayload), page.manifestSent.sha256);
  const stored = await t.database.db.selectFrom('movements as m').innerJoin('files as f', 'f.sha256', 'm.sent_manifest_sha256').select('f.data').where('m.id', '=', id).executeTakeFirstOrThrow();
  assert.ok(Buffer.from(stored.data).equals(first.rawPayload));
  return page.manifestSent.sha256 as string;
}
let sentFirst = '';

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  rus = await signInNew(t, 'embassy', { countryCode: 'RUS' });
  facilityId = ok(await coordinator.request('POST', '/api/v1/facilities', { name: 'Movement Test Facility', kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 100 }), 201).id;
  otherFacilityId = ok(await coordinator.request('POST', '/api/v1/facilities', { name: 'Movement Test Facility B', kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 100 }), 201).id;
});
after(() => t.close());

describe('a repatriation from plan to handover', () => {
  let movement: { id: string; version: number };
  let child: { personId: string; caseId: string };

  test('an approved case goes on the manifest and becomes scheduled; bad input is named', async () => {
    const bad = await coordinator.request('POST', '/api/v1/movements', { kind: 'repatriation', mode: 'sea', fromPlace: '', departureDate: '2026-02-30', capacity: 0 });
    const paths = assertError(bad, 400, 'invalid_input').details.map((d) => d.path);
    for (const p of ['body.mode', 'body.fromPlace', 'body.toPlace', 'body.departureDate', 'body.capacity']) assert.ok(paths.includes(p), `${p} in ${paths.join(' ')}`);
    assertError(await coordinator.request('POST', '/api/v1/movements', { kind: 'repatriation', mode: 'air', fromPlace: 'A', toPlace: 'B', departureDate: TODAY, capacity: 5 }), 400, 'invalid_input');
    movement = await plan(coordinator);
    assert.match((movement as unknown as { reference: string }).reference, /^MOV-\d{4}-\d{3}$/);
    child = await approvedChild({ t, coordinator, facilityId });
    const added = ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/passengers`, { caseId: child.caseId }));
    assert.equal(added.passengers.length, 1);
    assert.equal(await caseState(child.caseId), 'scheduled');
    const notApproved = ok(await coordinator.request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId: ok(await coordinator.request('POST', '/api/v1/persons', { sex: 'male', birthDate: { precision: 'year', year: 2015 }, names: [{ fullName: 'Not Ready' }], nationalities: [{ countryCode: 'TJK' }] }), 201).id, role: 'child' }] }), 201);
    assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/passengers`, { caseId: notApproved.id }), 409, 'case_not_approved');
  });

  test('the manifest refuses to lock, naming the passenger and each failing check; fixing them lets it lock', async () => {
    const refused = assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/lock`), 422, 'manifest_checks_failed');
    const failed = refused.details.map((d) => d.path).sort();
    assert.deepEqual(failed, [`passengers.${child.personId}.child_escorted`, `passengers.${child.personId}.medical_fitness`, `passengers.${child.personId}.travel_document`].sort());
    assert.ok(refused.details.every((d) => d.message.includes('Passenger')), 'each detail names the passenger');
    // Fix each: a travel document, a fitness check, an escort assigned.
    ok(await coordinator.request('POST', `/api/v1/persons/${child.personId}/documents`, { kind: 'travel_document', countryCode: 'TJK', number: 'TD 4455', expiresOn: addDays(TODAY, 30) }), 201);
    ok(await coordinator.request('POST', `/api/v1/persons/${child.personId}/fitness`, { assessedOn: addDays(TODAY, -1), fit: true, assessedBy: 'Facility physician' }), 201);
    const withEscort = ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/escorts`, { name: 'Embassy escort (test)', role: 'official' }));
    const still = assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/lock`), 422, 'manifest_checks_failed');
    assert.deepEqual(still.details.map((d) => d.code), ['manifest_child_escorted']);
    ok(await coordinator.request('PUT', `/api/v1/movements/${movement.id}/passengers/${child.personId}/escort`, { escortId: withEscort.escorts[0].id }));
    const page = ok(await coordinator.request('GET', `/api/v1/movements/${movement.id}`));
    assert.equal(page.checks.ok, true);
    assert.equal(page.manifestSent, null);
    assertError(await coordinator.request('GET', `/api/v1/movements/${movement.id}/manifest.pdf?version=sent`), 404, 'manifest_not_sent');
    assertError(await coordinator.request('GET', `/api/v1/movements/${movement.id}/manifest.pdf?version=draft`), 400, 'invalid_input');
    const locked = ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/lock`, undefined, { 'if-match': `"${page.version}"` }));
    assert.equal(locked.status, 'manifest_locked');
    // Kept as sent in the lock's transaction: the stored bytes are what the endpoint returns, every time.
    sentFirst = await sentManifest(movement.id);
    assert.equal(locked.history.at(-1).manifestSha256, sentFirst);
    assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/passengers`, { caseId: child.caseId }), 409, 'manifest_not_open');
  });

  test('unlocking is a recorded decision; a capacity too small refuses the lock', async () => {
    assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/unlock`, {}), 400, 'invalid_input');
    ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/unlock`, { reason: 'the carrier changed the aircraft' }));
    const page = ok(await coordinator.request('GET', `/api/v1/movements/${movement.id}`));
    assert.equal(page.manifestSent, null, 'unlocking withdraws the manifest sent');
    assertError(await coordinator.request('GET', `/api/v1/movements/${movement.id}/manifest.pdf?version=sent`), 404, 'manifest_not_sent');
    ok(await coordinator.request('PATCH', `/api/v1/movements/${movement.id}`, { capacity: 1 }, { 'if-match': `"${page.version}"` }));
    const small = assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/lock`), 422, 'manifest_checks_failed');
    assert.deepEqual(small.details.map((d) => d.path), ['movement.capacity']);
    const again = ok(await coordinator.request('GET', `/api/v1/movements/${movement.id}`));
    assertError(await coordinator.request('PATCH', `/api/v1/movements/${movement.id}`, { capacity: 30 }, { 'if-match': `"${again.version - 1}"` }), 412, 'version_mismatch');
    ok(await coordinator.request('PATCH', `/api/v1/movements/${movement.id}`, { capacity: 30 }, { 'if-match': `"${again.version}"` }));
    ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/lock`));
    const history = ok(await coordinator.request('GET', `/api/v1/movements/${movement.id}`)).history as { transition: string; reason: string | null; manifestSha256?: string }[];
    assert.deepEqual(history.map((h) => h.transition), ['lock', 'unlock', 'lock']);
    assert.equal(history[1]?.reason, 'the carrier changed the aircraft');
    // Locking again sends a new manifest (30 seats now); the history keeps the first.
    const sentAgain = await sentManifest(movement.id);
    assert.notEqual(sentAgain, sentFirst);
    assert.deepEqual(history.map((h) => h.manifestSha256), [sentFirst, undefined, sentAgain]);
  });

  test('departure moves the case to departed and closes custody, in one transaction', async () => {
    assertError(await tjk.request('POST', `/api/v1/movements/${movement.id}/depart`), 403, 'forbidden');
    const departed = ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/depart`));
    assert.equal(departed.status, 'departed');
    assert.equal(await caseState(child.caseId), 'departed');
    const custody = await t.database.db.selectFrom('custody_episodes').select(['released_on', 'release_reason']).where('person_id', '=', child.personId).execute();
    assert.deepEqual(custody.map((c) => [c.released_on, c.release_reason]), [[TODAY, 'repatriated']]);
    const caseHistory = (await coordinator.request('GET', `/api/v1/cases/${child.caseId}`)).json().history as { transition: string }[];
    assert.deepEqual(caseHistory.slice(-2).map((h) => h.transition), ['schedule', 'depart']);
  });

  test('the embassy records the handover and attaches the signed receipt; the case is handed over; the movement completes', async () => {
    const receipt = `/api/v1/movements/${movement.id}/handovers/${child.personId}/receipt`;
    assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/complete`), 422, 'handovers_missing');
    assertError(await tjk.request('PUT', receipt, PDF, { 'content-type': 'application/pdf' }), 409, 'handover_not_recorded');
    assertError(await rus.request('POST', `/api/v1/movements/${movement.id}/handovers`, { personId: child.personId, receivedBy: 'X', receivedAt: new Date().toISOString() }), 404, 'not_found');
    // A handover is recorded once it has happened: a return counts in the figures from its day.
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const future = await tjk.request('POST', `/api/v1/movements/${movement.id}/handovers`, { personId: child.personId, receivedBy: 'Consul (test)', receivedAt: tomorrow });
    assert.equal(future.statusCode, 400, future.body);
    assert.deepEqual(future.json().error.details.map((d: { path: string }) => d.path), ['body.receivedAt'], future.body);
    const handed = ok(await tjk.request('POST', `/api/v1/movements/${movement.id}/handovers`, { personId: child.personId, receivedBy: 'Consul (test)', receivingAuthority: 'Ministry of Foreign Affairs of Tajikistan', receivedAt: new Date().toISOString() }));
    assert.equal(handed.passengers[0].handover.receivedBy, 'Consul (test)');
    assert.equal(handed.passengers[0].handover.receipt, null);
    assert.equal(await caseState(child.caseId), 'handed_over');
    assertError(await tjk.request('POST', `/api/v1/movements/${movement.id}/handovers`, { personId: child.personId, receivedBy: 'Again', receivedAt: new Date().toISOString() }), 409, 'already_handed_over');

    // No signed receipt yet: the movement does not complete, and the refusal names the person.
    const unsigned = assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/complete`), 422, 'handover_receipts_missing');
    assert.deepEqual(unsigned.details.map((d) => [d.path, d.code]), [[`passengers.${child.personId}.receipt`, 'handover_receipt_missing']]);
    assert.match(unsigned.details[0]?.message ?? '', /^Passenger\d+ Testova: no signed handover receipt/);
    assertError(await coordinator.request('GET', receipt), 404, 'not_found');

    // The content decides, not the declared type; the size is limited; other countries see nothing.
    assert.deepEqual(assertError(await tjk.request('PUT', receipt, Buffer.from('not a scan at all'), { 'content-type': 'application/pdf' }), 400, 'not_a_document').details.map((d) => d.path), ['body']);
    assert.deepEqual(assertError(await tjk.request('PUT', receipt, PNG, { 'content-type': 'application/pdf' }), 400, 'content_type_mismatch').details.map((d) => d.path), ['content-type']);
    assertError(await tjk.request('PUT', receipt, Buffer.from('<svg/>'), { 'content-type': 'image/svg+xml' }), 415, 'unsupported_media_type');
    assertError(await tjk.request('PUT', receipt, Buffer.alloc(10 * 1024 * 1024 + 64 * 1024 + 1, 0x25), { 'content-type': 'application/pdf' }), 413, 'payload_too_large');
    assertError(await rus.request('PUT', receipt, PDF, { 'content-type': 'application/pdf' }), 404, 'not_found');

    // Attached as the file itself, then replaced through a form: the movement shows the one in force.
    const attached = ok(await tjk.request('PUT', receipt, PDF, { 'content-type': 'application/pdf' }));
    assert.deepEqual(attached.passengers[0].handover.receipt, { sha256: sha256(PDF), contentType: 'application/pdf', sizeBytes: PDF.length });
    const form = multipart(PNG, 'image/png', 'receipt.png');
    const replaced = ok(await coordinator.request('PUT', receipt, form.body, form.headers));
    assert.deepEqual(replaced.passengers[0].handover.receipt, { sha256: sha256(PNG), contentType: 'image/png', sizeBytes: PNG.length });
    const read = await tjk.request('GET', receipt);
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers['content-type'], 'image/png');
    assert.ok(read.rawPayload.equals(PNG));
    assertError(await rus.request('GET', receipt), 404, 'not_found');
    const audited = await t.database.db.selectFrom('audit_events').select(['action']).where('entity_id', '=', movement.id).where('action', 'like', 'movement.handover_receipt_%').orderBy('id').execute();
    assert.deepEqual(audited.map((a) => a.action), ['movement.handover_receipt_attached', 'movement.handover_receipt_attached', 'movement.handover_receipt_read']);

    assert.equal(ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/complete`)).status, 'completed');
    assertError(await tjk.request('PUT', receipt, PDF, { 'content-type': 'application/pdf' }), 409, 'not_departed');
  });

  test('the invoice follows the agreement: head count × fee; partial payments, the balance, the ledger', async () => {
    assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/invoice`, { issuedOn: TODAY, dueOn: addDays(TODAY, 30) }), 422, 'no_agreement');
    ok(
      await coordinator.request('POST', '/api/v1/countries/TJK/agreements', { title: 'Memorandum (test)', validFrom: addDays(TODAY, -100), currency: 'USD', feePerChild: '400', feePerAdult: '0', documentsRequired: [], criteria: [] }),
      201,
    );
    const invoice = ok(await coordinator.request('POST', `/api/v1/movements/${movement.id}/invoice`, { issuedOn: TODAY, dueOn: addDays(TODAY, 30) }), 201);
    assert.deepEqual([invoice.total, invoice.currency, invoice.balance, invoice.status], ['400.00', 'USD', '400.00', 'issued']);
    assert.deepEqual(invoice.lines.map((l: { count: number; unitAmount: string }) => [l.count, l.unitAmount]), [[1, '400.00']]);
    assertError(await coordinator.request('POST', `/api/v1/movements/${movement.id}/invoice`, { issuedOn: TODAY, dueOn: addDays(TODAY, 30) }), 409, 'already_invoiced');
    const partial = ok(await coordinator.request('POST', `/api/v1/invoices/${invoice.id}/payments`, { receivedOn: TODAY, amount: '150.50', reference: 'SWIFT 1' }), 201);
    assert.deepEqual([partial.paid, partial.balance, partial.status], ['150.50', '249.50', 'partly_paid']);
    assertError(await coordinator.request('POST', `/api/v1/invoices/${invoice.id}/payments`, { receivedOn: TODAY, amount: '300' }), 422, 'overpayment');
    assertError(await coordinator.request('POST', `/api/v1/invoices/${invoice.id}/payments`, { receivedOn: TODAY, amount: '1.005' }), 400, 'invalid_input');
    const paid = ok(await coordinator.request('POST', `/api/v1/invoices/${invoice.id}/payments`, { receivedOn: TODAY, amount: '249.50' }), 201);
    assert.deepEqual([paid.balance, paid.status], ['0.00', 'paid']);
    const ledger = ok(await tjk.request('GET', '/api/v1/ledger'));
    assert.deepEqual(ledger.balances, [{ countryCode: 'TJK', currency: 'USD', total: '400.00', paid: '400.00', balance: '0.00' }]);
    const csv = await coordinator.request('GET', '/api/v1/ledger?format=csv');
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.match(csv.body, /^invoice,country,movement/);
    assert.match(csv.body, /,USD,400\.00,400\.00,0\.00,paid/);
    assert.deepEqual(ok(await rus.request('GET', '/api/v1/invoices')).data, [], 'another embassy sees none of it');
    assertError(await rus.request('GET', `/api/v1/invoices/${invoice.id}`), 404, 'not_found');
  });

  test('an embassy sees its own country\'s movements only; the trail verifies', async () => {
    assert.ok(ok(await tjk.request('GET', '/api/v1/movements')).data.some((m: { id: string }) => m.id === movement.id));
    assert.deepEqual(ok(await rus.request('GET', '/api/v1/movements')).data, []);
    assertError(await rus.request('GET', `/api/v1/movements/${movement.id}`), 404, 'not_found');
    assert.equal((await verifyAuditTrail(t.database.db)).ok, true);
  });
});

describe('cancelling and transfers', () => {
  test('a cancelled movement frees its cases (back to approved) and its passengers', async () => {
    const m = await plan(coordinator);
    const child = await approvedChild({ t, coordinator, facilityId });
    ok(await coordinator.request('POST', `/api/v1/movements/${m.id}/passengers`, { caseId: child.caseId }));
    const other = await plan(coordinator);
    assertError(await coordinator.request('POST', `/api/v1/movements/${other.id}/passengers`, { caseId: child.caseId }), 409, 'case_not_approved');
    assertError(await coordinator.request('POST', `/api/v1/movements/${m.id}/cancel`, {}), 400, 'invalid_input');
    ok(await coordinator.request('POST', `/api/v1/movements/${m.id}/cancel`, { reason: 'the airport closed' }));
    assert.equal(await caseState(child.caseId), 'approved');
    ok(await coordinator.request('POST', `/api/v1/movements/${other.id}/passengers`, { caseId: child.caseId }));
    assertError(await coordinator.request('POST', `/api/v1/movements/${m.id}/depart`), 409, 'movement_transition_not_allowed');
  });

  test('a transfer between holding authorities closes custody on departure and opens it at the receiving facility on completion', async () => {
    const person = ok(await coordinator.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: 'Transfer Test' }], custody: { facilityId, admittedOn: addDays(TODAY, -100) } }), 201);
    const m = ok(
      await coordinator.request('POST', '/api/v1/movements', { kind: 'transfer', mode: 'land', fromPlace: 'Camp (north-east Syria)', toPlace: 'Baghdad', departureDate: TODAY, capacity: 10, toFacilityId: otherFacilityId }),
      201,
    );
    ok(await coordinator.request('POST', `/api/v1/movements/${m.id}/passengers`, { personIds: [person.id] }));
    ok(await coordinator.request('POST', `/api/v1/persons/${person.id}/fitness`, { assessedOn: TODAY, fit: true }), 201);
    ok(await coordinator.request('POST', `/api/v1/movements/${m.id}/lock`));
    ok(await coordinator.request('POST', `/api/v1/movements/${m.id}/depart`));
    ok(await coordinator.request('POST', `/api/v1/movements/${m.id}/handovers`, { personId: person.id, receivedBy: 'Duty officer', receivingAuthority: 'Ministry of Justice', receivedAt: new Date().toISOString() }));
    ok(await coordinator.request('PUT', `/api/v1/movements/${m.id}/handovers/${person.id}/receipt`, PDF, { 'content-type': 'application/pdf' }));
    ok(await coordinator.request('POST', `/api/v1/movements/${m.id}/complete`));
    const episodes = await t.database.db.selectFrom('custody_episodes').select(['facility_id', 'released_on', 'release_reason']).where('person_id', '=', person.id).orderBy('admitted_on').execute();
    assert.deepEqual(episodes.map((e) => [e.facility_id, e.release_reason]), [[facilityId, 'transferred'], [otherFacilityId, null]]);
  });
});

test('the role × endpoint matrix covers every movement route', async () => {
  const clients = new Map<Role, Client>();
  for (const role of ROLES) clients.set(role, await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {}));
  const m = `/api/v1/movements/${UNKNOWN}`;
  const readers = { coordinator: 404, custody: 404, embassy: 404 } as const;
  await checkMatrix(clients, [
    { method: 'GET', url: '/api/v1/movements', allow: { coordinator: 200, custody: 200, embassy: 200 } },
    { method: 'POST', url: '/api/v1/movements', body: { kind: 'repatriation' }, allow: { coordinator: 400 } },
    { method: 'GET', url: m, allow: readers },
    { method: 'PATCH', url: m, body: { capacity: 3 }, headers: { 'if-match': '"1"' }, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/escorts`, body: { name: 'E', role: 'official' }, allow: { coordinator: 404 } },
    { method: 'DELETE', url: `${m}/escorts/${UNKNOWN}`, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/passengers`, body: { caseId: UNKNOWN }, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/passengers/remove`, body: { caseId: UNKNOWN, reason: 'x' }, allow: { coordinator: 404 } },
    { method: 'PUT', url: `${m}/passengers/${UNKNOWN}/escort`, body: { escortId: null }, allow: { coordinator: 404 } },
    { method: 'GET', url: `${m}/checks`, allow: readers },
    { method: 'GET', url: `${m}/manifest.pdf`, allow: readers },
    { method: 'GET', url: `${m}/manifest.pdf?version=sent`, allow: readers },
    { method: 'POST', url: `${m}/lock`, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/unlock`, body: { reason: 'x' }, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/depart`, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/handovers`, body: { personId: UNKNOWN, receivedBy: 'x', receivedAt: new Date().toISOString() }, allow: { coordinator: 404, embassy: 404 } },
    { method: 'PUT', url: `${m}/handovers/${UNKNOWN}/receipt`, body: PDF, headers: { 'content-type': 'application/pdf' }, allow: { coordinator: 404, embassy: 404 } },
    { method: 'GET', url: `${m}/handovers/${UNKNOWN}/receipt`, allow: readers },
    { method: 'POST', url: `${m}/complete`, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/cancel`, body: { reason: 'x' }, allow: { coordinator: 404 } },
    { method: 'POST', url: `${m}/invoice`, body: { issuedOn: TODAY, dueOn: TODAY }, allow: { coordinator: 404 } },
    { method: 'POST', url: `/api/v1/persons/${UNKNOWN}/fitness`, body: { assessedOn: TODAY, fit: true }, allow: { coordinator: 404, custody: 404, child_protection: 404 } },
    { method: 'GET', url: '/api/v1/invoices', allow: { coordinator: 200, embassy: 200 } },
    { method: 'GET', url: `/api/v1/invoices/${UNKNOWN}`, allow: { coordinator: 404, embassy: 404 } },
    { method: 'POST', url: `/api/v1/invoices/${UNKNOWN}/payments`, body: { receivedOn: TODAY, amount: '1' }, allow: { coordinator: 404 } },
    { method: 'GET', url: '/api/v1/ledger', allow: { coordinator: 200, embassy: 200 } },
  ]);
});
