import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectScript, foldLatin, normalizeArabic, normalizeCyrillic, normalizeName } from './normalize.ts';
import { nameTokens } from './tokens.ts';

describe('normalizeName', () => {
  test('applies NFKC and folds case', () => {
    assert.equal(normalizeName('ＭＵＨＡＭＭＡＤ'), 'muhammad'); // full-width letters
    assert.equal(normalizeName('ﻣﺤﻤﺪ'), 'محمد'); // Arabic presentation forms
  });

  test('strips Latin diacritics but keeps the letters they stand for', () => {
    assert.equal(normalizeName('Ñúñez Søren Straße Œuvre Łódź Þór'), 'nunez soren strasse oeuvre lodz thor');
    assert.equal(normalizeName('İstanbul Işık Ğ'), 'istanbul isik g');
    assert.equal(foldLatin('Müller'), 'muller');
  });

  test('drops apostrophes inside names and turns other punctuation into spaces', () => {
    assert.equal(normalizeName("  O'Neill, Abd al-Raḥmān  (ʿAli) "), 'oneill abd al rahman ali');
  });

  test('removes Arabic vowel marks and tatweel', () => {
    assert.equal(normalizeName('مُحَمَّد'), 'محمد');
    assert.equal(normalizeName('محـــمد'), 'محمد');
    assert.equal(normalizeName('مُحَمَّدٌ'), normalizeName('محمد'));
  });

  test('unifies Arabic letter variants', () => {
    assert.equal(normalizeArabic('أحمد إبراهيم آدم ٱلله'), 'احمد ابراهيم ادم الله');
    assert.equal(normalizeArabic('مصطفى'), 'مصطفي');
    assert.equal(normalizeArabic('مؤمن'), 'مومن');
    assert.equal(normalizeArabic('هانئ'), 'هاني');
    assert.equal(normalizeArabic('کریم'), 'كريم'); // Persian kaf and yeh
    assert.equal(normalizeArabic('١٩٨٥'), '1985');
  });

  test('folds ة into ه only for keys', () => {
    assert.equal(normalizeArabic('فاطمة'), 'فاطمة');
    assert.equal(normalizeArabic('فاطمة', { forKey: true }), 'فاطمه');
    assert.equal(normalizeName('فاطمة', { forKey: true }), normalizeName('فاطمه', { forKey: true }));
  });

  test('reads ё as е and keeps й a letter of its own, even when decomposed', () => {
    assert.equal(normalizeName('Алёна'), normalizeName('Алена'));
    assert.equal(normalizeName('Фёдор'), 'федор');
    assert.equal(normalizeName('Йошкар'), 'йошкар');
    assert.equal(normalizeName('Андрей'.normalize('NFD')), 'андрей');
    assert.equal(normalizeName('Ёлкин'.normalize('NFD')), 'елкин');
  });

  test('folds Ukrainian and Central Asian Cyrillic letters to Russian ones', () => {
    assert.equal(normalizeCyrillic('Ҷӯраев'), 'джураев');
    assert.equal(normalizeCyrillic('Ґанна Євгенія'), 'ганна евгения');
    assert.equal(normalizeCyrillic('Әлия Қасымова'), 'алия касымова');
  });
});

describe('detectScript', () => {
  test('names the script of the letters', () => {
    assert.equal(detectScript('Muhammad Ali'), 'latin');
    assert.equal(detectScript('Søren'), 'latin');
    assert.equal(detectScript('Məmmədova'), 'latin', 'Azerbaijani ə is a Latin letter (IPA Extensions block)');
    assert.equal(detectScript('Мухаммад'), 'cyrillic');
    assert.equal(detectScript('محمد'), 'arabic');
    assert.equal(detectScript('مُحَمَّد'), 'arabic');
    assert.equal(detectScript('ﻣﺤﻤﺪ'), 'arabic');
  });

  test('calls several scripts mixed and no letters other', () => {
    assert.equal(detectScript('محمد Ali'), 'mixed');
    assert.equal(detectScript('Иван Smith'), 'mixed');
    assert.equal(detectScript('Ivan Ἀλέξανδρος'), 'mixed');
    assert.equal(detectScript('李小龍'), 'other');
    assert.equal(detectScript('123 - ,'), 'other');
    assert.equal(detectScript(''), 'other');
  });
});

describe('nameTokens', () => {
  test('joins Arabic compound names however they are written', () => {
    assert.deepEqual(nameTokens('عبد الله'), ['عبدالله']);
    assert.deepEqual(nameTokens('Abd al-Rahman'), ['abdalrahman']);
    assert.deepEqual(nameTokens('Nur ad-Din Zangi'), ['nuraddin', 'zangi']);
    assert.deepEqual(nameTokens('نور الدين محمد'), ['نورالدين', 'محمد']);
    assert.deepEqual(nameTokens('Абу Бакр аль-Багдади'), ['абубакр', 'альбагдади']);
    assert.deepEqual(nameTokens('Muhammad Abd Allah'), ['muhammad', 'abdallah']);
  });

  test('drops particles of descent between names, keeps them for display', () => {
    assert.deepEqual(nameTokens('Ahmad bin Khalid'), ['ahmad', 'khalid']);
    assert.deepEqual(nameTokens('أحمد بن خالد'), ['احمد', 'خالد']);
    assert.deepEqual(nameTokens('أحمد بن خالد', { forDisplay: true }), ['احمد', 'بن', 'خالد']);
    assert.deepEqual(nameTokens('Bin Laden'), ['bin', 'laden']);
  });

  test('joins an assimilated article only when hyphenated', () => {
    assert.deepEqual(nameTokens('as-Sayyid'), ['assayyid']);
    assert.deepEqual(nameTokens('As Sayyid'), ['as', 'sayyid']);
  });
});
