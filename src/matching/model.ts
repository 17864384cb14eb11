/**
 * The Fellegi–Sunter model: for each field and level a match weight
 * log2(m/u); a pair's weight is the prior's plus its fields' (unknown counts 0);
 * its probability is 1 / (1 + 2^−weight). An exact match on a name, place or
 * postcode is adjusted for how common the value is (term frequency): the u of
 * "same" becomes the value's own frequency, so «Muhammad» = «Muhammad» counts
 * for less than a rare name. Near matches of common names are lowered the same way.
 */
import { SAME, UNKNOWN } from './compare.ts';
import type { FieldKind, FieldName } from './fields.ts';
import type { Column, Table } from './prepare.ts';

export interface FieldModel {
  readonly field: FieldName;
  readonly kind: FieldKind;
  readonly m: Float64Array;
  readonly u: Float64Array;
  /** log2(m/u) per level; 0 for unknown. */
  readonly weights: Float64Array;
  /** Whether exact matches are adjusted for the value's frequency. */
  readonly termFrequency: boolean;
  /** For fields a family shares: u and weights among records of the same family name (u.ts), else null. */
  readonly uFamily: Float64Array | null;
  readonly familyWeights: Float64Array | null;
}

export interface Model {
  readonly fields: readonly FieldModel[];
  /** The column of the family name (-1 if none): when it agrees, family fields use their family weights. */
  readonly familyColumn: number;
  /** P(match) for two records drawn at random (from the expected number of matches among candidates). */
  readonly prior: number;
  readonly priorWeight: number;
  /** Expected number of matching pairs, from the training sessions. */
  readonly expectedMatches: number;
  /** The EM sessions m was learned in (estimate.ts train). */
  readonly sessions: readonly { readonly rule: readonly string[]; readonly learns: readonly string[]; readonly pairs: number; readonly iterations: number }[];
}

const TF_KINDS: ReadonlySet<FieldKind> = new Set(['name', 'text', 'code']);
/** Near (not exact) name matches take this share of a common name's penalty. */
const NEAR_TF_SHARE = 0.5;
/** A near match of a common name loses at most this many bits. */
const MAX_NEAR_PENALTY = 3;
/** Weights are kept within ±this many bits per field. */
const MAX_WEIGHT = 20;

const clamp = (w: number) => Math.max(-MAX_WEIGHT, Math.min(MAX_WEIGHT, w));

/**
 * Levels that are ordered from strong to weak agreement, by kind: a weaker
 * level never weighs more than a stronger one (sparse levels can otherwise
 * come out above "same" by chance). Dates have two chains: ranges, then typos.
 */
const CHAINS: Readonly<Record<FieldKind, readonly (readonly number[])[]>> = {
  name: [[1, 2, 3, 4, 5]],
  date: [[1, 2, 3, 4], [1, 5, 6, 7, 8, 9]],
  text: [[1, 2, 3, 4]],
  number: [[1, 2, 3, 4]],
  code: [[1, 2, 3, 4]],
  category: [[1, 2]],
};

function monotone(kind: FieldKind, weights: Float64Array): void {
  for (const chain of CHAINS[kind]) {
    for (let k = 1; k < chain.length; k++) weights[chain[k]!] = Math.min(weights[chain[k]!]!, weights[chain[k - 1]!]!);
  }
}

function weightsOf(kind: FieldKind, m: Float64Array, u: Float64Array): Float64Array {
  const weights = new Float64Array(m.length);
  for (let l = SAME; l < weights.length; l++) weights[l] = clamp(Math.log2(m[l]! / u[l]!));
  monotone(kind, weights);
  return weights;
}

