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

/** Fixture, inserted directly: a Tajik family case (two members), a Tajik individual case in assessment, a Russian case. */
let t: TestApp;
let coordinator: Client;
let tjk: Client;

let seq = 0;
async function person(country: string, name: string): Promise<string> {
  seq++;
  const db = t.database.db;
  const p = await db.insertInto('persons').values({ display_name: name, sex: 'female', birth_precision: 'year', birth_earliest: '2015-01-01', birth_latest: '2015-12-31' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('person_nationalities').values({ person_id: p.id, country_code: country, status: 'claimed' }).execute();
  return p.id;
}
async function openCase(reference: string, country: string, state: string, kind: string, members: readonly string[]): Promise<void> {
  const c = await t.database.db.insertInto('cases').values({ reference, country_code: country, kind, state }).returning('id').executeTakeFirstOrThrow();
  for (const id of members) await t.database.db.insertInto('case_members').values({ case_id: c.id, person_id: id, role: 'child' }).execute();
}

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  await openCase('EXP-TJK-1', 'TJK', 'clearance', 'family', [await person('TJK', 'Зарина Рахимова'), await person('TJK', 'Мадина Рахимова')]);
  await openCase('EXP-TJK-2', 'TJK', 'assessment', 'individual', [await person('TJK', '=Formula Person')]);
  await openCase('EXP-RUS-1', 'RUS', 'clearance', 'individual', [await person('RUS', 'Анна Кузнецова')]);
});
after(() => t.close());

const get = (client: Client, query: string) => client.request('GET', `/api/v1/cases/export?${query}`);
const ok = (response: LightMyRequestResponse, type: RegExp) => {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, type);
  return response;
};
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'cases-export-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'f.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('GET /api/v1/cases/export', () => {
  test('CSV: the columns, members by name, a formula made inert; the file named', async () => {
    const csv = ok(await get(coordinator, 'format=csv'), /^text\/csv/);
    assert.match(csv.headers['content-disposition'] as string, /^attachment; filename="homeward-cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.body.slice(1).trim().split('\r\n');
    assert.equal(lines[0], 'reference,country,kind,state,members,eligible,state_changed_at');
    const family = lines.find((l) => l.startsWith('EXP-TJK-1,'));
    assert.match(family ?? '', /^EXP-TJK-1,TJK,family,clearance,"(Зарина Рахимова; Мадина Рахимова|Мадина Рахимова; Зарина Рахимова)",unknown,\d{4}-/);
    assert.ok(lines.some((l) => l.startsWith("EXP-TJK-2,TJK,individual,assessment,'=Formula Person,")), csv.body);
    assert.ok(lines.some((l) => l.startsWith('EXP-RUS-1,')));
  });

  test('XLSX and PDF', async () => {
    const xlsx = ok(await get(coordinator, 'format=xlsx&countryCode=TJK'), /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const refs = workbook.worksheets[0]?.getColumn(1).values.slice(2);
    assert.deepEqual([...(refs ?? [])].sort(), ['EXP-TJK-1', 'EXP-TJK-2']);
    const pdf = ok(await get(coordinator, 'format=pdf&state=clearance'), /^application\/pdf/);
    assert.equal(pdf.rawPayload.subarray(0, 4).toString(), '%PDF');
    const text = pdfText(pdf.rawPayload);
    assert.match(text, /EXP-TJK-1/);
    assert.match(text, /EXP-RUS-1/);
    assert.doesNotMatch(text, /EXP-TJK-2/, 'the state filter');
    assert.match(text, /Confidential/);
  });

  test("an embassy's export holds only its own country's cases", async () => {
    const csv = ok(await get(tjk, 'format=csv'), /^text\/csv/);
    assert.ok(csv.body.includes('EXP-TJK-1') && csv.body.includes('EXP-TJK-2'));
    assert.ok(!csv.body.includes('EXP-RUS-1') && !csv.body.includes('Кузнецова'), csv.body);
    const asked = ok(await get(tjk, 'format=csv&countryCode=RUS'), /^text\/csv/);
    assert.equal(asked.body.slice(1).trim().split('\r\n').length, 1, 'the header only');
  });

  test('is audited with the format, the filters and the row count', async () => {
    ok(await get(tjk, 'format=pdf&state=assessment'), /^application\/pdf/);
    const audit = await t.database.db
      .selectFrom('audit_events as e')
      .innerJoin('audit_values as v', 'v.event_id', 'e.id')
      .select(['e.actor_role', 'v.data'])
      .where('e.action', '=', 'cases.exported')
      .execute();
    const entry = audit.map((a) => ({ role: a.actor_role, data: JSON.stringify(a.data) })).find((a) => a.role === 'embassy' && a.data.includes('"pdf"'));
    assert.ok(entry, JSON.stringify(audit));
    assert.match(entry.data, /"state":"assessment"/);
    assert.match(entry.data, /"rows":1\b/);
  });

  test('a bad format is a 400 naming the query string\'s format', async () => {
    const response = await get(coordinator, 'format=docx');
    assert.equal(response.statusCode, 400, response.body);
    // Schema validation names the query string "querystring" (src/server/errors.ts: Fastify's validationContext).
    assert.deepEqual(response.json().error.details.map((d: { path: string }) => d.path), ['querystring.format']);
  });

  test('the role × endpoint matrix (and /cases/export is not taken for /cases/:id)', async () => {
    const clients = new Map<Role, Client>();
    for (const role of ROLES) clients.set(role, await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {}));
    const readers = { coordinator: 200, judiciary: 200, custody: 200, security: 200, embassy: 200, child_protection: 200 } as const;
    await checkMatrix(clients, [{ method: 'GET', url: '/api/v1/cases/export?format=csv', allow: readers }]);
  });
});
