import { z } from 'zod';
import type { ErrorDetail } from './errors.ts';

/** A calendar day as 'YYYY-MM-DD'. Text, not Date: a time zone must never move a birthday. */
export type IsoDate = string;

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;
/** Dates outside these years are typing errors (0215 for 2015), not events in a case. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;
/** DESIGN.md: children aged 9 and over can be prosecuted; under 18 is a minor. */
export const AGE_OF_CRIMINAL_RESPONSIBILITY = 9;
export const AGE_OF_MAJORITY = 18;

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function parseYmd(date: string): Ymd | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) ? { y, m, d } : null;
}

/** True for a real calendar day written as YYYY-MM-DD (2015-02-30 is not one). */
export const isCalendarDate = (date: string): boolean => parseYmd(date) !== null;

function ymd(date: IsoDate): Ymd {
  const parsed = parseYmd(date);
  if (!parsed) throw new RangeError(`not a calendar date: ${date}`);
  return parsed;
}

function format({ y, m, d }: Ymd): IsoDate {
  if (y < 0 || y > 9999) throw new RangeError(`year ${y} is outside 0000–9999`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil). */
function toDayNumber({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function fromDayNumber(days: number): Ymd {
  const z0 = days + 719468;
  const era = Math.floor(z0 / 146097);
  const doe = z0 - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

export const compareDates = (a: IsoDate, b: IsoDate): number => (a < b ? -1 : a > b ? 1 : 0);

export const addDays = (date: IsoDate, days: number): IsoDate => format(fromDayNumber(toDayNumber(ymd(date)) + days));

/**
 * Calendar months later (or earlier, if negative). A day past the end of the target month
 * becomes its last day: 2019-01-31 + 1 month = 2019-02-28; 2020-02-29 + 12 months = 2021-02-28.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { y, m, d } = ymd(date);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return format({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

export const addYears = (date: IsoDate, years: number): IsoDate => addMonths(date, years * 12);

/**
 * Completed years from `birth` to `on`. A birthday counts once the calendar reaches its
 * month and day, so someone born on 29 February comes of age on 1 March in common years.
 */
export function completedYears(birth: IsoDate, on: IsoDate): number {
  const b = ymd(birth);
  const o = ymd(on);
  return o.y - b.y - (o.m < b.m || (o.m === b.m && o.d < b.d) ? 1 : 0);
}

// ---- schemas -------------------------------------------------------------------------------

function dateIssue(value: string): string | null {
  if (!ISO_DATE.test(value)) return 'must be a date written YYYY-MM-DD';
  const [y, m] = [Number(value.slice(0, 4)), Number(value.slice(5, 7))];
  if (m < 1 || m > 12) return `${value} has no month ${m}`;
  if (!isCalendarDate(value)) return `${value} is not a day in the calendar (that month has ${daysInMonth(y, m)} days)`;
  return y < MIN_YEAR || y > MAX_YEAR ? `${value} is not between ${MIN_YEAR} and ${MAX_YEAR}` : null;
}

/** A calendar day written YYYY-MM-DD, in the years 1900–2199. */
export const IsoDateSchema = z
  .string()
  .superRefine((value, ctx) => {
    const issue = dateIssue(value);
    if (issue) ctx.addIssue({ code: 'custom', message: issue });
  })
  .meta({ format: 'date', examples: ['2015-03-04'] });
const YearSchema = z.number().int('must be a whole year').min(MIN_YEAR, `must be ${MIN_YEAR} or later`).max(MAX_YEAR, `must be ${MAX_YEAR} or earlier`);
const MonthSchema = z.string().superRefine((value, ctx) => {
  const match = ISO_MONTH.exec(value);
  const issue = !match ? 'must be a month written YYYY-MM' : dateIssue(`${value}-01`);
  if (issue) ctx.addIssue({ code: 'custom', message: issue.replace(`${value}-01`, value) });
}).meta({ examples: ['2015-03'] });
/** What the clerk or the source document said, e.g. "about 7 years old in March 2026". */
const TextSchema = z.string().trim().min(1).max(200).optional();

const EstimatedSchema = z
  .strictObject({
    precision: z.literal('estimated'),
    earliest: IsoDateSchema.optional(),
    latest: IsoDateSchema.optional(),
    aboutYear: YearSchema.optional(),
    age: z.number().int('must be whole years').min(0).max(120).optional(),
    onDate: IsoDateSchema.optional(),
    /** "About" means give or take this many years; DESIGN.md's example "about 2015" is 2014–2016. */
    marginYears: z.number().int().min(0).max(10).default(1),
    text: TextSchema,
  })
  .superRefine((v, ctx) => {
    const forms = [v.earliest !== undefined || v.latest !== undefined, v.aboutYear !== undefined, v.age !== undefined || v.onDate !== undefined];
    if (forms.filter(Boolean).length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'give earliest and latest, or aboutYear, or age with onDate — exactly one of them' });
      return;
    }
    for (const [a, b] of [['earliest', 'latest'], ['age', 'onDate']] as const) {
      if ((v[a] === undefined) !== (v[b] === undefined)) ctx.addIssue({ code: 'custom', path: [v[a] === undefined ? a : b], message: `required with ${v[a] === undefined ? b : a}` });
    }
    if (v.earliest && v.latest && isCalendarDate(v.earliest) && isCalendarDate(v.latest) && v.earliest > v.latest) {
      ctx.addIssue({ code: 'custom', path: ['latest'], message: `the range ends (${v.latest}) before it begins (${v.earliest})` });
    }
  });

/** A date of birth as entered: exact, month, year, or an estimate (range, "about YEAR", or an age on a date). */
export const BirthDateInputSchema = z.discriminatedUnion(
  'precision',
  [
    z.strictObject({ precision: z.literal('exact'), date: IsoDateSchema, text: TextSchema }),
    z.strictObject({ precision: z.literal('month'), month: MonthSchema, text: TextSchema }),
    z.strictObject({ precision: z.literal('year'), year: YearSchema, text: TextSchema }),
    EstimatedSchema,
  ],
  { error: 'precision must be exact, month, year or estimated' },
);
export type BirthDateInput = z.output<typeof BirthDateInputSchema>;
export type Precision = BirthDateInput['precision'];
export const PRECISIONS: readonly Precision[] = ['exact', 'month', 'year', 'estimated'];

/** The closed range of days on which the person may have been born. */
export interface BirthRange {
  readonly earliest: IsoDate;
  readonly latest: IsoDate;
}

/** A date of birth as stored: every precision is a range, with how it was given. */
export interface BirthDate extends BirthRange {
  readonly precision: Precision;
  readonly text: string;
}

/** Turns a parsed input into its range. "About 7 on D" is ages 6–8 on D (with the default margin). */
export function toRange(input: BirthDateInput): BirthDate {
  const build = (earliest: IsoDate, latest: IsoDate, text: string): BirthDate => ({ precision: input.precision, earliest, latest, text: input.text ?? text });
  switch (input.precision) {
    case 'exact':
      return build(input.date, input.date, input.date);
    case 'month': {
      const [y, m] = [Number(input.month.slice(0, 4)), Number(input.month.slice(5, 7))];
      return build(`${input.month}-01`, format({ y, m, d: daysInMonth(y, m) }), input.month);
    }
    case 'year':
      return build(`${input.year}-01-01`, `${input.year}-12-31`, String(input.year));
    case 'estimated': {
      const margin = input.marginYears;
      if (input.aboutYear !== undefined) {
        const y = input.aboutYear;
        return build(format({ y: y - margin, m: 1, d: 1 }), format({ y: y + margin, m: 12, d: 31 }), `about ${y}`);
      }
      if (input.age !== undefined && input.onDate !== undefined) {
        // Aged exactly A on D: born after D − (A+1) years, and on or before D − A years.
        const earliest = addDays(addYears(input.onDate, -(input.age + margin + 1)), 1);
        const latest = addYears(input.onDate, -Math.max(0, input.age - margin));
        return build(earliest, latest, `about ${input.age} on ${input.onDate}`);
      }
      if (input.earliest !== undefined && input.latest !== undefined) return build(input.earliest, input.latest, `${input.earliest}..${input.latest}`);
      throw new RangeError('estimated date of birth without a range, year or age (parse it with BirthDateInputSchema)');
    }
  }
}

/**
 * Refuses a date of birth that lies wholly after `asOf` (today, when entering it), and an
 * age estimated on a future day. A range that merely reaches past `asOf` is accepted.
 */
export function futureBirthDateIssues(input: BirthDateInput, asOf: IsoDate): readonly ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  if (input.precision === 'estimated' && input.onDate !== undefined && input.onDate > asOf) {
    issues.push({ path: 'onDate', message: `an age cannot be estimated on ${input.onDate}, which is after ${asOf}` });
  }
  const range = toRange(input);
  if (range.earliest > asOf) {
    const path = { exact: 'date', month: 'month', year: 'year', estimated: input.precision === 'estimated' && input.aboutYear !== undefined ? 'aboutYear' : 'earliest' }[input.precision];
    issues.push({ path, message: `a date of birth cannot be in the future: ${displayBirthDate(range)} ${input.precision === 'exact' ? 'is' : 'begins'} after ${asOf}` });
  }
  return issues;
}

/**
 * Reads a date of birth written in a file: YYYY-MM-DD, YYYYMMDD, YYYY-MM, YYYY,
 * "about YYYY" or "YYYY-MM-DD..YYYY-MM-DD". Null when it is none of these, or not a real date.
 */
export function parseBirthDateText(raw: string): BirthDateInput | null {
  const text = raw.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const about = /^(?:about|approx\.?|~|c\.)\s*(\d{4})$/i.exec(text);
  const range = /^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|\/)\s*(\d{4}-\d{2}-\d{2})$/.exec(text);
  const candidate = compact
    ? { precision: 'exact', date: `${compact[1]}-${compact[2]}-${compact[3]}`, text }
    : ISO_DATE.test(text)
      ? { precision: 'exact', date: text, text }
      : ISO_MONTH.test(text)
        ? { precision: 'month', month: text, text }
        : /^\d{4}$/.test(text)
          ? { precision: 'year', year: Number(text), text }
          : about
            ? { precision: 'estimated', aboutYear: Number(about[1]), text }
            : range
              ? { precision: 'estimated', earliest: range[1], latest: range[2], text }
              : null;
  const parsed = candidate && BirthDateInputSchema.safeParse(candidate);
  return parsed && parsed.success ? parsed.data : null;
}

