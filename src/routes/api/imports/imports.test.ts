import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { type ImportEvent, NDJSON_TYPE, XLSX_TYPE } from './imports.ts';

let t: TestApp;
let coordinator: Client;
let custody: Client;
const FACILITY = 'Import Test Women’s Prison';

const HEADER = 'external_ref,sex,birth_date,given_name,family_name,other_name,nationality,facility,admitted_on,mother_ref';
let batch = 0;
/** A CSV of one mother and her two children, with references unique to this call. */
function family(): { csv: string; refs: string[] } {
  batch += 1;
  const r = (n: number) => `IMP-${process.pid}-${batch}-${n}`;
  const rows = [
    `${r(1)},female,1990,فاطمة,حسن,Фатима Хасан,RUS,${FACILITY},2019-06-01,`,
    `${r(2)},male,about 2016,محمد,حسن,Мухаммад Хасан,RUS,${FACILITY},2019-06-01,${r(1)}`,
    `${r(3)},female,2018-03,Aisha,Hasan,,RUS,,,${r(1)}`,
  ];
  return { csv: `${HEADER}\n${rows.join('\n')}\n`, refs: [r(1), r(2), r(3)] };
}

const post = (body: string | Buffer, query = 'dryRun=false', client = coordinator, type = 'text/csv', accept = 'application/json') =>
  client.request('POST', `/api/v1/imports?${query}`, body, { 'content-type': type, accept });

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
  return response.json().error as { message: string; details: { path: string; message: string }[] };
}

async function registered(refs: readonly string[]): Promise<number> {
  const rows = await t.database.db.selectFrom('persons').select('id').where('external_ref', 'in', [...refs]).execute();
  return rows.length;
}

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  custody = await signInNew(t, 'custody', { agencyName: 'Import Corrective Directorate' });
  const response = await custody.request('POST', '/api/v1/facilities', { name: FACILITY, kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 50 });
  assert.equal(response.statusCode, 201, response.body);
});
after(() => t.close());

