/**
 * Turns records into columns the engine compares quickly: each field's values
 * interned to small integers (identical values are compared once), with their
 * comparable form (the romanised name, the folded text, the digits) and how
 * often that form occurs (for term-frequency adjustment).
 */
import { detectScript, nameTokens, romanize, romanizedKey } from '../names/index.ts';
import { type DateRange, parseBirthDate } from './dates.ts';
import { FIELD_KIND, FIELD_NAMES, type FieldKind, type FieldName, type MatchRecord } from './fields.ts';
import { foldText } from './strings.ts';

export interface Column {
  readonly field: FieldName;
  readonly kind: FieldKind;
  /** Per record: the id of its value, or -1 when unknown. */
  readonly ids: Int32Array;
  /** Per value id: the value (names and places as written, trimmed, lower case; other kinds folded). */
  readonly values: string[];
  /** Per value id: the id of its comparable form (romanised name, folded text); equal forms are an exact match. */
  readonly canon: Int32Array;
  /** Per comparable form: how many records hold it. */
  readonly canonCount: Int32Array;
  /** Per comparable form: the form itself (for blocking keys and explanations). */
  readonly canonValues: string[];
  /** Records with a known value. */
  readonly known: number;
  /** For dates: per value id, the range. */
  readonly dates: DateRange[];
  /** For names and places: per value id, its words (src/names nameTokens). */
  readonly tokens: string[][];
  /** For places: per value id, 1 when written in Latin letters only. */
  readonly latin: Uint8Array;
}

export interface Table {
  /** All records: the left file first, then the right one (link) — or one file (dedupe). */
  readonly size: number;
  /** Records of the left file; equals size when deduplicating. */
  readonly leftSize: number;
  readonly columns: readonly Column[];
  readonly byField: ReadonlyMap<FieldName, Column>;
  /** Birth dates given but not readable (treated as unknown). */
  readonly invalidDates: number;
}

const SEX: Readonly<Record<string, string>> = {
  m: 'm', male: 'm', man: 'm', boy: 'm', м: 'm', муж: 'm', мужской: 'm', мужчина: 'm', ذكر: 'm', h: 'm', homme: 'm', masculin: 'm',
  f: 'f', female: 'f', woman: 'f', girl: 'f', w: 'f', ж: 'f', жен: 'f', женский: 'f', женщина: 'f', انثى: 'f', أنثى: 'f', femme: 'f', féminin: 'f', feminin: 'f',
};

/** The form a value is compared in, by kind; '' when there is nothing to compare. */
export function comparableForm(kind: FieldKind, field: FieldName, value: string): string {
  switch (kind) {
    case 'name':
      return romanizedKey(value);
    case 'number':
    case 'code':
      return foldText(value).replace(/ /g, field === 'postcode' ? ' ' : '');
    case 'category': {
      const folded = foldText(value);
      return field === 'sex' ? (SEX[folded] ?? folded) : folded;
    }
    default: {
      // Places written in another script are compared in Latin letters (Алматы / Almaty).
      const script = detectScript(value);
      return foldText(script === 'arabic' || script === 'cyrillic' || script === 'mixed' ? romanize(value) : value);
    }
  }
}

class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  id(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }
}

function buildColumn(field: FieldName, records: readonly MatchRecord[]): { column: Column; invalid: number } {
  const kind = FIELD_KIND[field];
  const ids = new Int32Array(records.length).fill(-1);
  const values = new Interner();
  const forms = new Interner();
  const canonOf: number[] = [];
  const dates: DateRange[] = [];
  const counts: number[] = [];
  let invalid = 0;
  let known = 0;
  const formCache = new Map<string, number>();
  records.forEach((record, r) => {
    const raw = (record[field] ?? '').trim();
    if (raw === '') return;
    // Names and places are kept as written (the similarity model reads the script); the rest in their folded form.
    const asWritten = kind === 'name' || kind === 'text';
    let key = asWritten ? raw.normalize('NFKC').toLowerCase() : raw;
    let canon = formCache.get(key);
    if (canon === undefined) {
      let form: string;
      if (kind === 'date') {
        const range = parseBirthDate(raw);
        form = range === null ? '' : `${range.from}:${range.to}:${range.digits}`;
      } else form = comparableForm(kind, field, key);
      canon = form === '' ? -1 : forms.id(form);
      formCache.set(key, canon);
    }
    if (canon < 0) {
      if (kind === 'date') invalid++;
      return;
    }
    if (!asWritten) key = forms.values[canon]!;
    const id = values.id(key);
    if (id === canonOf.length) {
      canonOf.push(canon);
      if (kind === 'date') dates.push(parseBirthDate(raw)!);
    }
    ids[r] = id;
    counts[canon] = (counts[canon] ?? 0) + 1;
    known++;
  });
  const column: Column = {
    field,
    kind,
    ids,
    values: values.values,
    canon: Int32Array.from(canonOf),
    canonCount: Int32Array.from(counts, (c) => c ?? 0),
    canonValues: forms.values,
    known,
    dates,
    tokens: kind === 'name' || kind === 'text' ? values.values.map((v) => nameTokens(v)) : [],
    latin: kind === 'text' ? Uint8Array.from(values.values, (v) => (/[\u0400-\u04ff\u0600-\u06ff]/u.test(v) ? 0 : 1)) : new Uint8Array(0),
  };
  return { column, invalid };
}

/**
 * Builds the table of one file (dedupe) or of two (link: left first).
 * Only fields that some record holds become columns.
 */
export function prepareTable(left: readonly MatchRecord[], right: readonly MatchRecord[] | null, fields?: readonly FieldName[]): Table {
  const records = right === null ? left : [...left, ...right];
  const wanted = fields ?? FIELD_NAMES.filter((f) => records.some((r) => (r[f] ?? '').trim() !== ''));
  const columns: Column[] = [];
  let invalidDates = 0;
  for (const field of wanted) {
    const { column, invalid } = buildColumn(field, records);
    invalidDates += invalid;
    columns.push(column);
  }
  return { size: records.length, leftSize: left.length, columns, byField: new Map(columns.map((c) => [c.field, c])), invalidDates };
}
