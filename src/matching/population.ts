/**
 * A synthetic multi-script population with known duplicates, for measuring the
 * engine at scale (`npm run bench -- matching`). People of the demo's
 * nationalities are written as three kinds of source would write them:
 * - home: the country's own registry, in its script (Cyrillic or Latin), full
 *   date of birth, the place as written at home, often a passport number;
 * - iraq: the Iraqi file, in Arabic: given and father's name, rarely a family
 *   name, the year of birth only (estimated, sometimes a year off);
 * - latin: an aid organisation's list in Latin letters, transliterated by one of
 *   several habits (BGN, ICAO, French, German).
 * A share of people get one to three further records from another source, with
 * typos, swapped name parts, shifted or partial birth dates and missing fields.
 * Deterministic for a seed. The performance issue extends this into `homeward generate`.
 */
import { FEMALE, type GivenName, givenIn, MALE } from '../demo/name-pools.ts';
import { DEMO_PLAN } from '../demo/population.ts';
import { Random } from '../demo/random.ts';
import { icaoTransliterate, romanize } from '../names/index.ts';
import type { MatchRecord } from './fields.ts';
import { CONFLICT_PLACES, LATIN_SURNAMES, MORE_FEMALE, MORE_MALE, PLACES, SURNAME_ROOTS } from './population-pools.ts';

export interface PopulationOptions {
  /** Records to make, duplicates included. */
  readonly records: number;
  readonly seed?: string;
  /** Share of people with further records (default 0.3). */
  readonly duplicateShare?: number;
}

export interface Population {
  readonly records: MatchRecord[];
  /** The person each record is of. */
  readonly clusters: Int32Array;
  readonly people: number;
}

/** The fields the population fills. */
export const POPULATION_FIELDS = ['given_name', 'family_name', 'father_name', 'mother_name', 'sex', 'birth_date', 'birth_place', 'nationality', 'document_number'] as const;

const CYRILLIC_HOME = new Set(['RUS', 'TJK', 'KGZ', 'KAZ', 'BLR', 'UKR']);
/** Countries whose surnames take -ov/-ev, written in Latin at home. */
const OV_LATIN = new Set(['AZE', 'UZB']);

interface Person {
  readonly country: string;
  readonly female: boolean;
  readonly given: GivenName;
  readonly father: GivenName;
  readonly mother: GivenName;
  /** Family name: Cyrillic for the -ov countries, else Latin. */
  readonly surname: string;
  readonly birth: string;
  readonly place: readonly [string, string];
  readonly passport: string | null;
}

/** Picks with weights falling as 1/(rank+1)^0.9: a few names are very common (Muhammad), most are not. */
class Zipf<T> {
  private readonly cumulative: number[] = [];
  constructor(readonly items: readonly T[]) {
    let total = 0;
    items.forEach((_, i) => this.cumulative.push((total += 1 / (i + 1) ** 0.9)));
  }
  pick(random: Random): T {
    const x = random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo]!;
  }
}

const MALES = new Zipf([...MALE, ...MORE_MALE]);
const FEMALES = new Zipf([...FEMALE, ...MORE_FEMALE]);
const ROOTS = new Zipf(SURNAME_ROOTS);
const LATIN = Object.fromEntries(Object.entries(LATIN_SURNAMES).map(([k, v]) => [k, new Zipf(v)]));
const COUNTRIES = Object.entries(DEMO_PLAN).map(([code, p]) => [code, p.children + p.women] as const);
const COUNTRY_TOTAL = COUNTRIES.reduce((s, [, w]) => s + w, 0);

function pickCountry(random: Random): string {
  let x = random.next() * COUNTRY_TOTAL;
  for (const [code, w] of COUNTRIES) if ((x -= w) < 0) return code;
  return COUNTRIES[0]![0];
}

const pad = (n: number) => String(n).padStart(2, '0');

