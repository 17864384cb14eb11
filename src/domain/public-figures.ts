import type { IsoDate } from './birth-date.ts';
import { display, type Published, SUPPRESSION_THRESHOLD, suppressTable } from './suppression.ts';

/**
 * Public statistics, pure: the counts by nationality turned into the tables a ministry may publish
 * (every small number suppressed by `suppressTable`, with its secondary cells), and the one-line
 * statement ("X children of Y nationalities returned; Z remain") written from those published
 * tables only — so that the statement can never give back a number a table hides.
 */

export const STATEMENT_LANGUAGES = ['en', 'ar', 'ru', 'fr'] as const;
export type StatementLanguage = (typeof STATEMENT_LANGUAGES)[number];

export interface CountRow {
  /** null: no nationality on record. */
  readonly countryCode: string | null;
  readonly children: number;
  readonly adults: number;
}

export type Names = Readonly<Record<StatementLanguage, string>>;

export interface PublicRow {
  readonly countryCode: string | null;
  readonly names: Names;
  /** Children, adults: as published ("33", "<5", "x", "0"). */
  readonly cells: readonly [string, string];
  readonly total: string;
}

export interface PublicTable {
  readonly columns: readonly ['children', 'adults'];
  readonly rows: readonly PublicRow[];
  readonly totals: readonly [string, string];
  readonly grandTotal: string;
  /** How many cells were hidden: small ones ("<5") and those hidden to protect them ("x"). */
  readonly suppressed: { readonly primary: number; readonly secondary: number };
}

/** A table with the published cells kept for the statement (never sent as they are). */
export interface PublishedCounts {
  readonly table: PublicTable;
  readonly childrenByRow: readonly Published[];
  readonly childrenTotal: Published;
}

const UNKNOWN: Names = { en: 'Nationality not known', ar: 'جنسية غير معروفة', ru: 'Гражданство неизвестно', fr: 'Nationalité inconnue' };

/** Rows with nobody in them are left out (they add nothing); the rest are suppressed as one table with its margins. */
export function publishCounts(rows: readonly CountRow[], namesOf: (code: string) => Names | undefined): PublishedCounts {
  const kept = rows.filter((r) => r.children + r.adults > 0);
  const t = suppressTable(kept.map((r) => [r.children, r.adults]));
  const all = [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal];
  const suppressed = {
    primary: all.filter((p) => p.hidden && p.reason === 'primary').length,
    secondary: all.filter((p) => p.hidden && p.reason === 'secondary').length,
  };
  const table: PublicTable = {
    columns: ['children', 'adults'],
    rows: kept.map((r, i) => ({
      countryCode: r.countryCode,
      names: (r.countryCode ? namesOf(r.countryCode) : undefined) ?? (r.countryCode ? { en: r.countryCode, ar: r.countryCode, ru: r.countryCode, fr: r.countryCode } : UNKNOWN),
      cells: [display(t.cells[i]![0]!), display(t.cells[i]![1]!)],
      total: display(t.rowTotals[i]!),
    })),
    totals: kept.length === 0 ? ['0', '0'] : [display(t.columnTotals[0]!), display(t.columnTotals[1]!)],
    grandTotal: display(t.grandTotal),
    suppressed,
  };
  const zero: Published = { hidden: false, value: 0 };
  return { table, childrenByRow: t.cells.map((row) => row[0]!), childrenTotal: t.columnTotals[0] ?? zero };
}

// ---- the statement ---------------------------------------------------------------------------

/** A count as the statement may say it: the number (5 or more), "fewer than 5", "5 or more" (hidden to protect another), or none. */
type Said = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'few' } | { readonly kind: 'some' } | { readonly kind: 'none' };

function said(p: Published): Said {
  if (p.hidden) return p.reason === 'primary' ? { kind: 'few' } : { kind: 'some' };
  if (p.value === 0) return { kind: 'none' };
  // suppressTable never shows a count from 1 to 4; if it ever did, the statement would still not print it.
  return p.value < SUPPRESSION_THRESHOLD ? { kind: 'few' } : { kind: 'number', value: p.value };
}

/** A count of nationalities is not a count of people, but the statement still never prints a number under 5. */
function saidCount(n: number): Said {
  if (n === 0) return { kind: 'none' };
  return n < SUPPRESSION_THRESHOLD ? { kind: 'few' } : { kind: 'number', value: n };
}

