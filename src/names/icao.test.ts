import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { icaoTransliterate } from './icao.ts';

describe('icaoTransliterate (ICAO Doc 9303 Part 3)', () => {
  test('Cyrillic, table B', () => {
    assert.equal(icaoTransliterate('Щукин'), 'SHCHUKIN');
    assert.equal(icaoTransliterate('Юлия'), 'IULIIA');
    assert.equal(icaoTransliterate('Ирина'), 'IRINA');
    assert.equal(icaoTransliterate('Жанна Хабибуллина'), 'ZHANNA KHABIBULLINA');
    assert.equal(icaoTransliterate('Цой Андрей'), 'TSOI ANDREI');
    assert.equal(icaoTransliterate('Крылов'), 'KRYLOV');
    assert.equal(icaoTransliterate('Подъячев'), 'PODIEIACHEV');
    assert.equal(icaoTransliterate('Игорь Фёдоров'), 'IGOR FEDOROV');
    assert.equal(icaoTransliterate('Чайковский'), 'CHAIKOVSKII');
    assert.equal(icaoTransliterate('Эльвира Шевченко'), 'ELVIRA SHEVCHENKO');
    assert.equal(icaoTransliterate('Євгенія Ґонта'), 'IEVGENIIA GONTA');
  });

  test('Latin with diacritics, table A', () => {
    assert.equal(icaoTransliterate('Müller'), 'MUELLER');
    assert.equal(icaoTransliterate('Ångström'), 'AANGSTROEM');
    assert.equal(icaoTransliterate('Straße'), 'STRASSE');
    assert.equal(icaoTransliterate('Søren Ærø'), 'SOEREN AEROE');
    assert.equal(icaoTransliterate('José Núñez'), 'JOSE NUNEZ');
    assert.equal(icaoTransliterate('Şahin Çelik'), 'SAHIN CELIK');
  });

  test('Arabic, table C', () => {
    assert.equal(icaoTransliterate('محمد'), 'MXHMD');
    assert.equal(icaoTransliterate('أحمد'), 'XAEXHMD');
    assert.equal(icaoTransliterate('عبد الله'), 'EBD ALLH');
    assert.equal(icaoTransliterate('خالد'), 'XKHALD');
    assert.equal(icaoTransliterate('شيماء'), 'XSHYMAXE');
    assert.equal(icaoTransliterate('موسى'), 'MWSXAY');
  });

  test('teh marbuta is XAH at the end of a name part and XTA inside one', () => {
    assert.equal(icaoTransliterate('فاطمة'), 'FAXTTMXAH');
    assert.equal(icaoTransliterate('فاطمة الزهراء'), 'FAXTTMXAH ALZHRAXE');
    assert.equal(icaoTransliterate('ةا'), 'XTAA');
  });

  test('vowel signs, when written, are transliterated; tatweel and shadda are not', () => {
    assert.equal(icaoTransliterate('مُحَمَّد'), 'MUXHAMAD');
    assert.equal(icaoTransliterate('محـمد'), 'MXHMD');
  });

  test('outputs A–Z and single spaces only', () => {
    for (const name of ["O'Brien-Smith", 'Jean‑Pierre  Dupont', 'Анна-Мария', 'ابن  سينا', 'Ivanov 2nd']) {
      assert.match(icaoTransliterate(name), /^[A-Z]+( [A-Z]+)*$/);
    }
    assert.equal(icaoTransliterate("O'Brien-Smith"), 'OBRIEN SMITH');
  });
});
