/** String helpers for the non-name fields. */
import { foldLatin, jaroWinkler as jaroWinklerRef } from '../names/index.ts';

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein where a swap of
 * neighbouring characters counts as one edit), stopping early above `max`.
 * @returns the distance, or max + 1 when it is larger
 * @example editDistance('1234567', '1243567') // 1
 */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (n + 1 > ROW) return slowEditDistance(a, b, max);
  let prev2 = ROWS[0]!;
  let prev = ROWS[1]!;
  let cur = ROWS[2]!;
  for (let j = 0; j <= n; j++) prev[j] = j;
  return rows(a, b, max, prev2, prev, cur);
}

/** Rows reused between calls: the engine computes millions of distances. */
const ROW = 256;
const ROWS = [new Int32Array(ROW), new Int32Array(ROW), new Int32Array(ROW)];

function slowEditDistance(a: string, b: string, max: number): number {
  const n = b.length;
  const prev = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  return rows(a, b, max, new Int32Array(n + 1), prev, new Int32Array(n + 1));
}

function rows(a: string, b: string, max: number, prev2: Int32Array, prev: Int32Array, cur: Int32Array): number {
  const n = b.length;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/** Lower case, Latin diacritics folded, punctuation to single spaces: for places, addresses, codes. */
export function foldText(text: string): string {
  return foldLatin(text.normalize('NFKC').toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Characters a and b share at the start. */
export function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const MATCHED_A = new Uint8Array(ROW);
const MATCHED_B = new Uint8Array(ROW);

/**
 * Jaro–Winkler as src/names jaroWinkler (prefix scale 0.1 over four
 * characters, above 0.7), without allocating: it runs for every text field of
 * every candidate pair.
 */
export function fastJaroWinkler(a: string, b: string): number {
  if (a === b) return a === '' ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > ROW || lb > ROW) return slowJaroWinkler(a, b);
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  MATCHED_A.fill(0, 0, la);
  MATCHED_B.fill(0, 0, lb);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lb - 1, i + window);
    const ch = a.charCodeAt(i);
    for (let j = from; j <= to; j++) {
      if (MATCHED_B[j] === 0 && b.charCodeAt(j) === ch) {
        MATCHED_B[j] = 1;
        MATCHED_A[i] = 1;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < la; i++) {
    if (MATCHED_A[i] === 0) continue;
    while (MATCHED_B[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) transpositions++;
    j++;
  }
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

function slowJaroWinkler(a: string, b: string): number {
  return jaroWinklerRef(a, b);
}
