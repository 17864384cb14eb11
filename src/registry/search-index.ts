import { nameKeys, wordKeys } from '../names/keys.ts';
import { nameTokens } from '../names/tokens.ts';
import { detectScript, normalizeName } from '../names/normalize.ts';
import { romanize } from '../names/romanize.ts';

export type RecordedScript = 'arabic' | 'cyrillic' | 'latin' | 'other';

/** The script a name was recorded in, as the registry stores it. */
export function recordedScript(fullName: string): RecordedScript {
  const script = detectScript(fullName);
  return script === 'mixed' ? 'other' : script;
}

/** A readable Latin rendering of any name (the name itself when it is Latin already). */
export function latinOf(fullName: string): string {
  return indexOfName(fullName).latin;
}

interface NameIndex {
  readonly latin: string;
  readonly text: string;
  readonly latinText: string;
  readonly keys: readonly string[];
}

/**
 * Names repeat (an import of thousands holds the same names many times): what
 * one name contributes to the index is remembered, within bounds. Pure, so
 * remembering changes nothing but the time.
 */
const NAME_CACHE = new Map<string, NameIndex>();
const NAME_CACHE_LIMIT = 20_000;

function indexOfName(name: string): NameIndex {
  const cached = NAME_CACHE.get(name);
  if (cached) return cached;
  const latin = recordedScript(name) === 'latin' ? name : romanize(name);
  const entry = { latin, text: normalizeName(name), latinText: normalizeName(latin), keys: nameKeys(name) };
  if (NAME_CACHE.size >= NAME_CACHE_LIMIT) NAME_CACHE.clear();
  NAME_CACHE.set(name, entry);
  return entry;
}

export interface SearchIndex {
  /** Normalised names and their Latin renderings, for trigram word similarity. */
  readonly searchText: string;
  /** Script-independent phonetic keys of every name token. */
  readonly searchKeys: string[];
}

/** What a person's row holds so that one search box finds them in any script. */
export function indexNames(fullNames: readonly string[]): SearchIndex {
  const texts = new Set<string>();
  const keys = new Set<string>();
  for (const name of fullNames) {
    const entry = indexOfName(name);
    texts.add(entry.text);
    texts.add(entry.latinText);
    for (const key of entry.keys) keys.add(key);
  }
  return { searchText: [...texts].filter(Boolean).join(' | '), searchKeys: [...keys].sort() };
}

/**
 * The same treatment for what a clerk types into the search box; `tokenKeys`
 * holds each word's keys apart (the keys of one word are its spelling variants),
 * so that a search can ask for every word of the query, not any one of them.
 */
export function indexQuery(q: string): { text: string; latin: string; keys: string[]; tokenKeys: string[][] } {
  const seen = new Set<string>();
  const tokenKeys: string[][] = [];
  for (const word of nameTokens(q)) {
    const keys = wordKeys(word).sort();
    const id = keys.join(' ');
    if (keys.length === 0 || seen.has(id)) continue;
    seen.add(id);
    tokenKeys.push(keys);
  }
  return { text: normalizeName(q), latin: normalizeName(latinOf(q)), keys: nameKeys(q), tokenKeys };
}
