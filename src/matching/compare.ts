/**
 * Comparison levels: for each field of a pair of records, which of a few
 * ordered levels their values fall in (0 = unknown on one side, 1 = the same,
 * then ever weaker agreement, the last = different). Identical value pairs are
 * compared once (a bounded cache per field).
 */
import { tokenSimilarity } from '../names/index.ts';
import { compareDates, DATE_LEVELS } from './dates.ts';
import type { FieldKind } from './fields.ts';
import type { Column, Table } from './prepare.ts';
import { isInitialOf, isShortForm } from './short-forms.ts';
import { commonPrefix, editDistance, fastJaroWinkler } from './strings.ts';

/** Level names by kind, best first after "unknown". */
export const LEVELS: Readonly<Record<FieldKind, readonly string[]>> = {
  name: ['unknown', 'same', 'alike', 'similar', 'somewhat similar', 'different', 'swapped with family name', 'short form', 'initial', 'one of the other\'s names'],
  date: DATE_LEVELS,
  text: ['unknown', 'same', 'alike', 'similar', 'different'],
  number: ['unknown', 'same', 'one character off', 'nearly the same', 'different'],
  code: ['unknown', 'same', 'one character off', 'same area', 'different'],
  category: ['unknown', 'same', 'different'],
};

export const UNKNOWN = 0;
export const SAME = 1;
/** The name level of a given name matched against the other record's family name (and the reverse). */
export const SWAPPED = 6;
/** The name level of a short form of the other name (Tom / Thomas). */
export const SHORT_FORM = 7;
/** The name level of an initial and a name it begins (J. / John). */
export const INITIAL = 8;
/** The given-name level of a given name that is another word of the other record's full name (a middle name, or the name after a title). */
export const OTHER_NAME = 9;

/** nameSimilarity cut-offs of the name levels alike / similar / somewhat similar. */
export const NAME_CUTS = [0.9, 0.7, 0.5] as const;
/** Jaro–Winkler cut-offs of the text levels alike / similar. */
export const TEXT_CUTS = [0.92, 0.8] as const;

export function nameLevel(similarity: number): number {
  return similarity >= NAME_CUTS[0] ? 2 : similarity >= NAME_CUTS[1] ? 3 : similarity >= NAME_CUTS[2] ? 4 : 5;
}

/** Fields holding one person's given name, where Tom may stand for Thomas. */
const SHORT_FORM_FIELDS: ReadonlySet<string> = new Set(['given_name', 'father_name', 'mother_name']);

/** Whether every word of the shorter text is a word of the longer ("devon" in "west devon"). */
function containsWords(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (!long.includes(' ')) return false;
  let start = 0;
  while (start < short.length) {
    let end = short.indexOf(' ', start);
    if (end < 0) end = short.length;
    if (end - start < 3) return false;
    const word = short.slice(start, end);
    const at = long.indexOf(word);
    if (at < 0 || (at > 0 && long[at - 1] !== ' ') || (at + word.length < long.length && long[at + word.length] !== ' ')) return false;
    start = end + 1;
  }
  return true;
}

/** Level of two known, different values of a column (value ids a ≠ b, not the same comparable form). */
function levelOfValues(column: Column, a: number, b: number): number {
  const va = column.values[a]!;
  const vb = column.values[b]!;
  switch (column.kind) {
    case 'name': {
      const level = nameLevel(tokenSimilarity(column.tokens[a]!, column.tokens[b]!));
      if (level < 4 || !SHORT_FORM_FIELDS.has(column.field)) return level;
      const fa = column.canonValues[column.canon[a]!]!;
      const fb = column.canonValues[column.canon[b]!]!;
      return isInitialOf(fa, fb) ? INITIAL : isShortForm(fa, fb) ? SHORT_FORM : level;
    }
    case 'date':
      return compareDates(column.dates[a]!, column.dates[b]!);
    case 'text': {
      if (column.latin[a] === 0 || column.latin[b] === 0) {
        // A place in Arabic or Cyrillic letters against another: the cross-script name model (تلعفر / Tal Afar).
        const s = tokenSimilarity(column.tokens[a]!, column.tokens[b]!);
        return s >= NAME_CUTS[0] ? 2 : s >= NAME_CUTS[1] ? 3 : 4;
      }
      const fa = column.canonValues[column.canon[a]!]!;
      const fb = column.canonValues[column.canon[b]!]!;
      const j = fastJaroWinkler(fa, fb);
      return j >= TEXT_CUTS[0] ? 2 : j >= TEXT_CUTS[1] || containsWords(fa, fb) ? 3 : 4;
    }
    case 'number': {
      // Nearly the same: two edits (five characters or more), or a long identifier (an e-mail address) with Jaro–Winkler ≥ 0.92.
      const d = editDistance(va, vb, 2);
      if (d <= 1) return 2;
      const short = Math.min(va.length, vb.length);
      return (d === 2 && short >= 5) || (short >= 10 && fastJaroWinkler(va, vb) >= TEXT_CUTS[0]) ? 3 : 4;
    }
    case 'code': {
      if (editDistance(va, vb, 1) <= 1) return 2;
      const half = Math.ceil(Math.max(va.length, vb.length) / 2);
      return commonPrefix(va, vb) >= Math.max(2, half) ? 3 : 4;
    }
    default:
      return 2;
  }
}

