/**
 * Candidate pairs: records that share at least one blocking key (keys.ts).
 * Each (rule, key hash, record) is packed into one float and sorted natively;
 * equal rule and hash form a block. A block larger than maxBlockSize is not
 * compared all against all: its records are sorted by birth date and name and
 * each meets its next `window` neighbours (sorted neighbourhood), so one very
 * common key (Muhammad born 2015) cannot make the cost quadratic. Rules are
 * then kept in order, each if the pairs it would make still fit within
 * pairsPerRecord × records: on large files the loosest rules drop out, so the
 * cost grows near-linearly. The rules of one field alone only pair records missing
 * a name or the date of birth, on rare keys. Pairs are packed as i·size + j, sorted, unique.
 */
import { KeyMaker, RULES } from './keys.ts';
import type { Table } from './prepare.ts';

export interface BlockingOptions {
  /** Blocks up to this many records are compared all against all (default 120, less beyond 100,000 records). */
  readonly maxBlockSize?: number;
  /** In a larger block, each record meets this many neighbours in sorted order (default 5). */
  readonly window?: number;
  /** Rules are kept while their pairs stay within this many per record (default 20; never fewer than 5 million pairs). */
  readonly pairsPerRecord?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface Candidates {
  /** Record numbers of each pair; i < j, and with two files i is left and j right. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly blocks: number;
  readonly oversizedBlocks: number;
  /** The rules used (keys.ts tags), and those left out for their cost. */
  readonly rules: readonly string[];
  readonly droppedRules: readonly string[];
  /** Pairs before removing those found by several keys. */
  readonly rawPairs: number;
}

/** FNV-1a, 32 bits. */
function hash32(text: string, from: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A growable Float64Array. */
class Floats {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(Math.ceil(this.data.length * 1.5));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Sort order inside an oversized block: birth date, then the given name's form. */
function sortValues(table: Table): Float64Array {
  const out = new Float64Array(table.size);
  const date = table.byField.get('birth_date');
  const given = table.byField.get('given_name') ?? table.byField.get('full_name');
  for (let r = 0; r < table.size; r++) {
    const d = date && date.ids[r]! >= 0 ? date.dates[date.ids[r]!]!.from + 1e6 : 0;
    const g = given && given.ids[r]! >= 0 ? given.canon[given.ids[r]!]! % 1_000_000 : 0;
    out[r] = d * 1_000_000 + g;
  }
  return out;
}

/** The loose rules (keys.ts): only when cheap. */
const LOOSE: ReadonlySet<string> = new Set(['gmd', 'fmd', 'by', 'f', 'g', 'pc']);
/**
 * Loose rules of one field alone (a family name, a given name, a postcode): a net for the records the
 * combined rules key poorly, those without a given name, a family name or a date of birth. Only their
 * rare keys make blocks (a common one is left out, not windowed: agreeing on a rare family name or
 * postcode is strong evidence by itself, on a common one it is not), and each pair holds at least one
 * such incomplete record.
 */
const RARE_ONLY: ReadonlySet<string> = new Set(['f', 'g', 'pc']);
/**
 * A rare key's block holds at most RARE_PEOPLE people's records — as many as the records of one name
 * (given and family name, the 'gf' rule, by the size of the block a record sits in, on average), at
 * least 2 and at most RARE_BLOCK: about RARE_PEOPLE times the records one person has.
 */
const RARE_PEOPLE = 4;
const RARE_BLOCK = 40;
const LOOSE_PAIRS = 8;
const MIN_BUDGET = 5_000_000;

const RULE_INDEX = new Map<string, number>(RULES.map((r, i) => [r, i]));
const RULE_BITS = 5;

export function candidatePairs(table: Table, options: BlockingOptions = {}): Candidates {
  // Beyond 100,000 records the all-against-all size shrinks (120 → 38 at a million): windows take over.
  const maxBlock = options.maxBlockSize ?? Math.max(30, Math.round(120 * Math.min(1, Math.sqrt(100_000 / Math.max(table.size, 1)))));
  const window = options.window ?? 5;
  const n = table.size;
  const linking = table.leftSize < n;
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const hashBits = Math.min(32, 53 - RULE_BITS - bits);
  const recordScale = 2 ** bits;
  const hashDrop = 2 ** (32 - hashBits);
  const blockScale = 2 ** hashBits;

  // 1. Every (rule, key, record), packed as (rule·2^hashBits + hash)·2^bits + record.
  const maker = new KeyMaker(table);
  const packed = new Floats(Math.max(1 << 16, n * 24));
  const keys: string[] = [];
  for (let r = 0; r < n; r++) {
    keys.length = 0;
    maker.keys(r, keys);
    for (const key of keys) {
      const colon = key.indexOf(':');
      const rule = RULE_INDEX.get(key.slice(0, colon)) ?? RULES.length - 1;
      packed.push((rule * blockScale + Math.floor(hash32(key, colon + 1) / hashDrop)) * recordScale + r);
    }
    if (options.onProgress && r % 50_000 === 0) options.onProgress(r, n);
  }
  const entries = packed.view().sort();
  packed.data = new Float64Array(0);

  // 2. Blocks (runs of one rule and hash) and what each rule would cost in pairs.
  const blockOf = (v: number) => Math.floor(v / recordScale);
  const costs = new Float64Array(RULES.length);
  const members = new Float64Array(RULES.length);
  const crowded = new Float64Array(RULES.length);
  const sideCount = (from: number, to: number) => {
    let left = 0;
    for (let k = from; k < to; k++) if (entries[k]! - blockOf(entries[k]!) * recordScale < table.leftSize) left++;
    return left;
  };
  const rareOnly = RULES.map((r) => RARE_ONLY.has(r));
  // Records without a given name, a family name or a date of birth (of those the file has): the rare-only
  // rules pair only them, with anyone — complete records meet each other through the combined rules.
  const incomplete = new Uint8Array(n);
  for (const field of ['given_name', 'family_name', 'birth_date'] as const) {
    const col = table.byField.get(field);
    if (col) for (let r = 0; r < n; r++) if (col.ids[r]! < 0) incomplete[r] = 1;
  }
  /** Pairs of a rare-only block with at least one incomplete record. */
  const rareCost = (from: number, to: number) => {
    let all = 0;
    let complete = 0;
    let left = 0;
    let completeLeft = 0;
    for (let k = from; k < to; k++) {
      const r = entries[k]! - blockOf(entries[k]!) * recordScale;
      const isLeft = r < table.leftSize;
      all++;
      if (isLeft) left++;
      if (!incomplete[r]) {
        complete++;
        if (isLeft) completeLeft++;
      }
    }
    if (linking) return left * (all - left) - completeLeft * (complete - completeLeft);
    return (all * (all - 1)) / 2 - (complete * (complete - 1)) / 2;
  };
  const nameRule = RULE_INDEX.get('gf')!;
  let nameMembers = 0;
  let nameSquares = 0;
  let rareBlock = RARE_BLOCK;
  for (let start = 0; start < entries.length; ) {
    const block = blockOf(entries[start]!);
    let end = start + 1;
    while (end < entries.length && blockOf(entries[end]!) === block) end++;
    const s = end - start;
    const rule = Math.floor(block / blockScale);
    if (rule === nameRule) {
      nameMembers += s;
      nameSquares += s * s;
    } else if (rule > nameRule && nameMembers > 0) {
      rareBlock = Math.max(2, Math.min(RARE_BLOCK, Math.round((RARE_PEOPLE * nameSquares) / nameMembers)));
      nameMembers = 0;
    }
    members[rule]! += s;
    if (s > maxBlock || (rareOnly[rule] && s > rareBlock)) crowded[rule]! += s;
    if (rareOnly[rule]) {
      if (s <= rareBlock && s > 1) costs[rule]! += rareCost(start, end);
    } else if (s > maxBlock) costs[rule]! += s * window;
    else if (s > 1) costs[rule]! += linking ? sideCount(start, end) * (s - sideCount(start, end)) : (s * (s - 1)) / 2;
    start = end;
  }
  // Rules in keys.ts's order (the most telling first: given + father's name + year before a bare date
  // of birth), each taken if it still fits the budget. Small files can afford every rule: the budget
  // is never below MIN_BUDGET pairs. The loose rules (a name alone, …) must moreover each cost at most
  // LOOSE_PAIRS per record, and are left out when nearly all (80%) their records sit in oversized blocks
  // (a common name): they would only add windows of strangers.
  const perRecord = options.pairsPerRecord ?? 20;
  const budget = Math.max(perRecord * n, MIN_BUDGET);
  const keep = new Uint8Array(RULES.length);
  let spent = 0;
  for (let rule = 0; rule < RULES.length; rule++) {
    if (spent + costs[rule]! > budget) continue;
    if (LOOSE.has(RULES[rule]!) && (costs[rule]! > LOOSE_PAIRS * n || crowded[rule]! > 0.8 * members[rule]!)) continue;
    keep[rule] = 1;
    spent += costs[rule]!;
  }

  // 3. Pairs of the kept rules' blocks.
  const order = sortValues(table);
  const pairs = new Floats(Math.max(1 << 16, Math.min(spent * 1.1, 2 ** 28)));
  const emit = (i: number, j: number) => {
    if (i === j) return;
    if (linking) {
      const iLeft = i < table.leftSize;
      if (iLeft === j < table.leftSize) return;
      if (iLeft) pairs.push(i * n + j);
      else pairs.push(j * n + i);
    } else pairs.push(i < j ? i * n + j : j * n + i);
  };
  let blocks = 0;
  let oversized = 0;
  const group: number[] = [];
  for (let start = 0; start < entries.length; ) {
    const block = blockOf(entries[start]!);
    let end = start;
    group.length = 0;
    while (end < entries.length && blockOf(entries[end]!) === block) {
      const r = entries[end]! - block * recordScale;
      if (group[group.length - 1] !== r) group.push(r);
      end++;
    }
    start = end;
    if (group.length < 2 || !keep[Math.floor(block / blockScale)]) continue;
    if (rareOnly[Math.floor(block / blockScale)] && group.length > rareBlock) continue;
    blocks++;
    if (rareOnly[Math.floor(block / blockScale)]) {
      for (let a = 0; a < group.length; a++) for (let b = a + 1; b < group.length; b++) if (incomplete[group[a]!] || incomplete[group[b]!]) emit(group[a]!, group[b]!);
    } else if (group.length <= maxBlock) {
      for (let a = 0; a < group.length; a++) for (let b = a + 1; b < group.length; b++) emit(group[a]!, group[b]!);
    } else {
      oversized++;
      group.sort((x, y) => order[x]! - order[y]! || x - y);
      for (let a = 0; a < group.length; a++) {
        for (let b = a + 1; b <= a + window && b < group.length; b++) emit(group[a]!, group[b]!);
      }
    }
  }
  const rawPairs = pairs.length;
  const sorted = pairs.view().sort();
  let unique = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[unique++] = sorted[k]!;
  const left = new Int32Array(unique);
  const right = new Int32Array(unique);
  for (let k = 0; k < unique; k++) {
    const i = Math.floor(sorted[k]! / n);
    left[k] = i;
    right[k] = sorted[k]! - i * n;
  }
  return {
    left,
    right,
    blocks,
    oversizedBlocks: oversized,
    rules: RULES.filter((_, k) => keep[k]),
    droppedRules: RULES.filter((_, k) => !keep[k]),
    rawPairs,
  };
}
