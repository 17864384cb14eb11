import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jaroWinkler } from './jaro-winkler.ts';
import { romanize, romanizeArabicWord, romanizeCyrillic, romanizedKey } from './romanize.ts';

describe('romanize: Arabic', () => {
  test('common names read the conventional way', () => {
    assert.equal(romanize('محمد'), 'Muhammad');
    assert.equal(romanize('أحمد'), 'Ahmad');
    assert.equal(romanize('عبد الله'), 'Abdullah');
    assert.equal(romanize('عبدالله'), 'Abdullah');
    assert.equal(romanize('فاطمة'), 'Fatima');
    assert.equal(romanize('فاطمه'), 'Fatima'); // ة written as ه
    assert.equal(romanize('خديجة'), 'Khadija');
  });

  test('vowel marks, tatweel and hamza forms do not change the reading', () => {
    assert.equal(romanize('مُحَمَّد'), romanize('محمد'));
    assert.equal(romanize('أَحْمَد'), romanize('احمد'));
    assert.equal(romanize('محـــمد'), romanize('محمد'));
    assert.equal(romanize('إبراهيم'), 'Ibrahim');
  });

  test('compounds, the article and particles', () => {
    assert.equal(romanize('عبد الرحمن'), 'Abdulrahman');
    assert.equal(romanize('أحمد بن حسين الرشيد'), 'Ahmad ibn Hussein al-Rashid');
    assert.equal(romanize('أم أحمد'), 'Umm Ahmad');
    assert.equal(romanize('عطاالله'), 'Ataullah');
  });

  test('names learned from the data, including foreign names in Arabic script', () => {
    assert.equal(romanizeArabicWord('ماريا'), 'maria');
    assert.equal(romanize('ماريا إيفانوفا'), 'Maria Ivanova');
    assert.equal(romanizeArabicWord('الكسندر'), 'alexander');
  });

  test('unknown words are spelled letter by letter with guessed vowels', () => {
    const word = romanizeArabicWord('قرطباوي'); // not a learned name
    assert.match(word, /^[a-z]+$/);
    assert.ok(/[aeiou]/.test(word), word);
  });
});

describe('romanize: Cyrillic (BGN/PCGN-like)', () => {
  test('letters and the ye/yo rules', () => {
    assert.equal(romanizeCyrillic('Мухаммад Алиев'), 'Mukhammad Aliyev');
    assert.equal(romanizeCyrillic('Алёна Щукина'), 'Alyona Shchukina');
    assert.equal(romanizeCyrillic('Евгений Горбачёв'), 'Yevgeniy Gorbachov');
    assert.equal(romanizeCyrillic('Юлия Белый'), 'Yuliya Bely');
    assert.equal(romanizeCyrillic('Подъячев'), 'Podyachev');
    assert.equal(romanizeCyrillic('Цой Жанна'), 'Tsoy Zhanna');
  });

  test('national letters are read through their Russian counterparts', () => {
    assert.equal(romanizeCyrillic('Ҷӯраев'), 'Dzhurayev');
  });
});

describe('romanize: any script', () => {
  test('Latin is kept, diacritics folded', () => {
    assert.equal(romanize('Søren Müller'), 'Soren Muller');
    assert.equal(romanize("jean-pierre o'neill"), "Jean-Pierre O'neill");
  });

  test('each run of words is romanised by its own script', () => {
    assert.equal(romanize('Мухаммад محمد Ali'), 'Mukhammad Muhammad Ali');
  });

  test('romanizedKey is lower-case words for trigram search', () => {
    assert.equal(romanizedKey('عبد الله  محمد'), 'abdullah muhammad');
    assert.equal(romanizedKey('Алёна Щукина'), 'alena shchukina');
    assert.equal(romanizedKey('Abd al-Rahman bin Khalid'), 'abdalrahman khalid');
    assert.match(romanizedKey('Фёдор Şahin أحمد'), /^[a-z ]+$/);
  });
});

describe('jaroWinkler', () => {
  test('textbook values', () => {
    assert.equal(jaroWinkler('martha', 'martha'), 1);
    assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.961) < 0.001);
    assert.ok(Math.abs(jaroWinkler('dwayne', 'duane') - 0.84) < 0.001);
    assert.ok(Math.abs(jaroWinkler('dixon', 'dicksonx') - 0.813) < 0.001);
    assert.equal(jaroWinkler('abc', 'xyz'), 0);
    assert.equal(jaroWinkler('', ''), 0);
  });
});
