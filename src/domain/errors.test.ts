import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { invalid, withCode } from './errors.ts';

describe('error details carry stable codes', () => {
  test('the messages the domain writes get their code and the values they name', () => {
    assert.deepEqual(withCode({ path: 'body.admittedOn', message: 'is in the future' }), { path: 'body.admittedOn', message: 'is in the future', code: 'in_future' });
    assert.deepEqual(withCode({ path: 'body.countryCode', message: 'XYZ is not an ISO 3166 alpha-3 country code' }).params, { value: 'XYZ' });
    assert.deepEqual(withCode({ path: 'body.admittedOn', message: 'is before the current admission (2020-01-02)' }), {
      path: 'body.admittedOn',
      message: 'is before the current admission (2020-01-02)',
      code: 'before_admission',
      params: { date: '2020-01-02' },
    });
    assert.equal(withCode({ path: 'body.birthDate.year', message: 'a date of birth cannot be in the future: 2099 begins after 2026-01-01' }).code, 'birth_in_future');
  });

  test('a message the table does not know keeps no code; a code already given is kept', () => {
    assert.deepEqual(withCode({ path: 'x', message: 'something particular' }), { path: 'x', message: 'something particular' });
    assert.equal(withCode({ path: 'x', message: 'is in the future', code: 'mine' }).code, 'mine');
    assert.equal(invalid('body.x', 'no such facility').details[0]?.message, 'no such facility');
  });
});
