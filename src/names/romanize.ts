/**
 * Readable Latin for a name in any script: Arabic through the learned
 * dictionary and rules (romanize-arabic.ts), Cyrillic by a BGN/PCGN-like
 * scheme (romanize-cyrillic.ts), Latin with its diacritics folded (ß→ss, ø→o).
 * Travel documents use icaoTransliterate instead (icao.ts), re-exported here.
 */
import { detectScript, foldLatin } from './normalize.ts';
import { romanizeArabicWord } from './romanize-arabic.ts';
import { capitalize, romanizeCyrillic } from './romanize-cyrillic.ts';
import { nameTokens } from './tokens.ts';

export { icaoTransliterate } from './icao.ts';
export { romanizeArabicWord } from './romanize-arabic.ts';
export { romanizeCyrillic } from './romanize-cyrillic.ts';

function romanizeArabicName(text: string): string {
  // Compounds stay one word (عبد الله → Abdullah); particles are kept as written.
  return nameTokens(text, { forDisplay: true })
    .map((word) => (detectScript(word) === 'arabic' ? romanizeArabicWord(word) : foldLatin(word)))
    .filter((word) => word !== '')
    .map((word, i) => word.split('-').map((part, j) => (part === 'al' && (i > 0 || j > 0) ? part : capitalize(part))).join('-'))
    .join(' ')
    .replace(/\b(Bin|Ibn|Bint)\b(?= )/g, (p) => p.toLowerCase());
}

/**
 * Readable Latin for a name, each part capitalised; parts in different scripts
 * are each romanised by their own rules.
 * @example romanize('محمد عبد الله') // 'Muhammad Abdullah'
 * @example romanize('Алёна Щукина') // 'Alyona Shchukina'
 * @example romanize('Søren Müller') // 'Soren Muller'
 */
export function romanize(name: string): string {
  return name
    .normalize('NFKC')
    .split(/\s+/u)
    .filter((part) => part !== '')
    .reduce<{ script: string; text: string }[]>((runs, part) => {
      const script = detectScript(part);
      const last = runs[runs.length - 1];
      if (last && last.script === script) last.text += ` ${part}`;
      else runs.push({ script, text: part });
      return runs;
    }, [])
    .map(({ script, text }) => {
      if (script === 'arabic') return romanizeArabicName(text);
      if (script === 'cyrillic') return romanizeCyrillic(text);
      return foldLatin(text)
        .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
        .split(/\s+/u)
        .filter((w) => w !== '')
        .map((w) => w.split('-').map(capitalize).join('-'))
        .join(' ');
    })
    .join(' ');
}

/**
 * The lower-case romanised form of a name for trigram search (pg_trgm): the
 * words of tokens.ts, compounds joined, romanised, separated by single spaces.
 * @example romanizedKey('عبد الله  محمد') // 'abdullah muhammad'
 */
export function romanizedKey(name: string): string {
  return nameTokens(name)
    .map((word) => {
      const script = detectScript(word);
      const latin = script === 'arabic' ? romanizeArabicWord(word) : script === 'cyrillic' ? romanizeCyrillic(word) : word;
      return foldLatin(latin).replace(/[^a-z]/g, '');
    })
    .filter((word) => word !== '')
    .join(' ');
}
