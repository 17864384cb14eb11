// The hostile import (issue 8): a CSV of N rows (1,000,000 with --full) imported with the real
// `homeward import` on a PostgreSQL server — first with one ragged row near the end (row 999,999
// of a million: every row before it is read and checked), which must leave nothing written, then
// the same file whole: rows per second and the importer's peak memory. The CI test
// (src/server/fuzz/hostile-files.test.ts) does the same with 5,000 rows.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface HostileImportRun {
  readonly seconds: number;
  readonly exitCode: number | null;
  /** The importer's resident-memory high-water mark (VmHWM), MB. */
  readonly peakMb: number;
  readonly persons: number;
  readonly output: string;
}

export interface HostileImportResult {
  readonly rows: number;
  readonly fileMb: number;
  readonly raggedRow: number;
  readonly ragged: HostileImportRun;
  readonly whole: HostileImportRun;
  readonly rowsPerSecond: number;
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const GIVEN = ['Amina', 'محمد', 'Зарина', 'Fatima', 'Юсуф', 'عائشة', 'Ibrahim', 'Мадина', 'Khadija', 'حسن'];
const FAMILY = ['Karimova', 'حسن', 'Алиева', 'Rahimov', 'Юсупов', 'العلي', 'Nazarova', 'Шарипов'];
const COUNTRIES = ['TJK', 'RUS', 'UZB', 'KAZ', 'IRQ', 'SYR'];

/** Writes the CSV a chunk at a time; the row at `raggedLine` (the header is line 1), if any, has three cells too few. */
function writeCsv(file: string, rows: number, raggedLine: number | null): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'external_ref,sex,birth_date,given_name,family_name,nationality\n');
    let chunk: string[] = [];
    for (let i = 0; i < rows; i++) {
      const line = i + 2;
      const ref = `HI-${String(i).padStart(7, '0')}`;
      const sex = i % 2 ? 'male' : 'female';
      const birth = `${1960 + (i % 60)}`;
      chunk.push(line === raggedLine ? `${ref},${sex},${birth}` : `${ref},${sex},${birth},${GIVEN[i % GIVEN.length]},${FAMILY[(i * 7) % FAMILY.length]},${COUNTRIES[i % COUNTRIES.length]}`);
      if (chunk.length === 10_000) {
        fs.writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

function vmHwmMb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Runs `homeward import FILE` to its end, sampling its memory until it exits. */
async function runImport(root: string, env: Record<string, string>, file: string, extra: string[] = []): Promise<Omit<HostileImportRun, 'persons'>> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'homeward.js'), 'import', file, ...extra], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let peak = 0;
  // The main process of bin/homeward.js is the importer (tsx runs in it); sample its high-water mark.
  const timer = setInterval(() => (peak = Math.max(peak, vmHwmMb(child.pid as number))), 200);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearInterval(timer);
  return { seconds: (performance.now() - started) / 1000, exitCode, peakMb: peak, output: output.trim() };
}

export async function benchHostileImport(options: { root: string; rows: number }): Promise<HostileImportResult> {
  const { root, rows } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-hostile-import-'));
  const dbName = `hw_hostile_import_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const env = { DATABASE_URL: url.toString(), HOMEWARD_DATA_DIR: dir };
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    // The schema first (a one-row dry run migrates), so neither timed run includes it.
    const warm = path.join(dir, 'warm.csv');
    writeCsv(warm, 1, null);
    const warmed = await runImport(root, env, warm, ['--dry-run']);
    if (warmed.exitCode !== 0) throw new Error(`the warm-up import failed:\n${warmed.output}`);
    await db.connect();
    const persons = async () => Number((await db.query('select count(*) as n from persons')).rows[0].n);

    const raggedLine = rows + 1 >= 999_999 ? 999_999 : rows; // row 999,999 of a million; the last but one otherwise
    const raggedFile = path.join(dir, 'ragged.csv');
    writeCsv(raggedFile, rows, raggedLine);
    const fileMb = fs.statSync(raggedFile).size / 1024 / 1024;
    console.log(`hostile import: ${rows.toLocaleString('en')} rows, ${fileMb.toFixed(0)} MB; ragged row at ${raggedLine.toLocaleString('en')}`);
    const ragged = { ...(await runImport(root, env, raggedFile)), persons: await persons() };
    fs.rmSync(raggedFile);
    console.log(`  ragged: exit ${ragged.exitCode} in ${ragged.seconds.toFixed(1)} s, ${ragged.persons} people written, peak ${Math.round(ragged.peakMb)} MB: ${ragged.output.split('\n').find((l) => l.startsWith('row ')) ?? ragged.output.slice(-300)}`);
    if (ragged.exitCode === 0 || ragged.persons !== 0 || !ragged.output.includes(`row ${raggedLine},`)) {
      throw new Error(`the ragged file must be refused by its row ${raggedLine}, writing nothing: exit ${ragged.exitCode}, ${ragged.persons} people\n${ragged.output.slice(-2000)}`);
    }

    const wholeFile = path.join(dir, 'whole.csv');
    writeCsv(wholeFile, rows, null);
    const whole = { ...(await runImport(root, env, wholeFile)), persons: await persons() };
    console.log(`  whole: exit ${whole.exitCode} in ${whole.seconds.toFixed(1)} s, ${whole.persons.toLocaleString('en')} people, peak ${Math.round(whole.peakMb)} MB`);
    if (whole.exitCode !== 0 || whole.persons !== rows) throw new Error(`the whole file must import: exit ${whole.exitCode}, ${whole.persons} people\n${whole.output.slice(-2000)}`);
    return { rows, fileMb, raggedRow: raggedLine, ragged, whole, rowsPerSecond: rows / whole.seconds };
  } finally {
    await db.end().catch(() => undefined);
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// `node --import tsx scripts/bench/hostile-import.ts [ROWS]`: the part alone, printed, docs untouched.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const r = await benchHostileImport({ root, rows: Number(process.argv[2] ?? 20_000) });
  console.log(JSON.stringify({ rows: r.rows, fileMb: Math.round(r.fileMb), raggedSeconds: r.ragged.seconds, raggedPeakMb: Math.round(r.ragged.peakMb), wholeSeconds: r.whole.seconds, rowsPerSecond: Math.round(r.rowsPerSecond), wholePeakMb: Math.round(r.whole.peakMb) }));
}
