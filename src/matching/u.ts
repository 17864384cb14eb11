/**
 * u: how often two unrelated records fall in each level, from random pairs (as
 * Splink does), the "same" level computed exactly from the value frequencies.
 * And u given the same family name, for the fields a family shares (nationality,
 * place of birth, address): two records of one surname are far likelier to share
 * a nationality than two records at random, so agreeing on it then says less.
 */
import { type Comparer, SAME, SHORT_FORM } from './compare.ts';
import { levelCount } from './estimate.ts';
import type { Column, Table } from './prepare.ts';
import { seededRandom } from './random.ts';

/** Pseudo-count keeping every probability above zero. */
const SMOOTHING = 0.5;

/** Fields a family tends to share, whose u is also measured among records of the same family name. */
export const FAMILY_FIELDS: ReadonlySet<string> = new Set(['nationality', 'birth_place', 'postcode', 'suburb', 'state', 'address_1', 'address_2', 'street_number']);

/** P(same comparable form | both known) for a random pair: exact, from the value counts. */
function sameShare(table: Table, column: Column): number {
  if (table.leftSize === table.size) {
    const k = column.known;
    if (k < 2) return 0;
    let s = 0;
    for (const c of column.canonCount) s += c * (c - 1);
    return s / (k * (k - 1));
  }
  const left = new Float64Array(column.canonValues.length);
  const right = new Float64Array(column.canonValues.length);
  for (let r = 0; r < table.size; r++) {
    const id = column.ids[r]!;
    if (id < 0) continue;
    (r < table.leftSize ? left : right)[column.canon[id]!]! += 1;
  }
  let s = 0;
  let kl = 0;
  let kr = 0;
  for (let c = 0; c < left.length; c++) {
    s += left[c]! * right[c]!;
    kl += left[c]!;
    kr += right[c]!;
  }
  return kl === 0 || kr === 0 ? 0 : s / (kl * kr);
}

/**
 * u per column and level (level 0, unknown, is 0): the share of random pairs in
 * each level among pairs where both values are known.
 */
export function estimateU(comparer: Comparer, samples: number, seed = 1): Float64Array[] {
  const table = comparer.table;
  const n = table.size;
  const linking = table.leftSize < n;
  const counts = table.columns.map((c) => new Float64Array(levelCount(c)));
  const random = seededRandom(seed);
  const out = new Uint8Array(table.columns.length);
  for (let s = 0; s < samples; s++) {
    let i: number;
    let j: number;
    if (linking) {
      i = Math.floor(random() * table.leftSize);
      j = table.leftSize + Math.floor(random() * (n - table.leftSize));
    } else {
      i = Math.floor(random() * n);
      j = Math.floor(random() * (n - 1));
      if (j >= i) j++;
    }
    comparer.compare(i, j, out);
    for (let c = 0; c < out.length; c++) counts[c]![out[c]!]! += 1;
  }
  // Never below one in the number of values: with few records no exact agreement may have been seen.
  return table.columns.map((column, c) => toU(counts[c]!, Math.max(sameShare(table, column), 1 / Math.max(column.known, 2))));
}

/** u from level counts (level 0 ignored) and the share of "same". */
function toU(count: Float64Array, same: number): Float64Array {
  const u = new Float64Array(count.length);
  let rest = 0;
  for (let l = SAME + 1; l < count.length; l++) rest += count[l]! + SMOOTHING;
  u[SAME] = same;
  for (let l = SAME + 1; l < count.length; l++) u[l] = ((1 - same) * (count[l]! + SMOOTHING)) / rest;
  return u;
}

/** Pairs of records with the same family name (and unlike given names), with their levels: what familyU counts. */
export interface FamilySample {
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The pairs' levels, table.columns.length per pair. */
  readonly levels: Uint8Array;
}

/**
 * Pairs drawn uniformly from all same-surname pairs, leaving out those whose given names are alike
 * (most of those are one person twice); null without family names or fields a family shares.
 */
export function sampleFamilyPairs(comparer: Comparer, samples: number, seed = 2): FamilySample | null {
  const table = comparer.table;
  const family = table.byField.get('family_name');
  const given = table.columns.findIndex((c) => c.field === 'given_name');
  if (!family || !table.columns.some((c) => FAMILY_FIELDS.has(c.field))) return null;
  const linking = table.leftSize < table.size;
  const groups = new Map<number, number[]>();
  for (let r = 0; r < table.size; r++) {
    const id = family.ids[r]!;
    if (id < 0) continue;
    const canon = family.canon[id]!;
    const group = groups.get(canon);
    if (group) group.push(r);
    else groups.set(canon, [r]);
  }
  const list = [...groups.values()].filter((g) => g.length >= 2);
  const cumulative: number[] = [];
  let total = 0;
  for (const g of list) cumulative.push((total += g.length * (g.length - 1)));
  if (total === 0) return null;
  const random = seededRandom(seed);
  const F = table.columns.length;
  const left: number[] = [];
  const right: number[] = [];
  const levels = new Uint8Array(samples * F);
  const out = new Uint8Array(F);
  for (let s = 0; s < samples * 3 && left.length < samples; s++) {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    const g = list[lo]!;
    const i = g[Math.floor(random() * g.length)]!;
    let j = g[Math.floor(random() * (g.length - 1))]!;
    if (j === i) j = g[g.length - 1]!;
    if (linking && i < table.leftSize === j < table.leftSize) continue;
    comparer.compare(i, j, out);
    const gl = given >= 0 ? out[given]! : 0;
    if (gl !== 0 && (gl <= 3 || gl === SHORT_FORM)) continue;
    levels.set(out, left.length * F);
    left.push(i);
    right.push(j);
  }
  return { left: Int32Array.from(left), right: Int32Array.from(right), levels: levels.subarray(0, left.length * F) };
}

/**
 * u of the FAMILY_FIELDS among pairs of records with the same family name (null for other fields, or
 * without family names): from a sample of such pairs, each counted as much as it is not a match
 * (nonMatch: 1 − its match probability; 1 for all before there is a model).
 */
export function familyU(table: Table, sample: FamilySample | null, nonMatch?: (levels: Uint8Array, i: number, j: number) => number): (Float64Array | null)[] {
  const none = () => table.columns.map(() => null);
  if (!sample || sample.left.length < 200) return none();
  const F = table.columns.length;
  const wanted = table.columns.map((c) => FAMILY_FIELDS.has(c.field));
  const counts = table.columns.map((c) => new Float64Array(levelCount(c)));
  for (let k = 0; k < sample.left.length; k++) {
    const out = sample.levels.subarray(k * F, (k + 1) * F);
    const weight = nonMatch ? nonMatch(out, sample.left[k]!, sample.right[k]!) : 1;
    for (let c = 0; c < F; c++) if (wanted[c]) counts[c]![out[c]!]! += weight;
  }
  return table.columns.map((_, c) => {
    if (!wanted[c]) return null;
    const count = counts[c]!;
    let known = 0;
    for (let l = SAME; l < count.length; l++) known += count[l]!;
    return known < 100 ? null : toU(count, Math.max(count[SAME]! / known, 1e-7));
  });
}

/** u of the FAMILY_FIELDS among pairs of records with the same family name (familyU of sampleFamilyPairs). */
export function estimateFamilyU(comparer: Comparer, samples: number, seed = 2): (Float64Array | null)[] {
  return familyU(comparer.table, sampleFamilyPairs(comparer, samples, seed));
}
