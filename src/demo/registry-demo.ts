import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { SystemActor } from '../audit/trail.ts';
import { type FamilyPair, insertFamilyPairs } from '../commands/familyLinker.ts';
import { registerPeople } from '../commands/personRegistrar.ts';
import type { Tx } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { addDays, addYears, type BirthDateInput, BirthDateInputSchema, type IsoDate, toRange } from '../domain/birth-date.ts';
import { type NewPerson, NewPersonSchema } from '../domain/person.ts';
import { checkConviction, releaseDate, type Sentence } from '../domain/sentence.ts';
import { DEMO_PLAN, childNames, pickGiven, pickSurname, plannedBirth, womanNames, yearsBefore } from './population.ts';
import { Random } from './random.ts';

const SYSTEM: SystemActor = { system: 'demo' };

/** Fictional facilities; the first two are over capacity, as the seeds say Iraq's prisons are. */
const FACILITIES = [
  { key: 'w1', name: "Women's Correctional Facility No. 1", kind: 'prison', capacity: 420 },
  { key: 'w2', name: "Women's Correctional Facility No. 2", kind: 'prison', capacity: 500 },
  { key: 'juv', name: 'Juvenile Correctional Facility', kind: 'juvenile_facility', capacity: 60 },
  { key: 'c4', name: 'Central Prison No. 4', kind: 'prison', capacity: 900 },
  { key: 'camp', name: 'Al-Amal Camp', kind: 'camp', capacity: 3000 },
] as const;

export interface RegistryDemoResult {
  readonly persons: number;
  readonly facilities: number;
}

interface Ctx {
  readonly tx: Tx;
  readonly random: Random;
  readonly asOf: IsoDate;
  readonly facility: Record<string, string>;
  persons: number;
  /** What is written at the end, in bulk and in this order: people, family links, proceedings. */
  readonly people: NewPerson[];
  readonly ids: string[];
  readonly links: FamilyPair[];
  readonly proceedings: Insertable<DB['proceedings']>[];
}

const rangeOf = (birth: BirthDateInput) => toRange(BirthDateInputSchema.parse(birth));
/** The later of two days, but never after `asOf`. */
const notBefore = (day: IsoDate, floor: IsoDate, asOf: IsoDate): IsoDate => {
  const later = day < floor ? floor : day;
  return later > asOf ? asOf : later;
};

/** A person to register (with registerPerson's rules, in bulk at the end); their id is known at once. */
function person(ctx: Ctx, raw: Record<string, unknown>): string {
  ctx.persons += 1;
  const id = randomUUID();
  ctx.people.push(NewPersonSchema.parse(raw));
  ctx.ids.push(id);
  return id;
}

function link(ctx: Ctx, personId: string, relativeId: string, relation: 'mother' | 'father' | 'guardian', verification: string): void {
  const inverse = relation === 'guardian' ? 'ward' : 'child';
  ctx.links.push({ personId, relativeId, relation, inverse, verification, confidence: verification === 'dna' ? 0.99 : 0.8 });
}

/** A woman's proceeding under Article 4 or for illegal entry, within the law, as the seeds describe. */
function womanProceeding(ctx: Ctx, personId: string, birthLatest: IsoDate): void {
  const { random, asOf } = ctx;
  const actDate = addDays(yearsBefore(asOf, random.int(8, 11)), random.int(0, 300));
  if (actDate <= addYears(birthLatest, 18)) return;
  const roll = random.next();
  const start = addDays(actDate, random.int(200, 500));
  let sentence: Sentence | null;
  let charge = { code: 'anti_terrorism_article_4' };
  if (roll < 0.3) sentence = { kind: 'life' };
  else if (roll < 0.42) sentence = random.chance(0.4) ? { kind: 'death', commutedTo: { kind: 'life' } } : { kind: 'death' };
  else if (roll < 0.62) sentence = { kind: 'term', years: random.int(10, 20), months: 0, days: 0 };
  else if (roll < 0.82) {
    charge = { code: 'illegal_entry' };
    sentence = { kind: 'term', years: random.int(1, 5), months: 0, days: 0 };
  } else sentence = null;
  const verdict = sentence ? 'convicted' : 'pending';
  if (sentence && start > asOf) return;
  if (checkConviction({ birthRange: { earliest: birthLatest, latest: birthLatest }, actDate, verdict, sentence }).length > 0) return;
  ctx.proceedings.push({
    person_id: personId,
    charge: charge.code,
    act_date: actDate,
    court: 'Central Criminal Court',
    stage: sentence ? (random.chance(0.8) ? 'final' : 'appeal') : 'trial',
    verdict,
    verdict_date: sentence ? start : null,
    sentence: sentence ? JSON.stringify(sentence) : null,
    sentence_start: sentence ? start : null,
    release_date: sentence ? releaseDate(sentence, start) : null,
  });
}

