// `homeward link` as a script runs it: the real command in a child process, no database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generatePopulation, POPULATION_FIELDS } from '../../matching/population.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'bin', 'homeward.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-link-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  // An empty data directory: the command must not open (or create) a database.
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEWARD_DATA_DIR: path.join(dir, 'data') };
  delete env.DATABASE_URL;
  delete env.NODE_TEST_CONTEXT;
  return spawnSync(process.execPath, [BIN, 'link', ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV of synthetic people, two of them written by hand: one person in Cyrillic and in Latin letters. */
function writePeople(file: string): void {
  const header = ['person id', ...POPULATION_FIELDS.map((f) => ` ${f.toUpperCase()} `)];
  const handmade = [
    ['p-1', 'Мухаммад', 'Алиев', 'Ахмад', '', 'м', '2015-03-07', 'Махачкала', 'RUS', ''],
    ['p-2', ' Muhammad ', 'Aliev', 'Ahmad', '', 'M', '2015', 'Makhachkala', 'RUS', ''],
    ['p-3', 'Fatima', 'Isaeva', '', '', 'F', 'about 2011', 'Derbent', 'RUS', ''],
  ];
  const population = generatePopulation({ records: 2000, seed: 'cli-test' }).records;
  const rows = population.map((r, i) => [`g-${i}`, ...POPULATION_FIELDS.map((f) => r[f] ?? '')]);
  fs.writeFileSync(file, [header, ...handmade, ...rows].map((row) => row.map(cell).join(',')).join('\n'));
}

const fields = POPULATION_FIELDS.map((f) => `${f}=${f.toUpperCase()}`).join(',');

test('homeward link FILE: duplicates within one file, each pair once, with its probability', () => {
  const input = path.join(dir, 'people.csv');
  const out = path.join(dir, 'pairs.csv');
  writePeople(input);
  const result = run(input, '--id', 'person id', '--fields', fields, '--out', out);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /1 birth date\(s\) not readable/, 'the invalid date is counted, not fatal');
  assert.ok(!fs.existsSync(path.join(dir, 'data')), 'no database was opened');
  const [header, ...lines] = fs.readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(header, 'left_id,right_id,probability');
  assert.ok(lines.length > 100, `${lines.length} pairs`);
  const pairs = lines.map((l) => l.split(','));
  assert.ok(pairs.some(([a, b]) => a === 'p-1' && b === 'p-2'), 'Мухаммад Алиев = Muhammad Aliev');
  const seen = new Set<string>();
  for (const [a, b, p] of pairs) {
    assert.notEqual(a, b);
    const key = [a, b].sort().join('|');
    assert.ok(!seen.has(key), `pair ${key} appears twice`);
    seen.add(key);
    assert.ok(Number(p) >= 0.5 && Number(p) <= 1, p);
  }
});

test('homeward link LEFT RIGHT --threshold: links from the left file to the right one', () => {
  const left = path.join(dir, 'left.csv');
  const right = path.join(dir, 'right.csv');
  const out = path.join(dir, 'links.csv');
  fs.writeFileSync(left, 'id,first,last,dob\nL1,Мухаммад,Алиев,2015-03-07\nL2,Hans,Becker,1980-02-02\nL3,Фатима,Исаева,2011-05-02\n');
  fs.writeFileSync(right, 'id,first,last,dob\nR1,Fatima,Isaeva,2011-05-02\nR2,Muhammad,Aliev,2015\nR3,Otto,Weber,1955-07-09\n');
  const result = run(left, right, '--id', 'id', '--fields', 'given_name=first,family_name=last,birth_date=dob', '--threshold', '0', '--out', out);
  assert.equal(result.status, 0, result.stderr);
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1);
  assert.ok(lines.length > 0);
  for (const line of lines) {
    const [l, r] = line.split(',');
    assert.match(l!, /^L/, 'left_id comes from LEFT');
    assert.match(r!, /^R/);
  }
});

test('homeward link: a missing file, a missing column, an empty file: one clear line, exit code 2', () => {
  const out = path.join(dir, 'never.csv');
  const cases: [string[], RegExp][] = [
    [[path.join(dir, 'absent.csv'), '--id', 'id', '--fields', 'given_name=first', '--out', out], /no such file: .*absent\.csv/],
  ];
  const withHeader = path.join(dir, 'header-only.csv');
  fs.writeFileSync(withHeader, 'id,first\n');
  cases.push([[withHeader, '--id', 'id', '--fields', 'given_name=first', '--out', out], /has a header but no rows/]);
  const empty = path.join(dir, 'empty.csv');
  fs.writeFileSync(empty, '');
  cases.push([[empty, '--id', 'id', '--fields', 'given_name=first', '--out', out], /is empty/]);
  const ok = path.join(dir, 'ok.csv');
  fs.writeFileSync(ok, 'id,first\n1,Ali\n');
  cases.push([[ok, '--id', 'id', '--fields', 'given_name=first,family_name=surname', '--out', out], /has no column "surname"/]);
  cases.push([[ok, '--id', 'id', '--fields', 'nickname=first', '--out', out], /unknown field "nickname"/]);
  for (const [args, message] of cases) {
    const result = run(...args);
    assert.equal(result.status, 2, `${args[0]}: ${result.stderr}`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, message);
    assert.match(lines[0]!, /^homeward: /);
  }
  assert.ok(!fs.existsSync(out));
});
