// Learns the data tables of src/names/ from the TRAIN splits of
// ../shared/datasets/name_transliteration (never the dev splits, which measure them):
//   pair-ar.json, pair-ru.json   Latin↔Arabic and Latin↔Cyrillic pair models (EM)
//   arabic-romanization.json     Arabic word dictionary and letter rules in context
//   variants.json                variant spellings → their common spelling
// Run: node --import tsx scripts/names/learn.ts   (about five minutes on two cores)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arabicLetters, cyrillicLetters, latinLetters } from '../../src/names/forms.ts';
import type { PairModelData } from '../../src/names/pair-model.ts';
import { readGoogleArEn, readWikidata, type NamePair } from './datasets.ts';
import { buildPairModel, calibrate } from './learn-pair.ts';
import { bestSpellings, learnArabicDictionary, learnArabicRules, learnVariants, plausible, type WeightedPair } from './learn-romanize.ts';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'names', 'data');
const GOOGLE_WEIGHT = 50; // a curated English romanisation outweighs the spellings of other languages in Wikidata
const DICTIONARY_MIN = 2;
const VARIANT_MIN = 3;

const log = (line: string) => console.log(line);

function letterPairs(pairs: readonly NamePair[], target: (t: string) => string, weight: (p: NamePair) => number): WeightedPair[] {
  return pairs
    .map((p) => ({ x: latinLetters(p.latin), y: target(p.target), weight: weight(p) }))
    .filter((p) => p.x !== '' && p.y !== '');
}

function write(name: string, about: string, body: object): void {
  const text = JSON.stringify({ _about: about, ...body });
  fs.writeFileSync(path.join(OUT, name), `${text}\n`);
  log(`wrote src/names/data/${name}: ${(text.length / 1024).toFixed(0)} KB`);
}

/** `--keep-models` reuses the committed pair models (only recalibrating them) while tuning the other tables. */
const KEEP = process.argv.includes('--keep-models');

function trainModel(label: string, file: string, pairs: readonly WeightedPair[]): PairModelData {
  log(`${label}: ${pairs.length} pairs`);
  const once = pairs.map((p) => ({ x: p.x, y: p.y, weight: 1 }));
  if (KEEP) {
    const { _about, ...kept } = JSON.parse(fs.readFileSync(path.join(OUT, file), 'utf8')) as PairModelData & { _about: string };
    return calibrate(kept, once, log);
  }
  // Every pair counts once in EM: frequent names must not drown the rare spellings.
  return buildPairModel(once, { maxX: 2, maxY: 2, log });
}

const started = Date.now();
const wikiAr = letterPairs(readWikidata('en_ar_train.tsv'), arabicLetters, (p) => p.count);
const google = letterPairs(readGoogleArEn(), arabicLetters, () => GOOGLE_WEIGHT);
const wikiRu = letterPairs(readWikidata('en_ru_train.tsv'), cyrillicLetters, (p) => p.count);

const arModel = trainModel('Latin ↔ Arabic', 'pair-ar.json', [...wikiAr, ...google]);
write('pair-ar.json', 'Latin↔Arabic pair model learned by scripts/names/learn.ts from wikidata/en_ar_train.tsv and google_ar2en/ar_en_train.tsv', arModel);
const ruModel = trainModel('Latin ↔ Cyrillic', 'pair-ru.json', wikiRu);
write('pair-ru.json', 'Latin↔Cyrillic pair model learned by scripts/names/learn.ts from wikidata/en_ru_train.tsv', ruModel);

const arPlausible = plausible([...wikiAr, ...google], arModel);
const ruPlausible = plausible(wikiRu, ruModel);
log(`plausible pairs: ${arPlausible.length} of ${wikiAr.length + google.length} (ar), ${ruPlausible.length} of ${wikiRu.length} (ru)`);

// Letter rules need each Arabic letter aligned to its own Latin: a second model
// with one target letter per step (the pair model's two-letter steps would hide one).
log('Arabic letter alignment:');
const alignModel = buildPairModel(arPlausible.map((p) => ({ x: p.x, y: p.y, weight: 1 })), { maxX: 3, maxY: 1, log });
const rules = learnArabicRules(arPlausible, alignModel);
// The dictionary keeps only words the rules get wrong, so the rules are written
// first and romanize-arabic.ts (not imported before this line) reads them.
write('arabic-romanization.json', 'Arabic romanisation learned by scripts/names/learn.ts', { rules, dictionary: {} });
const { romanizeArabicByRules } = await import('../../src/names/romanize-arabic.ts');
const arBest = bestSpellings(arPlausible);
const dictionary = learnArabicDictionary(arBest, DICTIONARY_MIN, romanizeArabicByRules);
write('arabic-romanization.json', 'Arabic romanisation learned by scripts/names/learn.ts from wikidata/en_ar_train.tsv and google_ar2en/ar_en_train.tsv: whole words, then letter rules in context', { rules, dictionary });

const ruBest = bestSpellings(ruPlausible);
const variants = learnVariants([arPlausible, ruPlausible], [arBest, ruBest], ruBest, VARIANT_MIN);
write('variants.json', 'Variant spellings learned by scripts/names/learn.ts from wikidata/en_ar_train.tsv and en_ru_train.tsv: word → the common spelling of the same Arabic or Russian form', variants);
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
