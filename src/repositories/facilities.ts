import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

/** Facilities with their occupancy counted from open custody episodes (never typed in twice). */
export function selectFacilities(db: Executor) {
  return db
    .selectFrom('facilities as f')
    .leftJoin('agencies as a', 'a.id', 'f.agency_id')
    .select([
      'f.id',
      'f.name',
      'f.kind',
      'f.holding_authority',
      'f.agency_id',
      'a.name as agency_name',
      'f.country_code',
      'f.capacity',
      'f.version',
      sql<number>`(select count(*) from custody_episodes ce where ce.facility_id = f.id and ce.released_on is null)::int`.as('occupancy'),
    ]);
}

export type FacilityRow = Awaited<ReturnType<ReturnType<typeof selectFacilities>['executeTakeFirstOrThrow']>>;
