/**
 * Estimating the Fellegi–Sunter parameters from the data itself, as Splink does:
 * - u (how often two unrelated records fall in each level) from random pairs,
 *   the "same" level computed exactly from the value frequencies;
 * - m (how often two records of the same person do) by expectation–maximisation
 *   over the blocked candidate pairs, grouped by their pattern of levels.
 */
import { LEVELS, SAME, UNKNOWN } from './compare.ts';
import type { Column } from './prepare.ts';

/** Pseudo-count keeping every probability above zero. */
const SMOOTHING = 0.5;

export function levelCount(column: Column): number {
  return LEVELS[column.kind].length;
}

/** Candidate pairs grouped by their levels: each distinct pattern once, with its count. */
export interface Patterns {
  readonly fields: number;
  readonly levels: Uint8Array;
  readonly counts: Float64Array;
  readonly size: number;
}

export function groupPatterns(levels: Uint8Array, levelCounts: readonly number[]): Patterns {
  const fields = levelCounts.length;
  // Mixed radix: the pattern as one number (the level counts' product stays far below 2^53 for 17 fields).
  const radix = levelCounts.map((l) => l);
  const index = new Map<number, number>();
  const keys: number[] = [];
  const counts: number[] = [];
  const pairs = levels.length / fields;
  for (let p = 0; p < pairs; p++) {
    let key = 0;
    for (let c = 0; c < fields; c++) key = key * radix[c]! + levels[p * fields + c]!;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, keys.length);
      keys.push(p);
      counts.push(1);
    } else counts[at]! += 1;
  }
  const out = new Uint8Array(keys.length * fields);
  keys.forEach((p, k) => out.set(levels.subarray(p * fields, (p + 1) * fields), k * fields));
  return { fields, levels: out, counts: Float64Array.from(counts), size: keys.length };
}

export interface EmResult {
  /** m per column and level (level 0 unused). */
  readonly m: Float64Array[];
  /** The share of candidate pairs that match. */
  readonly lambda: number;
  readonly iterations: number;
}

/** The level meaning "different" per number of levels (LEVELS in compare.ts), and special levels after it. */
const DIFFERENT_LEVEL: Readonly<Record<number, number>> = { 3: 2, 5: 4, 10: 5, 11: 9 };

/**
 * A starting m (and the m of a field no session can learn, in small files):
 * 80% of matches agree exactly, 2% differ, the rest spread over the near levels
 * (and 1% on each special level after "different").
 */
function initialM(levels: number): Float64Array {
  const m = new Float64Array(levels);
  const different = DIFFERENT_LEVEL[levels] ?? levels - 1;
  const near = different - SAME - 1;
  const special = levels - 1 - different;
  m[SAME] = 0.8;
  m[different] = 0.02;
  for (let l = different + 1; l < levels; l++) m[l] = 0.01;
  const rest = 1 - 0.8 - 0.02 - 0.01 * special;
  for (let l = SAME + 1; l < different; l++) m[l] = (rest * 0.5 ** (l - SAME - 1)) / (2 - 0.5 ** (near - 1));
  if (near === 0) m[SAME]! += rest;
  return m;
}

/**
 * EM over the candidate patterns with both m and u free (the u among
 * candidates is not the random u: blocking made them alike); the m found is
 * the model's, the u is only a nuisance here.
 *
 * With leaveOneOut (training sessions use it) the M-step is leave-one-out: a field's levels are counted with the match
 * probability the *other* fields give the pair. Plain EM lets a field confirm
 * itself: pairs of one person whose family name was replaced look like
 * non-matches because "family name different" looks rare among matches, so it
 * stays rare. Asking the other fields breaks that circle (Splink gets the same
 * effect by estimating each field on pairs blocked by other fields).
 */
