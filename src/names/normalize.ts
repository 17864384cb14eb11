/**
 * Normalisation of person names in Latin, Arabic and Cyrillic script, so that
 * two renderings a clerk would call "the same spelling" compare equal: case,
 * Unicode forms, diacritics, Arabic vowel marks and letter variants, ё/е.
 * Pure; no data files.
 */

export type Script = 'arabic' | 'cyrillic' | 'latin' | 'mixed' | 'other';

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u;
const CYRILLIC = /[\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F]/u;
// Every Latin letter, Azerbaijani ə (IPA Extensions block) included.
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;

/**
 * The script a name is written in, judged by its letters only.
 * @example detectScript('Мухаммад') // 'cyrillic'
 * @example detectScript('محمد Ali') // 'mixed'
 */
export function detectScript(text: string): Script {
  let arabic = false;
  let cyrillic = false;
  let latin = false;
  let other = false;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    if (ARABIC.test(ch)) arabic = true;
    else if (CYRILLIC.test(ch)) cyrillic = true;
    else if (LATIN.test(ch)) latin = true;
    else other = true;
  }
  const known = Number(arabic) + Number(cyrillic) + Number(latin);
  if (known === 0) return 'other';
  if (known > 1 || other) return 'mixed';
  return arabic ? 'arabic' : cyrillic ? 'cyrillic' : 'latin';
}

// ---------------------------------------------------------------- Latin

/** Latin letters whose meaning a plain "strip the accent" would lose or mangle. */
const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i',
  ħ: 'h', ŋ: 'n', ĸ: 'k', ſ: 's', ŀ: 'l', ƒ: 'f', ə: 'e', ɨ: 'i', ʉ: 'u',
};

/**
 * Lower-case Latin without diacritics; letters of other scripts pass through.
 * @example foldLatin('Ñúñez Søren Straße') // 'nunez soren strasse'
 */
export function foldLatin(text: string): string {
  const lower = text.toLowerCase();
  if (!/[^\u0000-\u007F]/u.test(lower)) return lower; // plain ASCII: nothing to fold
  let out = '';
  for (const ch of lower) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out += ch;
    else if (LATIN_SPECIAL[ch] !== undefined) out += LATIN_SPECIAL[ch];
    else if ((code >= 0xc0 && code <= 0x24f) || (code >= 0x1e00 && code <= 0x1eff)) out += ch.normalize('NFD').replace(/\p{M}+/gu, '');
    else out += ch;
  }
  // A combining mark left after a Latin letter (e.g. the dot of Turkish İ) goes too.
  return out.replace(/([a-z])\p{M}+/gu, '$1');
}

// ---------------------------------------------------------------- Arabic

/** Harakat, tanwin, shadda, sukun, superscript alef and Quranic marks. */
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/gu;

const ARABIC_LETTERS: Readonly<Record<string, string>> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا',
  'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ے': 'ي', 'ۍ': 'ي', 'ئ': 'ي',
  'ؤ': 'و', 'ۇ': 'و', 'ۆ': 'و', 'ۈ': 'و', 'ۋ': 'و',
  'ک': 'ك', 'ڪ': 'ك', 'ګ': 'ك',
  'ھ': 'ه', 'ہ': 'ه', 'ە': 'ه', 'ۀ': 'ه', 'ۂ': 'ه',
  'ڨ': 'ق', 'ڧ': 'ق', 'ڢ': 'ف',
};

const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/gu;

export interface ArabicOptions {
  /** Also fold ة into ه, as keys do (people write either at the end of a name). */
  readonly forKey?: boolean;
}

/**
 * Arabic without vowel marks or tatweel, with one alef, one yeh, one kaf.
 * Persian/Urdu letters with a sound of their own (پ چ ژ گ ڤ) are kept.
 * @example normalizeArabic('مُحَمَّد') // 'محمد'
 * @example normalizeArabic('فاطمة', { forKey: true }) // 'فاطمه'
 */
export function normalizeArabic(text: string, options: ArabicOptions = {}): string {
  if (!ARABIC.test(text)) return text;
  let out = '';
  for (const ch of text.replace(ARABIC_MARKS, '')) out += ARABIC_LETTERS[ch] ?? ch;
  out = out.replace(ARABIC_DIGITS, (d) => String((d.codePointAt(0)! - 0x0660) % 0x90));
  if (options.forKey) out = out.replace(/ة/gu, 'ه');
  return out;
}

// ---------------------------------------------------------------- Cyrillic

/**
 * Letters of Ukrainian, Belarusian and the Central Asian and Caucasian Cyrillic
 * alphabets folded to the Russian letter a Russian clerk would write for them.
 */
const CYRILLIC_LETTERS: Readonly<Record<string, string>> = {
  'ё': 'е', 'є': 'е', 'і': 'и', 'ї': 'и', 'ґ': 'г', 'ў': 'у',
  'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х',
  'ҳ': 'х', 'ҷ': 'дж', 'ҹ': 'дж', 'ӣ': 'и', 'ӯ': 'у', 'ј': 'й', 'ҝ': 'г', 'ӂ': 'ж',
  'ѓ': 'г', 'ќ': 'к', 'ђ': 'дж', 'ћ': 'ч', 'џ': 'дж', 'љ': 'ль', 'њ': 'нь', 'ѕ': 'дз',
};

/**
 * Lower-case Russian-alphabet Cyrillic: ё→е, national letters folded. Й stays
 * a letter of its own (NFKC keeps it composed; only Latin diacritics are stripped).
 * @example normalizeCyrillic('Алёна Ҷӯраева') // 'алена джураева'
 */
export function normalizeCyrillic(text: string): string {
  if (!CYRILLIC.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text.toLowerCase()) out += CYRILLIC_LETTERS[ch] ?? ch;
  // A stray combining breve or diaeresis (decomposed input) re-composes or goes.
  return out.normalize('NFC').replace(/ё/gu, 'е').replace(/[\u0300-\u036F]/gu, '');
}

// ---------------------------------------------------------------- any script

/** Apostrophes and letter-like marks that sit inside a name (O'Brien, Ma'mun, ʿAli). */
const INNER_MARKS = /['’ʼʻʾʿ`´‘]/gu;

/**
 * The comparable form of a name in any script: NFKC, lower case, Latin
 * diacritics stripped (ß→ss, ø→o), Arabic and Cyrillic normalised as above,
 * apostrophes dropped, other punctuation and hyphens turned into single spaces.
 * @example normalizeName("  Abd al-Raḥmān O'Neill ") // 'abd al rahman oneill'
 * @example normalizeName('أَحْمَد') // 'احمد'
 */
export function normalizeName(text: string, options: ArabicOptions = {}): string {
  let out = text.normalize('NFKC');
  out = normalizeArabic(out, options);
  out = normalizeCyrillic(foldLatin(out));
  out = out.replace(INNER_MARKS, '').replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu, '');
  return out
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
