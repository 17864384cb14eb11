/**
 * The phonetic skeleton of one name word, the same in every script: its
 * consonants mapped to classes of sounds that Latin, Arabic and Cyrillic
 * spellings render interchangeably, vowels dropped, repeats collapsed.
 *
 *   class  Latin                      Arabic               Cyrillic
 *   b      b p                        ب پ                  б п
 *   f      f v ph (w)                 ف ڤ                  ф в
 *   k      k q c ck qu x(=ks)         ك ق                  к
 *   h      h kh g gh j dj dzh (ch)    ه ح خ غ گ ج          г х дж
 *   s      s z c ts tz sh ch zh sch   س ص ز ذ ظ ش چ ژ تس   с з ц ш щ ж ч
 *   t      t d th dh                  ت ط د ض ث            т д
 *   l r m n                           ل ر م ن              л р м н
 *
 * The classes are wide on purpose, and were chosen on the TRAIN pairs
 * (scripts/names/eval-keys.ts): Arabic ح خ غ ه and Russian г х are written
 * h/kh/g/gh (Muhammad, Mukhammad, Magomed → mhmt); jim is j in English and g
 * in Egyptian and foreign names; sh/ch/zh and s/z/ts swap across languages.
 * Vowels, y, w, Arabic ا و ي ى ء ع, a final ة or ه, and Russian vowels, й, ь, ъ
 * are dropped, as is a final h after a vowel (Sarah, Abdullah).
 * Where a Latin spelling is ambiguous a word has a few skeletons (at most four):
 * ch (sh, German kh, Italian k), j (English dzh, French zh, German y), g before
 * e/i, Slavic c (ts), w (German v), an h before a consonant (Kahler); Arabic
 * words also without their article, compounds without the article in Abd al-.
 */
import { arabicLetters, cyrillicLetters, latinLetters } from './forms.ts';
import { detectScript } from './normalize.ts';

/** A Latin sequence and the classes it may stand for, the usual one first. */
type Rule = readonly [string, readonly string[]];

// Longest match first. Several classes where European spellings disagree:
// ch is English/French sh, German/Czech kh, Italian k; j is English dzh, French zh,
// German y; g before e/i is French zh or Italian dzh; c is Slavic ts; w is German v.
const LATIN_RULES: readonly Rule[] = [
  ['tsch', ['s']], ['sch', ['s']], ['tch', ['s']], ['dzh', ['h']], ['dsh', ['h']],
  ['sh', ['s']], ['ch', ['s', 'h', 'k']], ['cz', ['s']], ['cs', ['s']], ['zh', ['s']], ['kh', ['h']],
  ['gh', ['h']], ['ph', ['f']], ['th', ['t']], ['dh', ['t']], ['ck', ['k']], ['qu', ['k']],
  ['ts', ['s']], ['tz', ['s']], ['dz', ['s']], ['dj', ['h']],
  ['ce', ['s']], ['ci', ['s']], ['cy', ['s']], ['ge', ['h', 's']], ['gi', ['h', 's']],
  ['H', ['h', '']], ['b', ['b']], ['p', ['b']], ['f', ['f']], ['v', ['f']], ['w', ['', 'f']], ['k', ['k']], ['q', ['k']],
  ['c', ['k', 's']], ['x', ['ks']], ['g', ['h']], ['h', ['h']], ['j', ['h', 's', '']], ['s', ['s']],
  ['z', ['s']], ['t', ['t']], ['d', ['t']], ['l', ['l']], ['r', ['r']], ['m', ['m']], ['n', ['n']],
];

const ARABIC_RULES: readonly Rule[] = [
  ['تس', ['s']], ['تش', ['s']], ['دج', ['h']],
  ['ب', ['b']], ['پ', ['b']], ['ف', ['f']], ['ڤ', ['f']], ['ك', ['k']], ['ق', ['k']],
  ['ه', ['h']], ['ح', ['h']], ['خ', ['h']], ['غ', ['h']], ['گ', ['h']], ['ج', ['h']],
  ['س', ['s']], ['ص', ['s']], ['ز', ['s']], ['ث', ['t']], ['ذ', ['s']], ['ظ', ['s']],
  ['ش', ['s']], ['چ', ['s']], ['ژ', ['s']], ['ت', ['t']], ['ط', ['t']], ['د', ['t']], ['ض', ['t']],
  ['ل', ['l']], ['ر', ['r']], ['م', ['m']], ['ن', ['n']],
];