export function buildModel(
  table: Table,
  m: readonly Float64Array[],
  u: readonly Float64Array[],
  uFamily: readonly (Float64Array | null)[],
  expectedMatches: number,
  sessions: Model['sessions'],
): Model {
  const fields = table.columns.map((column, c): FieldModel => {
    const uf = uFamily[c] ?? null;
    return {
      field: column.field,
      kind: column.kind,
      m: m[c]!,
      u: u[c]!,
      weights: weightsOf(column.kind, m[c]!, u[c]!),
      termFrequency: TF_KINDS.has(column.kind),
      uFamily: uf,
      familyWeights: uf ? weightsOf(column.kind, m[c]!, uf) : null,
    };
  });
  const familyColumn = table.columns.findIndex((c) => c.field === 'family_name');
  const all = table.leftSize < table.size ? table.leftSize * (table.size - table.leftSize) : (table.size * (table.size - 1)) / 2;
  const expected = Math.max(expectedMatches, 1);
  const prior = Math.min(expected / Math.max(all, 1), 0.5);
  return { fields, familyColumn, prior, priorWeight: Math.log2(prior / (1 - prior)), expectedMatches: expected, sessions };
}

function frequency(column: Column, record: number): number {
  const id = column.ids[record]!;
  return column.canonCount[column.canon[id]!]! / column.known;
}

/**
 * The weight of one field of a pair (records i, j at level l), term frequency
 * included; with familySame, a field a family shares weighs as among records of
 * one family name (no term frequency then: the family already explains it).
 */
export function fieldWeight(model: FieldModel, column: Column, level: number, i: number, j: number, familySame = false): number {
  if (level === UNKNOWN) return 0;
  if (familySame && model.familyWeights) return model.familyWeights[level]!;
  const base = model.weights[level]!;
  if (!model.termFrequency) return base;
  const uSame = model.u[SAME]!;
  if (level === SAME) return clamp(Math.log2(model.m[SAME]! / Math.max(frequency(column, i), 1e-9)));
  if (model.kind === 'name' && level <= 4) {
    const common = Math.max(frequency(column, i), frequency(column, j));
    return base + Math.max(-MAX_NEAR_PENALTY, NEAR_TF_SHARE * Math.min(0, Math.log2(uSame / common)));
  }
  return base;
}

/** Total match weight of a pair from its levels (at offset in a level array). */
export function pairWeight(model: Model, table: Table, levels: Uint8Array, offset: number, i: number, j: number): number {
  let w = model.priorWeight;
  const familySame = model.familyColumn >= 0 && levels[offset + model.familyColumn] === SAME;
  for (let c = 0; c < model.fields.length; c++) w += fieldWeight(model.fields[c]!, table.columns[c]!, levels[offset + c]!, i, j, familySame);
  return w;
}

export const probabilityOf = (weight: number) => 1 / (1 + 2 ** -weight);

/** Fixed-point rounds of refineMatches. */
const PRIOR_ROUNDS = 12;
/** Candidate pairs it looks at (a seeded sample beyond this). */
const PRIOR_SAMPLE = 200_000;

/**
 * The expected number of matches under the model itself: the sum of the
 * match probabilities of the candidate pairs (pairs left out by blocking
 * count as 0), with the prior set from that sum, until it settles. Starts from
 * the training's estimate; scores a sample of the candidates when there are many.
 */
export function refineMatches(model: Model, table: Table, levels: Uint8Array, left: Int32Array, right: Int32Array): Model {
  const F = table.columns.length;
  const P = left.length;
  const step = Math.max(1, Math.floor(P / PRIOR_SAMPLE));
  const evidence: number[] = [];
  for (let p = 0; p < P; p += step) evidence.push(pairWeight(model, table, levels, p * F, left[p]!, right[p]!) - model.priorWeight);
  const all = table.leftSize < table.size ? table.leftSize * (table.size - table.leftSize) : (table.size * (table.size - 1)) / 2;
  let matches = model.expectedMatches;
  for (let round = 0; round < PRIOR_ROUNDS; round++) {
    const prior = Math.min(matches / all, 0.5);
    const priorWeight = Math.log2(prior / (1 - prior));
    let sum = 0;
    for (const w of evidence) sum += probabilityOf(priorWeight + w);
    const next = Math.max(1, (sum * P) / evidence.length);
    const done = Math.abs(next - matches) < 0.001 * matches;
    matches = next;
    if (done) break;
  }
  const prior = Math.min(matches / all, 0.5);
  return { ...model, prior, priorWeight: Math.log2(prior / (1 - prior)), expectedMatches: matches };
}
