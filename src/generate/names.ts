/**
 * Names for the generated population, in the script each nationality writes
 * them: Cyrillic for Russia and Central Asia's Cyrillic registries, Latin for
 * Turkey, Azerbaijan, Uzbekistan, Europe and the Caribbean, Arabic for the Arab
 * countries — and, for anyone, the Arabic rendering the host country's file
 * keeps beside the name the home country writes. Combined at random from the
 * demo's and the matching population's pools, they describe no real person.
 */
import { FEMALE, type GivenName, givenIn, MALE } from '../demo/name-pools.ts';
import type { Random } from '../demo/random.ts';
import { LATIN_SURNAMES, MORE_FEMALE, MORE_MALE, SURNAME_ROOTS } from '../matching/population-pools.ts';

/** Nationalities held, with their weights (roughly the seeds' shares) and the script their registry uses. */
export const NATIONALITIES: readonly { readonly code: string; readonly weight: number; readonly script: 'cyrillic' | 'latin' | 'arabic' }[] = [
  { code: 'TUR', weight: 14, script: 'latin' },
  { code: 'RUS', weight: 11, script: 'cyrillic' },
  { code: 'AZE', weight: 9, script: 'latin' },
  { code: 'UZB', weight: 8, script: 'latin' },
  { code: 'TJK', weight: 7, script: 'cyrillic' },
  { code: 'KAZ', weight: 6, script: 'cyrillic' },
  { code: 'KGZ', weight: 5, script: 'cyrillic' },
  { code: 'TUN', weight: 5, script: 'arabic' },
  { code: 'MAR', weight: 4, script: 'arabic' },
  { code: 'EGY', weight: 4, script: 'arabic' },
  { code: 'SAU', weight: 3, script: 'arabic' },
  { code: 'JOR', weight: 3, script: 'arabic' },
  { code: 'DEU', weight: 4, script: 'latin' },
  { code: 'FRA', weight: 4, script: 'latin' },
  { code: 'GEO', weight: 2, script: 'latin' },
  { code: 'UKR', weight: 2, script: 'cyrillic' },
  { code: 'BLR', weight: 1, script: 'cyrillic' },
  { code: 'FIN', weight: 1, script: 'latin' },
  { code: 'TTO', weight: 1, script: 'latin' },
];

/** Arabic family names (common words and places: nisbas), for the Arab nationalities. */
const ARABIC_FAMILY: readonly string[] = [
  'الحسن', 'العلي', 'الخطيب', 'النجار', 'الحداد', 'السيد', 'المصري', 'التونسي', 'الشامي', 'البكري', 'العمري', 'القاسم',
  'الزين', 'الصالح', 'الحلبي', 'الفاسي', 'المغربي', 'الجزار', 'الخياط', 'الطحان', 'السقا', 'الحمدان', 'العبدالله', 'الرفاعي',
];

const OV_CYRILLIC = new Set(['RUS', 'TJK', 'KAZ', 'KGZ', 'BLR', 'UKR']);
const OV_LATIN = new Set(['AZE', 'UZB']);

/** Weighted pick with weights falling as 1/(rank+1)^0.9: a few names are very common, most are not. */
export class Zipf<T> {
  private readonly cumulative: number[] = [];
  constructor(readonly items: readonly T[]) {
    let total = 0;
    for (let i = 0; i < items.length; i++) this.cumulative.push((total += 1 / (i + 1) ** 0.9));
  }
  pick(random: Random): T {
    const x = random.next() * (this.cumulative[this.cumulative.length - 1] as number);
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo] as T;
  }
}

const MALES = new Zipf([...MALE, ...MORE_MALE]);
const FEMALES = new Zipf([...FEMALE, ...MORE_FEMALE]);
const ROOTS = new Zipf(SURNAME_ROOTS);
const LATIN = Object.fromEntries(Object.entries(LATIN_SURNAMES).map(([k, v]) => [k, new Zipf(v)]));
const ARABIC = new Zipf(ARABIC_FAMILY);
const WEIGHT_TOTAL = NATIONALITIES.reduce((s, n) => s + n.weight, 0);

export function pickNationality(random: Random): (typeof NATIONALITIES)[number] {
  let x = random.next() * WEIGHT_TOTAL;
  for (const n of NATIONALITIES) if ((x -= n.weight) < 0) return n;
  return NATIONALITIES[0] as (typeof NATIONALITIES)[number];
}

export const pickGiven = (random: Random, female: boolean): GivenName => (female ? FEMALES : MALES).pick(random);

/** A family's surname in its masculine form, as the home country writes it. */
export function pickFamilyName(random: Random, country: string): string {
  if (OV_CYRILLIC.has(country)) {
    const root = ROOTS.pick(random);
    return `${root}${/[аяиу]$/.test(root) ? 'ев' : 'ов'}`;
  }
  if (OV_LATIN.has(country)) {
    const root = ROOTS.pick(random);
    const latin = LATIN_ROOT.get(root) ?? root;
    return `${latin}${/[aiu]$/.test(latin) ? 'yev' : 'ov'}`;
  }
  const script = NATIONALITIES.find((n) => n.code === country)?.script;
  if (script === 'arabic') return ARABIC.pick(random);
  return (LATIN[country] ?? LATIN.TUR)?.pick(random) ?? 'Ali';
}

/** Latin spellings of the Cyrillic roots, as Azerbaijani and Uzbek registries write them. */
const LATIN_ROOT = new Map<string, string>(SURNAME_ROOTS.map((r) => [r, cyrillicToLatin(r)]));

function cyrillicToLatin(text: string): string {
  const map: Record<string, string> = {
    а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'j', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
    с: 's', т: 't', у: 'u', ф: 'f', х: 'x', ц: 's', ч: 'ch', ш: 'sh', ы: 'i', э: 'e', ю: 'yu', я: 'ya', ь: '', ъ: '',
  };
  const out = [...text.toLowerCase()].map((c) => map[c] ?? c).join('');
  return out.charAt(0).toUpperCase() + out.slice(1);
}

/** The feminine form of a family name where the language has one (Иванов → Иванова, Aliyev → Aliyeva). */
export function feminineFamily(surname: string, female: boolean): string {
  if (!female) return surname;
  if (/(ов|ев|ин)$/.test(surname)) return `${surname}а`;
  if (/(ov|ev)$/.test(surname)) return `${surname}a`;
  return surname;
}

/** A given name as the nationality writes it. */
export function givenAsWritten(name: GivenName, country: string, script: 'cyrillic' | 'latin' | 'arabic'): string {
  if (script === 'arabic') return name.ar;
  return givenIn(name, country);
}
