import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix } from '../../../testing/matrix.ts';

/**
 * Fixture, inserted directly: a Tajik repatriation (planned, 2 passengers) and a Russian one (completed),
 * each with an invoice; a transfer between holding authorities (no country an embassy sees).
 */
let t: TestApp;
let coordinator: Client;
let tjk: Client;
const TODAY = new Date().toISOString().slice(0, 10);

async function movement(reference: string, kind: string, country: string | null, status: string, passengers = 0): Promise<string> {
  const db = t.database.db;
  const m = await db
    .insertInto('movements')
    .values({ reference, kind, mode: 'air', country_code: country, from_place: 'Baghdad', to_place: kind === 'transfer' ? 'Erbil' : 'Home', departure_date: TODAY, capacity: 40, status })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < passengers; i++) {
    const p = await db.insertInto('persons').values({ display_name: `Passenger ${reference} ${i}`, sex: 'female', birth_precision: 'year', birth_earliest: '2015-01-01', birth_latest: '2015-12-31' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('movement_passengers').values({ movement_id: m.id, person_id: p.id, active: true }).execute();
  }
  return m.id;
}
async function invoice(number: string, movementId: string, country: string, total: string): Promise<void> {
  await t.database.db.insertInto('invoices').values({ number, movement_id: movementId, country_code: country, currency: 'USD', issued_on: TODAY, due_on: TODAY, total }).execute();
}

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  await invoice('INV-EXP-TJK', await movement('MV-EXP-TJK', 'repatriation', 'TJK', 'planned', 2), 'TJK', '1200.000');
  await invoice('INV-EXP-RUS', await movement('MV-EXP-RUS', 'repatriation', 'RUS', 'completed'), 'RUS', '800.000');
  await movement('MV-EXP-TRF', 'transfer', null, 'planned');
});
after(() => t.close());

const ok = (response: LightMyRequestResponse, type: RegExp) => {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, type);
  return response;
};
const csvLines = (response: LightMyRequestResponse) => response.body.slice(1).trim().split('\r\n');
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'movements-export-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'f.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
async function audited(action: string) {
  const rows = await t.database.db
    .selectFrom('audit_events as e')
    .innerJoin('audit_values as v', 'v.event_id', 'e.id')
    .select(['e.actor_role', 'v.data'])
    .where('e.action', '=', action)
    .execute();
  return rows.map((r) => ({ role: r.actor_role, data: JSON.stringify(r.data) }));
}

describe('GET /api/v1/movements/export', () => {
  test('CSV: reference, kind, route, date, status, passengers, capacity', async () => {
    const csv = ok(await coordinator.request('GET', '/api/v1/movements/export?format=csv'), /^text\/csv/);
    assert.match(csv.headers['content-disposition'] as string, /^attachment; filename="homeward-movements-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csvLines(csv);
    assert.equal(lines[0], 'reference,kind,country,route,date,status,passengers,capacity');
    assert.ok(lines.includes(`MV-EXP-TJK,repatriation,TJK,Baghdad → Home,${TODAY},planned,2,40`), csv.body);
    assert.ok(lines.includes(`MV-EXP-TRF,transfer,,Baghdad → Erbil,${TODAY},planned,0,40`), csv.body);
  });

  test('XLSX and PDF, with the filters', async () => {
    const xlsx = ok(await coordinator.request('GET', '/api/v1/movements/export?format=xlsx&status=planned'), /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual([...(workbook.worksheets[0]?.getColumn(1).values.slice(2) ?? [])].sort(), ['MV-EXP-TJK', 'MV-EXP-TRF']);
    const pdf = ok(await coordinator.request('GET', '/api/v1/movements/export?format=pdf&countryCode=RUS'), /^application\/pdf/);
    assert.equal(pdf.rawPayload.subarray(0, 4).toString(), '%PDF');
    const text = pdfText(pdf.rawPayload);
    assert.match(text, /MV-EXP-RUS/);
    assert.doesNotMatch(text, /MV-EXP-TJK/);
  });

  test("an embassy's export holds only its own country's repatriations; audited", async () => {
    const csv = ok(await tjk.request('GET', '/api/v1/movements/export?format=csv'), /^text\/csv/);
    assert.deepEqual(csvLines(csv).slice(1).map((l) => l.split(',')[0]), ['MV-EXP-TJK']);
    const entry = (await audited('movements.exported')).find((a) => a.role === 'embassy');
    assert.ok(entry);
    assert.match(entry.data, /"format":"csv"/);
    assert.match(entry.data, /"rows":1\b/);
  });

  test('a bad format is a 400 naming the format', async () => {
    const response = await coordinator.request('GET', '/api/v1/movements/export?format=json');
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(response.json().error.details.map((d: { path: string }) => d.path), ['querystring.format']);
  });
});

describe('GET /api/v1/invoices/export (the fee ledger)', () => {
  test('CSV, XLSX and PDF', async () => {
    const csv = ok(await coordinator.request('GET', '/api/v1/invoices/export?format=csv'), /^text\/csv/);
    const lines = csvLines(csv);
    assert.equal(lines[0], 'invoice,country,movement,issued_on,due_on,currency,total,paid,balance,status');
    assert.ok(lines.some((l) => l.startsWith(`INV-EXP-TJK,TJK,MV-EXP-TJK,${TODAY},${TODAY},USD,1200.00,0.00,1200.00,`)), csv.body);
    assert.ok(lines.some((l) => l.startsWith('INV-EXP-RUS,')));
    const xlsx = ok(await coordinator.request('GET', '/api/v1/invoices/export?format=xlsx'), /spreadsheetml/);
    assert.match(xlsx.headers['content-disposition'] as string, /homeward-ledger-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    assert.equal(workbook.worksheets[0]?.rowCount, 3);
    const pdf = ok(await coordinator.request('GET', '/api/v1/invoices/export?format=pdf'), /^application\/pdf/);
    assert.match(pdfText(pdf.rawPayload), /INV-EXP-RUS/);
  });

  test("an embassy's ledger holds only its own country's invoices; audited as a ledger export", async () => {
    const pdf = ok(await tjk.request('GET', '/api/v1/invoices/export?format=pdf'), /^application\/pdf/);
    const text = pdfText(pdf.rawPayload);
    assert.match(text, /INV-EXP-TJK/);
    assert.doesNotMatch(text, /INV-EXP-RUS/);
    const entry = (await audited('ledger.exported')).find((a) => a.role === 'embassy' && a.data.includes('"pdf"'));
    assert.ok(entry);
    assert.match(entry.data, /"rows":1\b/);
  });

  test('a bad format is a 400', async () => {
    const response = await coordinator.request('GET', '/api/v1/invoices/export?format=json');
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(response.json().error.details.map((d: { path: string }) => d.path), ['querystring.format']);
  });
});

test('the role × endpoint matrix (the static /export is not taken for /:id)', async () => {
  const clients = new Map<Role, Client>();
  for (const role of ROLES) clients.set(role, await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {}));
  await checkMatrix(clients, [
    { method: 'GET', url: '/api/v1/movements/export?format=csv', allow: { coordinator: 200, custody: 200, embassy: 200 } },
    { method: 'GET', url: '/api/v1/invoices/export?format=csv', allow: { coordinator: 200, embassy: 200 } },
  ]);
});
