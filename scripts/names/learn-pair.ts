// Trains a PairModel (src/names/pair-model.ts) from (Latin, target) word pairs.
import { PairModel, type BigramData, type PairModelData } from '../../src/names/pair-model.ts';
import { emStep, logJoint, seedTable, shapes, type OpTable, type TrainPair } from './pair-em.ts';

export interface PairOptions {
  readonly maxX: number;
  readonly maxY: number;
  readonly log?: (line: string) => void;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Character bigram costs with add-k smoothing; boundaries `<` and `>`. */
export function learnBigrams(words: readonly string[], k = 0.1): BigramData {
  const pair = new Map<string, number>();
  const first = new Map<string, number>();
  const alphabet = new Set<string>(['>']);
  for (const word of words) {
    const w = `<${word}>`;
    for (let i = 0; i + 1 < w.length; i++) {
      pair.set(w.slice(i, i + 2), (pair.get(w.slice(i, i + 2)) ?? 0) + 1);
      first.set(w[i]!, (first.get(w[i]!) ?? 0) + 1);
      alphabet.add(w[i + 1]!);
    }
  }
  const v = alphabet.size + 1;
  const pairs: Record<string, number> = {};
  for (const [bg, c] of pair) pairs[bg] = round(-Math.log((c + k) / ((first.get(bg[0]!) ?? 0) + k * v)));
  const unseen: Record<string, number> = { '': round(Math.log(v)) };
  for (const [a, c] of first) unseen[a] = round(-Math.log(k / (c + k * v)));
  return { pairs, unseen };
}

/** EM in two stages: one-to-one edits first, then many-to-many segments seeded from them. */
export function learnOps(pairs: readonly TrainPair[], options: PairOptions): OpTable {
  const log = options.log ?? (() => {});
  const one = shapes(1, 1);
  let table = seedTable(pairs, one, () => 1);
  for (let it = 0; it < 6; it++) table = emStep(pairs, table, one, 0.01).table;
  const stage1 = table;
  const many = shapes(options.maxX, options.maxY);
  table = seedTable(pairs, many, (xs, ys) => Math.exp(logJoint(xs, ys, stage1, one)) || 1e-12);
  for (let it = 0; it < 8; it++) {
    const step = emStep(pairs, table, many, it < 2 ? 0.01 : 0.3);
    table = step.table;
    log(`  EM ${it + 1}/8: log-likelihood ${step.logLik.toFixed(0)}, ${table.size} operations`);
  }
  return table;
}

/** Shuffled non-pairs: each Latin word with the target of another pair (never an equal target). */
export function shuffledNegatives(pairs: readonly { x: string; y: string }[], rounds: number): [string, string][] {
  const out: [string, string][] = [];
  for (let k = 1; k <= rounds; k++) {
    const offset = 1 + ((k * 7919) % (pairs.length - 1));
    pairs.forEach((p, i) => {
      const q = pairs[(i + offset) % pairs.length]!;
      if (q.y !== p.y) out.push([p.x, q.y]);
    });
  }
  return out;
}

/** The LLR that a share `rate` of the negatives exceed. */
export function quantile(sortedDesc: readonly number[], rate: number): number {
  return sortedDesc[Math.min(sortedDesc.length - 1, Math.floor(sortedDesc.length * rate))]!;
}

export function buildPairModel(pairs: readonly TrainPair[], options: PairOptions): PairModelData {
  const table = learnOps(pairs, options);
  const ops: Record<string, Record<string, number>> = {};
  let minP = 1;
  for (const [key, p] of table) {
    const [xs, ys] = key.split('\t') as [string, string];
    (ops[xs] ??= {})[ys] = round(-Math.log(p));
    minP = Math.min(minP, p);
  }
  const draft: PairModelData = {
    maxX: options.maxX,
    maxY: options.maxY,
    ops,
    floor: round(-Math.log(minP) + 2),
    latin: learnBigrams(pairs.map((p) => p.x)),
    target: learnBigrams(pairs.map((p) => p.y)),
    calibration: { center: 0, scale: 1 },
  };
  return calibrate(draft, pairs, options.log);
}

/** Places the score on [0, 1]: 0.5 where 0.07% of shuffled training pairs pass (0.1% with margin), 0.9 at 0.01%. */
export function calibrate(data: PairModelData, pairs: readonly { x: string; y: string }[], log?: (line: string) => void): PairModelData {
  const model = new PairModel(data);
  const negatives = shuffledNegatives(pairs, 10).map(([x, y]) => model.llr(x, y)).sort((a, b) => b - a);
  const center = quantile(negatives, 0.0007);
  const tight = quantile(negatives, 0.0001);
  const scale = Math.max(0.5, (tight - center) / Math.log(9));
  log?.(`  calibration: LLR ${center.toFixed(2)} at 0.07% false hits, ${tight.toFixed(2)} at 0.01%`);
  return { ...data, calibration: { center: round(center), scale: round(scale) } };
}
