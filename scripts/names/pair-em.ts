// Expectation–maximisation for a joint segment-pair model: a Latin string and
// its rendering in another script are generated together by a sequence of
// operations (Latin segment, target segment), each 0–maxX / 0–maxY characters
// long (never both empty). This is the stochastic edit distance of Ristad and
// Yianilos, widened to many-to-many segments as in the m2m aligner.

export type OpTable = Map<string, number>; // `${xs}\t${ys}` → probability

export interface Shape {
  readonly dx: number;
  readonly dy: number;
}

export function shapes(maxX: number, maxY: number): Shape[] {
  const out: Shape[] = [];
  for (let dx = 0; dx <= maxX; dx++) for (let dy = 0; dy <= maxY; dy++) if (dx + dy > 0) out.push({ dx, dy });
  return out;
}

interface Edge {
  readonly from: number;
  readonly to: number;
  readonly key: string;
  readonly p: number;
}

function edges(x: string, y: string, table: OpTable, allowed: readonly Shape[]): Edge[] {
  const w = y.length + 1;
  const out: Edge[] = [];
  for (let i = 0; i <= x.length; i++) {
    for (let j = 0; j <= y.length; j++) {
      for (const { dx, dy } of allowed) {
        if (i + dx > x.length || j + dy > y.length) continue;
        const key = `${x.slice(i, i + dx)}\t${y.slice(j, j + dy)}`;
        const p = table.get(key);
        if (p !== undefined && p > 0) out.push({ from: i * w + j, to: (i + dx) * w + j + dy, key, p });
      }
    }
  }
  return out; // in topological order: `from` never decreases
}

/** log P(x, y) summed over all segmentations; -Infinity when no path exists. */
export function logJoint(x: string, y: string, table: OpTable, allowed: readonly Shape[]): number {
  const es = edges(x, y, table, allowed);
  const alpha = new Float64Array((x.length + 1) * (y.length + 1));
  alpha[0] = 1;
  for (const e of es) alpha[e.to]! += alpha[e.from]! * e.p;
  return Math.log(alpha[alpha.length - 1]!);
}

/** Adds the expected operation counts of one pair to `counts`; returns log P(x, y). */
function accumulate(x: string, y: string, weight: number, table: OpTable, allowed: readonly Shape[], counts: Map<string, number>): number {
  const es = edges(x, y, table, allowed);
  const size = (x.length + 1) * (y.length + 1);
  const alpha = new Float64Array(size);
  const beta = new Float64Array(size);
  alpha[0] = 1;
  for (const e of es) alpha[e.to]! += alpha[e.from]! * e.p;
  beta[size - 1] = 1;
  for (let k = es.length - 1; k >= 0; k--) {
    const e = es[k]!;
    beta[e.from]! += e.p * beta[e.to]!;
  }
  const z = alpha[size - 1]!;
  if (!(z > 0)) return -Infinity;
  for (const e of es) {
    const c = (alpha[e.from]! * e.p * beta[e.to]!) / z;
    if (c > 1e-6) counts.set(e.key, (counts.get(e.key) ?? 0) + c * weight);
  }
  return Math.log(z);
}

export interface TrainPair {
  readonly x: string;
  readonly y: string;
  weight: number;
}

/** One EM iteration; returns the new table and the total log-likelihood. */
export function emStep(pairs: readonly TrainPair[], table: OpTable, allowed: readonly Shape[], minCount: number): { table: OpTable; logLik: number } {
  const counts = new Map<string, number>();
  let logLik = 0;
  for (const pair of pairs) {
    if (pair.weight <= 0) continue;
    const ll = accumulate(pair.x, pair.y, pair.weight, table, allowed, counts);
    if (Number.isFinite(ll)) logLik += ll * pair.weight;
  }
  let total = 0;
  for (const [k, c] of counts) {
    if (c < minCount) counts.delete(k);
    else total += c;
  }
  const next: OpTable = new Map();
  for (const [k, c] of counts) next.set(k, c / total);
  return { table: next, logLik };
}

/** Every operation of the allowed shapes that occurs in some pair, with probability `p`. */
export function seedTable(pairs: readonly TrainPair[], allowed: readonly Shape[], initial: (xs: string, ys: string) => number): OpTable {
  const table: OpTable = new Map();
  for (const { x, y } of pairs) {
    for (let i = 0; i <= x.length; i++) {
      for (let j = 0; j <= y.length; j++) {
        for (const { dx, dy } of allowed) {
          if (i + dx > x.length || j + dy > y.length) continue;
          const xs = x.slice(i, i + dx);
          const ys = y.slice(j, j + dy);
          const key = `${xs}\t${ys}`;
          if (!table.has(key)) table.set(key, initial(xs, ys));
        }
      }
    }
  }
  let total = 0;
  for (const v of table.values()) total += v;
  for (const [k, v] of table) table.set(k, v / total);
  return table;
}

/** The single most probable segmentation of a pair, as [Latin segment, target segment] steps. */
export function viterbi(x: string, y: string, table: OpTable, allowed: readonly Shape[]): [string, string][] | null {
  const w = y.length + 1;
  const size = (x.length + 1) * w;
  const best = new Float64Array(size).fill(-Infinity);
  const back = new Int32Array(size).fill(-1);
  const backKey: string[] = new Array(size);
  best[0] = 0;
  for (let i = 0; i <= x.length; i++) {
    for (let j = 0; j <= y.length; j++) {
      const from = i * w + j;
      if (best[from] === -Infinity) continue;
      for (const { dx, dy } of allowed) {
        if (i + dx > x.length || j + dy > y.length) continue;
        const key = `${x.slice(i, i + dx)}\t${y.slice(j, j + dy)}`;
        const p = table.get(key);
        if (p === undefined) continue;
        const to = (i + dx) * w + j + dy;
        const score = best[from]! + Math.log(p);
        if (score > best[to]!) {
          best[to] = score;
          back[to] = from;
          backKey[to] = key;
        }
      }
    }
  }
  if (best[size - 1] === -Infinity) return null;
  const steps: [string, string][] = [];
  for (let at = size - 1; at > 0; at = back[at]!) steps.push(backKey[at]!.split('\t') as [string, string]);
  return steps.reverse();
}