/**
 * Levels of value pairs already compared: open addressing on a Float64Array of
 * keys (a·values + b) and a byte of level, emptied when 70% full. Far lighter
 * than a Map at the millions of name pairs a large file brings.
 */
class PairCache {
  private keys: Float64Array;
  private levels: Uint8Array;
  private used = 0;
  constructor(private readonly bits: number) {
    this.keys = new Float64Array(1 << bits).fill(-1);
    this.levels = new Uint8Array(1 << bits);
  }
  private slot(key: number): number {
    const mask = (1 << this.bits) - 1;
    // Mix the key's high and low halves (keys exceed 2^32 with many values).
    let h = (Math.imul((key >>> 0) ^ Math.floor(key / 4294967296), 0x9e3779b1) >>> (32 - this.bits)) & mask;
    while (this.keys[h] !== -1 && this.keys[h] !== key) h = (h + 1) & mask;
    return h;
  }
  get(key: number): number {
    const h = this.slot(key);
    return this.keys[h] === key ? this.levels[h]! : -1;
  }
  set(key: number, level: number): void {
    if (this.used > (1 << this.bits) * 0.7) {
      this.keys.fill(-1);
      this.used = 0;
    }
    const h = this.slot(key);
    if (this.keys[h] === -1) this.used++;
    this.keys[h] = key;
    this.levels[h] = level;
  }
}

/** Cache size by the number of records: 2^16 slots for small files up to 2^24 (16 M slots, 144 MB) per name field. */
const cacheBits = (records: number) => Math.max(16, Math.min(24, Math.ceil(Math.log2(records * 40))));

/** Compares the fields of record pairs of one table, remembering value pairs already compared. */
export class Comparer {
  private readonly caches: (PairCache | null)[];
  private readonly crossCache: PairCache;
  private readonly given: number;
  private readonly family: number;
  /**
   * The full name's column when given and family names are there too, else -1. Between two records that
   * both hold a given or family name, the full name is not compared on its own (it repeats them).
   */
  private readonly full: number;
  /** Per full-name comparable form: its words. */
  private readonly fullWords: (string[] | undefined)[] = [];

  constructor(readonly table: Table) {
    this.caches = table.columns.map((c) => (c.kind === 'name' || c.kind === 'text' ? new PairCache(cacheBits(Math.min(table.size, c.values.length * 4))) : null));
    this.crossCache = new PairCache(cacheBits(table.size / 4));
    this.given = table.columns.findIndex((c) => c.field === 'given_name');
    this.family = table.columns.findIndex((c) => c.field === 'family_name');
    this.full = this.given >= 0 && this.family >= 0 ? table.columns.findIndex((c) => c.field === 'full_name') : -1;
  }

  /** Whether record r holds a given or a family name. */
  private hasParts(r: number): boolean {
    return this.table.columns[this.given]!.ids[r]! >= 0 || this.table.columns[this.family]!.ids[r]! >= 0;
  }

  /** Whether record i's given name is a word of record j's full name. */
  private inFullName(i: number, j: number): boolean {
    const given = this.table.columns[this.given]!;
    const full = this.table.columns[this.full]!;
    const a = given.ids[i]!;
    const b = full.ids[j]!;
    if (a < 0 || b < 0) return false;
    const form = full.canon[b]!;
    const words = (this.fullWords[form] ??= full.canonValues[form]!.split(' '));
    return words.includes(given.canonValues[given.canon[a]!]!);
  }

