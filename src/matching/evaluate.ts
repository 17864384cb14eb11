/** Pairwise precision, recall and F1 of proposed pairs against known clusters. */

export interface Quality {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly truePairs: number;
  readonly proposed: number;
  readonly correct: number;
}

/**
 * @param leftClusters cluster of each left record; rightClusters of each right record (null: deduplication within left)
 */
export function pairQuality(left: ArrayLike<number>, right: ArrayLike<number>, leftClusters: readonly string[], rightClusters: readonly string[] | null): Quality {
  const other = rightClusters ?? leftClusters;
  let correct = 0;
  for (let k = 0; k < left.length; k++) if (leftClusters[left[k]!] === other[right[k]!]) correct++;
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const a = count(leftClusters);
  let truePairs = 0;
  if (rightClusters === null) for (const c of a.values()) truePairs += (c * (c - 1)) / 2;
  else {
    const b = count(rightClusters);
    for (const [k, c] of a) truePairs += c * (b.get(k) ?? 0);
  }
  const precision = left.length === 0 ? 1 : correct / left.length;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, proposed: left.length, correct };
}
