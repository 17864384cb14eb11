import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { personVisibleTo } from './person-scope.ts';

/**
 * Which candidates a caller may review, on `mc` joined with its person `p`:
 * the coordinator every one; an embassy the tracing candidates of its own
 * country's requests, among the people it may see.
 */
function candidateVisibleTo(actor: Actor, asOf: string): Expression<SqlBool> {
  if (actor.role === 'coordinator') return sql<SqlBool>`true`;
  if (actor.role === 'embassy') {
    return sql<SqlBool>`(mc.kind = 'tracing' and ${personVisibleTo(actor, asOf)} and exists (
      select 1 from tracing_requests t where t.id = mc.tracing_request_id and t.country_code = ${actor.countryCode}))`;
  }
  return sql<SqlBool>`false`;
}

/** Candidates with both sides, as far as the caller may see them. */
export function selectCandidates(db: Executor, actor: Actor, asOf: string) {
  return db
    .selectFrom('match_candidates as mc')
    .innerJoin('persons as p', 'p.id', 'mc.person_id')
    .leftJoin('persons as o', 'o.id', 'mc.other_person_id')
    .leftJoin('tracing_requests as t', 't.id', 'mc.tracing_request_id')
    .leftJoin('users as du', 'du.id', 'mc.decided_by')
    .select([
      'mc.id',
      'mc.kind',
      'mc.probability',
      'mc.explanation',
      'mc.status',
      'mc.version',
      'mc.reason',
      'mc.decided_at',
      'mc.created_at',
      'du.display_name as decided_by_name',
      'p.id as person_id',
      'p.display_name as person_name',
      'p.sex as person_sex',
      'p.birth_precision as person_birth_precision',
      'p.birth_earliest as person_birth_earliest',
      'p.birth_latest as person_birth_latest',
      'p.birth_text as person_birth_text',
      'o.id as other_id',
      'o.display_name as other_name',
      'o.sex as other_sex',
      'o.birth_precision as other_birth_precision',
      'o.birth_earliest as other_birth_earliest',
      'o.birth_latest as other_birth_latest',
      'o.birth_text as other_birth_text',
      't.id as tracing_id',
      't.country_code as tracing_country',
      't.status as tracing_status',
      't.sought_names',
      't.sought_sex',
      't.sought_birth_text',
      't.mother_name as tracing_mother',
      't.father_name as tracing_father',
      't.last_known_place',
      't.enquirer_name',
      't.enquirer_relationship',
    ])
    .where(candidateVisibleTo(actor, asOf));
}
export type CandidateRow = Awaited<ReturnType<ReturnType<typeof selectCandidates>['executeTakeFirstOrThrow']>>;