  get fieldCount(): number {
    return this.table.columns.length;
  }

  /** The level of column c for records i and j. */
  level(c: number, i: number, j: number): number {
    const column = this.table.columns[c]!;
    const a = column.ids[i]!;
    const b = column.ids[j]!;
    if (a < 0 || b < 0) return UNKNOWN;
    if (column.kind === 'date') return compareDates(column.dates[a]!, column.dates[b]!);
    if (a === b || column.canon[a] === column.canon[b]) return SAME;
    // Only names are worth remembering: the other comparisons cost less than a lookup.
    if (column.kind !== 'name' && (column.kind !== 'text' || (column.latin[a] === 1 && column.latin[b] === 1))) return levelOfValues(column, a, b);
    const key = a < b ? a * column.values.length + b : b * column.values.length + a;
    const cache = this.caches[c]!;
    let level = cache.get(key);
    if (level < 0) {
      level = levelOfValues(column, a, b);
      cache.set(key, level);
    }
    return level;
  }

  /** Similarity level of record i's value in column ca against record j's in column cb (for swapped names). */
  private crossLevel(ca: number, i: number, cb: number, j: number): number {
    const colA = this.table.columns[ca]!;
    const colB = this.table.columns[cb]!;
    const a = colA.ids[i]!;
    const b = colB.ids[j]!;
    if (a < 0 || b < 0) return UNKNOWN;
    // Given-vs-family and family-vs-given keys kept apart: the second are offset past the first.
    const key = ca < cb ? a * colB.values.length + b : colA.values.length * colB.values.length + b * colA.values.length + a;
    let level = this.crossCache.get(key);
    if (level < 0) {
      level = colA.canonValues[colA.canon[a]!] === colB.canonValues[colB.canon[b]!] ? SAME : nameLevel(tokenSimilarity(colA.tokens[a]!, colB.tokens[b]!));
      this.crossCache.set(key, level);
    }
    return level;
  }

  /**
   * Levels of every column for records i and j into out (at offset). Given and
   * family names written the other way round (each like the other record's
   * other part) get the level SWAPPED for the given name and the cross
   * comparison's level for the family name.
   */
  compare(i: number, j: number, out: Uint8Array, offset = 0): void {
    const n = this.table.columns.length;
    const fullAside = this.full >= 0 && this.hasParts(i) && this.hasParts(j);
    for (let c = 0; c < n; c++) out[offset + c] = fullAside && c === this.full ? UNKNOWN : this.level(c, i, j);
    const g = this.given;
    const f = this.family;
    if (g < 0 || f < 0) return;
    if (fullAside) {
      // The full name repeats the given and family names: not counted again, but a given name that
      // is another of its words (a middle name) is a level of the given name.
      const level = out[offset + g]!;
      if ((level === 4 || level === 5) && (this.inFullName(i, j) || this.inFullName(j, i))) out[offset + g] = OTHER_NAME;
    }
    const lg = out[offset + g]!;
    const lf = out[offset + f]!;
    if (lf === UNKNOWN && lg > 2) {
      // One record holds a single name, and it is the other's family name (the family name written in
      // the given-name field): the family names are compared, the given name is unknown on that side.
      const family = this.table.columns[f]!;
      const iAlone = family.ids[i]! < 0;
      if (iAlone === family.ids[j]! < 0) return;
      const x = iAlone ? this.crossLevel(g, i, f, j) : this.crossLevel(f, i, g, j);
      if (x === UNKNOWN || x > 2) return;
      out[offset + g] = UNKNOWN;
      out[offset + f] = x;
      return;
    }
    if (lg === UNKNOWN || lf === UNKNOWN || (lg <= 3 && lf <= 3)) return;
    // Both cross comparisons at least similar, one of them alike (typos on top of the swap).
    const x1 = this.crossLevel(g, i, f, j);
    if (x1 === UNKNOWN || x1 > 3) return;
    const x2 = this.crossLevel(f, i, g, j);
    if (x2 === UNKNOWN || x2 > 3 || Math.min(x1, x2) > 2) return;
    out[offset + g] = SWAPPED;
    out[offset + f] = Math.max(x1, x2);
  }
}
