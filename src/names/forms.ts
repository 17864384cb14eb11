/**
 * The letter-only forms the learned models and the keys work on: one word,
 * normalised, with everything that is not a letter of its script removed.
 */
import { foldLatin, normalizeName } from './normalize.ts';

/** `Abd-al Raḥmān` → `abdalrahman`: a–z only. */
export function latinLetters(text: string): string {
  return foldLatin(normalizeName(text)).replace(/[^a-z]/g, '');
}

/** Arabic letters only (hamza, ة and the Persian letters kept), after normalizeArabic. */
export function arabicLetters(text: string): string {
  return normalizeName(text).replace(/[^\u0621-\u063A\u0641-\u064A\u067E\u0686\u0698\u06A4\u06AF]/gu, '');
}

/** Russian-alphabet letters only, after normalizeCyrillic. */
export function cyrillicLetters(text: string): string {
  return normalizeName(text).replace(/[^а-яй]/gu, '');
}
