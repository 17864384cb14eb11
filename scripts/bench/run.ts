// `npm run bench [-- search|import|matching] [--full]`: measures and writes docs/benchmarks.md.
// Quick mode (default) imports 5,000 rows and deduplicates 100,000 synthetic records; --full imports
// 50,000 and deduplicates 1,000,000. Run on an idle machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchImport } from './import.ts';
import { benchMatching } from './matching.ts';
import { benchSearch } from './search.ts';
import { ms } from './stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const parts = args.filter((a) => !a.startsWith('--'));
const want = (part: string) => parts.length === 0 || parts.includes(part);

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const sections: string[] = [];

if (want('search')) {
  process.env.HOMEWARD_TEST_DB = 'pglite';
  const result = await benchSearch();
  const lines = [`### ${result.title}`, '', '| what | API p50 / p95 / p99 (ms) | raw SQL p50 / p95 / p99 (ms) |', '|---|---|---|'];
  for (const [what, api, raw] of result.rows) lines.push(`| ${what} | ${ms(api)} | ${ms(raw)} |`);
  sections.push([...lines, '', result.note].join('\n'));
  console.log(lines.join('\n'));
}

if (want('import')) {
  const rows = full ? 50_000 : 5_000;
  const lines = [`### Registry import, ${rows.toLocaleString('en')} rows (CSV, one transaction)`, '', '| database | seconds | rows/s | people created | family links | COPY of the same rows (s) |', '|---|---|---|---|---|---|'];
  for (const kind of ['pglite', 'postgres'] as const) {
    process.env.HOMEWARD_TEST_DB = kind;
    const r = await benchImportIn(kind, rows);
    lines.push(`| ${kind} | ${r.seconds.toFixed(1)} | ${Math.round(r.rowsPerSecond).toLocaleString('en')} | ${r.created} | ${r.links} | ${r.copySeconds === null ? '—' : r.copySeconds.toFixed(2)} |`);
    console.log(lines[lines.length - 1]);
  }
  sections.push(lines.join('\n'));
}

if (want('matching')) sections.push(benchMatching(ROOT, full));

async function benchImportIn(kind: 'pglite' | 'postgres', rows: number) {
  // The test database module reads HOMEWARD_TEST_DB once; run each kind in a child process.
  const { spawnSync } = await import('node:child_process');
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench/import-one.ts'), String(rows)], {
    cwd: ROOT,
    env: { ...process.env, HOMEWARD_TEST_DB: kind },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`import bench on ${kind} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string);
}

const file = path.join(ROOT, 'docs', 'benchmarks.md');
const header = '# Benchmarks\n\nMeasured by `npm run bench` (parts: `search`, `import`, `matching`; `--full` for 50,000 import rows and 1,000,000 synthetic records to deduplicate). Medians and tails in milliseconds unless said otherwise. Each run replaces its section below.\n';
const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : header;
const block = `<!-- bench:${parts.join(',') || 'all'} -->\n## ${date} — ${parts.join(', ') || 'all parts'}${full ? ' (full)' : ' (quick)'}\n\nMachine: ${machine}.\n\n${sections.join('\n\n')}\n<!-- /bench -->\n`;
const marker = new RegExp(`<!-- bench:${parts.join(',') || 'all'} -->[\\s\\S]*?<!-- /bench -->\\n`);
fs.writeFileSync(file, marker.test(existing) ? existing.replace(marker, block) : `${existing.trimEnd()}\n\n${block}`);
console.log(`written to ${path.relative(ROOT, file)}`);