export function estimateM(
  patterns: Patterns,
  levelCounts: readonly number[],
  uStart: readonly Float64Array[],
  options: { iterations?: number; fixedU?: boolean; fixedM?: readonly Float64Array[]; exclude?: ReadonlySet<number>; leaveOneOut?: boolean } = {},
): EmResult {
  const F = patterns.fields;
  const exclude = options.exclude ?? new Set<number>();
  const leaveOneOut = options.leaveOneOut ?? false;
  const m = options.fixedM ? options.fixedM.map((x) => Float64Array.from(x)) : levelCounts.map((l) => initialM(l));
  const u = uStart.map((x) => Float64Array.from(x));
  let lambda = 0.1;
  const maxIterations = options.iterations ?? 60;
  let iterations = 0;
  const la = new Float64Array(F);
  const lb = new Float64Array(F);
  for (; iterations < maxIterations; iterations++) {
    const logM = m.map((x) => x.map(Math.log));
    const logU = u.map((x) => x.map(Math.log));
    const prior = Math.log(lambda) - Math.log(1 - lambda);
    const mCount = levelCounts.map((l) => new Float64Array(l));
    const uCount = levelCounts.map((l) => new Float64Array(l));
    let matches = 0;
    let total = 0;
    for (let p = 0; p < patterns.size; p++) {
      let odds = prior;
      for (let c = 0; c < F; c++) {
        const l = exclude.has(c) ? UNKNOWN : patterns.levels[p * F + c]!;
        la[c] = l === UNKNOWN ? 0 : logM[c]![l]!;
        lb[c] = l === UNKNOWN ? 0 : logU[c]![l]!;
        odds += la[c]! - lb[c]!;
      }
      const w = patterns.counts[p]!;
      const post = 1 / (1 + Math.exp(-odds));
      matches += post * w;
      total += w;
      for (let c = 0; c < F; c++) {
        const l = patterns.levels[p * F + c]!;
        if (l === UNKNOWN || exclude.has(c)) continue;
        const others = leaveOneOut ? 1 / (1 + Math.exp(-(odds - la[c]! + lb[c]!))) : post;
        mCount[c]![l]! += others * w;
        uCount[c]![l]! += (1 - others) * w;
      }
    }
    const next = Math.min(Math.max(matches / total, 1e-9), 1 - 1e-9);
    let change = Math.abs(next - lambda);
    lambda = next;
    for (let c = 0; c < F; c++) {
      if (exclude.has(c)) continue;
      const levels = levelCounts[c]!;
      let mt = 0;
      let ut = 0;
      for (let l = SAME; l < levels; l++) {
        mt += mCount[c]![l]! + SMOOTHING / levels;
        ut += uCount[c]![l]! + SMOOTHING / levels;
      }
      for (let l = SAME; l < levels; l++) {
        const mv = (mCount[c]![l]! + SMOOTHING / levels) / mt;
        if (!options.fixedM) {
          change = Math.max(change, Math.abs(mv - m[c]![l]!));
          m[c]![l] = mv;
        }
        if (!options.fixedU) {
          const uv = (uCount[c]![l]! + SMOOTHING / levels) / ut;
          if (options.fixedM) change = Math.max(change, Math.abs(uv - u[c]![l]!));
          u[c]![l] = uv;
        }
      }
    }
    if (change < 1e-4) {
      iterations++;
      break;
    }
  }
  return { m, lambda, iterations };
}


/** Fields a training rule may require to be the same (the identifying ones). */
const RULE_FIELDS: readonly string[] = ['document_number', 'birth_date', 'given_name', 'family_name', 'full_name', 'father_name', 'mother_name', 'postcode', 'birth_place', 'address_1', 'street_number', 'suburb', 'other_names'];
/** At most this many fields in one rule. */
const MAX_RULE_FIELDS = 3;
/** Each field's m is the mean of this many sessions (fewer where fewer rules qualify). */
const SESSIONS_PER_FIELD = 3;
/** A session needs this many pairs to learn from. */
const MIN_SESSION_PAIRS = 100;

/** Every rule of one to MAX_RULE_FIELDS of the given columns. */
function rulesOf(cols: readonly number[]): number[][] {
  const out: number[][] = [];
  const grow = (from: number, rule: number[]) => {
    if (rule.length > 0) out.push([...rule]);
    if (rule.length === MAX_RULE_FIELDS) return;
    for (let k = from; k < cols.length; k++) grow(k + 1, [...rule, cols[k]!]);
  };
  grow(0, []);
  return out;
}

interface Session {
  readonly cols: number[];
  readonly learns: number[];
}

/**
 * For each field, the training rule to learn it in: among the rules without it
 * that at least MIN_SESSION_PAIRS candidates satisfy, the one random pairs
 * satisfy least often (the product of u("same")) — the purest session, where
 * non-matches are too few to pass their own likeness (people of one surname
 * share a nationality) off as the likeness of matches.
 */
