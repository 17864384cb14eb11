import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addDays,
  addMonths,
  addYears,
  ageAtAct,
  ageOnDisplay,
  ageRange,
  type BirthDate,
  BirthDateInputSchema,
  completedYears,
  couldBeUnder,
  daysInMonth,
  describeBirthRange,
  displayBirthDate,
  futureBirthDateIssues,
  isCalendarDate,
  isCertainlyAtLeast,
  isCertainlyUnder,
  isLeapYear,
  IsoDateSchema,
  kindOf,
  parseBirthDateText,
  toRange,
} from './birth-date.ts';

const birth = (input: unknown): BirthDate => toRange(BirthDateInputSchema.parse(input));
const exact = (date: string) => birth({ precision: 'exact', date });
const messages = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) =>
  (schema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('calendar arithmetic', () => {
  test('leap years follow the Gregorian rule', () => {
    assert.deepEqual([1900, 2000, 2023, 2024, 2100].map(isLeapYear), [false, true, false, true, false]);
    assert.equal(daysInMonth(2024, 2), 29);
    assert.equal(daysInMonth(2100, 2), 28);
    assert.equal(daysInMonth(2019, 4), 30);
    assert.equal(daysInMonth(2019, 12), 31);
  });

  test('addDays agrees with UTC day counting over three centuries', () => {
    for (let t = Date.UTC(1900, 0, 1); t < Date.UTC(2199, 11, 1); t += 86_400_000 * 37) {
      const day = new Date(t).toISOString().slice(0, 10);
      for (const n of [-400, -1, 1, 59, 366, 3653]) {
        assert.equal(addDays(day, n), new Date(t + n * 86_400_000).toISOString().slice(0, 10), `${day} + ${n}`);
      }
    }
  });

  test('a month later is the same day, or the last day of a shorter month', () => {
    assert.equal(addMonths('2019-01-31', 1), '2019-02-28');
    assert.equal(addMonths('2020-01-31', 1), '2020-02-29');
    assert.equal(addMonths('2019-03-31', -1), '2019-02-28');
    assert.equal(addMonths('2019-05-31', 1), '2019-06-30');
    assert.equal(addMonths('2019-12-15', 1), '2020-01-15');
    assert.equal(addMonths('2020-01-15', -13), '2018-12-15');
    assert.equal(addYears('2020-02-29', 1), '2021-02-28');
    assert.equal(addYears('2020-02-29', 4), '2024-02-29');
  });

  test('refuses to compute with something that is not a date', () => {
    assert.throws(() => addDays('2015-02-30', 1), RangeError);
    assert.throws(() => addMonths('1 May 2015', 1), RangeError);
    assert.equal(isCalendarDate('2016-02-29'), true);
    assert.equal(isCalendarDate('2015-02-29'), false);
  });

  test('completed years: a birthday counts on its day, 29 February on 1 March in common years', () => {
    assert.equal(completedYears('2008-05-10', '2026-05-09'), 17);
    assert.equal(completedYears('2008-05-10', '2026-05-10'), 18);
    assert.equal(completedYears('2008-02-29', '2026-02-28'), 17);
    assert.equal(completedYears('2008-02-29', '2026-03-01'), 18);
    assert.equal(completedYears('2008-02-29', '2028-02-29'), 20);
    assert.equal(completedYears('2008-12-31', '2009-01-01'), 0);
  });
});

describe('the input schema', () => {
  test('accepts each precision', () => {
    assert.deepEqual(exact('2016-02-29'), { precision: 'exact', earliest: '2016-02-29', latest: '2016-02-29', text: '2016-02-29' });
    assert.deepEqual(birth({ precision: 'month', month: '2016-02' }), { precision: 'month', earliest: '2016-02-01', latest: '2016-02-29', text: '2016-02' });
    assert.equal(birth({ precision: 'month', month: '2015-02' }).latest, '2015-02-28');
    assert.deepEqual(birth({ precision: 'year', year: 2015, text: 'winter 2015' }), { precision: 'year', earliest: '2015-01-01', latest: '2015-12-31', text: 'winter 2015' });
  });

  test('refuses days that are not in the calendar, with a message that says so', () => {
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'exact', date: '2015-02-30' }), ['date: 2015-02-30 is not a day in the calendar (that month has 28 days)']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'exact', date: '2015-02-29' }), ['date: 2015-02-29 is not a day in the calendar (that month has 28 days)']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'exact', date: '2015-13-01' }), ['date: 2015-13-01 has no month 13']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'exact', date: '3/4/2015' }), ['date: must be a date written YYYY-MM-DD']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'exact', date: '0215-03-04' }), ['date: 0215-03-04 is not between 1900 and 2199']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'month', month: '2015-00' }), ['month: 2015-00 has no month 0']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'month', month: '2015-3' }), ['month: must be a month written YYYY-MM']);
    assert.equal(messages(BirthDateInputSchema, { precision: 'year', year: 2015.5 }).length, 1);
    assert.equal(messages(BirthDateInputSchema, { precision: 'year', year: 1899 })[0], 'year: must be 1900 or later');
    assert.equal(messages(IsoDateSchema, '2024-02-29').length, 0);
  });

  test('refuses fields that do not belong to the precision', () => {
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'exact', date: '2015-03-04', year: 2015 }), [': Unrecognized key: "year"']);
    assert.equal(messages(BirthDateInputSchema, { precision: 'estimated', aboutYear: 2015, margin: 2 }).length, 1);
  });

  test('names the precisions when given another', () => {
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'roughly', year: 2015 }), ['precision: precision must be exact, month, year or estimated']);
  });

  test('an estimate is a range, "about" a year, or an age on a day — exactly one', () => {
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'estimated', earliest: '2016-01-01', latest: '2015-01-01' }), ['latest: the range ends (2015-01-01) before it begins (2016-01-01)']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'estimated', earliest: '2016-01-01' }), ['latest: required with earliest']);
    assert.deepEqual(messages(BirthDateInputSchema, { precision: 'estimated', onDate: '2026-03-01' }), ['age: required with onDate']);
    assert.equal(messages(BirthDateInputSchema, { precision: 'estimated' }).length, 1);
    assert.equal(messages(BirthDateInputSchema, { precision: 'estimated', aboutYear: 2015, age: 7, onDate: '2026-03-01' }).length, 1);
    assert.equal(messages(BirthDateInputSchema, { precision: 'estimated', earliest: '2015-06-01', latest: '2015-06-01' }).length, 0);
    assert.equal(BirthDateInputSchema.parse({ precision: 'estimated', aboutYear: 2015 }).precision, 'estimated');
  });
});

