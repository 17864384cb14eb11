/**
 * The engine end to end: prepare the records, block, compare, estimate u and
 * m, score every candidate pair, keep those at or above the threshold.
 * With one list it deduplicates (each pair once, i < j); with two it links
 * (left index from the first list, right from the second).
 */
import { type BlockingOptions, candidatePairs } from './blocking.ts';
import { Comparer } from './compare.ts';
import { estimateM, groupPatterns, levelCount, type Training, train } from './estimate.ts';
import { type Explanation, explainPair } from './explain.ts';
import type { FieldName, MatchRecord } from './fields.ts';
import { buildModel, type Model, pairWeight, probabilityOf, refineMatches, withoutMatchesU } from './model.ts';
import { prepareTable, type Table } from './prepare.ts';
import { estimateU, familyU, sampleFamilyPairs } from './u.ts';

/** Rounds of u learned again without the matches (at most), and the candidate pairs all rounds together may score. */
const U_ROUNDS = 3;
const U_ROUND_PAIRS = 15_000_000;

export interface LinkOptions {
  /** Keep pairs at or above this probability (default 0.5). */
  readonly threshold?: number;
  /** Only these fields (default: every field some record holds). */
  readonly fields?: readonly FieldName[];
  readonly blocking?: BlockingOptions;
  /** Random pairs for u (default 12,000, at most all pairs). */
  readonly uSamples?: number;
  readonly seed?: number;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  /**
   * m per level for some fields, learned elsewhere (reference-model.ts: a population with known
   * duplicates), used as they are. For data where EM cannot tell a person from a family: a registry of
   * mothers and their children holds many more siblings than duplicates, and EM learns "same family".
   */
  readonly fixedM?: Partial<Record<FieldName, ArrayLike<number>>>;
}

/** The training with the fixed m put in, and the expected number of matches estimated again under them. */
function withFixedM(training: Training, table: Table, levels: Uint8Array, levelCounts: readonly number[], u: readonly Float64Array[], fixed: LinkOptions['fixedM']): Training {
  if (!fixed) return training;
  const m = table.columns.map((column, c) => {
    const given = fixed[column.field];
    return given && given.length === levelCounts[c] ? Float64Array.from(given) : training.m[c]!;
  });
  const P = levels.length / Math.max(1, table.columns.length);
  const matches = estimateM(groupPatterns(levels, levelCounts), levelCounts, u, { fixedM: m }).lambda * P;
  return { ...training, m, matches };
}

export interface LinkResult {
  /** Index in the left list, and in the right list (or the same list when deduplicating). */
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly probability: Float64Array;
  readonly model: Model;
  readonly table: Table;
  /** Candidate pairs compared (after blocking). */
  readonly candidates: number;
  /** Milliseconds per stage: prepare, blocking, comparing, u, training, scoring. */
  readonly timings: Readonly<Record<string, number>>;
  /** What blocking did: blocks, oversized blocks (windowed), rules left out for their cost, pairs before removing repeats. */
  readonly blocking: { readonly blocks: number; readonly oversizedBlocks: number; readonly droppedRules: readonly string[]; readonly rawPairs: number };
  readonly invalidDates: number;
  /** The explanation of the k-th kept pair. */
  explain(k: number): Explanation;
}

export function linkRecords(left: readonly MatchRecord[], right: readonly MatchRecord[] | null, options: LinkOptions = {}): LinkResult {
  const threshold = options.threshold ?? 0.5;
  const progress = options.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = Math.round(now - clock);
    clock = now;
  };
  const table = prepareTable(left, right, options.fields);
  lap('prepare');
  if (table.columns.length === 0) throw new Error('no field has any value to compare');
  const comparer = new Comparer(table);
  const F = table.columns.length;

  const candidates = candidatePairs(table, { ...options.blocking, onProgress: (d, t) => progress('blocking', d, t) });
  lap('blocking');
  const P = candidates.left.length;
  const levels = new Uint8Array(P * F);
  for (let p = 0; p < P; p++) {
    comparer.compare(candidates.left[p]!, candidates.right[p]!, levels, p * F);
    if (p % 200_000 === 0) progress('comparing', p, P);
  }

  lap('comparing');
  const all = right === null ? (table.size * (table.size - 1)) / 2 : left.length * right.length;
  const samples = Math.min(options.uSamples ?? 12_000, all);
  const u = estimateU(comparer, samples, options.seed ?? 1);
  const familySample = sampleFamilyPairs(comparer, Math.min(samples, 10_000), (options.seed ?? 1) + 1);
  const uFamily = familyU(table, familySample);
  lap('u');
  const levelCounts = table.columns.map(levelCount);
  const training = withFixedM(train(table.columns.map((c) => c.field), levels, levelCounts, u), table, levels, levelCounts, u, options.fixedM);
  let model = refineMatches(buildModel(table, training.m, u, uFamily, training.matches, training.sessions), table, levels, candidates.left, candidates.right);
  // u again without the matches the model finds among the random and same-family pairs (model.ts withoutMatchesU),
  // a few rounds until the expected number of matches settles (one on very many candidates: each scores them all).
  const rounds = Math.max(1, Math.min(U_ROUNDS, Math.floor(U_ROUND_PAIRS / Math.max(P, 1))));
  for (let round = 0; round < rounds; round++) {
    const current = model;
    const nonMatch = (out: Uint8Array, i: number, j: number) => 1 - probabilityOf(pairWeight(current, table, out, 0, i, j));
    const uFamilyNow = familyU(table, familySample, nonMatch);
    model = refineMatches(withoutMatchesU(current, table, levels, candidates.left, candidates.right, u, uFamilyNow), table, levels, candidates.left, candidates.right);
    if (Math.abs(model.expectedMatches - current.expectedMatches) < 0.005 * current.expectedMatches) break;
  }
  lap('training');

  const keptAt: number[] = [];
  const probs: number[] = [];
  for (let p = 0; p < P; p++) {
    const prob = probabilityOf(pairWeight(model, table, levels, p * F, candidates.left[p]!, candidates.right[p]!));
    if (prob >= threshold) {
      keptAt.push(p);
      probs.push(prob);
    }
    if (p % 500_000 === 0) progress('scoring', p, P);
  }
  lap('scoring');
  const outLeft = Int32Array.from(keptAt, (p) => candidates.left[p]!);
  const outRight = Int32Array.from(keptAt, (p) => candidates.right[p]! - (right === null ? 0 : table.leftSize));
  return {
    left: outLeft,
    right: outRight,
    probability: Float64Array.from(probs),
    model,
    table,
    candidates: P,
    timings,
    blocking: { blocks: candidates.blocks, oversizedBlocks: candidates.oversizedBlocks, droppedRules: candidates.droppedRules, rawPairs: candidates.rawPairs },
    invalidDates: table.invalidDates,
    explain(k: number): Explanation {
      const p = keptAt[k]!;
      return explainPair(model, table, levels.subarray(p * F, (p + 1) * F), candidates.left[p]!, candidates.right[p]!);
    },
  };
}
