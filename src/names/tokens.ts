/**
 * Splitting a full name into the words that are compared one by one. Arabic
 * compound names are one word however they are spaced or hyphenated
 * («عبد الله», "Abd al-Rahman", "Nur ad-Din", «Абу Бакр», «أم أحمد»), and the
 * particles of descent (bin, ibn, بن) are not words of their own.
 */
import { normalizeName } from './normalize.ts';

/** Words joined to the word after them: servant-of, father-of, mother-of, the article. */
const JOIN_NEXT = new Set([
  'abd', 'abdul', 'abdel', 'abdal', 'abdol', 'abdu', 'abdur', 'abdus', 'abdulla', 'abu', 'abou', 'abo', 'umm', 'um', 'oum',
  'al', 'el', 'ul', 'ad', 'ud', 'ed', 'ar', 'ur', 'as', 'us', 'ash', 'at', 'az', 'an', 'un',
  'عبد', 'ابو', 'ام', 'ال',
  'абд', 'абдул', 'абдель', 'абдуль', 'абу', 'умм', 'ум', 'аль', 'ал', 'эль', 'уль', 'ад', 'уд', 'ар', 'ур', 'ас', 'ус', 'аш', 'ан', 'ат', 'аз',
]);

/** Kunya particles: one word with the name for comparison, two words for reading (Umm Ahmad). */
const KUNYA = new Set(['abu', 'abou', 'abo', 'umm', 'um', 'oum', 'ابو', 'ام', 'абу', 'умм', 'ум']);

/** Assimilated articles ("as", "an", "at") are only particles when written attached by a hyphen. */
const HYPHEN_ONLY = new Set(['ad', 'ud', 'ed', 'ar', 'ur', 'as', 'us', 'ash', 'at', 'az', 'an', 'un', 'ал', 'ад', 'уд', 'ар', 'ур', 'ас', 'ус', 'аш', 'ан', 'ат', 'аз']);

const ARTICLES = new Set([
  'al', 'el', 'ul', 'ad', 'ud', 'ed', 'ar', 'ur', 'as', 'us', 'ash', 'at', 'az', 'an', 'un', 'ال',
  'аль', 'ал', 'эль', 'уль', 'ад', 'уд', 'ар', 'ур', 'ас', 'ус', 'аш', 'ан', 'ат', 'аз',
]);

/** Words joined to the word before them: ...-of-religion, ...-of-God. */
const JOIN_PREVIOUS = new Set(['din', 'deen', 'allah', 'ullah', 'الدين', 'الله', 'дин', 'аллах', 'улла', 'уллах']);

/** Particles of descent, dropped between two names. */
const DESCENT = new Set(['bin', 'ibn', 'bint', 'binti', 'بن', 'ابن', 'بنت', 'бин', 'ибн', 'бинт']);

/**
 * The comparable words of a full name, normalised (normalize.ts), compounds joined.
 * @example nameTokens('Abd al-Rahman bin Khalid') // ['abdalrahman', 'khalid']
 * @example nameTokens('عبد الله') // ['عبدالله']
 * @param options.forDisplay keep bin/ibn/بن and split kunya (Umm Ahmad) as written, for reading
 */
export function nameTokens(fullName: string, options: { readonly forDisplay?: boolean } = {}): string[] {
  // Keep track of hyphens: "as-Sayyid" joins, "As Sayyid" (a name As) does not.
  const parts: { word: string; hyphenAfter: boolean }[] = [];
  for (const chunk of fullName.normalize('NFKC').split(/[\s,;/]+/u)) {
    const pieces = chunk.split(/[-‐‑–—_]+/u);
    pieces.forEach((piece, i) => {
      for (const word of normalizeName(piece).split(' ')) {
        if (word !== '') parts.push({ word, hyphenAfter: i < pieces.length - 1 });
      }
    });
  }
  const words: string[] = [];
  let pending = '';
  parts.forEach(({ word, hyphenAfter }, i) => {
    const isLast = i === parts.length - 1;
    if (!isLast && !options.forDisplay && DESCENT.has(word) && words.length + (pending ? 1 : 0) > 0) return;
    const joins = JOIN_NEXT.has(word) && !(options.forDisplay && KUNYA.has(word));
    if (!isLast && joins && (hyphenAfter || !HYPHEN_ONLY.has(word))) {
      pending += word;
      return;
    }
    const joined = pending + word;
    const suffix = JOIN_PREVIOUS.has(word) && words.length > 0 && (pending === '' || ARTICLES.has(pending));
    pending = '';
    if (suffix) words[words.length - 1] += joined;
    else words.push(joined);
  });
  if (pending) words.push(pending);
  return words;
}
