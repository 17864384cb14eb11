/**
 * Common spellings of name variants, learned offline from the Wikidata TRAIN
 * pairs (scripts/names/learn.ts): Latin or Cyrillic spellings that were written
 * with the same Arabic or Russian form as a more common spelling, mapped to it
 * ("Iosif" → "yusuf"). Only variants whose skeleton differs from the common
 * spelling's are listed; for the others the skeleton already unites them.
 */
import data from './data/variants.json' with { type: 'json' };

export interface VariantData {
  /** Latin word (a–z) → its common Latin spelling. */
  readonly latin: Readonly<Record<string, string>>;
  /** Russian-alphabet word → its common Latin spelling. */
  readonly cyrillic: Readonly<Record<string, string>>;
}

const VARIANTS: VariantData = data;

/** The common Latin spelling of a Latin (a–z) or Cyrillic (а–я) word, if it is a known variant. */
export function commonSpelling(letters: string): string | undefined {
  return Object.hasOwn(VARIANTS.latin, letters) ? VARIANTS.latin[letters] : Object.hasOwn(VARIANTS.cyrillic, letters) ? VARIANTS.cyrillic[letters] : undefined;
}
