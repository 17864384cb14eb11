import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Comparer, LEVELS } from './compare.ts';
import type { FieldName, MatchRecord } from './fields.ts';
import { prepareTable } from './prepare.ts';
import { fullFormsOf, isShortForm } from './short-forms.ts';
import { editDistance, fastJaroWinkler } from './strings.ts';
import { jaroWinkler } from '../names/index.ts';

/** The level name of each field for the first two records. */
function levels(a: MatchRecord, b: MatchRecord): Partial<Record<FieldName, string>> {
  const table = prepareTable([a, b], null);
  const out = new Uint8Array(table.columns.length);
  new Comparer(table).compare(0, 1, out);
  return Object.fromEntries(table.columns.map((c, k) => [c.field, LEVELS[c.kind][out[k]!]]));
}

test('names compare across scripts: the same name romanised is "same", a variant is alike', () => {
  assert.equal(levels({ given_name: 'محمد' }, { given_name: 'Muhammad' }).given_name, 'same');
  assert.equal(levels({ given_name: 'Фатима' }, { given_name: 'Fatima' }).given_name, 'same');
  assert.equal(levels({ given_name: 'Мухаммад' }, { given_name: 'Muhammad' }).given_name, 'alike');
  assert.notEqual(levels({ given_name: 'Магомед' }, { given_name: 'Muhammad' }).given_name, 'different');
  assert.equal(levels({ family_name: 'Алиев' }, { family_name: 'Petersen' }).family_name, 'different');
  assert.equal(levels({ given_name: 'x' }, { given_name: '' }).given_name, 'unknown');
});

test('given and family name written the other way round', () => {
  const l = levels({ given_name: 'Isla', family_name: 'Hall' }, { given_name: 'Hall', family_name: 'Isla' });
  assert.equal(l.given_name, 'swapped with family name');
  assert.equal(l.family_name, 'same');
});

test('short forms of given names', () => {
  assert.ok(isShortForm('tom', 'thomas'));
  assert.ok(isShortForm('william', 'bill'));
  assert.ok(isShortForm('fred', 'alfred'));
  assert.ok(isShortForm('willy', 'william'));
  assert.ok(isShortForm('sasha', 'aleksandr'));
  assert.ok(!isShortForm('tom', 'james'));
  assert.equal(levels({ given_name: 'Tom' }, { given_name: 'Thomas' }).given_name, 'short form');
});

test('short forms and names in other languages from the table, initials', () => {
  assert.ok(isShortForm('frank', 'francis'));
  assert.ok(isShortForm('robby', 'robert'));
  assert.ok(isShortForm('ed', 'edward'));
  assert.ok(isShortForm('ian', 'john'));
  assert.ok(isShortForm('gwilym', 'william'));
  assert.ok(!isShortForm('george', 'georgina'));
  assert.ok(!isShortForm('albert', 'alfred'));
  assert.deepEqual(fullFormsOf('bill'), ['william']);
  assert.deepEqual(fullFormsOf('william'), []);
  assert.equal(levels({ given_name: 'J.' }, { given_name: 'John' }).given_name, 'initial');
  assert.equal(levels({ given_name: 'J.' }, { given_name: 'Mary' }).given_name, 'different');
});

test('a single name that is the other record\'s family name is compared as the family name', () => {
  const l = levels({ given_name: 'Paul', family_name: 'Colomiès' }, { given_name: 'Colomiès' });
  assert.equal(l.family_name, 'same');
  assert.equal(l.given_name, 'unknown');
  // Not when the single name is the other's given name: that is compared as it is.
  assert.equal(levels({ given_name: 'Paul', family_name: 'Colomiès' }, { given_name: 'Paul' }).given_name, 'same');
});

test('beside given and family names, the full name is not compared again; its other words are given names', () => {
  const a = { given_name: 'Clarence', family_name: 'Leumane', full_name: 'John Clarence Leumane' };
  const l = levels(a, { given_name: 'John', family_name: 'Leumane', full_name: 'John Leumane' });
  assert.equal(l.given_name, "one of the other's names");
  assert.equal(l.full_name, 'unknown');
  // A record with only a full name is still compared on it.
  assert.notEqual(levels(a, { full_name: 'John Clarence Leumane' }).full_name, 'unknown');
});

test('numbers, postcodes, places and categories', () => {
  assert.equal(levels({ document_number: '1234567' }, { document_number: '1243567' }).document_number, 'one character off');
  assert.equal(levels({ document_number: '1234567' }, { document_number: '1243568' }).document_number, 'nearly the same');
  assert.equal(levels({ document_number: 'oc34rphelpharpersbiz' }, { document_number: 'oc34phepsharperrbiz' }).document_number, 'nearly the same');
  assert.equal(levels({ document_number: '1234567' }, { document_number: '7654321' }).document_number, 'different');
  assert.equal(levels({ postcode: 'tq13 8df' }, { postcode: 'tq13 8jr' }).postcode, 'same area');
  assert.equal(levels({ birth_place: 'devon' }, { birth_place: 'west devon' }).birth_place, 'similar');
  assert.equal(levels({ birth_place: 'Алматы' }, { birth_place: 'Almaty' }).birth_place, 'same');
  assert.notEqual(levels({ birth_place: 'تلعفر' }, { birth_place: 'Tal Afar' }).birth_place, 'different');
  assert.equal(levels({ sex: 'ж' }, { sex: 'F' }).sex, 'same');
  assert.equal(levels({ sex: 'ذكر' }, { sex: 'female' }).sex, 'different');
});

test('edit distance counts a swap of neighbours as one edit; the fast Jaro–Winkler equals the reference', () => {
  assert.equal(editDistance('abcd', 'abdc'), 1);
  assert.equal(editDistance('abcd', 'abcd'), 0);
  assert.equal(editDistance('abcd', 'wxyz', 2), 3);
  for (const [a, b] of [['martha', 'marhta'], ['dixon', 'dicksonx'], ['stanley street', 'stanleykstreet'], ['a', 'b'], ['', 'x']] as const) {
    assert.ok(Math.abs(fastJaroWinkler(a, b) - jaroWinkler(a, b)) < 1e-12, `${a}/${b}`);
  }
});
