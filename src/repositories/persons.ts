import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { personVisibleTo } from './person-scope.ts';
import { openRow } from './sealed-fields.ts';

/** A person's row, if the caller may see it: absent and invisible look the same (404). */
export function findVisiblePerson(db: Executor, actor: Actor, asOf: IsoDate, id: string) {
  return db.selectFrom('persons as p').selectAll('p').where('p.id', '=', id).where(personVisibleTo(actor, asOf)).executeTakeFirst();
}
export type PersonRow = NonNullable<Awaited<ReturnType<typeof findVisiblePerson>>>;

/** Everything the person page shows; the presenter then drops what the caller may not see. */
export async function loadPersonDetails(db: Executor, actor: Actor, asOf: IsoDate, person: PersonRow) {
  const id = person.id;
  const [names, nationalities, documents, photos, family, custody, proceedings, evidence, mergedFrom] = await Promise.all([
    // The primary name first: names registered together share created_at, and the id is random.
    db.selectFrom('person_names').selectAll().where('person_id', '=', id).orderBy(sql`(kind = 'primary')`, 'desc').orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('person_nationalities').selectAll().where('person_id', '=', id).orderBy('country_code').execute(),
    db
      .selectFrom('identity_documents')
      .select(['id', 'kind', 'country_code', 'number', 'holder_name_icao', 'issued_on', 'expires_on', 'version'])
      .where('person_id', '=', id)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('photos').select(['id', 'taken_on', 'file_sha256']).where('person_id', '=', id).orderBy('created_at').execute(),
    // Relatives the caller may not see are left out: a link must not reveal that someone exists.
    db
      .selectFrom('family_links as fl')
      .innerJoin('persons as p', 'p.id', 'fl.relative_id')
      // The relative's open custody episode, if any: where they are held now.
      .leftJoin('custody_episodes as rce', (join) => join.onRef('rce.person_id', '=', 'p.id').on('rce.released_on', 'is', null))
      .leftJoin('facilities as rf', 'rf.id', 'rce.facility_id')
      .select(['fl.pair_id', 'fl.relative_id', 'fl.relation', 'fl.verification', 'fl.confidence', 'fl.version', 'p.display_name', 'p.vital_status', 'p.birth_earliest', 'p.birth_latest'])
      .select(['rf.id as relative_facility_id', 'rf.name as relative_facility_name'])
      .where('fl.person_id', '=', id)
      .where(personVisibleTo(actor, asOf))
      .orderBy('fl.relation')
      .orderBy('p.display_name')
      .execute(),
    db
      .selectFrom('custody_episodes as ce')
      .innerJoin('facilities as f', 'f.id', 'ce.facility_id')
      .select(['ce.id', 'ce.facility_id', 'f.name as facility_name', 'f.kind as facility_kind', 'ce.admitted_on', 'ce.released_on', 'ce.release_reason', 'ce.version'])
      .where('ce.person_id', '=', id)
      .orderBy('ce.admitted_on', 'desc')
      .orderBy('ce.created_at', 'desc')
      .execute(),
    db.selectFrom('proceedings').selectAll().where('person_id', '=', id).orderBy('created_at').execute(),
    db
      .selectFrom('identity_evidence as ev')
      .leftJoin('users as u', 'u.id', 'ev.recorded_by')
      .selectAll('ev')
      .select(['u.display_name as recorded_by_name'])
      .where('ev.person_id', '=', id)
      .orderBy('ev.observed_on')
      .orderBy('ev.created_at')
      .execute(),
    // Records merged into this one (kept for their history), as far as the caller may see them.
    db
      .selectFrom('persons as p')
      .select(['p.id', 'p.display_name', 'p.merged_at'])
      .where('p.merged_into', '=', id)
      .where(personVisibleTo(actor, asOf))
      .orderBy('p.merged_at')
      .execute(),
  ]);
  // The security notes are sealed at rest (decision 0024): opened here, for the presenter to project.
  return { person: openRow('persons', person), names, nationalities, documents, photos, family, custody, proceedings, evidence, mergedFrom };
}
export type PersonDetails = Awaited<ReturnType<typeof loadPersonDetails>>;
