/**
 * Birth dates as ranges. A full date is one day; `YYYY-MM` is a month and
 * `YYYY` a year: an estimated date covers its range, and two records agree
 * when their ranges overlap (an estimated age is not a wrong one).
 */

export interface DateRange {
  /** First and last possible day, as days since 1970-01-01. */
  readonly from: number;
  readonly to: number;
  /** The eight digits YYYYMMDD of a full date (for typo levels), else ''. */
  readonly digits: string;
}

const DAY_MS = 86_400_000;

function dayNumber(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1 || year > 9999) return null;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return Math.round(ms / DAY_MS);
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Reads `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-MM` or `YYYY` (also with `/` or `.`), or a range
 * `YYYY-MM-DD..YYYY-MM-DD`.
 * @returns the range, or null when the value is empty or not a real date
 * @example parseBirthDate('2015') // 2015-01-01 … 2015-12-31
 */
export function parseBirthDate(text: string | null | undefined): DateRange | null {
  const value = (text ?? '').trim();
  if (value === '') return null;
  // An estimated date as its first and last possible day: `YYYY-MM-DD..YYYY-MM-DD` (as the registry stores it).
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (range) {
    const from = parseBirthDate(range[1]);
    const to = parseBirthDate(range[2]);
    return from && to && from.from <= to.to ? { from: from.from, to: to.to, digits: '' } : null;
  }
  let m = /^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const day = dayNumber(y, mo, d);
    return day === null ? null : { from: day, to: day, digits: `${pad(y, 4)}${pad(mo, 2)}${pad(d, 2)}` };
  }
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(value);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    const from = dayNumber(y, mo, 1);
    return from === null ? null : { from, to: from + lastDay(y, mo) - 1, digits: '' };
  }
  m = /^(\d{4})$/.exec(value);
  if (m) {
    const y = Number(m[1]);
    const from = dayNumber(y, 1, 1);
    return from === null ? null : { from, to: dayNumber(y, 12, 31)!, digits: '' };
  }
  return null;
}

/** Levels of a date comparison, best first; 0 is "unknown on one side". */
export const DATE_LEVELS = [
  'unknown',
  'same day',
  'consistent (within a month)',
  'consistent (within a year)',
  'consistent (wide range)',
  'one digit off',
  'two digits off',
  'within a year',
  'within five years',
  'different',
  'next to an estimate',
] as const;

const LEVEL_SAME = 1;
const LEVEL_MONTH = 2;
const LEVEL_YEAR = 3;
const LEVEL_WIDE = 4;
const LEVEL_TYPO = 5;
const LEVEL_TWO_TYPOS = 6;
const LEVEL_NEAR = 7;
const LEVEL_FIVE_YEARS = 8;
const LEVEL_DIFFERENT = 9;
/** A range (an estimated year or month) within a year of the other date: estimates are often a year off. */
const LEVEL_NEXT_TO_ESTIMATE = 10;

/** Digits in which two eight-digit dates differ (at most 3 counted). */
function digitsOff(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 8 && d < 3; i++) if (a[i] !== b[i]) d++;
  return d;
}

/** One substitution or one swap of neighbouring digits, or day and month exchanged. */
export function digitTypo(a: string, b: string): boolean {
  if (a.length !== 8 || b.length !== 8) return false;
  let first = -1;
  let diffs = 0;
  for (let i = 0; i < 8; i++) {
    if (a[i] !== b[i]) {
      if (diffs === 0) first = i;
      diffs++;
      if (diffs > 2) break;
    }
  }
  if (diffs === 1) return true;
  if (diffs === 2 && a[first] === b[first + 1] && a[first + 1] === b[first]) return true;
  // Day and month written the other way round (03-07 / 07-03).
  return a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6);
}

/** The comparison level of two known dates (DATE_LEVELS). */
export function compareDates(a: DateRange, b: DateRange): number {
  const overlap = Math.min(a.to, b.to) - Math.max(a.from, b.from) + 1;
  if (a.digits !== '' && b.digits !== '') {
    if (a.from === b.from) return LEVEL_SAME;
    if (digitTypo(a.digits, b.digits)) return LEVEL_TYPO;
    if (digitsOff(a.digits, b.digits) === 2) return LEVEL_TWO_TYPOS;
    const gap = Math.abs(a.from - b.from);
    return gap <= 366 ? LEVEL_NEAR : gap <= 5 * 366 ? LEVEL_FIVE_YEARS : LEVEL_DIFFERENT;
  }
  if (overlap > 0) {
    // The wider range says how much the agreement is worth: a day inside a year agrees to the year.
    const width = Math.max(a.to - a.from, b.to - b.from) + 1;
    return width <= 31 ? LEVEL_MONTH : width <= 366 ? LEVEL_YEAR : LEVEL_WIDE;
  }
  return -overlap < 366 ? LEVEL_NEXT_TO_ESTIMATE : -overlap < 5 * 366 ? LEVEL_FIVE_YEARS : LEVEL_DIFFERENT;
}

/** The year of a range's middle, for blocking. */
export function birthYear(range: DateRange): number {
  return new Date(((range.from + range.to) / 2) * DAY_MS).getUTCFullYear();
}

/** The written form of a range, for explanations: 2015-03-07, 2015-03, 2015. */
export function formatRange(range: DateRange): string {
  const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (range.from === range.to) return iso(range.from);
  const [from, to] = [iso(range.from), iso(range.to)];
  if (from.slice(0, 7) === to.slice(0, 7)) return from.slice(0, 7);
  if (from.slice(0, 4) === to.slice(0, 4) && from.endsWith('01-01') && to.endsWith('12-31')) return from.slice(0, 4);
  return `${from}…${to}`;
}
