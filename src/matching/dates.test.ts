import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareDates, DATE_LEVELS, digitTypo, formatRange, parseBirthDate } from './dates.ts';

const level = (a: string, b: string) => DATE_LEVELS[compareDates(parseBirthDate(a)!, parseBirthDate(b)!)];

test('birth dates are read as ranges in the four forms; the rest is unknown', () => {
  assert.equal(formatRange(parseBirthDate('2015-03-07')!), '2015-03-07');
  assert.equal(formatRange(parseBirthDate('20150307')!), '2015-03-07');
  assert.equal(formatRange(parseBirthDate('2015-03')!), '2015-03');
  assert.equal(formatRange(parseBirthDate(' 2015 ')!), '2015');
  const year = parseBirthDate('2016')!;
  assert.equal(year.to - year.from + 1, 366, 'a leap year has 366 days');
  for (const bad of ['', '  ', '2015-02-30', '19990231', '2015-13', 'about 2015', '15/03/2015', '1856-86-18']) assert.equal(parseBirthDate(bad), null, bad);
});

test('an estimated date agrees with any day inside it, by the width of the wider range', () => {
  assert.equal(level('2015-03-07', '2015-03-07'), 'same day');
  assert.equal(level('2015-03-07', '2015-03'), 'consistent (within a month)');
  assert.equal(level('2015-03-07', '2015'), 'consistent (within a year)');
  assert.equal(level('2015', '2015'), 'consistent (within a year)', 'two year-only dates are not the same day');
  assert.equal(level('2014', '2015-06-01'), 'next to an estimate');
});

test('typos: one digit, swapped neighbours, day and month the other way round', () => {
  assert.ok(digitTypo('20150307', '20150308'));
  assert.ok(digitTypo('20150307', '20510307'));
  assert.ok(digitTypo('20150307', '20150703'));
  assert.ok(!digitTypo('20150307', '20160308'));
  assert.equal(level('2015-03-07', '2015-03-08'), 'one digit off');
  assert.equal(level('2015-03-07', '2015-07-03'), 'one digit off');
  assert.equal(level('1974-10-05', '1984-10-03'), 'two digits off');
  assert.equal(level('2015-03-07', '2015-11-20'), 'within a year');
  assert.equal(level('2015-03-07', '2018-11-20'), 'within five years');
  assert.equal(level('2015-03-07', '1990-11-20'), 'different');
});
