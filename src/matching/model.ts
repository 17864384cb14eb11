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
  /** With term frequency: per comparable form, u of agreeing on it (from the pairs that are not matches), or null to use the form's frequency. */
  readonly valueU: Float64Array | null;
  /** With term frequency: per comparable form, the weight of agreeing on it, and (names) what a near match of it loses. */
  readonly sameWeights: Float64Array | null;
  readonly nearPenalty: Float64Array | null;
}

export interface Model {
  readonly fields: readonly FieldModel[];
  /** The column of the family name (-1 if none): when it agrees, family fields use their family weights. */
  readonly familyColumn: number;
  /** The column of the given name (-1 if none). */
  readonly givenColumn: number;
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
      valueU: null,
      sameWeights: null,
      nearPenalty: null,
    };
  }).map((f, c) => withTermWeights(f, table.columns[c]!));
  const familyColumn = table.columns.findIndex((c) => c.field === 'family_name');
  const givenColumn = table.columns.findIndex((c) => c.field === 'given_name');
  const all = table.leftSize < table.size ? table.leftSize * (table.size - table.leftSize) : (table.size * (table.size - 1)) / 2;
  const expected = Math.max(expectedMatches, 1);
  const prior = Math.min(expected / Math.max(all, 1), 0.5);
  return { fields, familyColumn, givenColumn, prior, priorWeight: Math.log2(prior / (1 - prior)), expectedMatches: expected, sessions };
}

/** How common record's value is. */
function frequency(column: Column, record: number): number {
  return column.canonCount[column.canon[column.ids[record]!]!]! / column.known;
}

const sameWeightOf = (m: number, frequency: number, u: number | null) => clamp(Math.log2(u === null ? m / Math.max(frequency, 1e-9) : (m * frequency) / u));
const nearPenaltyOf = (uSame: number, frequency: number) => Math.max(-MAX_NEAR_PENALTY, NEAR_TF_SHARE * Math.min(0, Math.log2(uSame / frequency)));

/** The field with its per-value term-frequency weights computed (from valueU when there is one). */
function withTermWeights(f: FieldModel, column: Column): FieldModel {
  if (!f.termFrequency) return f;
  const forms = column.canonValues.length;
  const same = new Float64Array(forms);
  const near = f.kind === 'name' ? new Float64Array(forms) : null;
  for (let v = 0; v < forms; v++) {
    const freq = column.canonCount[v]! / Math.max(column.known, 1);
    same[v] = sameWeightOf(f.m[SAME]!, freq, f.valueU ? f.valueU[v]! : null);
    if (near) near[v] = nearPenaltyOf(f.u[SAME]!, freq);
  }
  return { ...f, sameWeights: same, nearPenalty: near };
}

/**
 * The weight of one field of a pair (records i, j at level l), term frequency
 * included; with familySame, a field a family shares weighs as among records of
 * one family name (no term frequency then: the family already explains it).
 */
export function fieldWeight(model: FieldModel, column: Column, level: number, i: number, j: number, familySame = false, lone: Column | null = null): number {
  if (level === UNKNOWN) return 0;
  if (familySame && model.familyWeights) return model.familyWeights[level]!;
  const base = model.weights[level]!;
  if (!model.termFrequency || (level !== SAME && (model.kind !== 'name' || level > 4))) return base;
  if (lone) {
    // A family name found in the other record's given-name field (compare.ts): that single name is as
    // common as it is among given names, if more so.
    const known = column.ids[i]! >= 0 ? i : j;
    const f = frequency(column, known);
    const loneFrequency = frequency(lone, known === i ? j : i);
    if (level === SAME) return Math.min(model.sameWeights![column.canon[column.ids[known]!]!]!, sameWeightOf(model.m[SAME]!, loneFrequency, null));
    return base + nearPenaltyOf(model.u[SAME]!, Math.max(f, loneFrequency));
  }
  if (level === SAME) return model.sameWeights![column.canon[column.ids[i]!]!]!;
  const near = model.nearPenalty!;
  return base + Math.min(near[column.canon[column.ids[i]!]!]!, near[column.canon[column.ids[j]!]!]!);
}

/** The given-name column when record i or j holds a single name compared as the family name (column c), else null. */
export function loneColumn(model: Model, table: Table, c: number, i: number, j: number): Column | null {
  if (c !== model.familyColumn || model.givenColumn < 0) return null;
  const family = table.columns[c]!;
  return family.ids[i]! < 0 || family.ids[j]! < 0 ? table.columns[model.givenColumn]! : null;
}