const CYRILLIC_RULES: readonly Rule[] = [
  ['дж', ['h']], ['дз', ['s']], ['тс', ['s']], ['тч', ['s']], ['кс', ['ks']],
  ['б', ['b']], ['п', ['b']], ['ф', ['f']], ['в', ['f']], ['к', ['k']], ['г', ['h']], ['х', ['h']],
  ['с', ['s']], ['з', ['s']], ['ц', ['s']], ['ш', ['s']], ['щ', ['s']], ['ж', ['s']], ['ч', ['s']],
  ['т', ['t']], ['д', ['t']], ['л', ['l']], ['р', ['r']], ['м', ['m']], ['н', ['n']],
];

/** At most this many skeletons per word: alternatives are expanded left to right until then. */
const MAX_VARIANTS = 4;

function applyRules(word: string, rules: readonly Rule[]): string[] {
  let variants = [''];
  let i = 0;
  outer: while (i < word.length) {
    for (const [from, to] of rules) {
      if (word.startsWith(from, i)) {
        const options = variants.length * to.length <= MAX_VARIANTS ? to : to.slice(0, 1);
        variants = variants.flatMap((v) => options.map((o) => v + o));
        i += from.length;
        continue outer;
      }
    }
    i += 1; // vowels and anything unmapped
  }
  return variants;
}

function collapse(classes: string): string {
  return classes.replace(/(.)\1+/g, '$1');
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Skeletons of a Latin word (already letter-only, a–z), the usual reading first. */
export function latinSkeletons(letters: string): string[] {
  // Final h after a vowel is silent (Sarah, Abdullah).
  // An h between a vowel and a consonant is often silent (Kahler, Stahl): H marks it.
  const word = letters.replace(/([aeiouy])h$/, '$1').replace(/([aeiouy])h(?=[^aeiouyh])/g, '$1H');
  const out = applyRules(word, LATIN_RULES).map(collapse);
  // Abd al-Rahman is also written Abdurrahman: the article of a compound may vanish.
  const bare = word.replace(/^abd[aeiou]l(?=[^aeiouy])/, 'abd');
  if (bare !== word) out.push(collapse(applyRules(bare, LATIN_RULES)[0]!));
  return distinct(out);
}

/** The usual skeleton of a Latin word. */
export function latinSkeleton(letters: string): string {
  return latinSkeletons(letters)[0]!;
}

/** Skeletons of an Arabic word (already letter-only, normalised); without the article too. */
export function arabicSkeletons(letters: string): string[] {
  const word = letters.replace(/[هة]$/u, ''); // final ة, or ه read as a vowel
  const out = [collapse(applyRules(word, ARABIC_RULES)[0]!)];
  if (/^ال.{3}/u.test(word)) out.push(collapse(applyRules(word.slice(2), ARABIC_RULES)[0]!));
  if (/^عبدال./u.test(word)) out.push(collapse(applyRules(`عبد${word.slice(5)}`, ARABIC_RULES)[0]!));
  return distinct(out);
}

/** The usual skeleton of an Arabic word. */
export function arabicSkeleton(letters: string): string {
  return arabicSkeletons(letters)[0]!;
}

/** Skeletons of a Cyrillic word (already letter-only, normalised), the usual reading first. */
export function cyrillicSkeletons(letters: string): string[] {
  const out = [collapse(applyRules(letters, CYRILLIC_RULES)[0]!)];
  const bare = letters.replace(/^абд[аеоу]ль?(?=[^аеиоуыэюяь])/u, 'абд');
  if (bare !== letters) out.push(collapse(applyRules(bare, CYRILLIC_RULES)[0]!));
  return distinct(out);
}

/** The usual skeleton of a Cyrillic word. */
export function cyrillicSkeleton(letters: string): string {
  return cyrillicSkeletons(letters)[0]!;
}

/**
 * The skeletons of one word in any script, the usual reading first; [''] when
 * it has no consonant.
 * @example skeletons('Muhammad')[0] === skeletons('Магомед')[0] // both 'mhmt'
 */
export function skeletons(word: string): string[] {
  switch (detectScript(word)) {
    case 'arabic':
      return arabicSkeletons(arabicLetters(word));
    case 'cyrillic':
      return cyrillicSkeletons(cyrillicLetters(word));
    default:
      return latinSkeletons(latinLetters(word));
  }
}

/** The usual skeleton of one word in any script. */
export function skeleton(word: string): string {
  return skeletons(word)[0]!;
}
