import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockingKeys, nameKeys, wordKeys } from './keys.ts';
import { skeleton, skeletons } from './skeleton.ts';

const MUHAMMAD = ['Muhammad', 'Mohammed', 'Mohamed', 'Mohammad', 'Muhammed', 'Magomed', 'Mukhammad', 'Мухаммад', 'Магомед', 'Мохаммед', 'محمد', 'مُحَمَّد', 'MUHAMMAD'];

describe('skeletons', () => {
  test('the Muhammad family shares one skeleton in every script', () => {
    for (const name of MUHAMMAD) assert.equal(skeleton(name), 'mhmt', name);
  });

  test('other names across scripts', () => {
    const same = (...names: string[]) => {
      const first = skeleton(names[0]!);
      for (const n of names) assert.equal(skeleton(n), first, `${n} vs ${names[0]}`);
    };
    same('Ahmad', 'Ahmed', 'Akhmed', 'Ахмед', 'أحمد', 'احمد');
    same('Hussein', 'Husayn', 'Huseyn', 'Гусейн', 'Хусейн', 'حسين');
    same('Abdullah', 'Abdulla', 'Абдулла', 'عبدالله');
    same('Fatima', 'Fatimah', 'Фатима', 'فاطمة', 'فاطمه');
    same('Khadija', 'Хадиджа', 'خديجة');
    same('Yusuf', 'Юсуф', 'يوسف');
    same('Ivan', 'Иван', 'إيفان');
    same('Shchukin', 'Щукин', 'Schukin');
  });

  test('ambiguous spellings give a few readings, the usual one first', () => {
    assert.deepEqual(skeletons('Jan'), ['hn', 'sn', 'n']); // English j, French j, German j
    assert.ok(skeletons('Michael').includes('mhl')); // German ch: Михаэль
    assert.ok(skeletons('Khadija').includes(skeleton('Хадижа'))); // French j: ж
    assert.ok(skeletons('الرشيد').includes('rst')); // without the article
    assert.ok(skeletons('Abd al-Rahman'.replace(/[ -]/g, '')).includes('btrhmn'));
  });
});

describe('nameKeys', () => {
  test('short, deterministic, lower-case ASCII', () => {
    for (const name of [...MUHAMMAD, 'Алёна Щукина', 'Aya', 'آية', 'Ёж', "O'Brien", 'فاطمة الزهراء']) {
      const keys = nameKeys(name);
      assert.ok(keys.length > 0, name);
      for (const k of keys) assert.match(k, /^[a-z_]{1,12}$/, `${name}: ${k}`);
      assert.deepEqual(nameKeys(name), keys);
      assert.deepEqual([...keys].sort(), keys);
    }
  });

  test('the Muhammad family shares a key', () => {
    for (const name of MUHAMMAD) assert.ok(nameKeys(name).includes('mhmt'), name);
  });

  test('Arabic with and without diacritics, ё and е give the same keys', () => {
    assert.deepEqual(nameKeys('مُحَمَّد عَلِيّ'), nameKeys('محمد علي'));
    assert.deepEqual(nameKeys('أحمد'), nameKeys('احمد'));
    assert.deepEqual(nameKeys('Алёна Фёдорова'), nameKeys('Алена Федорова'));
  });

  test('a full name has the keys of each of its words', () => {
    const keys = nameKeys('Мухаммад Алиев');
    assert.ok(keys.includes('mhmt'));
    assert.ok(keys.includes('lf'));
    const latin = new Set(nameKeys('Aliyev Muhammad'));
    assert.ok(keys.every((k) => latin.has(k)));
  });

  test('words without consonants get a vowel key that no skeleton can equal', () => {
    assert.deepEqual(wordKeys('Aya'), ['_aya']);
    assert.deepEqual(wordKeys('آية'), ['_aya']);
  });

  test('compounds meet however they are spaced', () => {
    const key = 'btrhmn';
    for (const name of ['Abd al-Rahman', 'Abdurrahman', 'Abdulrahman', 'عبد الرحمن', 'عبدالرحمن', 'Абдуррахман', 'Абдулрахман']) {
      assert.ok(nameKeys(name).includes(key), name);
    }
  });
});

describe('blockingKeys', () => {
  test('adds one-deletion neighbours of long skeletons', () => {
    const keys = blockingKeys('Hartsfield');
    for (const k of nameKeys('Hartsfield')) assert.ok(keys.includes(k));
    assert.ok(keys.length > nameKeys('Hartsfield').length);
    // French silent endings: Brincourt / Бринкур
    const a = new Set(blockingKeys('Brincourt'));
    assert.ok(blockingKeys('Бринкур').some((k) => a.has(k)));
    assert.ok(!nameKeys('Бринкур').some((k) => new Set(nameKeys('Brincourt')).has(k)));
  });

  test('short skeletons get no neighbours', () => {
    assert.deepEqual(blockingKeys('Ali'), nameKeys('Ali'));
  });
});