/**
 * The registry part of the demo: facilities, about 650 women and 1,000 children
 * of 14 nationalities, their deceased husbands, guardians at home for a Russian
 * group of 33, proceedings of every kind. Deterministic for a given as-of date.
 * External references (DEMO-RUS-C-001…) let later capabilities find the groups.
 */
export async function loadRegistryDemo(tx: Tx, asOf: IsoDate, custodyAgencyId: string | null): Promise<RegistryDemoResult> {
  const ctx: Ctx = { tx, random: new Random(`homeward-demo-${asOf}`), asOf, facility: {}, persons: 0, people: [], ids: [], links: [], proceedings: [] };
  for (const f of FACILITIES) {
    const row = await tx
      .insertInto('facilities')
      .values({
        name: f.name,
        kind: f.kind,
        holding_authority: f.key === 'camp' ? 'Autonomous Administration (north-east Syria)' : 'Ministry of Justice — Corrective Directorates',
        agency_id: f.key === 'camp' ? null : custodyAgencyId,
        country_code: f.key === 'camp' ? 'SYR' : 'IRQ',
        capacity: f.capacity,
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ctx.facility[f.key] = row.id;
  }
  for (const [country, plan] of Object.entries(DEMO_PLAN)) loadCountry(ctx, country, plan.children, plan.women);
  // The bulk path of imports: the same rules, rows and person.created events as registerPerson, a few statements per thousand people.
  const { refused } = await registerPeople(tx, ctx.people, SYSTEM, asOf, { ids: ctx.ids });
  if (refused[0]) throw refused[0].error;
  await insertFamilyPairs(tx, ctx.links);
  for (let i = 0; i < ctx.proceedings.length; i += 1000) await tx.insertInto('proceedings').values(ctx.proceedings.slice(i, i + 1000)).execute();
  return { persons: ctx.persons, facilities: FACILITIES.length };
}

function loadCountry(ctx: Ctx, country: string, childCount: number, womenCount: number): void {
  const { random, asOf } = ctx;
  const ref = (kind: string, n: number) => `DEMO-${country}-${kind}-${String(n).padStart(3, '0')}`;
  let childNo = 0;
  // Children alone (mother dead, or never identified): about 4%, at least one per country.
  const alone = Math.max(1, Math.round(childCount * 0.04));
  for (let w = 1; w <= womenCount && childNo < childCount - alone; w++) {
    const surname = pickSurname(random, country);
    const given = pickGiven(random, true);
    const facilityKey = country === 'UZB' && w <= 10 ? 'camp' : random.chance(0.55) ? 'w1' : 'w2';
    const birth = plannedBirth(random, yearsBefore(asOf, 48), yearsBefore(asOf, 24));
    const vital = random.next();
    const dead = vital < 0.05 ? 'executed' : vital < 0.09 ? 'deceased' : 'alive';
    const diedOn = dead === 'alive' ? undefined : addDays(asOf, -random.int(100, 1500));
    const motherId = person(ctx, {
      externalRef: ref('W', w),
      sex: 'female',
      birthDate: birth,
      names: womanNames(random, country, given, surname, pickGiven(random, false)),
      nationalities: [{ countryCode: country, status: random.chance(0.3) ? 'verified' : 'claimed' }],
      vitalStatus: dead,
      ...(diedOn ? { vitalDate: diedOn } : {}),
      ...(dead === 'alive' ? { custody: { facilityId: ctx.facility[facilityKey], admittedOn: addDays(yearsBefore(asOf, random.int(6, 8)), random.int(0, 300)) } } : {}),
      vulnerability: { medicalNeeds: random.chance(0.08) },
    });
    const motherBirth = rangeOf(birth);
    if (dead === 'alive') womanProceeding(ctx, motherId, motherBirth.latest);
    // Most fathers were killed: a deceased husband, known by testimony.
    const fatherGiven = pickGiven(random, false);
    const fatherId = random.chance(0.6)
      ? person(ctx, {
          externalRef: ref('F', w),
          sex: 'male',
          birthDate: plannedBirth(random, yearsBefore(asOf, 55), yearsBefore(asOf, 28)),
          names: [{ givenName: fatherGiven.ar, familyName: surname }],
          nationalities: [{ countryCode: country, status: 'claimed' }],
          vitalStatus: 'deceased',
          vitalDate: addDays(yearsBefore(asOf, random.int(7, 10)), random.int(0, 300)),
        })
      : null;
    const kids = Math.min(random.int(1, 3) + (random.chance(0.2) ? 1 : 0), childCount - alone - childNo);
    for (let k = 0; k < kids; k++) {
      childNo += 1;
      const female = random.chance(0.5);
      const earliest = addYears(motherBirth.latest, 17) > yearsBefore(asOf, 17) ? addYears(motherBirth.latest, 17) : yearsBefore(asOf, 17);
      const childBirth = plannedBirth(random, earliest, yearsBefore(asOf, 1));
      const orphan = dead !== 'alive' && fatherId !== null;
      const childId = person(ctx, {
        externalRef: ref('C', childNo),
        sex: female ? 'female' : 'male',
        birthDate: childBirth,
        names: childNames(random, country, pickGiven(random, female), fatherGiven, surname, female),
        nationalities: [{ countryCode: country, status: random.chance(0.25) ? 'verified' : 'claimed' }],
        custody: { facilityId: ctx.facility[dead === 'alive' ? facilityKey : 'w1'], admittedOn: notBefore(addDays(yearsBefore(asOf, random.int(1, 5)), random.int(0, 300)), rangeOf(childBirth).latest, asOf) },
        vulnerability: { orphan, unaccompanied: dead !== 'alive', separated: false, medicalNeeds: random.chance(0.06) },
      });
      link(ctx, childId, motherId, 'mother', random.chance(0.2) ? 'dna' : 'testimony');
      if (fatherId) link(ctx, childId, fatherId, 'father', 'testimony');
      // The Russian group of 33: a guardian at home (a grandmother), named by the embassy.
      if (country === 'RUS' && childNo <= 33) {
        const guardianId = person(ctx, {
          externalRef: ref('G', childNo),
          sex: 'female',
          birthDate: plannedBirth(random, yearsBefore(asOf, 75), yearsBefore(asOf, 50)),
          names: [{ givenName: pickGiven(random, true).cyr, familyName: `${surname}а`.replace(/аа$/, 'а') }],
          nationalities: [{ countryCode: 'RUS', status: 'verified' }],
        });
        link(ctx, childId, guardianId, 'guardian', 'embassy');
      }
    }
  }
  while (childNo < childCount) {
    childNo += 1;
    const female = random.chance(0.5);
    person(ctx, {
      externalRef: ref('C', childNo),
      sex: female ? 'female' : 'male',
      birthDate: plannedBirth(random, yearsBefore(asOf, 16), yearsBefore(asOf, 4)),
      names: childNames(random, country, pickGiven(random, female), pickGiven(random, false), pickSurname(random, country), female),
      nationalities: [{ countryCode: country, status: 'claimed' }],
      custody: { facilityId: ctx.facility.juv, admittedOn: addDays(yearsBefore(asOf, 2), random.int(0, 300)) },
      vulnerability: { unaccompanied: true, separated: true, orphan: random.chance(0.5) },
    });
  }
}