/** Total match weight of a pair from its levels (at offset in a level array). */
export function pairWeight(model: Model, table: Table, levels: Uint8Array, offset: number, i: number, j: number): number {
  let w = model.priorWeight;
  const familySame = model.familyColumn >= 0 && levels[offset + model.familyColumn] === SAME;
  for (let c = 0; c < model.fields.length; c++) {
    const level = levels[offset + c]!;
    if (level === UNKNOWN) continue;
    w += fieldWeight(model.fields[c]!, table.columns[c]!, level, i, j, familySame, c === model.familyColumn ? loneColumn(model, table, c, i, j) : null);
  }
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

/** Share of the matches' raw agreement count a value keeps at least (see withoutMatchesU). */
const VALUE_U_FLOOR = 0.05;

/**
 * u learned again from the pairs that are not matches. Random pairs (u.ts) include matches: few when
 * a person is listed once or twice, but a person listed ten times makes their own name, date and
 * postcode look common — most pairs agreeing on a rare postcode are then the same person. The
 * candidates' match probabilities say how many pairs of each level (and, with term frequency, of
 * each value) are matches; those are taken out of the counts u was computed from.
 */
export function withoutMatchesU(model: Model, table: Table, levels: Uint8Array, left: Int32Array, right: Int32Array, uRandom: readonly Float64Array[], uFamily: readonly (Float64Array | null)[]): Model {
  const F = table.columns.length;
  const P = left.length;
  const expected = model.fields.map((f) => new Float64Array(f.m.length));
  const perValue = table.columns.map((c, k) => (model.fields[k]!.termFrequency ? new Float64Array(c.canonValues.length) : null));
  for (let p = 0; p < P; p++) {
    const i = left[p]!;
    const j = right[p]!;
    const prob = probabilityOf(pairWeight(model, table, levels, p * F, i, j));
    if (prob < 1e-4) continue;
    for (let c = 0; c < F; c++) {
      const l = levels[p * F + c]!;
      if (l === UNKNOWN) continue;
      expected[c]![l]! += prob;
      const values = perValue[c];
      if (values && l === SAME) {
        const column = table.columns[c]!;
        const id = column.ids[i]! >= 0 ? column.ids[i]! : column.ids[j]!;
        values[column.canon[id]!]! += prob;
      }
    }
  }
  const linking = table.leftSize < table.size;
  const fields = model.fields.map((f, c): FieldModel => {
    const column = table.columns[c]!;
    // Records holding each comparable form, in the left file (linking), and the pairs of records where
    // both values are known: across the files when linking.
    const leftCount = linking ? new Float64Array(column.canonValues.length) : null;
    let knownLeft = 0;
    if (leftCount) {
      for (let r = 0; r < table.leftSize; r++) {
        const id = column.ids[r]!;
        if (id < 0) continue;
        leftCount[column.canon[id]!]! += 1;
        knownLeft++;
      }
    }
    const all = linking ? knownLeft * (column.known - knownLeft) : (column.known * (column.known - 1)) / 2;
    if (all <= 0) return f;
    let matches = 0;
    for (let l = SAME; l < f.m.length; l++) matches += expected[c]![l]!;
    const rest = Math.max(all - matches, all * 0.5);
    const u = new Float64Array(f.u.length);
    const u0 = uRandom[c]!;
    for (let l = SAME; l < u.length; l++) u[l] = Math.max(u0[l]! * all - expected[c]![l]!, u0[l]! * all * VALUE_U_FLOOR) / rest;
    let valueU: Float64Array | null = null;
    const values = perValue[c];
    if (values) {
      valueU = new Float64Array(values.length);
      for (let v = 0; v < values.length; v++) {
        const n = column.canonCount[v]!;
        const raw = Math.max(leftCount ? leftCount[v]! * (n - leftCount[v]!) : (n * (n - 1)) / 2, 0.5);
        valueU[v] = Math.max(raw - values[v]!, raw * VALUE_U_FLOOR) / rest;
      }
    }
    const uf = uFamily[c] ?? null;
    return withTermWeights({ ...f, u, weights: weightsOf(f.kind, f.m, u), valueU, uFamily: uf, familyWeights: uf ? weightsOf(f.kind, f.m, uf) : null }, column);
  });
  return { ...model, fields };
}

