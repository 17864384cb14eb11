/**
 * ICAO Doc 9303 Part 3 transliteration of names for the machine-readable zone
 * of travel documents: Latin with diacritics (the recommended forms of table A),
 * Cyrillic (table B) and Arabic (table C) to the letters A–Z.
 *
 * Output: upper-case A–Z, name parts separated by single spaces (the MRZ writes
 * them as `<`); apostrophes vanish, other punctuation and hyphens separate parts.
 * Choices where the standard leaves one: the Latin "or" forms take the first
 * (Ä→AE, Ü→UE, Ö→OE, Å→AA, Ñ→N); Cyrillic letters of national alphabets that
 * table B lacks (Kazakh ә, Tajik ҷ …) are first folded to their Russian
 * counterparts; Arabic characters outside table C (tatweel, shadda) are dropped.
 */
import { foldLatin } from './normalize.ts';

const LATIN_TABLE_A: Readonly<Record<string, string>> = {
  'ä': 'AE', 'å': 'AA', 'æ': 'AE', 'ö': 'OE', 'ø': 'OE', 'ü': 'UE', 'ß': 'SS', 'þ': 'TH',
  'ĳ': 'IJ', 'œ': 'OE', 'ð': 'D', 'đ': 'D', 'ı': 'I', 'ł': 'L', 'ħ': 'H', 'ŋ': 'N',
};

const CYRILLIC_TABLE_B: Readonly<Record<string, string>> = {
  'а': 'A', 'б': 'B', 'в': 'V', 'г': 'G', 'ґ': 'G', 'д': 'D', 'ђ': 'D', 'ѓ': 'G', 'е': 'E',
  'ё': 'E', 'є': 'IE', 'ж': 'ZH', 'з': 'Z', 'ѕ': 'DZ', 'и': 'I', 'і': 'I', 'ї': 'I', 'й': 'I',
  'ј': 'J', 'к': 'K', 'л': 'L', 'љ': 'LJ', 'м': 'M', 'н': 'N', 'њ': 'NJ', 'о': 'O', 'п': 'P',
  'р': 'R', 'с': 'S', 'т': 'T', 'ћ': 'C', 'ќ': 'K', 'у': 'U', 'ў': 'U', 'ф': 'F', 'х': 'KH',
  'ц': 'TS', 'ч': 'CH', 'џ': 'DZ', 'ш': 'SH', 'щ': 'SHCH', 'ъ': 'IE', 'ы': 'Y', 'ь': '',
  'э': 'E', 'ю': 'IU', 'я': 'IA',
};

/** Letters of other Cyrillic alphabets, folded to table B letters first. */
const CYRILLIC_FOLD: Readonly<Record<string, string>> = {
  'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'ҳ': 'х',
  'ҷ': 'дж', 'ҹ': 'дж', 'ӣ': 'и', 'ӯ': 'у', 'ҝ': 'г', 'ӂ': 'ж',
};

const ARABIC_TABLE_C: Readonly<Record<string, string>> = {
  'ء': 'XE', 'آ': 'XAA', 'أ': 'XAE', 'ؤ': 'U', 'إ': 'I', 'ئ': 'XI', 'ا': 'A', 'ب': 'B',
  'ة': 'XTA', 'ت': 'T', 'ث': 'XTH', 'ج': 'J', 'ح': 'XH', 'خ': 'XKH', 'د': 'D', 'ذ': 'XDH',
  'ر': 'R', 'ز': 'Z', 'س': 'S', 'ش': 'XSH', 'ص': 'XSS', 'ض': 'XDZ', 'ط': 'XTT', 'ظ': 'XZZ',
  'ع': 'E', 'غ': 'G', 'ف': 'F', 'ق': 'Q', 'ك': 'K', 'ل': 'L', 'م': 'M', 'ن': 'N', 'ه': 'H',
  'و': 'W', 'ى': 'XAY', 'ي': 'Y',
  // vowel signs, when written
  '\u064B': 'F', '\u064C': 'N', '\u064D': 'K', '\u064E': 'A', '\u064F': 'U', '\u0650': 'I', '\u0652': 'O',
  // letters of Persian, Urdu and Pashto in the same table
  'ٱ': 'XXA', 'ٹ': 'XXT', 'ټ': 'XRT', 'پ': 'P', 'ځ': 'XKE', 'څ': 'XXH', 'چ': 'XC', 'ڈ': 'XXD',
  'ډ': 'XDR', 'ڑ': 'XXR', 'ړ': 'XRR', 'ږ': 'XRX', 'ژ': 'XJ', 'ښ': 'XXS', 'ک': 'XKK', 'ګ': 'XXK',
  'ڭ': 'XNG', 'گ': 'XGG', 'ں': 'XNN', 'ڼ': 'XXN', 'ھ': 'XDO', 'ۀ': 'XYH', 'ہ': 'XXG', 'ۂ': 'XGE',
  'ۃ': 'XTG', 'ی': 'XYA', 'ۍ': 'XXY', 'ې': 'Y', 'ے': 'XYB', 'ۓ': 'XBE',
};

const TEH_MARBUTA_FINAL = 'XAH'; // ة at the end of a name part

function transliterateChar(ch: string, next: string | undefined): string {
  const lower = ch.toLowerCase();
  if (lower === 'ة') return next === undefined || !/\p{L}/u.test(next) ? TEH_MARBUTA_FINAL : 'XTA';
  const arabic = ARABIC_TABLE_C[ch];
  if (arabic !== undefined) return arabic;
  const cyrillic = CYRILLIC_TABLE_B[lower] ?? [...(CYRILLIC_FOLD[lower] ?? '')].map((c) => CYRILLIC_TABLE_B[c]).join('');
  if (cyrillic !== '' || lower in CYRILLIC_TABLE_B) return cyrillic;
  const latin = LATIN_TABLE_A[lower];
  if (latin !== undefined) return latin;
  if (/\p{L}/u.test(ch)) return foldLatin(lower).replace(/[^a-z]/g, '').toUpperCase();
  if (/['’ʼʻ`\p{M}\u0640\u0651]/u.test(ch)) return '';
  return ' ';
}

/**
 * The ICAO Doc 9303 transliteration of a name in Latin, Cyrillic or Arabic script.
 * @example icaoTransliterate('Щукин') // 'SHCHUKIN'
 * @example icaoTransliterate('Юлия Müller') // 'IULIIA MUELLER'
 * @example icaoTransliterate('فاطمة') // 'FAXTMXAH'
 */
export function icaoTransliterate(name: string): string {
  const chars = [...name.normalize('NFC')];
  let out = '';
  chars.forEach((ch, i) => {
    out += transliterateChar(ch, chars[i + 1]);
  });
  return out.replace(/[^A-Z]+/g, ' ').trim();
}
