import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, createTestApp, logInAs, type TestApp } from '../testing/app.ts';
import { loadDemo } from './demo.ts';
import { augustFlightDate } from './movements-demo.ts';

/** The demo's movements, read through the API as the coordinator and the embassies would. */
const PASSWORD = 'movements-demo-test-password-1';
const AS_OF = '2026-12-02';
let t: TestApp;
let coordinator: Client;
let kaz: Client;

interface MovementSummary {
  id: string;
  reference: string;
  countryCode: string;
  status: string;
  passengers: number;
  departureDate: string;
}

before(async () => {
  t = await createTestApp();
  await loadDemo(t.database.db, { password: PASSWORD, asOf: AS_OF });
  coordinator = await logInAs(t, 'demo-coordinator', PASSWORD);
  kaz = await logInAs(t, 'demo-embassy-kaz', PASSWORD);
});
after(() => t.close());

const get = async (url: string, client = coordinator) => {
  const response = await client.request('GET', url);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
};
const movements = async (): Promise<MovementSummary[]> => (await get('/api/v1/movements?limit=50')).data;

test('the August flight is the next 20 August on or after the as-of date', () => {
  assert.equal(augustFlightDate('2026-12-02'), '2027-08-20');
  assert.equal(augustFlightDate('2027-03-01'), '2027-08-20');
  assert.equal(augustFlightDate('2027-08-20'), '2027-08-20');
});

test('past flights: 33 children to Russia and 27 to Kazakhstan, completed, everyone handed over with a signed receipt, cases closed, custody closed', { timeout: 300_000 }, async () => {
  const all = await movements();
  for (const [country, n, daysAgo] of [['RUS', 33, 120], ['KAZ', 27, 210]] as const) {
    const m = all.find((x) => x.countryCode === country);
    assert.ok(m, `a ${country} movement`);
    assert.deepEqual([m.status, m.passengers], ['completed', n]);
    assert.equal(m.departureDate, new Date(Date.parse(`${AS_OF}T00:00:00Z`) - daysAgo * 86_400_000).toISOString().slice(0, 10));
    const page = await get(`/api/v1/movements/${m.id}`);
    assert.equal(page.passengers.length, n);
    assert.ok(page.passengers.every((p: { handover: unknown; caseState: string }) => p.handover !== null && p.caseState === 'closed'), 'all handed over, cases closed');
    assert.deepEqual(page.history.map((h: { transition: string }) => h.transition), ['lock', 'depart', 'complete']);
    // Completed: every handover has its signed receipt (the group's, one PDF).
    assert.ok(page.passengers.every((p: { handover: { receipt: { contentType: string } | null } }) => p.handover.receipt?.contentType === 'application/pdf'), 'every handover has a receipt');
    if (country === 'KAZ') {
      const receipt = await kaz.request('GET', `/api/v1/movements/${m.id}/handovers/${page.passengers[0].personId}/receipt`);
      assert.equal(receipt.statusCode, 200, receipt.body);
      assert.match(receipt.rawPayload.toString('latin1'), /^%PDF-1\.4[\s\S]*Handover receipt - movement MOV-[\s\S]*%%EOF\n$/);
    }
    const ids = page.passengers.map((p: { personId: string }) => p.personId);
    const custody = await t.database.db.selectFrom('custody_episodes').select(['released_on', 'release_reason']).where('person_id', 'in', ids).execute();
    assert.ok(custody.length >= n && custody.every((c) => c.released_on !== null && c.release_reason !== null), 'no custody episode left open');
    assert.ok(custody.filter((c) => c.release_reason === 'repatriated').length >= n);
    const oneCase = await get(`/api/v1/cases/${page.passengers[0].caseId}`);
    assert.deepEqual(oneCase.history.slice(-4).map((h: { transition: string }) => h.transition), ['schedule', 'depart', 'hand_over', 'close']);
  }
});

test('the August manifest refuses to lock, naming passengers and checks', { timeout: 300_000 }, async () => {
  const m = (await movements()).find((x) => x.countryCode === 'TJK' && x.status === 'planned');
  assert.ok(m, 'a planned Tajik movement');
  assert.equal(m.departureDate, augustFlightDate(AS_OF));
  const page = await get(`/api/v1/movements/${m.id}`);
  assert.ok(page.passengers.length >= 28 && page.passengers.length <= 40, String(page.passengers.length));
  assert.equal(page.checks.ok, false);
  const response = await coordinator.request('POST', `/api/v1/movements/${m.id}/lock`);
  assert.equal(response.statusCode, 422, response.body);
  const error = response.json().error as { code: string; details: { path: string; code: string; message: string }[] };
  assert.equal(error.code, 'manifest_checks_failed');
  const codes = new Set(error.details.map((d) => d.code));
  for (const code of ['manifest_medical_fitness', 'manifest_travel_document', 'manifest_child_escorted', 'manifest_clearances_valid']) assert.ok(codes.has(code), `${code} among ${[...codes].join(', ')}`);
  const names = new Map(page.passengers.map((p: { personId: string; displayName: string }) => [p.personId, p.displayName]));
  for (const d of error.details) {
    const personId = /^passengers\.([^.]+)\./.exec(d.path)?.[1];
    assert.ok(personId && names.has(personId), d.path);
    assert.ok(d.message.startsWith(`${names.get(personId)}:`), d.message);
  }
  // Not every check fails for everyone: documents and escorts are there for most.
  const documentless = error.details.filter((d) => d.code === 'manifest_travel_document').length;
  assert.ok(documentless > 0 && documentless < page.passengers.length, String(documentless));
});

test('Kazakhstan\'s invoice: 27 × USD 250, partly paid; the ledger shows the balance; Tajikistan still 75 eligible of 92', { timeout: 300_000 }, async () => {
  const invoices = (await get('/api/v1/invoices', kaz)).data as { total: string; paid: string; balance: string; status: string; currency: string; lines: { count: number; unitAmount: string }[] }[];
  assert.equal(invoices.length, 1);
  const [invoice] = invoices;
  assert.deepEqual([invoice?.total, invoice?.paid, invoice?.balance, invoice?.status, invoice?.currency], ['6750.00', '4000.00', '2750.00', 'partly_paid', 'USD']);
  assert.deepEqual(invoice?.lines.map((l) => [l.count, l.unitAmount]), [[27, '250.00']]);
  const ledger = await get('/api/v1/ledger');
  assert.deepEqual(ledger.balances, [{ countryCode: 'KAZ', currency: 'USD', total: '6750.00', paid: '4000.00', balance: '2750.00' }]);
  const view = (await get('/api/v1/countries/TJK/eligibility')).children;
  assert.deepEqual([view.total, view.eligible], [92, 75]);
});
