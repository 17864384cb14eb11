import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BirthRange } from './birth-date.ts';
import {
  ChargeSchema,
  checkConviction,
  type ConvictionFacts,
  describeCharge,
  describeSentence,
  effectiveSentence,
  hasPendingProceedings,
  isSentenceServed,
  ProceedingInputSchema,
  releaseDate,
  type Sentence,
  SentenceSchema,
  termEnd,
} from './sentence.ts';

const years = (n: number) => ({ kind: 'term', years: n, months: 0, days: 0 }) as const satisfies Sentence;
const LIFE: Sentence = { kind: 'life' };
const DEATH: Sentence = { kind: 'death' };
const issues = (schema: { safeParse(v: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) =>
  (schema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('charges', () => {
  test('the named articles, and "other" with the law written out', () => {
    assert.equal(describeCharge(ChargeSchema.parse({ code: 'anti_terrorism_article_4' })), 'Article 4, Anti-Terrorism Law of 2005');
    assert.equal(describeCharge(ChargeSchema.parse({ code: 'illegal_entry', note: 'crossed from Syria' })), 'Illegal entry (Residence Law)');
    assert.equal(describeCharge(ChargeSchema.parse({ code: 'other', text: ' Penal Code, Article 156 ' })), 'Penal Code, Article 156');
  });

  test('"other" needs the law, and unknown codes are named', () => {
    assert.deepEqual(issues(ChargeSchema, { code: 'other' }), ['text: say which law and article']);
    assert.deepEqual(issues(ChargeSchema, { code: 'other', text: '  ' }), ['text: say which law and article']);
    assert.deepEqual(issues(ChargeSchema, { code: 'theft' }), ['code: code must be one of anti_terrorism_article_4, illegal_entry, membership, other']);
  });
});

describe('the sentence schema', () => {
  test('a term\'s missing parts are zero', () => {
    assert.deepEqual(SentenceSchema.parse({ kind: 'term', years: 20 }), years(20));
    assert.deepEqual(SentenceSchema.parse({ kind: 'term', months: 18 }), { kind: 'term', years: 0, months: 18, days: 0 });
  });

  test('a term lasts at least a day, in whole non-negative units', () => {
    assert.deepEqual(issues(SentenceSchema, { kind: 'term' }), ['years: a term must last at least one day']);
    assert.deepEqual(issues(SentenceSchema, { kind: 'term', years: -1, months: 2 }), ['years: years cannot be negative']);
    assert.deepEqual(issues(SentenceSchema, { kind: 'term', years: 1.5 }), ['years: years must be a whole number']);
    assert.deepEqual(issues(SentenceSchema, { kind: 'exile' }), ['kind: kind must be term, life or death']);
  });

  test('a commutation lightens the sentence, and may be commuted again', () => {
    const chain = SentenceSchema.parse({ kind: 'death', commutedTo: { kind: 'life', commutedTo: { kind: 'term', years: 20 } } });
    assert.deepEqual(effectiveSentence(chain), years(20));
    assert.deepEqual(issues(SentenceSchema, { kind: 'term', years: 10, commutedTo: { kind: 'term', years: 5 } }), []);
  });

  test('a "commutation" that makes the sentence heavier, or no lighter, is refused', () => {
    assert.deepEqual(issues(SentenceSchema, { kind: 'life', commutedTo: { kind: 'death' } }), ['commutedTo: a commutation must lighten the sentence; death is not lighter than life imprisonment']);
    assert.equal(issues(SentenceSchema, { kind: 'term', years: 20, commutedTo: { kind: 'life' } }).length, 1);
    assert.equal(issues(SentenceSchema, { kind: 'term', years: 15, commutedTo: { kind: 'term', years: 20 } }).length, 1);
    assert.equal(issues(SentenceSchema, { kind: 'term', years: 1, commutedTo: { kind: 'term', months: 12 } }).length, 1);
    assert.equal(issues(SentenceSchema, { kind: 'death', commutedTo: { kind: 'death' } }).length, 1);
    assert.deepEqual(issues(SentenceSchema, { kind: 'death', commutedTo: { kind: 'life', commutedTo: { kind: 'death' } } }), [
      'commutedTo.commutedTo: a commutation must lighten the sentence; death is not lighter than life imprisonment',
    ]);
  });
});

describe('release dates', () => {
  test('start + term, years and months first, clamped to the end of a shorter month', () => {
    assert.equal(termEnd('2018-04-15', years(20)), '2038-04-15');
    assert.equal(termEnd('2019-01-31', { years: 0, months: 1, days: 0 }), '2019-02-28');
    assert.equal(termEnd('2019-01-31', { years: 0, months: 1, days: 1 }), '2019-03-01');
    assert.equal(termEnd('2019-01-30', { years: 0, months: 1, days: 1 }), '2019-03-01');
    assert.equal(termEnd('2020-02-29', { years: 1, months: 0, days: 0 }), '2021-02-28');
    assert.equal(termEnd('2020-02-29', { years: 4, months: 0, days: 0 }), '2024-02-29');
    assert.equal(termEnd('2019-02-28', { years: 0, months: 0, days: 1 }), '2019-03-01');
    assert.equal(termEnd('2019-11-30', { years: 1, months: 3, days: 10 }), '2021-03-10');
  });

  test('life and death have none', () => {
    assert.equal(releaseDate(LIFE, '2018-04-15'), null);
    assert.equal(releaseDate(DEATH, '2018-04-15'), null);
  });

  test('a commutation replaces the term, counted from the original start', () => {
    assert.equal(releaseDate({ kind: 'death', commutedTo: LIFE }, '2018-04-15'), null);
    assert.equal(releaseDate({ kind: 'life', commutedTo: years(20) }, '2018-04-15'), '2038-04-15');
    assert.equal(releaseDate({ kind: 'death', commutedTo: { kind: 'life', commutedTo: years(20) } }, '2018-04-15'), '2038-04-15');
    assert.equal(releaseDate({ ...years(15), commutedTo: { kind: 'term', years: 7, months: 6, days: 0 } }, '2018-04-15'), '2025-10-15');
  });

  test('served on the release day, not the day before; never for life or death', () => {
    assert.equal(isSentenceServed(years(5), '2018-04-15', '2023-04-14'), false);
    assert.equal(isSentenceServed(years(5), '2018-04-15', '2023-04-15'), true);
    assert.equal(isSentenceServed(LIFE, '1990-01-01', '2199-12-31'), false);
    assert.equal(isSentenceServed(DEATH, '1990-01-01', '2199-12-31'), false);
    assert.equal(isSentenceServed({ kind: 'death', commutedTo: years(10) }, '2015-01-01', '2025-01-01'), true);
  });

  test('described for a clerk', () => {
    assert.equal(describeSentence(years(20)), '20 years');
    assert.equal(describeSentence({ kind: 'term', years: 1, months: 6, days: 1 }), '1 year 6 months 1 day');
    assert.equal(describeSentence({ kind: 'death', commutedTo: { kind: 'life', commutedTo: years(20) } }), 'death, commuted to life imprisonment, commuted to 20 years');
  });
});

describe('proceedings', () => {
  const base = { charge: { code: 'anti_terrorism_article_4' }, stage: 'final', verdict: 'convicted', actDate: '2017-06-01', verdictDate: '2018-04-10' };

  test('a conviction with its sentence and start', () => {
    const p = ProceedingInputSchema.parse({ ...base, court: 'Central Criminal Court', sentence: { kind: 'term', years: 7 }, sentenceStart: '2017-07-15' });
    assert.deepEqual(p.sentence, years(7));
    assert.equal(releaseDate(p.sentence!, p.sentenceStart!), '2024-07-15');
  });

  test('refuses what cannot be', () => {
    assert.deepEqual(issues(ProceedingInputSchema, { ...base, verdict: 'acquitted', sentence: { kind: 'life' } }), ['sentence: only a conviction carries a sentence; the verdict is acquitted']);
    assert.deepEqual(issues(ProceedingInputSchema, { ...base, sentenceStart: '2018-01-01' }), ['sentenceStart: a start date needs a sentence']);
    assert.deepEqual(issues(ProceedingInputSchema, { ...base, actDate: undefined, verdictDate: undefined }), ['actDate: a conviction needs the date of the act, to check the age at the act']);
    assert.deepEqual(issues(ProceedingInputSchema, { ...base, verdict: 'pending' }), ['verdict: a final proceeding has a verdict']);
    assert.deepEqual(issues(ProceedingInputSchema, { ...base, verdictDate: '2017-05-31' }), ['verdictDate: the verdict (2017-05-31) cannot precede the act (2017-06-01)']);
    assert.deepEqual(issues(ProceedingInputSchema, { ...base, stage: 'hearing' }), ['stage: stage must be one of investigation, trial, appeal, cassation, final']);
    assert.deepEqual(issues(ProceedingInputSchema, { ...base, actDate: '2017-02-30' }), ['actDate: 2017-02-30 is not a day in the calendar (that month has 28 days)']);
  });

  test('pending until final', () => {
    assert.equal(hasPendingProceedings([]), false);
    assert.equal(hasPendingProceedings([{ stage: 'investigation', verdict: 'pending' }]), true);
    assert.equal(hasPendingProceedings([{ stage: 'appeal', verdict: 'convicted' }]), true);
    assert.equal(hasPendingProceedings([{ stage: 'trial', verdict: 'acquitted' }]), true);
    assert.equal(hasPendingProceedings([{ stage: 'final', verdict: 'convicted' }, { stage: 'final', verdict: 'dismissed' }]), false);
    assert.equal(hasPendingProceedings([{ stage: 'final', verdict: 'acquitted' }, { stage: 'cassation', verdict: 'convicted' }]), true);
  });
});

describe('the law\'s limits on convictions', () => {
  const codes = (facts: ConvictionFacts) => checkConviction(facts).map((v) => v.code);
  const bornOn = (date: string): BirthRange => ({ earliest: date, latest: date });
  const convicted = (birthRange: BirthRange, actDate: string, sentence?: Sentence) => ({ birthRange, actDate, verdict: 'convicted' as const, sentence });

  test('no conviction if the person may have been under 9, in words a clerk understands', () => {
    assert.deepEqual(checkConviction(convicted({ earliest: '2010-06-01', latest: '2011-12-31' }, '2019-05-02', years(2))), [
      {
        code: 'conviction_under_age_9',
        path: 'verdict',
        message: 'A person who may have been under 9 on 2019-05-02 (born between 2010-06-01 and 2011-12-31) cannot be convicted.',
      },
    ]);
  });

  test('the 9th birthday is the edge', () => {
    assert.deepEqual(codes(convicted(bornOn('2010-05-02'), '2019-05-02')), []);
    assert.deepEqual(codes(convicted(bornOn('2010-05-02'), '2019-05-01')), ['conviction_under_age_9']);
    assert.deepEqual(codes(convicted(bornOn('2008-02-29'), '2017-02-28')), ['conviction_under_age_9']);
    assert.deepEqual(codes(convicted(bornOn('2008-02-29'), '2017-03-01')), []);
  });

  test('the protective end of the range decides: certainly 9 at the earliest birth is not enough', () => {
    assert.deepEqual(codes(convicted({ earliest: '2000-01-01', latest: '2010-05-03' }, '2019-05-02')), ['conviction_under_age_9']);
    assert.deepEqual(codes(convicted({ earliest: '2000-01-01', latest: '2010-05-02' }, '2019-05-02')), []);
  });

  test('acquittals, dismissals and pending proceedings break no limit', () => {
    for (const verdict of ['acquitted', 'dismissed', 'pending'] as const) {
      assert.deepEqual(checkConviction({ birthRange: bornOn('2015-01-01'), actDate: '2019-05-02', verdict }), [], verdict);
    }
  });

  test('no term over 15 years for someone who may have been under 18', () => {
    const juvenile = bornOn('2002-03-10');
    assert.deepEqual(codes(convicted(juvenile, '2019-05-02', years(15))), []);
    assert.deepEqual(codes(convicted(juvenile, '2019-05-02', { kind: 'term', years: 14, months: 12, days: 0 })), []);
    assert.deepEqual(codes(convicted(juvenile, '2019-05-02', { kind: 'term', years: 15, months: 0, days: 1 })), ['juvenile_sentence_over_15_years']);
    assert.deepEqual(checkConviction(convicted(juvenile, '2019-05-02', years(20))), [
      {
        code: 'juvenile_sentence_over_15_years',
        path: 'sentence',
        message: 'A person who may have been under 18 on 2019-05-02 (born on 2002-03-10) cannot be sentenced to more than 15 years; the sentence is 20 years.',
      },
    ]);
  });

  test('the 18th birthday is the edge, 29 February included', () => {
    assert.deepEqual(codes(convicted(bornOn('2008-02-29'), '2026-02-28', years(16))), ['juvenile_sentence_over_15_years']);
    assert.deepEqual(codes(convicted(bornOn('2008-02-29'), '2026-03-01', years(16))), []);
    assert.deepEqual(codes(convicted({ earliest: '1990-01-01', latest: '2001-05-03' }, '2019-05-02', years(20))), ['juvenile_sentence_over_15_years']);
  });

  test('no life or death sentence for someone who may have been under 18, under its own code', () => {
    const [v] = checkConviction(convicted(bornOn('2002-03-10'), '2019-05-02', DEATH));
    assert.equal(v?.code, 'juvenile_life_or_death');
    assert.equal(v?.message, 'A person who may have been under 18 on 2019-05-02 (born on 2002-03-10) cannot be sentenced to death; the law allows at most 15 years.');
    assert.deepEqual(codes(convicted(bornOn('2002-03-10'), '2019-05-02', LIFE)), ['juvenile_life_or_death']);
    assert.deepEqual(codes(convicted(bornOn('2002-03-10'), '2019-05-02', { kind: 'death', commutedTo: LIFE })), ['juvenile_life_or_death']);
  });

  test('the sentence served is judged: a commutation can bring it within the law', () => {
    assert.deepEqual(codes(convicted(bornOn('2002-03-10'), '2019-05-02', { kind: 'death', commutedTo: years(15) })), []);
    assert.deepEqual(codes(convicted(bornOn('2002-03-10'), '2019-05-02', { ...years(20), commutedTo: years(16) })), ['juvenile_sentence_over_15_years']);
  });

  test('adults may receive any sentence', () => {
    for (const sentence of [years(40), LIFE, DEATH]) assert.deepEqual(codes(convicted(bornOn('1990-01-01'), '2017-06-01', sentence)), []);
  });

  test('every broken limit is reported', () => {
    assert.deepEqual(codes(convicted(bornOn('2012-01-01'), '2019-05-02', LIFE)), ['conviction_under_age_9', 'juvenile_life_or_death']);
    assert.deepEqual(codes(convicted(bornOn('2012-01-01'), '2019-05-02', years(3))), ['conviction_under_age_9']);
  });
});

describe('unknown fields', () => {
  test('are refused, so a misplaced field is not silently dropped', () => {
    assert.deepEqual(issues(SentenceSchema, { kind: 'life', years: 20 }), [': Unrecognized key: "years"']);
    assert.equal(issues(ProceedingInputSchema, { charge: { code: 'membership' }, stage: 'trial', verdict: 'pending', sentenceDate: '2019-01-01' }).length, 1);
  });
});
