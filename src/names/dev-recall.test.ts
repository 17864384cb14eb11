// Measures the search rule on the Wikidata DEV pairs, which learning never reads
// (scripts/names/learn.ts uses the train splits only):
//   recall — the share of true (Latin, Arabic|Cyrillic) pairs the rule accepts;
//   false hits — the share of non-pairs it accepts, each Latin name paired with
//   the target of another line by a seeded shuffle (five rounds; a shuffled
//   target equal to the line's own target is skipped, it is not a non-pair).
// The rule: nameSimilarity ≥ MATCH_THRESHOLD. Key overlap (nameKeys, blockingKeys)
// is measured beside it, as candidate generation for search and blocking.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { blockingKeys, nameKeys } from './keys.ts';
import { MATCH_THRESHOLD, nameSimilarity } from './similarity.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'datasets', 'name_transliteration', 'wikidata');
const ROUNDS = 5;

interface Pair {
  readonly latin: string;
  readonly target: string;
}

function readDev(file: string): Pair[] {
  const full = path.join(DIR, file);
  if (!fs.existsSync(full)) {
    assert.fail(`dev file missing: ${full} — the Wikidata name-transliteration dev pairs must be at ../shared/datasets/name_transliteration/wikidata/ relative to the project root`);
  }
  return fs
    .readFileSync(full, 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cols) => cols.length >= 2 && cols[0] !== '' && cols[1] !== '')
    .map(([latin, spaced]) => ({ latin: latin!, target: spaced!.replace(/ /g, '') }));
}

/** mulberry32: a small seeded generator, so the shuffle is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nonPairs(pairs: readonly Pair[]): Pair[] {
  const out: Pair[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const next = random(20240 + round);
    const order = pairs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    pairs.forEach((p, i) => {
      const other = pairs[order[i]!]!;
      if (other.target !== p.target) out.push({ latin: p.latin, target: other.target });
    });
  }
  return out;
}

interface Rates {
  readonly recall: number;
  readonly falseHits: number;
}

function rates(positives: readonly boolean[], negatives: readonly boolean[]): Rates {
  const share = (xs: readonly boolean[]) => xs.filter(Boolean).length / xs.length;
  return { recall: share(positives), falseHits: share(negatives) };
}

/** The benchmark's reading: recall at the strictest cut that lets at most 0.1% of non-pairs through. */
function recallAtFalseHitRate(positives: readonly number[], negatives: readonly number[], rate: number): number {
  const sorted = [...negatives].sort((a, b) => b - a);
  const cut = sorted[Math.floor(sorted.length * rate)] ?? 0;
  return positives.filter((s) => s > cut).length / positives.length;
}

function keyOverlap(keys: (name: string) => string[], p: Pair): boolean {
  const a = new Set(keys(p.latin));
  return keys(p.target).some((k) => a.has(k));
}

const pct = (v: number, digits = 2) => `${(v * 100).toFixed(digits)}%`;

/** Reached on the dev files when this test was written (see the printout), less a margin. */
const FLOORS = {
  ar: { recall: 0.95, falseHits: 0.001, keysRecall: 0.9, blockingRecall: 0.93 },
  ru: { recall: 0.955, falseHits: 0.001, keysRecall: 0.84, blockingRecall: 0.91 },
} as const;

for (const lang of ['ar', 'ru'] as const) {
  test(`Wikidata en↔${lang} dev pairs: similarity recall at ≤ 0.1% false hits, and key recall`, () => {
    const pairs = readDev(`en_${lang}_dev.tsv`);
    const negatives = nonPairs(pairs);
    const score = (p: Pair) => nameSimilarity(p.latin, p.target);
    const posScores = pairs.map(score);
    const negScores = negatives.map(score);
    const rule = rates(posScores.map((s) => s >= MATCH_THRESHOLD), negScores.map((s) => s >= MATCH_THRESHOLD));
    const keys = rates(pairs.map((p) => keyOverlap(nameKeys, p)), negatives.map((p) => keyOverlap(nameKeys, p)));
    const blocking = rates(pairs.map((p) => keyOverlap(blockingKeys, p)), negatives.map((p) => keyOverlap(blockingKeys, p)));
    console.log(
      [
        `en↔${lang} dev: ${pairs.length} pairs, ${negatives.length} shuffled non-pairs`,
        `  nameSimilarity ≥ ${MATCH_THRESHOLD}:     recall ${pct(rule.recall)}, false hits ${pct(rule.falseHits, 3)}`,
        `  at exactly ≤ 0.1% false hits:  recall ${pct(recallAtFalseHitRate(posScores, negScores, 0.001))}`,
        `  nameKeys overlap:              recall ${pct(keys.recall)}, false hits ${pct(keys.falseHits, 3)}`,
        `  blockingKeys overlap:          recall ${pct(blocking.recall)}, false hits ${pct(blocking.falseHits, 3)}`,
      ].join('\n'),
    );
    const floor = FLOORS[lang];
    assert.ok(rule.recall >= floor.recall, `similarity recall ${pct(rule.recall)} fell below ${pct(floor.recall)}`);
    assert.ok(rule.falseHits <= floor.falseHits, `similarity false hits ${pct(rule.falseHits, 3)} rose above ${pct(floor.falseHits, 3)}`);
    assert.ok(keys.recall >= floor.keysRecall, `nameKeys recall ${pct(keys.recall)} fell below ${pct(floor.keysRecall)}`);
    assert.ok(blocking.recall >= floor.blockingRecall, `blockingKeys recall ${pct(blocking.recall)} fell below ${pct(floor.blockingRecall)}`);
  });
}