interface Words {
  readonly few: string;
  readonly some: string;
  readonly none: string;
  readonly returned: (x: string, y: string, z: string, date: string) => string;
  readonly noneReturned: (z: string, date: string) => string;
  readonly locale: string;
}

const WORDS: Readonly<Record<StatementLanguage, Words>> = {
  en: {
    few: 'fewer than 5',
    some: '5 or more',
    none: 'no',
    locale: 'en-GB',
    returned: (x, y, z, date) => `As of ${date}, ${x} children of ${y} nationalities have been returned to their home countries; ${z} children remain in custody.`,
    noneReturned: (z, date) => `As of ${date}, no children have yet been returned to their home countries; ${z} children remain in custody.`,
  },
  // List style ("…: 473") keeps the Arabic grammatical whatever the number (no agreement of the counted noun).
  ar: {
    few: 'أقل من 5',
    some: '5 أو أكثر',
    none: 'لا يوجد',
    locale: 'ar-u-nu-latn',
    returned: (x, y, z, date) => `حتى ${date}: عدد الأطفال الذين أُعيدوا إلى بلدانهم: ${x}، وعدد جنسياتهم: ${y}؛ وعدد الأطفال الذين ما زالوا محتجزين: ${z}.`,
    noneReturned: (z, date) => `حتى ${date}: لم يُعَد أي طفل إلى بلده بعد؛ وعدد الأطفال الذين ما زالوا محتجزين: ${z}.`,
  },
  ru: {
    few: 'менее 5',
    some: '5 или более',
    none: 'нет',
    locale: 'ru-RU',
    returned: (x, y, z, date) => `По состоянию на ${date}: возвращено на родину детей — ${x}, гражданств — ${y}; остаются под стражей детей — ${z}.`,
    noneReturned: (z, date) => `По состоянию на ${date}: на родину пока не возвращён ни один ребёнок; остаются под стражей детей — ${z}.`,
  },
  fr: {
    few: 'moins de 5',
    some: '5 ou plus',
    none: 'aucun',
    locale: 'fr-FR',
    returned: (x, y, z, date) => `Au ${date} : enfants rapatriés dans leur pays d’origine : ${x} (nationalités : ${y}) ; enfants toujours détenus : ${z}.`,
    noneReturned: (z, date) => `Au ${date} : aucun enfant n’a encore été rapatrié ; enfants toujours détenus : ${z}.`,
  },
};

const number = (locale: string, n: number) => new Intl.NumberFormat(locale, { useGrouping: true }).format(n);

export interface Statement {
  readonly asOf: IsoDate;
  readonly language: StatementLanguage;
  readonly text: string;
  /** The date as the text writes it (for a reader that checks the numbers in the rest). */
  readonly dateText: string;
  /** The three figures as the text says them. */
  readonly figures: { readonly childrenReturned: string; readonly nationalities: string; readonly childrenHeld: string };
}

/**
 * "X children of Y nationalities returned; Z remain", in one of the four languages, from the
 * published tables. X is the returns table's published children total, Z the held table's; Y counts
 * the nationalities whose published children figure is not 0 — a figure hidden to protect another
 * counts even in the rare case it is a zero, since telling those apart would give it back.
 */
export function writeStatement(asOf: IsoDate, language: StatementLanguage, returns: PublishedCounts, held: PublishedCounts): Statement {
  const w = WORDS[language];
  const say = (s: Said, zeroWord = w.none) => (s.kind === 'number' ? number(w.locale, s.value) : s.kind === 'few' ? w.few : s.kind === 'some' ? w.some : zeroWord);
  const dateText = new Intl.DateTimeFormat(w.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${asOf}T00:00:00Z`));
  const x = said(returns.childrenTotal);
  const nationalities = returns.childrenByRow.filter((p) => p.hidden || p.value > 0).length;
  const y = saidCount(nationalities);
  const z = said(held.childrenTotal);
  const zText = say(z);
  const text = x.kind === 'none' ? w.noneReturned(zText, dateText) : w.returned(say(x), say(y), zText, dateText);
  return { asOf, language, text, dateText, figures: { childrenReturned: say(x), nationalities: say(y), childrenHeld: zText } };
}
