/**
 * A learned model of how a Latin spelling and a spelling in another script go
 * together (a joint many-to-many transducer, trained offline by EM in
 * scripts/names/learn.ts). It scores a pair by the log-likelihood ratio
 *
 *   LLR(x, y) = log P(x, y) − log P₀(x) − log P₀(y)
 *
 * of "one name written twice" against "two unrelated names" (P₀: character
 * bigram models of each script). Random pairs score far below zero, true pairs
 * above; `calibration` places the score so that 0.5 is the point where about
 * 0.1% of random pairs pass.
 */

/** The JSON the learning script writes. Costs are −ln p, rounded. */
export interface PairModelData {
  readonly maxX: number;
  readonly maxY: number;
  /** Latin segment → target segment → cost. */
  readonly ops: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Cost of an operation of one or two characters that training never saw. */
  readonly floor: number;
  readonly latin: BigramData;
  readonly target: BigramData;
  /** LLR at which the similarity is 0.5, and the LLR width of its logistic slope. */
  readonly calibration: { readonly center: number; readonly scale: number };
}

/** Character bigrams with `<` and `>` as word boundaries: cost of b after a. */
export interface BigramData {
  readonly pairs: Readonly<Record<string, number>>;
  /** Cost of an unseen bigram, by its first character; `''` for an unseen first character. */
  readonly unseen: Readonly<Record<string, number>>;
}

export class PairModel {
  /** Target segment → column; each Latin segment's row holds probabilities by column (0 = never seen). */
  private readonly columns = new Map<string, number>();
  private readonly rows = new Map<string, Float64Array>();
  private readonly floor: number;

  constructor(private readonly data: PairModelData) {
    for (const row of Object.values(data.ops)) for (const ys of Object.keys(row)) if (!this.columns.has(ys)) this.columns.set(ys, this.columns.size + 1);
    for (const [xs, row] of Object.entries(data.ops)) {
      const probabilities = new Float64Array(this.columns.size + 1);
      for (const [ys, cost] of Object.entries(row)) probabilities[this.columns.get(ys)!] = Math.exp(-cost);
      this.rows.set(xs, probabilities);
    }
    this.floor = Math.exp(-data.floor);
  }

  /** ln P(x, y), summed over every segmentation; −Infinity when the pair is impossible or underflows. */
  logJoint(x: string, y: string): number {
    const { maxX, maxY } = this.data;
    const w = y.length + 1;
    const alpha = new Float64Array((x.length + 1) * w);
    alpha[0] = 1;
    // Columns of the target segments, looked up once: col[j * (maxY + 1) + dy] for y.slice(j, j + dy).
    const col = new Int32Array(w * (maxY + 1));
    for (let j = 0; j <= y.length; j++) for (let dy = 0; dy <= maxY && j + dy <= y.length; dy++) col[j * (maxY + 1) + dy] = this.columns.get(y.slice(j, j + dy)) ?? 0;
    for (let i = 0; i <= x.length; i++) {
      const rows: (Float64Array | undefined)[] = [];
      for (let dx = 0; dx <= maxX && i + dx <= x.length; dx++) rows.push(this.rows.get(x.slice(i, i + dx)));
      for (let j = 0; j <= y.length; j++) {
        const a = alpha[i * w + j]!;
        if (a === 0) continue;
        for (let dx = 0; dx < rows.length; dx++) {
          const row = rows[dx];
          for (let dy = 0; dy <= maxY && j + dy <= y.length; dy++) {
            if (dx + dy === 0) continue;
            const c = col[j * (maxY + 1) + dy]!;
            let p = row !== undefined && c !== 0 ? row[c]! : 0;
            if (p === 0) {
              if (dx > 1 || dy > 1) continue;
              p = this.floor;
            }
            alpha[(i + dx) * w + j + dy]! += a * p;
          }
        }
      }
    }
    return Math.log(alpha[alpha.length - 1]!);
  }

  /** The log-likelihood ratio of a Latin and a target-script word (letter forms). */
  llr(latin: string, target: string): number {
    if (latin === '' || target === '') return -Infinity;
    return this.logJoint(latin, target) + bigramCost(this.data.latin, latin) + bigramCost(this.data.target, target);
  }

  /** The LLR mapped to [0, 1] by the calibration logistic. */
  similarity(latin: string, target: string): number {
    return logistic(this.llr(latin, target), this.data.calibration);
  }
}

export function logistic(llr: number, calibration: { readonly center: number; readonly scale: number }): number {
  if (llr === -Infinity) return 0;
  return 1 / (1 + Math.exp(-(llr - calibration.center) / calibration.scale));
}

/** −ln P₀(word) under a bigram model. */
export function bigramCost(model: BigramData, word: string): number {
  let cost = 0;
  const w = `<${word}>`;
  for (let i = 0; i + 1 < w.length; i++) {
    cost += model.pairs[w.slice(i, i + 2)] ?? model.unseen[w[i]!] ?? model.unseen['']!;
  }
  return cost;
}
