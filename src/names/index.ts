/**
 * Cross-script person names: normalisation, romanisation, ICAO transliteration,
 * script-independent keys and similarity. Pure: no database, no I/O beyond
 * importing the learned tables in ./data (see README.md in this folder).
 */
export { detectScript, foldLatin, normalizeArabic, normalizeCyrillic, normalizeName, type Script } from './normalize.ts';
export { nameTokens } from './tokens.ts';
export { icaoTransliterate, romanize, romanizeArabicWord, romanizeCyrillic, romanizedKey } from './romanize.ts';
export { skeleton, skeletons } from './skeleton.ts';
export { blockingKeys, KEYS_VERSION, nameKeys, wordKeys } from './keys.ts';
export { MATCH_THRESHOLD, nameContainment, nameSimilarity, tokenSimilarity, wordSimilarity } from './similarity.ts';
export { jaroWinkler } from './jaro-winkler.ts';
