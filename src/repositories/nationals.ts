import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { personVisibleTo } from './person-scope.ts';

/**
 * A country's nationals held: people in custody now (an open custody episode) who claim or
 * hold its nationality (claimed or verified, not rejected), not merged into another record.
 * "Children" are those who could be under 18 on the day (couldBeUnder: the latest possible
 * birth date is less than 18 years before it), the protective reading of DESIGN.md.
 */
const heldNow = sql<SqlBool>`exists (select 1 from custody_episodes ce where ce.person_id = p.id and ce.released_on is null)`;
const couldBeChild = (asOf: IsoDate) => sql<boolean>`p.birth_latest > (${asOf}::date - interval '18 years')::date`;

export interface HeldCounts {
  readonly people: number;
  readonly children: number;
}

/**
 * Counts of each country's nationals held, as far as the caller may see them (an embassy
 * never counts people withheld from it). A person with two nationalities counts for both.
 */
export async function heldCountsByCountry(db: Executor, actor: Actor, asOf: IsoDate, countryCode?: string): Promise<Map<string, HeldCounts>> {
  let query = db
    .selectFrom('persons as p')
    .innerJoin('person_nationalities as pn', 'pn.person_id', 'p.id')
    .select([
      'pn.country_code',
      sql<number>`count(distinct p.id)::int`.as('people'),
      sql<number>`(count(distinct p.id) filter (where ${couldBeChild(asOf)}))::int`.as('children'),
    ])
    .where('pn.status', 'in', ['claimed', 'verified'])
    .where('p.merged_into', 'is', null)
    .where(heldNow)
    .where(personVisibleTo(actor, asOf))
    .groupBy('pn.country_code');
  if (countryCode) query = query.where('pn.country_code', '=', countryCode);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.country_code, { people: r.people, children: r.children }]));
}

/** Who may be put on a list sent to a country: its nationals held who are not withheld from its embassy. */
const sharableWith = (countryCode: string): Expression<SqlBool> => sql<SqlBool>`(not p.withheld_from_embassy and exists (
  select 1 from person_nationalities pn where pn.person_id = p.id and pn.country_code = ${countryCode} and pn.status in ('claimed', 'verified')))`;

export interface NationalHeld {
  readonly id: string;
  readonly displayName: string;
  readonly latinName: string;
  /** The person's other recorded names (aliases, other scripts), distinct from the primary one. */
  readonly otherNames: string[];
  readonly sex: string;
  readonly birthPrecision: string;
  readonly birthEarliest: IsoDate;
  readonly birthLatest: IsoDate;
  readonly birthText: string | null;
  readonly facility: string | null;
  readonly child: boolean;
}

/** The list a notification sends to a country: identity and where the person is held, nothing else. */
export async function nationalsToNotify(db: Executor, countryCode: string, asOf: IsoDate): Promise<NationalHeld[]> {
  const rows = await db
    .selectFrom('persons as p')
    .leftJoin('custody_episodes as ce', (join) => join.onRef('ce.person_id', '=', 'p.id').on('ce.released_on', 'is', null))
    .leftJoin('facilities as f', 'f.id', 'ce.facility_id')
    .select([
      'p.id',
      'p.display_name',
      'p.sex',
      'p.birth_precision',
      sql<string>`p.birth_earliest::text`.as('birth_earliest'),
      sql<string>`p.birth_latest::text`.as('birth_latest'),
      'p.birth_text',
      'f.name as facility_name',
      couldBeChild(asOf).as('child'),
      sql<string | null>`(select n.latin from person_names n where n.person_id = p.id order by n.kind <> 'primary', n.created_at limit 1)`.as('latin'),
      sql<string[]>`array(select distinct n.full_name from person_names n where n.person_id = p.id and n.full_name <> p.display_name order by n.full_name)`.as('other_names'),
    ])
    .where('p.merged_into', 'is', null)
    .where('ce.id', 'is not', null)
    .where(sharableWith(countryCode))
    .execute();
  const seen = new Set<string>();
  const people: NationalHeld[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue; // one open episode per person, but never list anyone twice
    seen.add(r.id);
    people.push({
      id: r.id,
      displayName: r.display_name,
      latinName: r.latin ?? r.display_name,
      otherNames: r.other_names ?? [],
      sex: r.sex,
      birthPrecision: r.birth_precision,
      birthEarliest: r.birth_earliest,
      birthLatest: r.birth_latest,
      birthText: r.birth_text,
      facility: r.facility_name,
      child: Boolean(r.child),
    });
  }
  const collator = new Intl.Collator('en');
  return people.sort((a, b) => collator.compare(a.latinName, b.latinName) || a.id.localeCompare(b.id));
}