describe('estimates become ranges', () => {
  test('"about 2015" is 2014 to 2016; the margin can be changed', () => {
    assert.deepEqual(birth({ precision: 'estimated', aboutYear: 2015 }), { precision: 'estimated', earliest: '2014-01-01', latest: '2016-12-31', text: 'about 2015' });
    const narrow = birth({ precision: 'estimated', aboutYear: 2015, marginYears: 0 });
    assert.deepEqual([narrow.earliest, narrow.latest], ['2015-01-01', '2015-12-31']);
  });

  test('"about 7 on 2026-03-01" is aged 6 to 8 that day', () => {
    const b = birth({ precision: 'estimated', age: 7, onDate: '2026-03-01' });
    assert.deepEqual([b.earliest, b.latest, b.text], ['2017-03-02', '2020-03-01', 'about 7 on 2026-03-01']);
    assert.deepEqual(ageRange(b, '2026-03-01'), { min: 6, max: 8 });
    assert.deepEqual(ageRange({ earliest: addDays(b.earliest, -1), latest: addDays(b.latest, 1) }, '2026-03-01'), { min: 5, max: 9 });
  });

  test('an age estimated on 29 February, and an age 0', () => {
    const b = birth({ precision: 'estimated', age: 0, onDate: '2024-02-29', marginYears: 0 });
    assert.deepEqual([b.earliest, b.latest], ['2023-03-01', '2024-02-29']);
    const young = birth({ precision: 'estimated', age: 1, onDate: '2026-03-01' });
    assert.equal(young.latest, '2026-03-01');
  });

  test('every day of an age estimate, and no day outside it, gives an age within the margin', () => {
    const next = random(7);
    for (let i = 0; i < 200; i++) {
      const onDate = addDays('1990-01-01', Math.floor(next() * 20000));
      const [age, margin] = [Math.floor(next() * 20), Math.floor(next() * 3)];
      const b = birth({ precision: 'estimated', age, onDate, marginYears: margin });
      const ok = (day: string) => Math.abs(completedYears(day, onDate) - age) <= margin;
      assert.ok(ok(b.earliest) && ok(b.latest), `${age}±${margin} on ${onDate}`);
      assert.ok(!ok(addDays(b.earliest, -1)), `before ${b.earliest}`);
      if (age > margin) assert.ok(!ok(addDays(b.latest, 1)), `after ${b.latest}`);
    }
  });
});

