import { z } from 'zod';
import {
  AGE_OF_CRIMINAL_RESPONSIBILITY,
  AGE_OF_MAJORITY,
  type BirthRange,
  couldBeUnder,
  describeBirthRange,
  type IsoDate,
  IsoDateSchema,
  addDays,
  addMonths,
} from './birth-date.ts';

/** DESIGN.md: a juvenile (9–17 at the act) may be sentenced to at most 15 years. */
export const MAX_JUVENILE_TERM_YEARS = 15;

// ---- charges -------------------------------------------------------------------------------

/** The charges the seeds name; anything else is 'other' with the law and article written out. */
export const CHARGE_CODES = ['anti_terrorism_article_4', 'illegal_entry', 'membership', 'other'] as const;
export type ChargeCode = (typeof CHARGE_CODES)[number];

export const CHARGE_LABELS: Readonly<Record<ChargeCode, string>> = {
  anti_terrorism_article_4: 'Article 4, Anti-Terrorism Law of 2005',
  illegal_entry: 'Illegal entry (Residence Law)',
  membership: 'Membership of a terrorist organisation',
  other: 'Other',
};

const NoteSchema = z.string().trim().min(1).max(500);
export const ChargeSchema = z.discriminatedUnion(
  'code',
  [
    z.strictObject({ code: z.enum(['anti_terrorism_article_4', 'illegal_entry', 'membership']), note: NoteSchema.optional() }),
    z.strictObject({ code: z.literal('other'), text: z.string({ error: 'say which law and article' }).trim().min(1, 'say which law and article').max(500) }),
  ],
  { error: `code must be one of ${CHARGE_CODES.join(', ')}` },
);
export type Charge = z.output<typeof ChargeSchema>;

export const describeCharge = (charge: Charge): string => (charge.code === 'other' ? charge.text : CHARGE_LABELS[charge.code]);

// ---- sentences -----------------------------------------------------------------------------