// ---- ages ----------------------------------------------------------------------------------

/** The least and greatest age in completed years on a day; 0 for a day before a possible birth. */
export interface AgeRange {
  readonly min: number;
  readonly max: number;
}

export function ageRange(range: BirthRange, onDate: IsoDate): AgeRange {
  return { min: Math.max(0, completedYears(range.latest, onDate)), max: Math.max(0, completedYears(range.earliest, onDate)) };
}

/** The age range on the day of an act; conviction rules read its protective end, `min`. */
export const ageAtAct = (range: BirthRange, actDate: IsoDate): AgeRange => ageRange(range, actDate);

/** The person may have been younger than `years` on the day: the protective reading. */
export const couldBeUnder = (range: BirthRange, years: number, onDate: IsoDate): boolean => ageRange(range, onDate).min < years;
export const isCertainlyUnder = (range: BirthRange, years: number, onDate: IsoDate): boolean => ageRange(range, onDate).max < years;
export const isCertainlyAtLeast = (range: BirthRange, years: number, onDate: IsoDate): boolean => !couldBeUnder(range, years, onDate);

export const PERSON_KINDS = ['adult', 'juvenile', 'child'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];

/**
 * The registry kind on a day, read protectively (DESIGN.md "Ages from uncertain dates"):
 * 'adult' only if certainly 18 or over; 'child' (below criminal responsibility) if the person
 * could be under 9; otherwise 'juvenile' (certainly 9 or over, could be under 18).
 */