describe('dates of birth in the future', () => {
  const asOf = '2026-03-01';
  const issues = (input: unknown) => futureBirthDateIssues(BirthDateInputSchema.parse(input), asOf);

  test('are refused when the whole range lies after the day', () => {
    assert.deepEqual(issues({ precision: 'exact', date: '2026-03-02' }), [{ path: 'date', message: 'a date of birth cannot be in the future: 2026-03-02 is after 2026-03-01' }]);
    assert.equal(issues({ precision: 'month', month: '2026-04' })[0]?.path, 'month');
    assert.deepEqual(issues({ precision: 'year', year: 2027 }), [{ path: 'year', message: 'a date of birth cannot be in the future: 2027 begins after 2026-03-01' }]);
    assert.equal(issues({ precision: 'estimated', aboutYear: 2028 })[0]?.path, 'aboutYear');
    assert.equal(issues({ precision: 'estimated', earliest: '2026-05-01', latest: '2026-06-01' })[0]?.path, 'earliest');
  });

  test('are accepted when the range reaches the day or merely extends past it', () => {
    assert.deepEqual(issues({ precision: 'exact', date: asOf }), []);
    assert.deepEqual(issues({ precision: 'month', month: '2026-03' }), []);
    assert.deepEqual(issues({ precision: 'year', year: 2026 }), []);
    assert.deepEqual(issues({ precision: 'estimated', aboutYear: 2027 }), []);
  });

  test('an age cannot be estimated on a day still to come', () => {
    assert.deepEqual(issues({ precision: 'estimated', age: 7, onDate: '2026-03-02' }).map((i) => i.path), ['onDate']);
  });
});

describe('reading a date of birth from a file', () => {
  test('understands the written forms', () => {
    const range = (text: string) => {
      const input = parseBirthDateText(text);
      return input && [toRange(input).precision, toRange(input).earliest, toRange(input).latest, toRange(input).text];
    };
    assert.deepEqual(range('2015-03-04'), ['exact', '2015-03-04', '2015-03-04', '2015-03-04']);
    assert.deepEqual(range(' 20150304 '), ['exact', '2015-03-04', '2015-03-04', '20150304']);
    assert.deepEqual(range('2015-03'), ['month', '2015-03-01', '2015-03-31', '2015-03']);
    assert.deepEqual(range('2015'), ['year', '2015-01-01', '2015-12-31', '2015']);
    assert.deepEqual(range('About 2015'), ['estimated', '2014-01-01', '2016-12-31', 'About 2015']);
    assert.deepEqual(range('2014-06-01..2015-05-31'), ['estimated', '2014-06-01', '2015-05-31', '2014-06-01..2015-05-31']);
  });

  test('gives null for what is not a real date', () => {
    for (const text of ['', 'unknown', '2015-02-30', '20150230', '2015-13', '1850', '2016-01-01..2015-01-01', '04/03/2015']) {
      assert.equal(parseBirthDateText(text), null, text);
    }
  });
});

describe('ages from uncertain dates', () => {
  test('the age range agrees with counting every possible birthday', () => {
    const next = random(42);
    for (let i = 0; i < 300; i++) {
      const earliest = addDays('1995-01-01', Math.floor(next() * 9000));
      const latest = addDays(earliest, Math.floor(next() * 1200));
      const onDate = addDays(earliest, Math.floor(next() * 9000) - 400);
      const ages: number[] = [];
      for (let day = earliest; day <= latest; day = addDays(day, 1)) ages.push(Math.max(0, completedYears(day, onDate)));
      assert.deepEqual(ageRange({ earliest, latest }, onDate), { min: Math.min(...ages), max: Math.max(...ages) }, `${earliest}..${latest} on ${onDate}`);
    }
  });

  test('could be under, certainly under, certainly at least', () => {
    const b = birth({ precision: 'year', year: 2008 });
    assert.deepEqual(ageRange(b, '2026-06-01'), { min: 17, max: 18 });
    assert.equal(couldBeUnder(b, 18, '2026-06-01'), true);
    assert.equal(isCertainlyUnder(b, 18, '2026-06-01'), false);
    assert.equal(isCertainlyAtLeast(b, 18, '2026-06-01'), false);
    assert.equal(isCertainlyAtLeast(b, 18, '2026-12-31'), true);
    assert.equal(couldBeUnder(b, 18, '2026-12-30'), true);
    assert.equal(isCertainlyUnder(b, 18, '2025-12-31'), true);
    assert.deepEqual(ageAtAct(b, '2017-01-01'), { min: 8, max: 9 });
  });

  test('a day before any possible birth counts as age 0', () => {
    assert.deepEqual(ageRange(exact('2015-03-04'), '2010-01-01'), { min: 0, max: 0 });
  });
});