function person(random: Random): Person {
  const country = pickCountry(random);
  const female = random.chance(0.5);
  const ovCountry = CYRILLIC_HOME.has(country) || OV_LATIN.has(country);
  const root = ROOTS.pick(random);
  const surname = ovCountry ? `${root}${/[аяиу]$/.test(root) ? 'ев' : 'ов'}` : (LATIN[country]?.pick(random) ?? 'Ali');
  const child = random.chance(0.6);
  const year = child ? random.int(2005, 2022) : random.int(1965, 2004);
  const birth = `${year}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
  const place = random.chance(child ? 0.5 : 0.1) ? random.pick(CONFLICT_PLACES) : random.pick(PLACES[country] ?? CONFLICT_PLACES);
  const passport = random.chance(0.4) ? String(random.int(100_000_000, 999_999_999)) : null;
  return { country, female, given: (female ? FEMALES : MALES).pick(random), father: MALES.pick(random), mother: FEMALES.pick(random), surname, birth, place, passport };
}

/** A Cyrillic name in Latin letters by one of the habits lists are written in. */
function transliterate(cyr: string, random: Random): string {
  const bgn = romanize(cyr);
  switch (random.int(0, 3)) {
    case 0:
      return bgn;
    case 1:
      return icaoTransliterate(cyr).toLowerCase().replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase());
    case 2:
      return bgn.replace(/u/g, 'ou').replace(/sh/g, 'ch').replace(/Sh/g, 'Ch').replace(/y/g, 'i').replace(/ov$/, 'ov');
    default:
      return bgn.replace(/sh/g, 'sch').replace(/Sh/g, 'Sch').replace(/zh/g, 'sch').replace(/v/g, 'w').replace(/y/g, 'j').replace(/ch/g, 'tsch');
  }
}

function feminine(surname: string, female: boolean): string {
  if (!female) return surname;
  if (/(ов|ев)$/.test(surname)) return `${surname}а`;
  if (/(ov|ev)$/.test(surname)) return `${surname}a`;
  return surname;
}

type Source = 'home' | 'iraq' | 'latin';

function render(p: Person, source: Source, random: Random): Record<string, string> {
  const ov = CYRILLIC_HOME.has(p.country) || OV_LATIN.has(p.country);
  const family = feminine(p.surname, p.female);
  const year = p.birth.slice(0, 4);
  const r: Record<string, string> = { sex: p.female ? 'F' : 'M', nationality: p.country };
  if (source === 'iraq') {
    r.given_name = p.given.ar;
    r.father_name = p.father.ar;
    if (random.chance(0.4)) r.mother_name = p.mother.ar;
    if (random.chance(0.2)) r.family_name = ov ? transliterate(family, random) : romanize(family);
    const shift = random.chance(0.25) ? random.pick([-1, 1]) : 0;
    r.birth_date = String(Number(year) + shift);
    r.birth_place = random.chance(0.7) ? p.place[1] : (CONFLICT_PLACES.find((c) => c[1] === p.place[1])?.[0] ?? p.place[1]);
    if (random.chance(0.4)) delete r.nationality;
    r.sex = p.female ? 'أنثى' : 'ذكر';
    return r;
  }
  if (source === 'home') {
    const cyr = CYRILLIC_HOME.has(p.country);
    r.given_name = cyr ? p.given.cyr : givenIn(p.given, p.country);
    r.family_name = cyr || !ov ? family : transliterate(family, random);
    r.father_name = cyr ? p.father.cyr : givenIn(p.father, p.country);
    if (random.chance(0.6)) r.mother_name = cyr ? p.mother.cyr : givenIn(p.mother, p.country);
    r.birth_date = random.chance(0.85) ? p.birth : p.birth.slice(0, 7);
    r.birth_place = cyr ? p.place[0] : p.place[1];
    if (p.passport) r.document_number = p.passport;
    if (cyr) r.sex = p.female ? 'ж' : 'м';
    return r;
  }
  r.given_name = random.chance(0.5) ? p.given.lat : givenIn(p.given, p.country).replace(/[^\p{Script=Latin}\s'-]/gu, '') || p.given.lat;
  r.family_name = ov ? transliterate(family, random) : family;
  if (random.chance(0.5)) r.father_name = p.father.lat;
  r.birth_date = random.chance(0.6) ? p.birth : year;
  r.birth_place = p.place[1];
  if (p.passport && random.chance(0.5)) r.document_number = p.passport;
  return r;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One edit: a letter replaced, dropped, doubled or swapped with the next. */
function typo(text: string, random: Random): string {
  const chars = [...text];
  if (chars.length < 3) return text;
  const i = random.int(1, chars.length - 2);
  switch (random.int(0, 3)) {
    case 0:
      chars[i] = /[\u0600-\u06ff]/.test(chars[i]!) ? chars[i]! : random.pick([...LETTERS]);
      break;
    case 1:
      chars.splice(i, 1);
      break;
    case 2:
      chars.splice(i, 0, chars[i]!);
      break;
    default:
      [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
  }
  return chars.join('');
}

/** What a second hand does to a record: typos, swaps, shifted dates, gaps. */
function corrupt(r: Record<string, string>, random: Random): void {
  for (const f of ['given_name', 'family_name', 'father_name'] as const) if (r[f] && random.chance(0.12)) r[f] = typo(r[f]!, random);
  if (r.given_name && r.family_name && random.chance(0.05)) [r.given_name, r.family_name] = [r.family_name, r.given_name];
  const date = r.birth_date ?? '';
  if (date.length === 10) {
    const roll = random.next();
    if (roll < 0.06 && Number(date.slice(8)) <= 12) r.birth_date = `${date.slice(0, 5)}${date.slice(8)}-${date.slice(5, 7)}`;
    else if (roll < 0.12) r.birth_date = `${date.slice(0, 9)}${random.int(0, 9)}`.replace(/-00$/, '-01');
    else if (roll < 0.2) r.birth_date = date.slice(0, 4);
  }
  for (const f of ['mother_name', 'father_name', 'birth_place', 'document_number', 'nationality'] as const) if (r[f] && random.chance(0.1)) delete r[f];
}

export function generatePopulation(options: PopulationOptions): Population {
  const random = new Random(options.seed ?? 'homeward-population');
  const share = options.duplicateShare ?? 0.3;
  const records: MatchRecord[] = [];
  const clusters: number[] = [];
  const sources: Source[] = ['home', 'iraq', 'latin'];
  let people = 0;
  while (records.length < options.records) {
    const p = person(random);
    const first = random.chance(0.45) ? 'home' : random.chance(0.6) ? 'iraq' : 'latin';
    records.push(render(p, first, random));
    clusters.push(people);
    if (random.chance(share)) {
      const extra = random.chance(0.7) ? 1 : random.int(2, 3);
      for (let k = 0; k < extra && records.length < options.records; k++) {
        const source = random.chance(0.25) ? first : random.pick(sources.filter((s) => s !== first));
        const r = render(p, source, random);
        corrupt(r, random);
        records.push(r);
        clusters.push(people);
      }
    }
    people++;
  }
  return { records, clusters: Int32Array.from(clusters), people };
}
