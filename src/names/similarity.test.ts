import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MATCH_THRESHOLD, nameContainment, nameSimilarity, wordSimilarity } from './similarity.ts';

const MUHAMMAD = ['Muhammad', 'Mohammed', 'Mohamed', 'Mohammad', 'Muhammed', 'Magomed', 'Mukhammad', 'Мухаммад', 'Магомед', 'Мохаммед', 'محمد', 'مُحَمَّد'];

const matches = (a: string, b: string) => nameSimilarity(a, b) >= MATCH_THRESHOLD;

describe('wordSimilarity', () => {
  test('the Muhammad family matches itself in every script and spelling', () => {
    for (const a of MUHAMMAD) for (const b of MUHAMMAD) assert.ok(matches(a, b), `${a} / ${b}: ${nameSimilarity(a, b).toFixed(3)}`);
  });

  test('transliterations across scripts score high', () => {
    const pairs: [string, string][] = [
      ['Ahmad', 'أحمد'], ['Abdullah', 'عبد الله'], ['Fatima', 'فاطمة'], ['Ivan', 'إيفان'], ['Ivan', 'Иван'],
      ['Shchukin', 'Щукин'], ['Yuliya', 'Юлия'], ['Hussein', 'Гусейн'], ['Rustam', 'Рустам'],
      ['Dzhurayev', 'Джураев'], ['Aisha', 'عائشة'], ['Khadija', 'Хадиджа'], ['Timur', 'تيمور'], ['Zainab', 'Зайнаб'],
    ];
    for (const [a, b] of pairs) assert.ok(wordSimilarity(a, b) >= 0.8, `${a} / ${b}: ${wordSimilarity(a, b).toFixed(3)}`);
  });

  test('Arabic and Cyrillic meet through romanisation', () => {
    for (const [a, b] of [['Хусейн', 'حسين'], ['Рустам', 'رستم'], ['Ахмед', 'أحمد'], ['Иван', 'إيفان'], ['Фатима', 'فاطمة']] as const) {
      assert.ok(matches(a, b), `${a} / ${b}: ${nameSimilarity(a, b).toFixed(3)}`);
    }
  });

  test('unrelated names stay below the threshold', () => {
    const pairs: [string, string][] = [
      ['Aisha', 'Ivan'], ['Muhammad', 'Fatima'], ['Ali', 'Omar'], ['Ivanov', 'Petrov'], ['Юлия', 'محمد'],
      ['Khadija', 'Zainab'], ['Rustam', 'Рашид'], ['Timur', 'Тамара'], ['Hassan', 'خالد'], ['Olga', 'سميرة'],
    ];
    for (const [a, b] of pairs) assert.ok(!matches(a, b), `${a} / ${b}: ${nameSimilarity(a, b).toFixed(3)}`);
  });

  test('identical after normalisation is 1: diacritics, ё/е, hamza, ة/ه', () => {
    assert.equal(wordSimilarity('مُحَمَّد', 'محمد'), 1);
    assert.equal(wordSimilarity('أحمد', 'احمد'), 1);
    assert.equal(wordSimilarity('فاطمة', 'فاطمه'), 1);
    assert.equal(wordSimilarity('Алёна', 'Алена'), 1);
    assert.equal(wordSimilarity('Müller', 'MULLER'), 1);
  });

  test('Arabic with and without vowel marks scores the same against Latin and Cyrillic', () => {
    assert.equal(wordSimilarity('Muhammad', 'مُحَمَّد'), wordSimilarity('Muhammad', 'محمد'));
    assert.equal(wordSimilarity('Мухаммад', 'مُحَمَّد'), wordSimilarity('Мухаммад', 'محمد'));
  });

  test('scores lie in [0, 1], are symmetric, and empty names score 0', () => {
    const names = ['Muhammad', 'محمد', 'Мухаммад', 'Aya', 'X', '', '123', 'Jean-Pierre', 'جان بيير'];
    for (const a of names) {
      for (const b of names) {
        const s = nameSimilarity(a, b);
        assert.ok(s >= 0 && s <= 1, `${a} / ${b}: ${s}`);
        assert.equal(s, nameSimilarity(b, a), `${a} / ${b}`);
      }
    }
    assert.equal(nameSimilarity('', 'Muhammad'), 0);
  });
});

describe('nameSimilarity', () => {
  test('word order does not matter and scripts may differ word by word', () => {
    assert.ok(nameSimilarity('Muhammad Aliyev', 'Алиев Мухаммад') > 0.9);
    assert.ok(nameSimilarity('Fatima Zahra', 'فاطمة الزهراء') > 0.9);
    assert.ok(matches('Mohammed Hussein', 'حسين محمد'));
  });

  test('spacing and hyphens of compounds do not matter', () => {
    assert.ok(matches('Abd al-Rahman', 'Abdurrahman'));
    assert.ok(matches('Abdullah', 'عبد الله'));
    assert.ok(matches('Jean-Pierre', 'جان بيير'));
  });

  test('an unmatched word lowers the score, symmetric', () => {
    assert.equal(nameSimilarity('Muhammad', 'Muhammad Ali'), 0.75);
    assert.ok(nameSimilarity('Muhammad Ali', 'Muhammad Omar') < nameSimilarity('Muhammad Ali', 'Mohammed Ali'));
  });

  test('an initial is weak evidence for a word with that first letter', () => {
    assert.ok(nameSimilarity('M. Aliyev', 'Muhammad Aliyev') > nameSimilarity('K. Aliyev', 'Muhammad Aliyev'));
  });
});

describe('nameContainment', () => {
  test('a query is covered by a longer name that contains it', () => {
    assert.equal(nameContainment('Muhammad', 'Muhammad Ali Hassan'), 1);
    assert.ok(nameContainment('Мухаммад', 'محمد علي حسن') >= MATCH_THRESHOLD);
    assert.ok(nameContainment('Mohammed Hassan', 'محمد علي حسن') >= MATCH_THRESHOLD);
    assert.ok(nameContainment('Omar', 'Muhammad Ali Hassan') < MATCH_THRESHOLD);
  });
});