export function kindOf(range: BirthRange, onDate: IsoDate): PersonKind {
  const { min } = ageRange(range, onDate);
  if (min >= AGE_OF_MAJORITY) return 'adult';
  return min < AGE_OF_CRIMINAL_RESPONSIBILITY ? 'child' : 'juvenile';
}

// ---- display -------------------------------------------------------------------------------

const isWholeYears = (r: BirthRange) => r.earliest.endsWith('-01-01') && r.latest.endsWith('-12-31');

/** "2015-03-04", "2015-03", "2015", "about 2015", "about 2014–2016" or "between D1 and D2". */
export function displayBirthDate(birth: BirthDate): string {
  const [from, to] = [birth.earliest.slice(0, 4), birth.latest.slice(0, 4)];
  switch (birth.precision) {
    case 'exact':
      return birth.earliest;
    case 'month':
      return birth.earliest.slice(0, 7);
    case 'year':
      return from;
    case 'estimated':
      if (isWholeYears(birth)) return from === to ? `about ${from}` : `about ${from}–${to}`;
      return birth.earliest === birth.latest ? `about ${birth.earliest}` : `between ${birth.earliest} and ${birth.latest}`;
  }
}

/** "7" when the age is certain on the day, "6–8" when it is not. */
export function ageOnDisplay(range: BirthRange, onDate: IsoDate): string {
  const { min, max } = ageRange(range, onDate);
  return min === max ? String(min) : `${min}–${max}`;
}

/** "born on D" or "born between D1 and D2", for messages a clerk reads. */
export const describeBirthRange = (range: BirthRange): string =>
  range.earliest === range.latest ? `born on ${range.earliest}` : `born between ${range.earliest} and ${range.latest}`;