describe('registry import', () => {
  test('the template lists every column and one example row', async () => {
    const response = await coordinator.request('GET', '/api/v1/imports/template.csv');
    assert.equal(response.statusCode, 200);
    const [header] = response.body.replace(/^\uFEFF/, '').split('\n');
    assert.ok(header?.startsWith('external_ref,sex,birth_date,given_name'), header);
  });

  test('a dry run reports what would happen and writes nothing', async () => {
    const { csv, refs } = family();
    const response = await post(csv, 'dryRun=true');
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { dryRun: true, committed: false, total: 3, created: 3, alreadyRegistered: 0, familyLinks: 2, problems: [] });
    assert.equal(await registered(refs), 0);
  });

  test('a commit registers people, custody and family links; re-importing creates no duplicates', async () => {
    const { csv, refs } = family();
    const first = await post(csv);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual({ ...(first.json() as object), problems: undefined }, { dryRun: false, committed: true, total: 3, created: 3, alreadyRegistered: 0, familyLinks: 2, problems: undefined });
    assert.equal(await registered(refs), 3);
    const mother = await t.database.db.selectFrom('persons').select('id').where('external_ref', '=', refs[0] as string).executeTakeFirstOrThrow();
    const page = (await coordinator.request('GET', `/api/v1/persons/${mother.id}`)).json();
    assert.equal(page.family.length, 2, JSON.stringify(page.family));
    assert.ok(page.family.every((f: { relation: string }) => f.relation === 'child'));

    const again = await post(csv);
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual([again.json().created, again.json().alreadyRegistered, again.json().familyLinks], [0, 3, 0]);
    assert.equal(await registered(refs), 3);
  });

  test('a file with bad rows imports nothing and lists every bad row by row and column', async () => {
    const { csv, refs } = family();
    const bad = `${csv}IMP-BAD-${process.pid}-1,female,next year,X,Y,,RUS,,,\nIMP-BAD-${process.pid}-2,woman,2001,X,Y,,ZZZ,Nowhere Prison,,\n`;
    const response = await post(bad);
    assert.equal(response.statusCode, 200, response.body);
    const report = response.json();
    assert.equal(report.committed, false);
    const problems = report.problems.map((p: { row: number; column: string }) => `${p.row}:${p.column}`);
    for (const expected of ['5:birth_date', '6:nationality', '6:facility', '6:admitted_on']) assert.ok(problems.includes(expected), `${expected} in ${problems.join(' ')}`);
    assert.ok(report.problems.every((p: { message: string }) => p.message.length > 5));
    assert.equal(await registered(refs), 0, 'the good rows of a bad file are not imported either');
  });

  test('a row the rules refuse while writing rolls the whole file back', async () => {
    const { csv, refs } = family();
    const future = `${csv}IMP-FUT-${process.pid},male,2099,Future,Child,,RUS,,,\n`;
    const report = (await post(future)).json();
    assert.equal(report.committed, false);
    assert.ok(report.problems.some((p: { row: number; column: string }) => p.row === 5 && p.column === 'birth_date'), JSON.stringify(report.problems));
    assert.equal(await registered(refs), 0);
  });

  test('missing and unknown columns, wrong encoding and empty files get clear messages', async () => {
    const missing = (await post('given_name,family_name\nA,B\n')).json();
    assert.deepEqual(
      missing.problems.map((p: { column: string }) => p.column),
      ['external_ref', 'sex', 'birth_date'],
    );
    const unknown = (await post('external_ref,sex,birth_date,surname\nX,female,2000,Y\n')).json();
    assert.match(unknown.problems[0].message, /not a column of the template/);
    const latin1 = Buffer.from('external_ref,sex,birth_date,given_name\nX-1,female,2000,J\xe9r\xf4me\n', 'latin1');
    assert.match(assertError(await post(latin1), 400, 'wrong_encoding').message, /not UTF-8/);
    assertError(await post(Buffer.from([0xff, 0xfe, 0x41, 0x00])), 400, 'wrong_encoding');
    assertError(await post(`${HEADER}\n`), 400, 'no_rows');
    assertError(await post(Buffer.from('PK\u0003\u0004 not really a workbook'), 'dryRun=true', coordinator, XLSX_TYPE), 400, 'malformed_xlsx');
  });

  test('an XLSX workbook imports like the CSV', async () => {
    const { csv, refs } = family();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    for (const line of csv.trim().split('\n')) sheet.addRow(line.split(','));
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await post(body, 'dryRun=false', coordinator, XLSX_TYPE);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual([response.json().committed, response.json().created, response.json().familyLinks], [true, 3, 2]);
    assert.equal(await registered(refs), 3);
  });

  test('with Accept: application/x-ndjson the progress streams line by line, then the report', async () => {
    batch += 1;
    const rows = Array.from({ length: 600 }, (_, i) => `STREAM-${process.pid}-${batch}-${i},${i % 2 ? 'male' : 'female'},${2000 + (i % 20)},Given${i},Family${i},,TJK,,,`);
    const response = await post(`${HEADER}\n${rows.join('\n')}\n`, 'dryRun=true', coordinator, 'text/csv', NDJSON_TYPE);
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /application\/x-ndjson/);
    const events = response.body.trim().split('\n').map((line) => JSON.parse(line) as ImportEvent);
    const progress = events.filter((e) => e.type === 'progress');
    assert.deepEqual(progress[0], { type: 'progress', phase: 'checking', done: 0, total: 600 });
    const writing = progress.filter((e) => e.phase === 'writing').map((e) => e.done);
    assert.ok(writing.length >= 3, `several progress lines while writing: ${writing.join(',')}`);
    assert.deepEqual(writing, [...writing].sort((a, b) => a - b), 'progress only goes forward');
    assert.equal(writing.at(-1), 600);
    const last = events.at(-1);
    assert.equal(last?.type, 'report');
    assert.deepEqual(last?.type === 'report' && [last.report.dryRun, last.report.created, last.report.problems.length], [true, 600, 0]);
    const [{ n }] = (await sql<{ n: number }>`select count(*)::int as n from persons where external_ref like ${`STREAM-${process.pid}-%`}`.execute(t.database.db)).rows as [{ n: number }];
    assert.equal(n, 0);
  });

  test('an unreadable file is refused before streaming starts, in the error format', async () => {
    const response = await post('', 'dryRun=true', coordinator, 'text/csv', NDJSON_TYPE);
    assert.ok([400].includes(response.statusCode), response.body);
    assert.ok(response.json().error.code);
  });

  test('a custody officer imports only into their own facilities; other roles may not import', async () => {
    const judge = await signInNew(t, 'judiciary');
    assertError(await post(family().csv, 'dryRun=true', judge), 403, 'forbidden');
    const { csv, refs } = family();
    const response = await post(csv, 'dryRun=false', custody);
    assert.equal(response.statusCode, 200, response.body);
    const report = response.json();
    // Row 4 has no facility: a custody officer must place everyone they register.
    assert.equal(report.committed, false, JSON.stringify(report));
    assert.ok(report.problems.some((p: { row: number; column: string }) => p.row === 4 && p.column === 'facility'), JSON.stringify(report.problems));
    assert.equal(await registered(refs), 0);
  });
});
