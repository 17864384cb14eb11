// `npm test`: the whole suite, as CI runs it. Installs what is missing, checks
// types, then runs every test file against the embedded database (PGlite) and
// against a PostgreSQL server, then the browser tests in Chromium.
//   npm test                     everything
//   npm test -- --only pglite    one database (pglite | postgres | browser)
//   npm test -- src/audit        only test files under a path
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ensureChromium, ensureInstalled, ensurePostgres, ensureServerBuilt, ensureWebBuilt, step } from './lib/setup.mjs';

const argv = process.argv.slice(2);
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : null;
const filters = argv.filter((a, i) => !a.startsWith('--') && !(onlyIndex >= 0 && i === onlyIndex + 1));
const started = Date.now();
// The tests' embedded databases are small, and some hundreds are opened: a 16MB page cache sets up in a
// sixth of the time of the default 128MB (HOMEWARD_PGLITE_SHARED_BUFFERS, decision 0035).
process.env.HOMEWARD_PGLITE_SHARED_BUFFERS ||= '16MB';

function findTests(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(ROOT, full));
  }
  return out.sort();
}

const matches = (file) => filters.length === 0 || filters.some((f) => file.startsWith(f.replace(/^\.\//, '')));
const unitFiles = findTests(path.join(ROOT, 'src')).filter(matches);
const browserFiles = findTests(path.join(ROOT, 'tests', 'browser')).filter(matches);
const tmp = path.join(ROOT, '.tmp');
fs.mkdirSync(tmp, { recursive: true });

const totals = { pass: 0, fail: 0, skipped: 0 };

/**
 * Whether a test file can reach a database: it imports — directly or through any chain of relative
 * imports — the module that opens one (src/db/database.ts, src/testing/database.ts), or it starts
 * processes. Files that cannot (the names, matching and eligibility engines, the domain rules, PDF
 * layout) run once, in the embedded-database pass: running them again against PostgreSQL would test
 * nothing new. When in doubt a file counts as using the database.
 */
const DATABASE_MODULES = new Set(['src/db/database.ts', 'src/testing/database.ts'].map((f) => path.join(ROOT, f)));
const reaches = new Map();
function usesDatabase(file, seen = new Set()) {
  const full = path.resolve(ROOT, file);
  if (DATABASE_MODULES.has(full)) return true;
  if (reaches.has(full)) return reaches.get(full);
  if (seen.has(full)) return false;
  seen.add(full);
  let text;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch {
    return true;
  }
  let result = /child_process|HOMEWARD_TEST_DB|DATABASE_URL/.test(text);
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    if (result) break;
    const target = path.resolve(path.dirname(full), m[1]);
    if (/\.(ts|mts|js|mjs)$/.test(target)) result = usesDatabase(target, seen);
  }
  reaches.set(full, result);
  return result;
}

/**
 * The test files as JavaScript (decision 0028): esbuild bundles each one (in a second or two), so that
 * no test process pays tsx's loader — about 1 s of CPU per file, a sixth of the suite. Each module keeps
 * its source file's `import.meta.url`, and source maps point failures at the TypeScript lines.
 * HOMEWARD_TEST_FROM_SOURCE=1 runs the sources through tsx instead.
 */
const FROM_SOURCE = process.env.HOMEWARD_TEST_FROM_SOURCE === '1';
const built = new Map();
async function buildTests(files) {
  if (FROM_SOURCE) return;
  step(`Bundling ${files.length} test files (esbuild)`);
  const { build } = await import('esbuild');
  const { NODE_BUNDLE } = await import('./lib/server-build.mjs');
  const outdir = path.join(tmp, 'test-build');
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({ ...NODE_BUNDLE, absWorkingDir: ROOT, entryPoints: files, outbase: ROOT, outdir, outExtension: { '.js': '.mjs' } });
  for (const file of files) built.set(file, path.join(outdir, file.replace(/\.ts$/, '.mjs')));
}

/** What the test runner is given for a test file: its bundle, or the source under HOMEWARD_TEST_FROM_SOURCE. */
const entryOf = (file) => built.get(file) ?? file;
const slug = (label) => label.replace(/\W+/g, '-');

/**
 * Test files in shared processes (decision 0035). A process's first embedded databases cost it 2–3 s of
 * CPU each while V8 compiles and tiers up PGlite's WebAssembly, later ones ~1 s, and every process loads
 * the same modules: so the unit files run a few to a process, each group importing its files in turn
 * (node:test runs their tests one file after another; a file's top-level hooks run at its group's start
 * and end). Files that start `homeward` processes gain nothing and run alone, first, as the longest.
 * HOMEWARD_TEST_GROUP_SIZE=1 runs every file in its own process.
 */
const GROUP_SIZE = Math.max(1, Number(process.env.HOMEWARD_TEST_GROUP_SIZE ?? 5) || 5);
const startsProcesses = (file) => /\bspawn(Sync)?\(|\bexecFile(Sync)?\(|\bfork\(/.test(fs.readFileSync(path.join(ROOT, file), 'utf8'));
function grouped(label, files) {
  if (FROM_SOURCE || GROUP_SIZE === 1) return files.map(entryOf);
  const alone = files.filter(startsProcesses);
  const rest = files.filter((f) => !alone.includes(f));
  const dir = path.join(tmp, 'test-build', 'groups');
  fs.mkdirSync(dir, { recursive: true });
  const groups = [];
  const count = Math.ceil(rest.length / GROUP_SIZE);
  for (let g = 0; g < count; g++) {
    // Every count-th file: each group a mix of directories, so no group holds all of one slow area.
    const members = rest.filter((_, i) => i % count === g);
    const entry = path.join(dir, `${slug(label)}-${String(g + 1).padStart(2, '0')}.mjs`);
    const lines = members.map((f) => `import ${JSON.stringify(`./${path.relative(dir, entryOf(f)).split(path.sep).join('/')}`)};`);
    fs.writeFileSync(entry, `// ${members.join(', ')}\n${lines.join('\n')}\n`);
    groups.push(entry);
  }
  return [...alone.map(entryOf), ...groups];
}

/** Runs test files with node:test, `concurrency` processes at a time; `group: false` gives each file its own process. */
function runNodeTests(label, files, env, concurrency, { group = true } = {}) {
  return new Promise((resolve) => {
    if (files.length === 0) return resolve(0);
    const entries = group ? grouped(label, files) : files.map(entryOf);
    step(`${label}: ${files.length} test files${entries.length < files.length ? ` in ${entries.length} processes` : ''}`);
    const tap = path.join(tmp, `${slug(label)}.tap`);
    const child = spawn(
      process.execPath,
      [
        ...(FROM_SOURCE ? ['--import', 'tsx'] : ['--enable-source-maps']),
        '--test',
        `--test-concurrency=${concurrency}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...entries,
      ],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } },
    );
    child.on('exit', (code) => {
      const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      const pass = count('pass');
      const fail = count('fail') + count('cancelled');
      totals.pass += pass;
      totals.fail += fail + (code !== 0 && fail === 0 ? 1 : 0);
      totals.skipped += count('skipped') + count('todo');
      resolve(code ?? 1);
    });
  });
}

async function main() {
  ensureInstalled();
  ensureWebBuilt();
  await ensureServerBuilt();
  await buildTests([...unitFiles, ...browserFiles]);

  if (!only) {
    step('Type check (tsc)');
    const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'inherit' });
    const tscWeb = spawnSync('npx', ['tsc', '-p', 'web/tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
    if (tsc.status !== 0 || tscWeb.status !== 0) {
      totals.fail += 1;
      console.error('type check failed');
    }
  }

  if (!only || only === 'pglite') {
    step('Preparing the embedded database template (PGlite)');
    const template = path.join(tmp, 'pglite-template.tar.gz');
    const prep = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-test-db.ts', 'pglite', template], { cwd: ROOT, stdio: 'inherit' });
    if (prep.status !== 0) throw new Error('could not prepare the PGlite template');
    await runNodeTests('pglite', unitFiles, { HOMEWARD_TEST_DB: 'pglite', HOMEWARD_TEST_PGLITE_TEMPLATE: template }, 2);
  }

  if (!only || only === 'postgres') {
    const url = await ensurePostgres();
    step(`Preparing the PostgreSQL template database on ${new URL(url).host}`);
    const env = { HOMEWARD_TEST_DB: 'postgres', TEST_DATABASE_URL: url, HOMEWARD_TEST_PG_TEMPLATE: 'homeward_test_template' };
    const prep = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-test-db.ts', 'postgres'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    if (prep.status !== 0) throw new Error('could not prepare the PostgreSQL template');
    await runNodeTests('postgres', unitFiles.filter((f) => usesDatabase(f)), env, 3);
  }

  if (!only || only === 'browser') {
    ensureChromium();
    // The shared demo database of the browser tests (tests/browser/server.ts) is loaded anew by this run's code.
    fs.rmSync(path.join(tmp, 'browser-demo'), { recursive: true, force: true });
    step('Loading the demo the browser tests copy');
    const demo = spawnSync(process.execPath, ['--import', 'tsx', '-e', "await (await import('./tests/browser/server.ts')).demoTemplate()", '--input-type=module'], { cwd: ROOT, stdio: 'inherit' });
    if (demo.status !== 0) throw new Error('could not load the demo for the browser tests');
    // Two files at a time, each with its own server, database copy and Chromium: they keep the two cores
    // busy (three at a time took longer).
    await runNodeTests('browser', browserFiles, {}, 2, { group: false });
  }

  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\nHomeward tests finished in ${seconds} s`);
  console.log(`${totals.pass} passed, ${totals.fail} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.fail > 0 || totals.pass === 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(`\ntests could not run: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
