import { nameKeys } from '../names/keys.ts';
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
  return recordedScript(fullName) === 'latin' ? fullName : romanize(fullName);
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
    texts.add(normalizeName(name));
    texts.add(normalizeName(latinOf(name)));
    for (const key of nameKeys(name)) keys.add(key);
  }
  return { searchText: [...texts].filter(Boolean).join(' | '), searchKeys: [...keys].sort() };
}

/** The same treatment for what a clerk types into the search box. */
export function indexQuery(q: string): { text: string; latin: string; keys: string[] } {
  return { text: normalizeName(q), latin: normalizeName(latinOf(q)), keys: nameKeys(q) };
}
