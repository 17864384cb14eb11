/**
 * Blocking keys of a record: short strings two records must share to be
 * compared at all. Names give script-independent phonetic skeletons
 * (src/names nameKeys), so «Мухаммад Алиев» and Muhammad Aliyev share keys;
 * each rule combines them with another field so blocks stay small.
 */
import { nameKeys, nameTokens } from '../names/index.ts';
import { birthYear } from './dates.ts';
import type { FieldName } from './fields.ts';
import type { Column, Table } from './prepare.ts';
import { fullFormsOf } from './short-forms.ts';

/** Years a birth date range gives keys for: each year of a range up to three years wide. */
const MAX_KEY_YEARS = 3;

function perValue<T>(column: Column | undefined, fn: (value: string, id: number) => T): T[] {
  return column ? column.values.map((v, id) => fn(v, id)) : [];
}

/**
 * The rules, most telling first (the tag each key starts with). blocking.ts
 * keeps rules in this order while the pairs they make stay within its budget,
 * so on large files the loose ones at the end drop out.
 */
export const RULES = [
  'doc', 'docd', 'gpy', 'gby', 'gmy', 'gf', 'fy', 'd', 'gy', 'gp', 'py', 'pf', 'ps', 'pg', 'fb', 'bd', 'fo', 'nn', 'ny', 'gm', 'gb', 'go', 'pp', 'doch', 'doct',
  'gmd', 'fmd', 'by', 'f', 'g', 'pc',
] as const;

/** Computes, once per distinct value, what the rules need; then the keys of any record. */
export class KeyMaker {
  private readonly cols: Partial<Record<FieldName, Column>>;
  private readonly nameKeyOf: Partial<Record<FieldName, string[][]>> = {};
  private readonly yearsOf: string[][];
  private readonly fullWordKeys: string[][];

  constructor(table: Table) {
    this.cols = Object.fromEntries(table.byField);
    for (const field of ['given_name', 'family_name', 'father_name', 'mother_name'] as const) {
      // A name of several words (a compound given name) keys on each word's skeletons.
      this.nameKeyOf[field] = perValue(this.cols[field], (v) => nameKeys(v).slice(0, 6));
    }
    // A short form of a given name (Tom, Bill) keys also as the name it stands for (Thomas, William).
    const given = this.cols.given_name;
    if (given) {
      this.nameKeyOf.given_name = this.nameKeyOf.given_name!.map((keys, id) => {
        const full = fullFormsOf(given.canonValues[given.canon[id]!]!);
        return full.length === 0 ? keys : [...new Set([...keys, ...full.flatMap((f) => nameKeys(f).slice(0, 2))])];
      });
    }
    this.yearsOf = perValue(this.cols.birth_date, (_, id) => {
      const range = this.cols.birth_date!.dates[id]!;
      const first = birthYear({ ...range, to: range.from });
      const last = birthYear({ ...range, from: range.to });
      if (last - first + 1 > MAX_KEY_YEARS) return [String(birthYear(range))];
      return Array.from({ length: last - first + 1 }, (_, k) => String(first + k));
    });
    this.fullWordKeys = perValue(this.cols.full_name, (v) =>
      nameTokens(v)
        .slice(0, 4)
        .flatMap((w) => nameKeys(w).slice(0, 2)),
    );
  }

  private value(field: FieldName, r: number): number {
    const col = this.cols[field];
    return col ? col.ids[r]! : -1;
  }

  private names(field: FieldName, r: number): string[] {
    const id = this.value(field, r);
    return id < 0 ? [] : (this.nameKeyOf[field]?.[id] ?? []);
  }

  private canon(field: FieldName, r: number): string | null {
    const col = this.cols[field];
    const id = col ? col.ids[r]! : -1;
    return id < 0 ? null : col!.canonValues[col!.canon[id]!]!;
  }

  private prefix(field: FieldName, r: number): string | null {
    const form = this.canon(field, r);
    return form === null || form.length < 2 ? null : form.slice(0, 2);
  }

