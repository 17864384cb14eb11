import { addDays, addYears, type IsoDate } from '../domain/birth-date.ts';
import type { BirthDateInput } from '../domain/birth-date.ts';
import { FEMALE, type GivenName, MALE, SURNAMES, feminineSurname, givenIn } from './name-pools.ts';
import type { Random } from './random.ts';

/** Children and women per nationality: about 1,000 and 650 of 14 nationalities, as in the seeds. */
export const DEMO_PLAN: Readonly<Record<string, { children: number; women: number }>> = {
  RUS: { children: 130, women: 85 },
  TJK: { children: 92, women: 55 },
  AZE: { children: 130, women: 85 },
  TUR: { children: 200, women: 140 },
  DEU: { children: 55, women: 30 },
  FRA: { children: 40, women: 25 },
  KGZ: { children: 70, women: 40 },
  KAZ: { children: 80, women: 55 },
  UZB: { children: 100, women: 65 },
  GEO: { children: 25, women: 20 },
  BLR: { children: 15, women: 10 },
  UKR: { children: 30, women: 20 },
  FIN: { children: 12, women: 8 },
  TTO: { children: 20, women: 12 },
};

export interface PlannedName {
  readonly givenName: string;
  readonly fatherName?: string;
  readonly familyName?: string;
  readonly kind: 'primary' | 'alias';
}

/** Birth date as a clerk would have recorded it: exact, year only, or estimated. */
export function plannedBirth(random: Random, earliest: IsoDate, latest: IsoDate): BirthDateInput {
  const span = Math.max(0, Math.round((Date.parse(latest) - Date.parse(earliest)) / 86_400_000));
  const day = addDays(earliest, random.int(0, span));
  const roll = random.next();
  if (roll < 0.3) return { precision: 'exact', date: day } as BirthDateInput;
  const year = Number(day.slice(0, 4));
  if (roll < 0.65) return { precision: 'year', year } as BirthDateInput;
  return { precision: 'estimated', aboutYear: year, marginYears: 1, text: `about ${year}` } as BirthDateInput;
}

/** A woman's names: in her country's script, often with the Arabic rendering the Iraqi file uses. */
export function womanNames(random: Random, country: string, given: GivenName, surname: string, fatherGiven: GivenName): PlannedName[] {
  const names: PlannedName[] = [{ kind: 'primary', givenName: givenIn(given, country), familyName: feminineSurname(surname, country) }];
  if (random.chance(0.5)) names.push({ kind: 'alias', givenName: given.ar, fatherName: fatherGiven.ar });
  return names;
}

/**
 * A child's names. Children born in detention are mostly recorded by the Iraqi
 * authorities in Arabic (given name, father's name); many also have their name in
 * the mother's script from the family or the embassy.
 */
export function childNames(random: Random, country: string, given: GivenName, fatherGiven: GivenName, surname: string, female: boolean): PlannedName[] {
  const national: PlannedName = { kind: 'primary', givenName: givenIn(given, country), familyName: female ? feminineSurname(surname, country) : surname };
  const arabic: PlannedName = { kind: 'primary', givenName: given.ar, fatherName: fatherGiven.ar };
  if (random.chance(0.55)) return [arabic, ...(random.chance(0.7) ? [{ ...national, kind: 'alias' as const }] : [])];
  return [national, ...(random.chance(0.5) ? [{ ...arabic, kind: 'alias' as const }] : [])];
}

export function pickGiven(random: Random, female: boolean): GivenName {
  return random.pick(female ? FEMALE : MALE);
}

export function pickSurname(random: Random, country: string): string {
  return random.pick(SURNAMES[country] ?? ['Unknown']);
}

export const yearsBefore = (asOf: IsoDate, years: number): IsoDate => addYears(asOf, -years);
