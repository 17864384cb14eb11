// Quality floors on the reference datasets with ground truth (../shared/datasets,
// see its README): pairwise F1 at the default threshold 0.5 must not fall below
// what the engine reached when these floors were set (a little under it).
// Timings are the benchmark's business (npm run bench -- matching), not asserted here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Dataset, DATASETS, FEBRL_NAMES_DOB, loadFake1000, loadFebrl, loadHistorical50k } from './datasets.ts';
import { pairQuality, type Quality } from './evaluate.ts';
import { linkRecords } from './link.ts';
import { generatePopulation } from './population.ts';

/** F1 reached (2026-12-02) less a margin. */
const FLOORS = {
  febrl4: 0.999,
  febrl4NamesDob: 0.95,
  febrl3: 0.999,
  fake1000: 0.925,
  historical50k: 0.88,
  synthetic10k: 0.84,
} as const;

const missing = `the reference datasets are not at ${DATASETS} (../shared/datasets from the project root)`;
const fmt = (q: Quality) => `F1 ${q.f1.toFixed(4)} (precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}, ${q.proposed} pairs proposed, ${q.truePairs} true)`;

function check(name: string, q: Quality, floor: number): void {
  console.log(`${name}: ${fmt(q)}`);
  assert.ok(q.f1 >= floor, `${name}: ${fmt(q)} fell below the floor ${floor}`);
}

function dedupe(d: Dataset): Quality {
  const result = linkRecords(d.records, null);
  return pairQuality(result.left, result.right, d.clusters, null);
}

function link(a: Dataset, b: Dataset): Quality {
  const result = linkRecords(a.records, b.records);
  return pairQuality(result.left, result.right, a.clusters, b.clusters);
}

const febrl4 = loadFebrl('dataset4a');
test('FEBRL4 linked on all fields', { skip: febrl4 ? false : missing }, () => {
  check('FEBRL4 all fields', link(febrl4!, loadFebrl('dataset4b')!), FLOORS.febrl4);
});

test('FEBRL4 linked on given name, surname and date of birth only', { skip: febrl4 ? false : missing }, () => {
  check('FEBRL4 names + dob', link(loadFebrl('dataset4a', FEBRL_NAMES_DOB)!, loadFebrl('dataset4b', FEBRL_NAMES_DOB)!), FLOORS.febrl4NamesDob);
});

const febrl3 = loadFebrl('dataset3');
test('FEBRL3 deduplicated', { skip: febrl3 ? false : missing }, () => {
  check('FEBRL3', dedupe(febrl3!), FLOORS.febrl3);
});

const fake = loadFake1000();
test("Splink's fake_1000 deduplicated", { skip: fake ? false : missing }, () => {
  check('fake_1000', dedupe(fake!), FLOORS.fake1000);
});

const historical = loadHistorical50k();
test("Splink's historical_50k deduplicated", { skip: historical ? false : missing }, () => {
  check('historical_50k', dedupe(historical!), FLOORS.historical50k);
});

test('a synthetic multi-script population of 10,000 records deduplicated', () => {
  const population = generatePopulation({ records: 10_000 });
  const result = linkRecords(population.records, null);
  check('synthetic 10k', pairQuality(result.left, result.right, Array.from(population.clusters, String), null), FLOORS.synthetic10k);
});
