import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { personVisibleTo } from './person-scope.ts';

/**
 * Verification requests with their counts, as far as the caller may see: an
 * embassy only its own country's, counting only people it may still see.
 */
export function selectVerificationRequests(db: Executor, actor: Actor, asOf: string) {
  let query = db
    .selectFrom('verification_requests as vr')
    .leftJoin('users as u', 'u.id', 'vr.sent_by')
    // The counts in one pass over the request's people, only those the caller may see.
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('verification_items as vi')
          .innerJoin('persons as p', 'p.id', 'vi.person_id')
          .select([
            sql<number>`count(*)::int`.as('total'),
            sql<number>`(count(*) filter (where vi.answer in ('confirmed', 'not_national')))::int`.as('settled'),
            sql<number>`(count(*) filter (where vi.answer = 'more_information'))::int`.as('more_information'),
          ])
          .whereRef('vi.request_id', '=', 'vr.id')
          .where(personVisibleTo(actor, asOf))
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['c.total', 'c.settled', 'c.more_information'])
    .select([
      'vr.id',
      'vr.country_code',
      'vr.note',
      'vr.due_on',
      'vr.sent_at',
      'vr.answered_at',
      'vr.version',
      'u.display_name as sent_by_name',
    ]);
  if (actor.role === 'embassy') query = query.where('vr.country_code', '=', actor.countryCode ?? '');
  else if (actor.role !== 'coordinator') query = query.where(sql<boolean>`false`);
  return query;
}
export type VerificationRequestRow = Awaited<ReturnType<ReturnType<typeof selectVerificationRequests>['executeTakeFirstOrThrow']>>;

/** The people on a request, each with the mission's answer, as far as the caller may see them. */
export function selectVerificationItems(db: Executor, actor: Actor, asOf: string, requestId: string) {
  return db
    .selectFrom('verification_items as vi')
    .innerJoin('persons as p', 'p.id', 'vi.person_id')
    .leftJoin('users as au', 'au.id', 'vi.answered_by')
    .selectAll('p')
    .select(['vi.answer', 'vi.evidence', 'vi.answered_at', 'au.display_name as answered_by_name'])
    .where('vi.request_id', '=', requestId)
    .where(personVisibleTo(actor, asOf))
    .orderBy('p.display_name')
    .orderBy('p.id');
}
