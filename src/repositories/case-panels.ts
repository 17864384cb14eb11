import { sql } from 'kysely';
import { anyOf } from '../db/bulk.ts';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import type { MemberFacts } from '../eligibility/index.ts';
import { loadMemberFacts } from './case-facts.ts';
import { type CaseRow, type MemberRow, visibleMembers } from './cases.ts';
import { personVisibleTo } from './person-scope.ts';
import { openRow } from './sealed-fields.ts';

/**
 * Everything the consent, guardian, assurance, best-interests and clearance panels of a case
 * page show, for the case's current members the caller may see (scoped in the query), with the
 * facts the eligibility engine reads so that the panels say what counts. A fixed number of
 * queries whatever the number of members. The presenter drops what the caller may not see.
 */
export async function loadPanels(db: Executor, actor: Actor, asOf: IsoDate, c: CaseRow) {
  const everyone = await visibleMembers(db, actor, asOf, [c.id]);
  const members: MemberRow[] = everyone.filter((m) => m.left_at === null);
  const ids = members.map((m) => m.person_id);
  const seenOnCase = new Set(everyone.map((m) => m.person_id));
  const assurances = await db
    .selectFrom('legal_assurances')
    .selectAll()
    .where('case_id', '=', c.id)
    .orderBy('given_on')
    .orderBy('created_at')
    .execute();
  const visibleAssurances = assurances.filter((a) => a.person_id === null || seenOnCase.has(a.person_id));
  if (ids.length === 0) return { members, facts: new Map<string, MemberFacts>(), consent: [], givers: new Map<string, string>(), seenChildren: new Set<string>(), exemptions: [], guardians: [], determinations: [], panel: [], assessments: [], clearances: [], persons: [], assurances: visibleAssurances };

  const idList = anyOf(ids, 'uuid');
  const [facts, consent, exemptions, guardians, determinations, assessments, clearances, persons] = await Promise.all([
    loadMemberFacts(
      db,
      members.map((m) => ({ caseId: c.id, personId: m.person_id, countryCode: c.country_code, transferAgreed: m.transfer_agreed })),
    ),
    db
      .selectFrom('consent_records as cr')
      .innerJoin('consent_children as cc', 'cc.consent_id', 'cr.id')
      .select(['cr.id', 'cr.kind', 'cr.decided_on', 'cr.language', 'cr.given_by', 'cr.witness_user_id', 'cr.witness_name', 'cr.file_sha256', 'cr.note', 'cr.voided_at', 'cr.voided_reason', 'cr.version', 'cr.created_at', 'cc.child_id'])
      .select(sql<string[]>`(select array_agg(x.child_id::text order by x.child_id) from consent_children x where x.consent_id = cr.id)`.as('child_ids'))
      .where('cc.child_id', '=', idList)
      .orderBy('cr.decided_on', 'desc')
      .orderBy('cr.created_at', 'desc')
      .execute(),
    db.selectFrom('consent_exemptions').select(['id', 'child_id', 'reason', 'recorded_on', 'note']).where('child_id', '=', idList).where('withdrawn_at', 'is', null).execute(),
    db.selectFrom('guardians').selectAll().where('child_id', '=', idList).where('superseded_at', 'is', null).execute(),
    db.selectFrom('best_interests_determinations').selectAll().where('child_id', '=', idList).where('superseded_at', 'is', null).execute(),
    db.selectFrom('best_interests_assessments').selectAll().where('child_id', '=', idList).orderBy('assessed_on').orderBy('created_at').execute(),
    db.selectFrom('clearances').selectAll().where('case_id', '=', c.id).where('person_id', '=', idList).orderBy('decided_on', 'desc').orderBy('created_at', 'desc').execute(),
    db.selectFrom('persons').select(['id', 'non_refoulement_concern', 'non_refoulement_note']).where('id', '=', idList).execute(),
  ]);
  const determinationIds = determinations.map((d) => d.id);
  const giverIds = [...new Set(consent.map((r) => r.given_by))];
  const namedChildren = [...new Set(consent.flatMap((r) => r.child_ids))];
  const [panel, givers, seenChildren] = await Promise.all([
    determinationIds.length > 0
      ? db.selectFrom('best_interests_panel_members').selectAll().where('determination_id', '=', anyOf(determinationIds, 'uuid')).orderBy('position').execute()
      : Promise.resolve([]),
    // The person who decided, named only if the caller may see them.
    giverIds.length > 0 ? db.selectFrom('persons as p').select(['p.id', 'p.display_name']).where('p.id', '=', anyOf(giverIds, 'uuid')).where(personVisibleTo(actor, asOf)).execute() : Promise.resolve([]),
    // Other children a record names, listed only if the caller may see them.
    namedChildren.length > 0 ? db.selectFrom('persons as p').select('p.id').where('p.id', '=', anyOf(namedChildren, 'uuid')).where(personVisibleTo(actor, asOf)).execute() : Promise.resolve([]),
  ]);
  return {
    members,
    facts: new Map(facts.map((f) => [f.personId, f])),
    consent,
    givers: new Map(givers.map((g) => [g.id, g.display_name])),
    seenChildren: new Set(seenChildren.map((s) => s.id)),
    exemptions,
    guardians,
    // Best-interests content is sealed at rest (decision 0024): opened here; the presenter keeps it for child protection only.
    determinations: determinations.map((d) => openRow('best_interests_determinations', d)),
    panel,
    assessments: assessments.map((a) => openRow('best_interests_assessments', a)),
    clearances,
    persons,
    assurances: visibleAssurances,
  };
}
export type Panels = Awaited<ReturnType<typeof loadPanels>>;
