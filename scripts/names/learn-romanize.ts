// Learns the Arabic → Latin romanisation tables: a dictionary of whole words and
// letter rules in context (which Latin a letter becomes between two neighbours,
// short vowels included), from Viterbi alignments under the trained pair model.
import { latinLetters } from '../../src/names/forms.ts';
import { jaroWinkler } from '../../src/names/jaro-winkler.ts';
import { romanizeCyrillic } from '../../src/names/romanize-cyrillic.ts';
import { latinSkeleton, latinSkeletons, cyrillicSkeleton } from '../../src/names/skeleton.ts';
import type { ArabicRules } from '../../src/names/romanize-arabic.ts';
import type { VariantData } from '../../src/names/variants.ts';
import { PairModel, type PairModelData } from '../../src/names/pair-model.ts';
import { shapes, viterbi, type OpTable } from './pair-em.ts';

export interface WeightedPair {
  readonly x: string; // Latin letters
  readonly y: string; // target letters
  readonly weight: number;
}

function tableOf(data: PairModelData): OpTable {
  const table: OpTable = new Map();
  for (const [xs, row] of Object.entries(data.ops)) for (const [ys, c] of Object.entries(row)) table.set(`${xs}\t${ys}`, Math.exp(-c));
  return table;
}

function argmax(counts: Map<string, number>): [string, number] {
  let best = '';
  let bestCount = -1;
  let total = 0;
  for (const [k, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    total += c;
    if (c > bestCount) [best, bestCount] = [k, c];
  }
  return [best, total];
}

function bump(map: Map<string, Map<string, number>>, key: string, value: string, by: number): void {
  const inner = map.get(key) ?? new Map<string, number>();
  inner.set(value, (inner.get(value) ?? 0) + by);
  map.set(key, inner);
}

/** Pairs the model finds plausible (noise in the data is dropped before counting). */
export function plausible(pairs: readonly WeightedPair[], data: PairModelData): WeightedPair[] {
  const model = new PairModel(data);
  return pairs.filter((p) => model.llr(p.x, p.y) >= data.calibration.center);
}

export function learnArabicRules(pairs: readonly WeightedPair[], data: PairModelData): ArabicRules {
  const table = tableOf(data);
  const allowed = shapes(data.maxX, data.maxY);
  const contexts = { three: new Map<string, Map<string, number>>(), right: new Map<string, Map<string, number>>(), left: new Map<string, Map<string, number>>(), one: new Map<string, Map<string, number>>() };
  for (const { x, y } of pairs) {
    const steps = viterbi(x, y, table, allowed);
    if (!steps) continue;
    const out: string[] = new Array(y.length).fill('');
    let j = 0;
    let lead = '';
    for (const [xs, ys] of steps) {
      if (ys.length === 0) {
        if (j === 0) lead += xs;
        else out[j - 1] += xs;
      } else {
        out[j] = (j === 0 ? lead : '') + xs;
        j += ys.length;
      }
    }
    for (let k = 0; k < y.length; k++) {
      const prev = y[k - 1] ?? '<';
      const next = y[k + 1] ?? '>';
      const cur = y[k]!;
      bump(contexts.three, prev + cur + next, out[k]!, 1);
      bump(contexts.right, cur + next, out[k]!, 1);
      bump(contexts.left, prev + cur, out[k]!, 1);
      bump(contexts.one, cur, out[k]!, 1);
    }
  }
  const best = (m: Map<string, Map<string, number>>) => new Map([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, argmax(v)] as const));
  const three = best(contexts.three);
  const right = best(contexts.right);
  const left = best(contexts.left);
  const one = best(contexts.one);
  // Keep a context only where it changes the answer of the context it backs off to.
  const keep = (m: Map<string, [string, number]>, backoff: (key: string) => string | undefined) => {
    const out: Record<string, string> = {};
    for (const [key, [latin, total]] of m) if (total >= 3 && backoff(key) !== latin) out[key] = latin;
    return out;
  };
  return {
    three: keep(three, (k) => right.get(k.slice(1))?.[0]),
    right: keep(right, (k) => one.get(k.slice(0, 1))?.[0]),
    left: keep(left, (k) => one.get(k.slice(1))?.[0]),
    one: Object.fromEntries([...one].map(([k, [latin]]) => [k, latin])),
  };
}

/** Most frequent Latin spelling per target word, counted over plausible pairs. */
export function bestSpellings(pairs: readonly WeightedPair[]): Map<string, [string, number]> {
  const by = new Map<string, Map<string, number>>();
  for (const p of pairs) bump(by, p.y, p.x, p.weight);
  return new Map([...by].map(([y, counts]) => [y, argmax(counts)] as const));
}

export function learnArabicDictionary(best: Map<string, [string, number]>, minCount: number, romanizeByRules: (word: string) => string): Record<string, string> {
  const dictionary: Record<string, string> = {};
  for (const [arabic, [latin, total]] of [...best].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (total >= minCount && romanizeByRules(arabic) !== latin) dictionary[arabic] = latin;
  }
  return dictionary;
}

/** Two spellings close enough to be one name (drops links made by truncated or wrong targets). */
const MIN_SPELLING_SIMILARITY = 0.75;

/**
 * Variant spellings → the common spelling, kept only where the common spelling
 * has a skeleton the variant lacks (elsewhere the skeleton already unites them)
 * and the two are spelled alike.
 */
export function learnVariants(latinToTarget: readonly WeightedPair[][], bestByLanguage: Map<string, [string, number]>[], cyrillicBest: Map<string, [string, number]>, minCount: number): VariantData {
  const latin: Record<string, string> = {};
  const perLatin = new Map<string, { canonical: string; weight: number }>();
  latinToTarget.forEach((pairs, lang) => {
    for (const p of pairs) {
      const [canonical, total] = bestByLanguage[lang]!.get(p.y)!;
      if (total < minCount) continue;
      const seen = perLatin.get(p.x);
      if (!seen || p.weight > seen.weight) perLatin.set(p.x, { canonical, weight: p.weight });
    }
  });
  for (const [word, { canonical }] of [...perLatin].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (canonical === word || latinSkeletons(word).includes(latinSkeleton(canonical))) continue;
    if (jaroWinkler(word, canonical) >= MIN_SPELLING_SIMILARITY) latin[word] = canonical;
  }
  const cyrillic: Record<string, string> = {};
  for (const [word, [canonical, total]] of [...cyrillicBest].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (total < minCount || cyrillicSkeleton(word) === latinSkeleton(canonical)) continue;
    if (jaroWinkler(latinLetters(romanizeCyrillic(word)), canonical) >= MIN_SPELLING_SIMILARITY) cyrillic[word] = canonical;
  }
  return { latin, cyrillic };
}

