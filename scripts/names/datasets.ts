// Reads the name-transliteration TRAIN files (never the dev files) from ../shared/datasets.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATASETS = path.resolve(ROOT, '..', 'shared', 'datasets', 'name_transliteration');

export interface NamePair {
  readonly latin: string;
  readonly target: string;
  readonly count: number;
}

/** Wikidata pairs: `latin<TAB>t a r g e t<TAB>count`. */
export function readWikidata(file: string): NamePair[] {
  if (/_dev|_test/.test(file)) throw new Error(`learning reads TRAIN files only, not ${file}`);
  const text = fs.readFileSync(path.join(DATASETS, 'wikidata', file), 'utf8');
  const out: NamePair[] = [];
  for (const line of text.split('\n')) {
    const [latin, spaced, count] = line.split('\t');
    if (!latin || !spaced) continue;
    out.push({ latin, target: spaced.replace(/ /g, ''), count: Number(count) || 1 });
  }
  return out;
}

/** Google ar→en pairs: `arabic<TAB>english`. */
export function readGoogleArEn(): NamePair[] {
  const text = fs.readFileSync(path.join(DATASETS, 'google_ar2en', 'ar_en_train.tsv'), 'utf8');
  const out: NamePair[] = [];
  for (const line of text.split('\n')) {
    const [arabic, latin] = line.split('\t');
    if (arabic && latin) out.push({ latin, target: arabic, count: 1 });
  }
  return out;
}
