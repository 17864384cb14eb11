import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { personVisibleTo, seesEveryone } from './person-scope.ts';

/**
 * Which cases a caller may see, as a SQL condition on `c` (the cases table): a case is
 * seen through its members. Someone who sees at least one member on it sees the case
 * (and, in the presenter, only the members they may see); an embassy only its own
 * country's cases. Deny by default: personVisibleTo sees no one for other roles.
 */
export function caseVisibleTo(actor: Actor, asOf: IsoDate): Expression<SqlBool> {
  // Who sees everyone sees every case: no join to the people (a case's members' rows are wide — they
  // hold the eligibility verdicts — and the join read them all for the dashboard), nor a probe of the
  // members (a case is opened with its members in one transaction and never loses the rows, merges
  // and anonymisation included; the probe was 120 of the 160 ms of the case figures at 1,000,000 people).
  if (seesEveryone(actor)) return sql<SqlBool>`true`;
  const anyMember = sql<SqlBool>`exists (select 1 from case_members cm join persons p on p.id = cm.person_id where cm.case_id = c.id and ${personVisibleTo(actor, asOf)})`;
  if (actor.role === 'embassy') return sql<SqlBool>`(c.country_code = ${actor.countryCode ?? ''} and ${anyMember})`;
  return anyMember;
}

export function findVisibleCase(db: Executor, actor: Actor, asOf: IsoDate, id: string) {
  return db.selectFrom('cases as c').selectAll('c').where('c.id', '=', id).where(caseVisibleTo(actor, asOf)).executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof findVisibleCase>>>;

/** A case's members the caller may see, with what a case page shows of each person. */
export function visibleMembers(db: Executor, actor: Actor, asOf: IsoDate, caseIds: readonly string[]) {
  return db
    .selectFrom('case_members as cm')
    .innerJoin('persons as p', 'p.id', 'cm.person_id')
    .select(['cm.case_id', 'cm.person_id', 'cm.role', 'cm.joined_at', 'cm.left_at', 'cm.left_reason', 'cm.current', 'cm.transfer_agreed', 'cm.eligible', 'cm.evaluated_at'])
    .select(['p.display_name', 'p.sex', 'p.birth_precision', 'p.birth_earliest', 'p.birth_latest', 'p.birth_text'])
    .where('cm.case_id', 'in', caseIds.length > 0 ? [...caseIds] : ['00000000-0000-0000-0000-000000000000'])
    .where(personVisibleTo(actor, asOf))
    .orderBy(sql`case cm.role when 'principal' then 0 when 'mother' then 1 when 'father' then 2 when 'child' then 3 else 4 end`)
    .orderBy('p.birth_earliest')
    .orderBy('p.id')
    .execute();
}
export type MemberRow = Awaited<ReturnType<typeof visibleMembers>>[number];