describe('the kind of person follows the protective end of the range', () => {
  test('18th birthday: adult on the day, juvenile the day before', () => {
    assert.equal(kindOf(exact('2008-03-01'), '2026-03-01'), 'adult');
    assert.equal(kindOf(exact('2008-03-01'), '2026-02-28'), 'juvenile');
  });

  test('born on 29 February 2008: 18 on 1 March 2026, not on 28 February', () => {
    assert.equal(kindOf(exact('2008-02-29'), '2026-02-28'), 'juvenile');
    assert.equal(kindOf(exact('2008-02-29'), '2026-03-01'), 'adult');
  });

  test('9th birthday: juvenile on the day, child the day before', () => {
    assert.equal(kindOf(exact('2017-03-01'), '2026-03-01'), 'juvenile');
    assert.equal(kindOf(exact('2017-03-01'), '2026-02-28'), 'child');
    assert.equal(kindOf(exact('2024-01-01'), '2026-03-01'), 'child');
  });

  test('a range that could be under 18 is a juvenile, one that could be under 9 a child', () => {
    assert.equal(kindOf(birth({ precision: 'year', year: 2008 }), '2026-06-01'), 'juvenile');
    assert.equal(kindOf(birth({ precision: 'year', year: 2007 }), '2025-12-31'), 'adult');
    assert.equal(kindOf(birth({ precision: 'year', year: 2007 }), '2025-12-30'), 'juvenile');
    assert.equal(kindOf(birth({ precision: 'year', year: 2017 }), '2026-06-01'), 'child');
    assert.equal(kindOf(birth({ precision: 'estimated', age: 18, onDate: '2026-03-01' }), '2026-03-01'), 'juvenile');
    assert.equal(kindOf(birth({ precision: 'estimated', earliest: '1990-01-01', latest: '2018-01-01' }), '2026-03-01'), 'child');
  });
});

describe('display', () => {
  test('each precision as a clerk writes it', () => {
    assert.equal(displayBirthDate(exact('2015-03-04')), '2015-03-04');
    assert.equal(displayBirthDate(birth({ precision: 'month', month: '2015-03' })), '2015-03');
    assert.equal(displayBirthDate(birth({ precision: 'year', year: 2015 })), '2015');
    assert.equal(displayBirthDate(birth({ precision: 'estimated', aboutYear: 2015 })), 'about 2014–2016');
    assert.equal(displayBirthDate(birth({ precision: 'estimated', aboutYear: 2015, marginYears: 0 })), 'about 2015');
    assert.equal(displayBirthDate(birth({ precision: 'estimated', age: 7, onDate: '2026-03-01' })), 'between 2017-03-02 and 2020-03-01');
    assert.equal(displayBirthDate(birth({ precision: 'estimated', earliest: '2015-06-01', latest: '2015-06-01' })), 'about 2015-06-01');
  });

  test('the age on a day, certain or not', () => {
    assert.equal(ageOnDisplay(exact('2019-03-01'), '2026-03-01'), '7');
    assert.equal(ageOnDisplay(birth({ precision: 'estimated', age: 7, onDate: '2026-03-01' }), '2026-03-01'), '6–8');
  });

  test('the range in a sentence', () => {
    assert.equal(describeBirthRange(exact('2015-03-04')), 'born on 2015-03-04');
    assert.equal(describeBirthRange({ earliest: '2010-06-01', latest: '2011-12-31' }), 'born between 2010-06-01 and 2011-12-31');
  });
});
