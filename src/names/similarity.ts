/**
 * How alike two names are, in [0, 1], whatever scripts they are written in.
 *
 * Words in different scripts are scored by the learned pair models
 * (pair-model.ts): Latin↔Arabic and Latin↔Cyrillic directly, Arabic↔Cyrillic
 * through the readable romanisation of the Cyrillic word. Words in one script
 * are scored by Jaro–Winkler on their letters, raised when their skeletons
 * (skeleton.ts) agree: Mohammed/Magomed share `mhmt`. Every score is placed so
 * that MATCH_THRESHOLD (0.5) is where about 0.1% of unrelated names pass.
 *
 * Full names are compared word by word (tokens.ts), each word paired with at
 * most one of the other name, order ignored; see nameSimilarity.
 */
import arData from './data/pair-ar.json' with { type: 'json' };
import ruData from './data/pair-ru.json' with { type: 'json' };
import { arabicLetters, cyrillicLetters, latinLetters } from './forms.ts';
import { jaroWinkler } from './jaro-winkler.ts';
import { sharedWordKeys } from './keys.ts';
import { detectScript, normalizeArabic } from './normalize.ts';
import { PairModel, type PairModelData } from './pair-model.ts';
import { romanizeArabicWord } from './romanize-arabic.ts';
import { romanizeCyrillic } from './romanize-cyrillic.ts';
import { nameTokens } from './tokens.ts';

/** Scores at or above this count as a match: about 0.1% of unrelated name pairs reach it. */
export const MATCH_THRESHOLD = 0.5;

const ARABIC_MODEL = new PairModel(arData as PairModelData);
const CYRILLIC_MODEL = new PairModel(ruData as PairModelData);

/**
 * Same-script scores: Jaro–Winkler j (after the letter forms) is mapped so that
 * JW_AT_THRESHOLD lands on 0.5; a shared skeleton of two or more classes lifts
 * the score to at least SKELETON_FLOOR + (1 − SKELETON_FLOOR)·j.
 * Set from random and variant pairs of TRAIN names (scripts/names/check-latin.ts).
 */
const JW_AT_THRESHOLD = 0.9;
const SKELETON_FLOOR = 0.3;
/**
 * Across scripts a shared skeleton counts only from four classes on: name
 * variants the transliteration models never saw (Мухаммад/Magomed, `mhmt`) pass,
 * while random pairs gain about 0.01% false hits (0.04% from three classes).
 */
const CROSS_SKELETON_MIN = 4;

type WordScript = 'arabic' | 'cyrillic' | 'latin';

function scriptOf(word: string): WordScript {
  const script = detectScript(word);
  return script === 'arabic' || script === 'cyrillic' ? script : 'latin';
}

function lettersOf(word: string, script: WordScript): string {
  if (script === 'arabic') return normalizeArabic(arabicLetters(word), { forKey: true });
  return script === 'cyrillic' ? cyrillicLetters(word) : latinLetters(word);
}

/** Jaro–Winkler rescaled so that JW_AT_THRESHOLD ↦ 0.5 and 1 ↦ 1. */
function rescaledJw(j: number): number {
  return j >= JW_AT_THRESHOLD ? 0.5 + (0.5 * (j - JW_AT_THRESHOLD)) / (1 - JW_AT_THRESHOLD) : (0.5 * j) / JW_AT_THRESHOLD;
}

function shareSkeleton(a: string, b: string, minLength: number): boolean {
  const kb = sharedWordKeys(b);
  return sharedWordKeys(a).some((k) => k.length >= minLength && !k.startsWith('_') && kb.includes(k));
}

function sameScript(a: string, b: string, la: string, lb: string): number {
  const j = jaroWinkler(la, lb);
  const score = rescaledJw(j);
  return shareSkeleton(a, b, 2) ? Math.max(score, SKELETON_FLOOR + (1 - SKELETON_FLOOR) * j) : score;
}

/** Lower-case Latin letters of a word's readable romanisation. */
function romanLetters(word: string, script: WordScript): string {
  if (script === 'arabic') return romanizeArabicWord(word).replace(/[^a-z]/g, '');
  return script === 'cyrillic' ? latinLetters(romanizeCyrillic(word)) : latinLetters(word);
}

/** The learned model for two words of different scripts (letter forms given). */
function acrossScripts(sa: WordScript, la: string, sb: WordScript, lb: string): number {
  if (sb === 'latin') return acrossScripts(sb, lb, sa, la);
  if (sa === 'latin') return (sb === 'arabic' ? ARABIC_MODEL : CYRILLIC_MODEL).similarity(la, lb);
  // Arabic and Cyrillic meet through the readable romanisation of the Cyrillic word.
  return sa === 'arabic' ? ARABIC_MODEL.similarity(romanLetters(lb, sb), la) : ARABIC_MODEL.similarity(romanLetters(la, sa), lb);
}

