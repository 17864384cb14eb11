/**
 * Readable romanisation of Arabic-script names. Each word is looked up in a
 * dictionary of names learned offline (scripts/names/learn.ts, from the Google
 * ar→en and Wikidata en↔ar TRAIN pairs: محمد → muhammad); compounds and the
 * article are taken apart (عبدالرحمن → Abdulrahman, الرشيد → al-Rashid); any
 * other word is spelled letter by letter with rules learned from the same pairs,
 * which choose each letter's Latin — short vowels included — from its neighbours.
 */
import data from './data/arabic-romanization.json' with { type: 'json' };
import { arabicLetters } from './forms.ts';

/** Letter rules by context: previous+current+next, current+next, previous+current, current (`<` `>` word edges). */
export interface ArabicRules {
  readonly three: Readonly<Record<string, string>>;
  readonly right: Readonly<Record<string, string>>;
  readonly left: Readonly<Record<string, string>>;
  readonly one: Readonly<Record<string, string>>;
}

export interface ArabicRomanizationData {
  readonly rules: ArabicRules;
  /** Normalised Arabic word (forms.ts arabicLetters) → Latin spelling, lower case. */
  readonly dictionary: Readonly<Record<string, string>>;
}

const DATA: ArabicRomanizationData = data;

/** Used only when the learned rules know nothing of a letter. */
const FALLBACK: Readonly<Record<string, string>> = {
  'ا': 'a', 'ب': 'b', 'ت': 't', 'ث': 'th', 'ج': 'j', 'ح': 'h', 'خ': 'kh', 'د': 'd', 'ذ': 'dh',
  'ر': 'r', 'ز': 'z', 'س': 's', 'ش': 'sh', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'ع': '',
  'غ': 'gh', 'ف': 'f', 'ق': 'q', 'ك': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h', 'و': 'w',
  'ي': 'y', 'ة': 'a', 'ء': '', 'پ': 'p', 'چ': 'ch', 'ژ': 'zh', 'ڤ': 'v', 'گ': 'g',
};

/**
 * The conventional English spelling of the commonest Muslim given names. The
 * learned dictionary follows Wikidata's frequencies, where francophone and
 * Turkish spellings of these names outnumber the English ones (Rachid, Ayşe,
 * Youssef); registry clerks and ministries write them as below.
 */
const CONVENTIONAL: Readonly<Record<string, string>> = {
  'محمد': 'muhammad', 'احمد': 'ahmad', 'محمود': 'mahmud', 'مصطفي': 'mustafa', 'عبدالله': 'abdullah',
  'علي': 'ali', 'حسن': 'hassan', 'حسين': 'hussein', 'عمر': 'umar', 'عثمان': 'uthman', 'ابراهيم': 'ibrahim',
  'اسماعيل': 'ismail', 'يوسف': 'yusuf', 'يونس': 'yunus', 'موسي': 'musa', 'عيسي': 'isa', 'يعقوب': 'yaqub',
  'اسحاق': 'ishaq', 'خالد': 'khalid', 'خليل': 'khalil', 'حمزة': 'hamza', 'بلال': 'bilal', 'سالم': 'salim',
  'رشيد': 'rashid', 'سعيد': 'said', 'كريم': 'karim', 'جعفر': 'jafar', 'زيد': 'zaid', 'صالح': 'salih',
  'طارق': 'tariq', 'ابوبكر': 'abubakr', 'عبدالرحمن': 'abdulrahman', 'فاطمة': 'fatima', 'عايشة': 'aisha',
  'خديجة': 'khadija', 'زينب': 'zainab', 'مريم': 'maryam', 'امينة': 'amina', 'اسيا': 'asiya', 'صفية': 'safiya',
  'رقية': 'ruqayya', 'سمية': 'sumayya', 'حفصة': 'hafsa', 'نور': 'nur', 'هاجر': 'hajar', 'سارة': 'sara',
  'ليلي': 'layla',
};

/** Particles of kunya and descent, spelled the usual English way. */
const PARTICLES: Readonly<Record<string, string>> = { 'ابو': 'abu', 'ام': 'umm', 'بن': 'bin', 'ابن': 'ibn', 'بنت': 'bint', 'عبد': 'abd', 'ال': 'al' };

function lookupExact(word: string): string | undefined {
  if (Object.hasOwn(CONVENTIONAL, word)) return CONVENTIONAL[word];
  return Object.hasOwn(DATA.dictionary, word) ? DATA.dictionary[word] : undefined;
}

function lookup(word: string): string | undefined {
  // ة and ه are written for each other at the end of a name.
  const swapped = word.endsWith('ة') ? `${word.slice(0, -1)}ه` : word.endsWith('ه') ? `${word.slice(0, -1)}ة` : '';
  return lookupExact(word) ?? (swapped ? lookupExact(swapped) : undefined);
}

/** Letter-by-letter romanisation with the learned context rules (no dictionary). */
export function romanizeArabicByRules(word: string): string {
  const { three, right, left, one } = DATA.rules;
  let out = '';
  for (let k = 0; k < word.length; k++) {
    const prev = word[k - 1] ?? '<';
    const cur = word[k]!;
    const next = word[k + 1] ?? '>';
    out += three[prev + cur + next] ?? right[cur + next] ?? left[prev + cur] ?? one[cur] ?? FALLBACK[cur] ?? '';
  }
  return out.replace(/(.)\1\1+/g, '$1$1');
}

/**
 * One Arabic word in lower-case Latin; the article comes back as `al-`.
 * @example romanizeArabicWord('محمد') // 'muhammad'
 */
export function romanizeArabicWord(text: string): string {
  const word = arabicLetters(text);
  if (word === '') return '';
  const known = lookup(word);
  if (known !== undefined) return known;
  const particle = PARTICLES[word];
  if (particle !== undefined) return particle;
  // ...-of-God: عبدالله Abdullah, عطاالله Ataullah.
  if (word.length > 4 && /ا?لله$/u.test(word)) {
    const head = word.replace(/ا?لله$/u, '');
    return `${head === 'عبد' ? 'abd' : romanizeArabicWord(head)}ullah`;
  }
  if (word.length > 4 && word.startsWith('عبد')) {
    const rest = word.slice(3).replace(/^ال/u, '');
    return `abdul${lookup(rest) ?? romanizeArabicByRules(rest)}`;
  }
  if (word.length > 4 && word.startsWith('ابو')) return `abu${romanizeArabicWord(word.slice(3))}`;
  const mother = word.startsWith('ام') ? lookup(word.slice(2)) : undefined; // أم أحمد, joined for comparison
  if (mother !== undefined) return `umm${mother}`;
  if (word.length > 3 && word.startsWith('ال')) {
    const rest = word.slice(2);
    return `al-${lookup(rest) ?? romanizeArabicByRules(rest)}`;
  }
  return romanizeArabicByRules(word);
}