  /** The blocking keys of record r, each prefixed by its rule. */
  keys(r: number, out: string[]): void {
    const given = this.names('given_name', r);
    // A record with a single name: it may be the family name written in the given-name field (compare.ts),
    // so it also keys as a family name — except with given + family, which it cannot have.
    const familyKnown = this.value('family_name', r) >= 0;
    const family = familyKnown ? this.names('family_name', r) : this.cols.family_name ? given : [];
    const father = this.names('father_name', r);
    const mother = this.names('mother_name', r);
    const dateId = this.value('birth_date', r);
    const years = dateId < 0 ? [] : this.yearsOf[dateId]!;
    const range = dateId < 0 ? null : this.cols.birth_date!.dates[dateId]!;
    // Given and family name together, in either order (swapped name parts).
    if (familyKnown) for (const g of given) for (const f of family) out.push(g < f ? `gf:${g}|${f}` : `gf:${f}|${g}`);
    const place = this.canon('birth_place', r);
    for (const y of years) {
      for (const g of given) {
        // Given name with the father's or mother's name, or the place, and the year: records without a family name (the Iraqi file).
        for (const p of father) out.push(`gpy:${g}|${p}|${y}`);
        for (const m of mother) out.push(`gmy:${g}|${m}|${y}`);
        if (place !== null) out.push(`gby:${g}|${place}|${y}`);
      }
      for (const g of given) out.push(`gy:${g}|${y}`);
      for (const f of family) out.push(`fy:${f}|${y}`);
      for (const p of father) out.push(`py:${p}|${y}`);
    }
    if (range !== null && range.digits !== '') out.push(`d:${range.digits}`);
    // The first letters of both names (romanised), in either order: typos that change both skeletons.
    const gp = this.prefix('given_name', r);
    const fp = this.prefix('family_name', r);
    if (gp !== null && fp !== null) out.push(gp < fp ? `pp:${gp}|${fp}` : `pp:${fp}|${gp}`);
    for (const g of given) {
      for (const p of father) out.push(`gp:${g}|${p}`);
      for (const m of mother) out.push(`gm:${g}|${m}`);
    }
    const doc = this.canon('document_number', r);
    if (doc !== null) {
      out.push(`doc:${doc}`);
      if (doc.length >= 5) for (let k = 0; k < doc.length; k++) out.push(`docd:${doc.slice(0, k)}${doc.slice(k + 1)}`);
      if (doc.length >= 10) {
        // Long identifiers (e-mail addresses) with two or more typos usually keep one half intact.
        const half = Math.ceil(doc.length / 2);
        out.push(`doch:${doc.slice(0, half)}`, `doct:${doc.slice(-half)}`);
      }
    }
    const postcode = this.canon('postcode', r);
    if (postcode !== null) {
      for (const f of family) out.push(`pf:${postcode}|${f}`);
      for (const g of given) out.push(`pg:${postcode}|${g}`);
      const street = this.canon('street_number', r);
      if (street !== null) out.push(`ps:${postcode}|${street}`);
    }
    // Family or given name with the place of birth, or with the postcode's district (its first half).
    if (place !== null) {
      for (const f of family) out.push(`fb:${f}|${place}`);
      for (const g of given) out.push(`gb:${g}|${place}`);
      if (range !== null && range.digits !== '') out.push(`bd:${place}|${range.digits}`);
    }
    if (postcode !== null) {
      const district = postcode.includes(' ') ? postcode.slice(0, postcode.indexOf(' ')) : postcode.slice(0, Math.ceil(postcode.length / 2));
      for (const f of family) out.push(`fo:${f}|${district}`);
      for (const g of given) out.push(`go:${g}|${district}`);
    }
    const full = this.value('full_name', r);
    if (full >= 0 && (familyKnown || given.length > 0) && this.cols.given_name && this.cols.family_name) {
      // Beside given and family names, the full name's other words are other given names (a middle name,
      // the name after a title): each keys with the family name, as a given name would.
      const words = this.fullWordKeys[full]!;
      for (const w of words) if (!given.includes(w) && !family.includes(w)) for (const f of family) out.push(w < f ? `gf:${w}|${f}` : `gf:${f}|${w}`);
    } else if (full >= 0) {
      const words = this.fullWordKeys[full]!;
      for (let a = 0; a < words.length; a++) {
        for (let b = a + 1; b < words.length; b++) out.push(words[a]! < words[b]! ? `nn:${words[a]}|${words[b]}` : `nn:${words[b]}|${words[a]}`);
        for (const y of years) out.push(`ny:${words[a]}|${y}`);
      }
    }
    // Loose keys: a single name's skeleton; a name with the day and month of birth (the year mistyped); the place with the year.
    for (const g of given) out.push(`g:${g}`);
    for (const f of family) out.push(`f:${f}`);
    if (range !== null && range.digits !== '') {
      for (const g of given) out.push(`gmd:${g}|${range.digits.slice(4)}`);
      for (const f of family) out.push(`fmd:${f}|${range.digits.slice(4)}`);
    }
    if (place !== null) for (const y of years) out.push(`by:${place}|${y}`);
    if (postcode !== null) out.push(`pc:${postcode}`);
  }
}
