import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidatePairs } from './blocking.ts';
import { estimateM, groupPatterns } from './estimate.ts';
import { linkRecords } from './link.ts';
import { generatePopulation } from './population.ts';
import { prepareTable } from './prepare.ts';
import { seededRandom } from './random.ts';

test('EM recovers m from pairs drawn from a known mixture', () => {
  // Two fields of three levels (1 same, 2 near, 3 different): matches mostly agree, non-matches mostly not.
  const trueM = [0, 0.85, 0.1, 0.05];
  const trueU = [0, 0.02, 0.08, 0.9];
  const random = seededRandom(7);
  const draw = (p: number[]) => {
    let x = random();
    for (let l = 1; l < p.length; l++) if ((x -= p[l]!) < 0) return l;
    return p.length - 1;
  };
  const pairs = 20_000;
  const levels = new Uint8Array(pairs * 3);
  for (let p = 0; p < pairs; p++) {
    const match = random() < 0.3;
    for (let c = 0; c < 3; c++) levels[p * 3 + c] = draw(match ? trueM : trueU);
  }
  const counts = [4, 4, 4];
  const uStart = counts.map(() => Float64Array.from([0, 0.1, 0.2, 0.7]));
  const em = estimateM(groupPatterns(levels, counts), counts, uStart);
  assert.ok(Math.abs(em.lambda - 0.3) < 0.03, `lambda ${em.lambda}`);
  for (let c = 0; c < 3; c++) for (let l = 1; l < 4; l++) assert.ok(Math.abs(em.m[c]![l]! - trueM[l]!) < 0.04, `m[${c}][${l}] = ${em.m[c]![l]}`);
});

test('blocking: shared script-independent keys make candidates, and an oversized block is windowed', () => {
  const records = [
    { given_name: 'Мухаммад', family_name: 'Алиев', birth_date: '2015-03-07' },
    { given_name: 'Muhammad', family_name: 'Aliyev', birth_date: '2015' },
    { given_name: 'Fatima', family_name: 'Schmidt', birth_date: '1990-01-01' },
  ];
  const small = candidatePairs(prepareTable(records, null));
  const pairs = Array.from(small.left, (l, k) => `${l}-${small.right[k]}`);
  assert.ok(pairs.includes('0-1'), `candidates: ${pairs.join(' ')}`);
  assert.ok(!pairs.includes('1-2'));
  // 2,000 records sharing every key: all against all would be ~2 million pairs.
  const many = Array.from({ length: 2000 }, (_, i) => ({ given_name: 'Ali', family_name: 'Khan', birth_date: `2015-01-${String((i % 28) + 1).padStart(2, '0')}` }));
  const big = candidatePairs(prepareTable(many, null), { maxBlockSize: 100, window: 5 });
  assert.ok(big.oversizedBlocks > 0);
  assert.ok(big.left.length < 2000 * 5 * 20, `${big.left.length} pairs`);
});

test('blocking: a short form meets its full name, a single name the family name, a rare postcode alone', () => {
  const records = [
    { given_name: 'Tom', family_name: 'Pollard', birth_date: '1597-01-01' },
    { given_name: 'Thomas', family_name: 'Pollard', postcode: 'ba11 1bb' },
    { given_name: 'Pollard', birth_place: 'Mendip' },
    { given_name: 'Thomas', family_name: 'Pollard', birth_place: 'Mendip' },
    { given_name: 'W.', family_name: 'Kerr', postcode: 'dy4 8rp' },
    { given_name: 'Carr', postcode: 'dy4 8rp' },
    { given_name: 'Fatima', family_name: 'Schmidt', birth_date: '1990-01-01' },
  ];
  const found = candidatePairs(prepareTable(records, null));
  const pairs = Array.from(found.left, (l, k) => `${l}-${found.right[k]}`);
  for (const pair of ['0-1', '2-3', '4-5']) assert.ok(pairs.includes(pair), `${pair} not among ${pairs.join(' ')}`);
  assert.ok(!pairs.some((p) => p.endsWith('-6')));
});

test('dedupe: every pair gets a probability and an explanation in words, across scripts', () => {
  const people = [
    { given_name: 'Мухаммад', family_name: 'Алиев', father_name: 'Ахмад', sex: 'м', birth_date: '2015-03-07', birth_place: 'Махачкала', nationality: 'RUS' },
    { given_name: 'Muhammad', family_name: 'Aliev', father_name: 'Ahmad', sex: 'M', birth_date: '2015', birth_place: 'Makhachkala', nationality: 'RUS' },
  ];
  // Among 3,000 people with their own duplicates, so that u and m can be estimated.
  const records = [...people, ...generatePopulation({ records: 3000, seed: 'estimate-test' }).records];
  const result = linkRecords(records, null, { threshold: 0 });
  assert.equal(result.left.length, result.probability.length);
  const k = Array.from(result.left).findIndex((l, i) => l === 0 && result.right[i] === 1);
  assert.ok(k >= 0, 'Мухаммад Алиев and Muhammad Aliev are compared');
  const explanation = result.explain(k);
  assert.match(explanation.text, /given name: мухаммад ≈ muhammad \(cross-script/);
  assert.match(explanation.text, /date of birth: 2015-03-07 ≈ 2015 \(consistent/);
  assert.equal(explanation.fields.length, 9, 'one line per field the records hold');
  assert.ok(Math.abs(explanation.probability - result.probability[k]!) < 1e-9);
  assert.ok(result.probability[k]! > 0.5, explanation.text);
});