export interface Term {
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

/** A sentence as pronounced; `commutedTo` is what replaced it (and may itself be commuted). */
export type Sentence =
  | ({ readonly kind: 'term'; readonly commutedTo?: Sentence | undefined } & Term)
  | { readonly kind: 'life' | 'death'; readonly commutedTo?: Sentence | undefined };
export type SentenceKind = Sentence['kind'];

/** A sentence as a client sends it: a term's missing parts are 0. */
export type SentenceInput =
  | { kind: 'term'; years?: number; months?: number; days?: number; commutedTo?: SentenceInput | undefined }
  | { kind: 'life' | 'death'; commutedTo?: SentenceInput | undefined };

const TermPart = (unit: string, max: number) => z.number().int(`${unit} must be a whole number`).min(0, `${unit} cannot be negative`).max(max).default(0);
const SEVERITY: Readonly<Record<SentenceKind, number>> = { term: 1, life: 2, death: 3 };
// Terms are compared by where they end from one fixed day, so "12 months" equals "1 year".
const REFERENCE_DAY = '2000-01-01';

/** A term, life or death sentence, with a commutation that must lighten it. */
export const SentenceSchema: z.ZodType<Sentence, SentenceInput> = z.lazy(() =>
  z
    .discriminatedUnion(
      'kind',
      [
        z.strictObject({ kind: z.literal('term'), years: TermPart('years', 100), months: TermPart('months', 1200), days: TermPart('days', 36500), commutedTo: SentenceSchema.optional() }),
        z.strictObject({ kind: z.enum(['life', 'death']), commutedTo: SentenceSchema.optional() }),
      ],
      { error: 'kind must be term, life or death' },
    )
    .superRefine((s, ctx) => {
      if (s.kind === 'term' && s.years + s.months + s.days === 0) ctx.addIssue({ code: 'custom', path: ['years'], message: 'a term must last at least one day' });
      if (s.commutedTo && !lighter(s.commutedTo, s)) {
        ctx.addIssue({ code: 'custom', path: ['commutedTo'], message: `a commutation must lighten the sentence; ${describeSentence(s.commutedTo)} is not lighter than ${describeOne(s)}` });
      }
    }),
);

function lighter(a: Sentence, b: Sentence): boolean {
  if (a.kind === 'term' && b.kind === 'term') return termEnd(REFERENCE_DAY, a) < termEnd(REFERENCE_DAY, b);
  return SEVERITY[a.kind] < SEVERITY[b.kind];
}

/** What the person serves: the last commutation, or the sentence itself. */
export function effectiveSentence(sentence: Sentence): Sentence {
  let current = sentence;
  while (current.commutedTo) current = current.commutedTo;
  return current;
}

/**
 * The day a term ends: years and months first, a day past the month's end becoming its last
 * day (2019-01-31 + 1 month = 2019-02-28), then the days. Ending early, never late, is the
 * reading that favours the prisoner.
 */
export const termEnd = (start: IsoDate, term: Term): IsoDate => addDays(addMonths(start, term.years * 12 + term.months), term.days);

/**
 * The day of release, counted from the original start even after a commutation (life
 * commuted to 20 years ends 20 years after the first day). Life and death have none.
 */
export function releaseDate(sentence: Sentence, startDate: IsoDate): IsoDate | null {
  const effective = effectiveSentence(sentence);
  return effective.kind === 'term' ? termEnd(startDate, effective) : null;
}

/** Served on and after the release day; a life or death sentence never is. */
export function isSentenceServed(sentence: Sentence, startDate: IsoDate, onDate: IsoDate): boolean {
  const release = releaseDate(sentence, startDate);
  return release !== null && onDate >= release;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function describeOne(s: Sentence): string {
  if (s.kind !== 'term') return s.kind === 'life' ? 'life imprisonment' : 'death';
  const parts = [[s.years, 'year'], [s.months, 'month'], [s.days, 'day']] as const;
  return parts.filter(([n]) => n > 0).map(([n, unit]) => plural(n, unit)).join(' ');
}

/** "20 years", "1 year 6 months", "death, commuted to life imprisonment, commuted to 20 years". */
export function describeSentence(sentence: Sentence): string {
  const steps = [describeOne(sentence)];
  for (let s = sentence.commutedTo; s; s = s.commutedTo) steps.push(`commuted to ${describeOne(s)}`);
  return steps.join(', ');
}

// ---- proceedings ---------------------------------------------------------------------------

export const STAGES = ['investigation', 'trial', 'appeal', 'cassation', 'final'] as const;
export type Stage = (typeof STAGES)[number];
export const VERDICTS = ['pending', 'convicted', 'acquitted', 'dismissed'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * One proceeding against a person. `actDate` is the day of the act charged (for a continuing
 * act such as membership, its first day: the youngest the person can have been); a conviction
 * needs it, because the age at the act decides what the law allows.
 */
export const ProceedingInputSchema = z
  .strictObject({
    charge: ChargeSchema,
    court: z.string().trim().min(1).max(200).optional(),
    stage: z.enum(STAGES, { error: `stage must be one of ${STAGES.join(', ')}` }),
    verdict: z.enum(VERDICTS, { error: `verdict must be one of ${VERDICTS.join(', ')}` }),
    actDate: IsoDateSchema.optional(),
    verdictDate: IsoDateSchema.optional(),
    sentence: SentenceSchema.optional(),
    sentenceStart: IsoDateSchema.optional(),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.sentence && p.verdict !== 'convicted') issue('sentence', `only a conviction carries a sentence; the verdict is ${p.verdict}`);
    if (p.sentenceStart && !p.sentence) issue('sentenceStart', 'a start date needs a sentence');
    if (p.verdict === 'convicted' && !p.actDate) issue('actDate', 'a conviction needs the date of the act, to check the age at the act');
    if (p.stage === 'final' && p.verdict === 'pending') issue('verdict', 'a final proceeding has a verdict');
    if (p.actDate && p.verdictDate && p.verdictDate < p.actDate) issue('verdictDate', `the verdict (${p.verdictDate}) cannot precede the act (${p.actDate})`);
  });
export type ProceedingInput = z.output<typeof ProceedingInputSchema>;

/**
 * Still open: no verdict yet, or a verdict that can still be appealed. The judiciary marks a
 * proceeding `final` when no appeal or cassation remains, whatever the verdict.
 */
export const isPending = (p: { readonly stage: Stage; readonly verdict: Verdict }): boolean => p.verdict === 'pending' || p.stage !== 'final';

export const hasPendingProceedings = (list: readonly { readonly stage: Stage; readonly verdict: Verdict }[]): boolean => list.some(isPending);

// ---- the law's limits ----------------------------------------------------------------------

export const CONVICTION_RULES = ['conviction_under_age_9', 'juvenile_sentence_over_15_years', 'juvenile_life_or_death'] as const;
export type ConvictionRule = (typeof CONVICTION_RULES)[number];

/** A limit of the law a proceeding breaks; `path` names the field to correct. */
export interface RuleViolation {
  readonly code: ConvictionRule;
  readonly path: 'verdict' | 'sentence';
  readonly message: string;
}

export interface ConvictionFacts {
  readonly birthRange: BirthRange;
  readonly actDate: IsoDate;
  readonly verdict: Verdict;
  readonly sentence?: Sentence | null | undefined;
}

/**
 * The limits DESIGN.md makes bite, read at the protective end of the birth range: no
 * conviction if the person could have been under 9 at the act; if they could have been
 * under 18, no term over 15 years and — a separate code, since no term can fix it by
 * shortening — no life or death sentence. The sentence judged is the one served (after
 * commutation): a juvenile's death sentence commuted to 15 years is within the law.
 * Every violation is reported, not only the first.
 */
export function checkConviction(facts: ConvictionFacts): readonly RuleViolation[] {
  if (facts.verdict !== 'convicted') return [];
  const { birthRange, actDate } = facts;
  const born = describeBirthRange(birthRange);
  const violations: RuleViolation[] = [];
  if (couldBeUnder(birthRange, AGE_OF_CRIMINAL_RESPONSIBILITY, actDate)) {
    violations.push({
      code: 'conviction_under_age_9',
      path: 'verdict',
      message: `A person who may have been under ${AGE_OF_CRIMINAL_RESPONSIBILITY} on ${actDate} (${born}) cannot be convicted.`,
    });
  }
  const served = facts.sentence ? effectiveSentence(facts.sentence) : null;
  if (served && couldBeUnder(birthRange, AGE_OF_MAJORITY, actDate)) {
    const minor = `A person who may have been under ${AGE_OF_MAJORITY} on ${actDate} (${born})`;
    if (served.kind !== 'term') {
      violations.push({
        code: 'juvenile_life_or_death',
        path: 'sentence',
        message: `${minor} cannot be sentenced to ${describeOne(served)}; the law allows at most ${MAX_JUVENILE_TERM_YEARS} years.`,
      });
    } else if (termEnd(actDate, served) > termEnd(actDate, { years: MAX_JUVENILE_TERM_YEARS, months: 0, days: 0 })) {
      violations.push({
        code: 'juvenile_sentence_over_15_years',
        path: 'sentence',
        message: `${minor} cannot be sentenced to more than ${MAX_JUVENILE_TERM_YEARS} years; the sentence is ${describeOne(served)}.`,
      });
    }
  }
  return violations;
}
