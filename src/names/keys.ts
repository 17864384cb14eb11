/**
 * Script-independent comparison keys for search and blocking. A key is a word's
 * phonetic skeleton (skeleton.ts): consonant classes, vowels dropped, repeats
 * collapsed, so «محمد», «Мухаммад», «Магомед», Muhammad, Mohammed and Magomed
 * all give `mhmt`. Keys are deterministic, short, lower-case ASCII ([a-z_]),
 * made to be stored in a text[] column with a GIN index and compared with `&&`.
 *
 * Measured on the Wikidata dev pairs (src/names/dev-recall.test.ts): see the
 * numbers printed there; nameKeys is the precise set, blockingKeys the loose one.
 */
import { arabicLetters, cyrillicLetters, latinLetters } from './forms.ts';
import { detectScript } from './normalize.ts';
import { romanizeArabicWord } from './romanize-arabic.ts';
import { romanizeCyrillic } from './romanize-cyrillic.ts';
import { arabicSkeletons, cyrillicSkeletons, latinSkeleton, latinSkeletons } from './skeleton.ts';
import { nameTokens } from './tokens.ts';
import { commonSpelling } from './variants.ts';

/**
 * Changes whenever the skeleton rules or the learned tables change what
 * nameKeys returns: keys stored with another version must be recomputed.
 */
export const KEYS_VERSION = 1;

/** A word without consonants (Aya, Eo) is keyed by its vowels, marked so it cannot meet a skeleton. */
const vowelKey = (latin: string) => `_${latin.slice(0, 6)}`;

/**
 * The keys of one word in any script: its skeletons (a few where a spelling is
 * ambiguous: "ch", "j", Slavic "c", the Arabic article), and the skeleton of
 * its common spelling when it is a known variant (variants.ts) or a known
 * Arabic name (romanize-arabic.ts).
 * @example wordKeys('Mohammed') // ['mhmt']
 */
export function wordKeys(word: string): string[] {
  return [...sharedWordKeys(word)];
}

/** wordKeys without the copy, for hot loops that only read them (the similarity). */
export function sharedWordKeys(word: string): readonly string[] {
  const cached = CACHE.get(word);
  if (cached) return cached;
  const keys = computeWordKeys(word);
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(word, keys);
  return keys;
}

/** Names repeat (a registry holds many Muhammads): keys are remembered per word, within bounds. */
const CACHE = new Map<string, readonly string[]>();
const CACHE_LIMIT = 50_000;

function computeWordKeys(word: string): string[] {
  const keys = new Set<string>();
  let latin: string;
  switch (detectScript(word)) {
    case 'arabic': {
      const letters = arabicLetters(word);
      for (const k of arabicSkeletons(letters)) keys.add(k);
      latin = romanizeArabicWord(letters).replace(/[^a-z]/g, '');
      keys.add(latinSkeleton(latin));
      break;
    }
    case 'cyrillic': {
      const letters = cyrillicLetters(word);
      for (const k of cyrillicSkeletons(letters)) keys.add(k);
      latin = latinLetters(romanizeCyrillic(letters));
      const common = commonSpelling(letters);
      if (common !== undefined) keys.add(latinSkeleton(common));
      break;
    }
    default: {
      latin = latinLetters(word);
      for (const k of latinSkeletons(latin)) keys.add(k);
      const common = commonSpelling(latin);
      if (common !== undefined) keys.add(latinSkeleton(common));
    }
  }
  keys.delete('');
  if (keys.size === 0 && latin !== '') keys.add(vowelKey(latin));
  return [...keys].sort();
}

/**
 * The keys of a full name: the union of its words' keys (tokens.ts joins
 * compounds and drops bin/ibn). Store these; search with the query's keys.
 * @example nameKeys('Мухаммад Алиев') // ['lf', 'mhmt']
 */
export function nameKeys(fullName: string): string[] {
  const keys = new Set<string>();
  for (const word of nameTokens(fullName)) for (const k of wordKeys(word)) keys.add(k);
  return [...keys].sort();
}

/** Skeletons one consonant shorter, for skeletons of four or more classes (silent or dropped letters). */
function neighbours(key: string): string[] {
  if (key.length < 4 || key.startsWith('_')) return [];
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) out.push((key.slice(0, i) + key.slice(i + 1)).replace(/(.)\1+/g, '$1'));
  return out;
}

/**
 * nameKeys plus the one-deletion neighbours of long skeletons: catches names
 * where one script drops a letter (French silent endings, the Arabic article),
 * at the price of more candidates. For blocking in the matching engine.
 */
export function blockingKeys(fullName: string): string[] {
  const keys = new Set<string>();
  for (const key of nameKeys(fullName)) {
    keys.add(key);
    for (const n of neighbours(key)) keys.add(n);
  }
  return [...keys].sort();
}

// The similarity that ranks what the keys find lives beside them (it uses them).
export { MATCH_THRESHOLD, nameSimilarity } from './similarity.ts';