/** A single letter (an initial) against a word: a weak match when the word starts with it. */
function initialMatch(a: string, sa: WordScript, b: string, sb: WordScript): number {
  const first = romanLetters(a, sa).charAt(0);
  return first !== '' && first === romanLetters(b, sb).charAt(0) ? 0.4 : 0;
}

/**
 * Similarity of two single words in any scripts, in [0, 1].
 * @example wordSimilarity('Muhammad', 'محمد') // ≈ 1
 */
export function wordSimilarity(a: string, b: string): number {
  // Symmetric, so one cache entry serves both orders; registries repeat names a lot.
  const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  const cached = CACHE.get(key);
  if (cached !== undefined) return cached;
  const score = a < b ? scoreWords(a, b) : scoreWords(b, a);
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(key, score);
  return score;
}

const CACHE = new Map<string, number>();
const CACHE_LIMIT = 100_000;

function scoreWords(a: string, b: string): number {
  const sa = scriptOf(a);
  const sb = scriptOf(b);
  const la = lettersOf(a, sa);
  const lb = lettersOf(b, sb);
  if (la === '' || lb === '') return 0;
  if (sa === sb && la === lb) return 1;
  if (la.length === 1 || lb.length === 1) return initialMatch(la, sa, lb, sb);
  if (sa === sb) return sameScript(a, b, la, lb);
  const model = acrossScripts(sa, la, sb, lb);
  if (model >= 0.9 || !shareSkeleton(a, b, CROSS_SKELETON_MIN)) return model;
  return Math.max(model, SKELETON_FLOOR + (1 - SKELETON_FLOOR) * jaroWinkler(romanLetters(la, sa), romanLetters(lb, sb)));
}

interface Alignment {
  readonly coverageA: number;
  readonly coverageB: number;
}

/** Pairs the words of two names one to one, best scores first; the share of each name covered. */
function alignWords(wa: readonly string[], wb: readonly string[]): Alignment {
  const cells: { i: number; j: number; s: number }[] = [];
  wa.forEach((a, i) => wb.forEach((b, j) => cells.push({ i, j, s: wordSimilarity(a, b) })));
  cells.sort((x, y) => y.s - x.s || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let total = 0;
  for (const { i, j, s } of cells) {
    if (usedA.has(i) || usedB.has(j) || s <= 0) continue;
    usedA.add(i);
    usedB.add(j);
    total += s;
  }
  return { coverageA: total / wa.length, coverageB: total / wb.length };
}

/**
 * Similarity of two full names in [0, 1], symmetric: the mean of the shares of
 * each name that the other covers, word by word (order ignored), or the
 * similarity of the names run together as one word when that is higher
 * ("Abd Al Rahman" / "Abdulrahman", "Jean-Pierre" / «جانبيير»; not tried when
 * the names have as many words and match word by word at 0.9 or more).
 * Names match at MATCH_THRESHOLD and above.
 * @example nameSimilarity('Mohammed Aliyev', 'Алиев Мухаммад') // high
 * @example nameSimilarity('Muhammad', 'Muhammad Ali') // 0.75: one word of two unmatched
 */
export function nameSimilarity(a: string, b: string): number {
  return tokenSimilarity(nameTokens(a), nameTokens(b));
}

/**
 * nameSimilarity of two names already split by nameTokens: for callers that
 * compare the same names many times (the matching engine keeps the words).
 */
export function tokenSimilarity(wa: readonly string[], wb: readonly string[]): number {
  if (wa.length === 0 || wb.length === 0) return 0;
  if (wa.length === 1 && wb.length === 1) return wordSimilarity(wa[0]!, wb[0]!);
  const { coverageA, coverageB } = alignWords(wa, wb);
  const wordByWord = (coverageA + coverageB) / 2;
  // Run together only when the words may be cut differently; a good word-by-word match stands.
  if (wa.length === wb.length && wordByWord >= 0.9) return wordByWord;
  return Math.max(wordByWord, wordSimilarity(wa.join(''), wb.join('')));
}

/**
 * How much of a search query a name covers, in [0, 1]: every query word should
 * find a word of the name; extra words of the name cost nothing. For ranking
 * search results ("Muhammad" finds "Muhammad Ali Hassan" at 1).
 */
export function nameContainment(query: string, name: string): number {
  const wq = nameTokens(query);
  const wn = nameTokens(name);
  if (wq.length === 0 || wn.length === 0) return 0;
  return alignWords(wq, wn).coverageA;
}
