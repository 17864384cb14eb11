import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { type ListExportInput, listCsv, listPdf, listXlsx, renderList } from './list-export.ts';

interface Row {
  readonly reference: string;
  readonly name: string;
  readonly count: number;
}
const input: ListExportInput<Row> = {
  title: 'Cases',
  filename: 'homeward-cases-2025-01-31',
  asOf: '2025-01-31',
  rows: [
    { reference: 'TJK-2025-0001', name: 'Рахимова, Зарина', count: 2 },
    { reference: '=HYPERLINK("http://x")', name: 'فاطمة "الزهراء"', count: 1 },
  ],
  columns: [
    { header: 'reference', value: (r) => r.reference, width: 3 },
    { header: 'name', value: (r) => r.name, width: 5 },
    { header: 'count', value: (r) => r.count },
  ],
};

describe('a list as a file', () => {
  test('CSV: a byte-order mark, quoted commas and quotes, and a cell starting with = made inert', () => {
    const csv = listCsv(input);
    assert.ok(csv.startsWith('\uFEFFreference,name,count\r\n'));
    const lines = csv.slice(1).split('\r\n');
    assert.equal(lines[1], 'TJK-2025-0001,"Рахимова, Зарина",2');
    assert.equal(lines[2], `"'=HYPERLINK(""http://x"")","فاطمة ""الزهراء""",1`);
    assert.equal(lines[3], '');
  });

  test('XLSX: opens, the header bold, the formula stored as text', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await listXlsx(input)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Cases');
    assert.ok(sheet);
    assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1), ['reference', 'name', 'count']);
    assert.equal(sheet.getRow(1).font?.bold, true);
    assert.equal(sheet.getCell('A3').value, `'=HYPERLINK("http://x")`);
    assert.equal(sheet.getCell('B2').value, 'Рахимова, Зарина');
    assert.equal(sheet.rowCount, 3);
  });

  test('PDF: landscape, the title, the as-of date, a row and the confidential footer', async () => {
    const pdf = await listPdf(input);
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
    const dir = mkdtempSync(join(tmpdir(), 'list-export-'));
    try {
      const file = join(dir, 'list.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(text, /Cases/);
      assert.match(text, /2025-01-31/);
      assert.match(text, /TJK-2025-0001/);
      assert.match(text, /Рахимова, Зарина/);
      assert.match(text, /Confidential/);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) ?? [];
      assert.ok(Number(w) > Number(h), `landscape: ${w} x ${h}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('date columns: written out in CSV, date cells in XLSX; a column can stay out of the PDF', async () => {
    const dated: ListExportInput<{ on: string; at: Date; hash: string }> = {
      title: 'Dated',
      filename: 'dated',
      asOf: '2025-01-31',
      rows: [{ on: '2025-01-02', at: new Date('2025-01-03T04:05:06.789Z'), hash: 'HASH-NOT-IN-PDF' }],
      columns: [
        { header: 'On', value: (r) => r.on, type: 'date' },
        { header: 'At (UTC)', value: (r) => r.at, type: 'datetime' },
        { header: 'Hash', value: (r) => r.hash, pdf: false },
      ],
    };
    assert.equal(listCsv(dated).slice(1).split('\r\n')[1], '2025-01-02,2025-01-03 04:05,HASH-NOT-IN-PDF');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await listXlsx(dated)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    assert.deepEqual(sheet?.getCell('A2').value, new Date('2025-01-02T00:00:00Z'));
    assert.equal(sheet?.getCell('A2').numFmt, 'yyyy-mm-dd');
    assert.equal((sheet?.getCell('B2').value as Date).toISOString(), '2025-01-03T04:05:06.789Z');
    assert.equal(sheet?.getCell('B2').numFmt, 'yyyy-mm-dd hh:mm');
    const dir = mkdtempSync(join(tmpdir(), 'list-export-'));
    try {
      writeFileSync(join(dir, 'dated.pdf'), await listPdf(dated));
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'dated.pdf'), '-'], { encoding: 'utf8' });
      assert.match(text, /2025-01-03 04:05/);
      assert.doesNotMatch(text, /HASH-NOT-IN-PDF/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('content types and file names', async () => {
    assert.deepEqual(
      await Promise.all((['csv', 'xlsx', 'pdf'] as const).map(async (f) => {
        const file = await renderList(f, input);
        return [file.contentType, file.filename];
      })),
      [
        ['text/csv; charset=utf-8', 'homeward-cases-2025-01-31.csv'],
        ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'homeward-cases-2025-01-31.xlsx'],
        ['application/pdf', 'homeward-cases-2025-01-31.pdf'],
      ],
    );
  });
});