function chooseSessions(fieldNames: readonly string[], levels: Uint8Array, u: readonly Float64Array[]): Session[] {
  const F = fieldNames.length;
  const P = levels.length / F;
  const cols = fieldNames.map((f, c) => (RULE_FIELDS.includes(f) ? c : -1)).filter((c) => c >= 0);
  // Pairs by which identifying fields they agree on exactly (a bit per field).
  const masks = new Map<number, number>();
  for (let p = 0; p < P; p++) {
    let mask = 0;
    for (let k = 0; k < cols.length; k++) if (levels[p * F + cols[k]!] === SAME) mask |= 1 << k;
    if (mask !== 0) masks.set(mask, (masks.get(mask) ?? 0) + 1);
  }
  const rules = rulesOf(cols.map((_, k) => k)).map((ks) => {
    const bits = ks.reduce((m, k) => m | (1 << k), 0);
    let pairs = 0;
    for (const [mask, n] of masks) if ((mask & bits) === bits) pairs += n;
    return { cols: ks.map((k) => cols[k]!), pairs, purity: ks.reduce((x, k) => x * u[cols[k]!]![SAME]!, 1) };
  });
  const usable = rules.filter((r) => r.pairs >= MIN_SESSION_PAIRS).sort((a, b) => a.purity - b.purity || a.cols.length - b.cols.length);
  const chosen = new Map<string, Session>();
  for (let c = 0; c < F; c++) {
    // The purest few, with different fields where possible: one source of records may hold
    // documents and another not, so one session alone can see only some kinds of pairs.
    const picked: (typeof usable)[number][] = [];
    for (const rule of usable) {
      if (picked.length === SESSIONS_PER_FIELD) break;
      if (rule.cols.includes(c) || picked.some((p) => p.cols.every((x) => rule.cols.includes(x)) || rule.cols.every((x) => p.cols.includes(x)))) continue;
      picked.push(rule);
    }
    for (const rule of picked) {
      const key = rule.cols.join(',');
      const session = chosen.get(key) ?? { cols: rule.cols, learns: [] };
      session.learns.push(c);
      chosen.set(key, session);
    }
  }
  return [...chosen.values()];
}

export interface Training {
  readonly m: Float64Array[];
  /** Expected number of matching pairs among the candidates (blocking is assumed to miss few). */
  readonly matches: number;
  readonly sessions: readonly { readonly rule: readonly string[]; readonly learns: readonly string[]; readonly pairs: number; readonly iterations: number }[];
}

/**
 * Training sessions, as Splink does: EM on the candidate pairs that agree
 * exactly on a rule's fields, with u fixed at the random-pair u. Among such
 * pairs non-matches are random on the other fields, so their m can be learned;
 * each field's m is the mean over the purest few sessions that do not require
 * it (chooseSessions). The number of matches is then found by EM over all
 * candidate pairs with m fixed (and their u free).
 */
export function train(fieldNames: readonly string[], levels: Uint8Array, levelCounts: readonly number[], u: readonly Float64Array[]): Training {
  const F = fieldNames.length;
  const P = levels.length / F;
  const sums = levelCounts.map((l) => new Float64Array(l));
  const times = new Float64Array(F);
  const sessions: Training['sessions'][number][] = [];
  for (const { cols, learns } of chooseSessions(fieldNames, levels, u)) {
    const picked: number[] = [];
    for (let p = 0; p < P; p++) if (cols.every((c) => levels[p * F + c] === SAME)) picked.push(p);
    const subset = new Uint8Array(picked.length * F);
    picked.forEach((p, k) => subset.set(levels.subarray(p * F, (p + 1) * F), k * F));
    const em = estimateM(groupPatterns(subset, levelCounts), levelCounts, u, { fixedU: true, exclude: new Set(cols), leaveOneOut: true });
    for (const c of learns) {
      for (let l = 0; l < levelCounts[c]!; l++) sums[c]![l]! += em.m[c]![l]!;
      times[c]! += 1;
    }
    sessions.push({ rule: cols.map((c) => fieldNames[c]!), learns: learns.map((c) => fieldNames[c]!), pairs: picked.length, iterations: em.iterations });
  }
  const m = levelCounts.map((l, c) => (times[c]! > 0 ? sums[c]!.map((x) => x / times[c]!) : initialM(l)));
  // Matches among the candidates: EM once more over all of them, m fixed, u (of the candidates) free.
  const all = estimateM(groupPatterns(levels, levelCounts), levelCounts, u, { fixedM: m });
  return { m, matches: all.lambda * P, sessions };
}
