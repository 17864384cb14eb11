// Bulk import: rows per second of `runImport` (CSV parse, checks, all-or-nothing commit)
// for a generated file, beside PostgreSQL COPY of the same rows into a bare table.
import { createTestDatabase, TEST_DB_KIND } from '../../src/testing/database.ts';
import { readTable } from '../../src/registry/import/read-table.ts';
import { runImport } from '../../src/registry/import/run-import.ts';
import { today } from '../../src/registry/as-of.ts';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GIVEN = ['Фатима', 'محمد', 'Aisha', 'Мухаммад', 'عمر', 'Zeynep', 'Юсуф', 'خديجة'];
const FAMILY = ['Рахимова', 'Yılmaz', 'Müller', 'Алиев', 'Karimov', 'Dubois'];

export function generateCsv(rows: number, facility: string): string {
  const lines = ['external_ref,sex,birth_date,given_name,family_name,nationality,facility,admitted_on,mother_ref'];
  for (let i = 1; i <= rows; i++) {
    const mother = i % 3 === 0 ? `B-${i - 1}` : '';
    const child = mother !== '';
    lines.push([`B-${i}`, child ? 'male' : 'female', child ? `about ${2012 + (i % 8)}` : `${1980 + (i % 20)}`, GIVEN[i % GIVEN.length], FAMILY[i % FAMILY.length], 'TJK', facility, '2020-01-15', mother].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export async function benchImport(rows: number) {
  const database = await createTestDatabase();
  try {
    await database.db.insertInto('facilities').values({ name: 'Bench Facility', kind: 'prison', holding_authority: 'Bench', country_code: 'IRQ', capacity: 100000, updated_at: new Date() }).execute();
    const csv = generateCsv(rows, 'Bench Facility');
    let start = performance.now();
    const table = await readTable(Buffer.from(csv), 'csv');
    const report = await runImport(database.db, table, { system: 'bench' }, today(), { dryRun: false });
    const seconds = (performance.now() - start) / 1000;
    if (!report.committed) throw new Error(`import failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
    let copySeconds: number | null = null;
    if (TEST_DB_KIND === 'postgres' && database.url) {
      // The same rows through COPY into a bare table, with psql: the floor for any import.
      const file = path.join(os.tmpdir(), `homeward-bench-${process.pid}.csv`);
      fs.writeFileSync(file, csv);
      spawnSync('psql', [database.url, '-qc', 'create table bench_copy (external_ref text, sex text, birth_date text, given_name text, family_name text, nationality text, facility text, admitted_on text, mother_ref text)']);
      start = performance.now();
      const copy = spawnSync('psql', [database.url, '-qc', `\\copy bench_copy from '${file}' with (format csv, header true)`]);
      copySeconds = (performance.now() - start) / 1000;
      fs.rmSync(file);
      if (copy.status !== 0) copySeconds = null;
    }
    return { rows, seconds, rowsPerSecond: rows / seconds, created: report.created, links: report.familyLinks, copySeconds };
  } finally {
    await database.destroy();
  }
}
