import { sql } from 'kysely';
import { anyOf, arrayLiteral } from '../db/bulk.ts';
import type { Executor } from '../db/database.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import type { CaseFacts, CaseState } from '../domain/case-machine.ts';
import { type EligibilityVerdict, type FamilyVerdict, familyVerdict } from '../eligibility/index.ts';
import { loadMemberFacts, rulesFor } from '../repositories/case-facts.ts';

interface CaseLike {
  readonly id: string;
  readonly country_code: string;
  readonly held_from: string | null;
}

export interface CaseEvaluation {
  /** The verdict of the members on the case now (those who left it are not counted). */
  readonly family: FamilyVerdict;
  readonly byPerson: ReadonlyMap<string, EligibilityVerdict>;
  /** Each current member's nationality of the case's country. */
  readonly nationalities: readonly string[];
  /** Where the case stands with its movement (the manifest guards of the machine). */
  readonly movement: { readonly onManifest: boolean; readonly manifestLocked: boolean; readonly handoverRecorded: boolean };
}

/** The case's place on a movement: on a manifest not yet gone, the manifest locked, everyone handed over. */
async function movementFacts(db: Executor, caseId: string, memberIds: readonly string[]) {
  const passengers = await db
    .selectFrom('movement_passengers as mp')
    .innerJoin('movements as m', 'm.id', 'mp.movement_id')
    .select(['m.id', 'm.status', 'mp.person_id'])
    .where('mp.case_id', '=', caseId)
    .where('mp.active', '=', true)
    .where('m.status', '<>', 'cancelled')
    .execute();
  const movementIds = [...new Set(passengers.map((p) => p.id))];
  const handedOver = movementIds.length === 0 ? [] : await db.selectFrom('handovers').select('person_id').where('movement_id', 'in', movementIds).execute();
  const received = new Set(handedOver.map((h) => h.person_id));
  return {
    onManifest: passengers.some((p) => p.status === 'planned' || p.status === 'manifest_locked'),
    manifestLocked: passengers.length > 0 && passengers.every((p) => p.status === 'manifest_locked' || p.status === 'departed' || p.status === 'completed'),
    handoverRecorded: memberIds.length > 0 && memberIds.every((id) => received.has(id)),
  };
}

/** The eligibility of a case's current members on a day, from the facts recorded now. */
export async function evaluateCase(db: Executor, c: CaseLike, onDate: IsoDate): Promise<CaseEvaluation> {
  const members = await db.selectFrom('case_members').select(['person_id', 'transfer_agreed']).where('case_id', '=', c.id).where('left_at', 'is', null).orderBy('person_id').execute();
  const facts = await loadMemberFacts(
    db,
    members.map((m) => ({ caseId: c.id, personId: m.person_id, countryCode: c.country_code, transferAgreed: m.transfer_agreed })),
  );
  const family = familyVerdict(facts, await rulesFor(db, c.country_code, onDate), onDate);
  const movement = await movementFacts(
    db,
    c.id,
    members.map((m) => m.person_id),
  );
  return { family, byPerson: new Map(family.members.map((v) => [v.personId, v])), nationalities: facts.map((f) => f.nationality), movement };
}

/** What the case machine's guards read, from an evaluation. */
export function caseFactsOf(c: CaseLike, evaluation: CaseEvaluation, reason: string | null): CaseFacts {
  const { nationalities } = evaluation;
  return {
    countryCode: c.country_code,
    nationalityClaimed: nationalities.length > 0 && nationalities.every((n) => n === 'claimed' || n === 'verified'),
    nationalityConfirmed: nationalities.length > 0 && nationalities.every((n) => n === 'verified'),
    eligibility: evaluation.family.criteria,
    onManifest: evaluation.movement.onManifest,
    manifestLocked: evaluation.movement.manifestLocked,
    handoverRecorded: evaluation.movement.handoverRecorded,
    reason,
    heldFrom: (c.held_from as CaseState | null) ?? null,
  };
}

/**
 * Re-computes and stores the verdict of every current member of these cases (lists, the
 * board and the country view read the stored verdict; a case page computes its own).
 * Called in the transaction of any change to a fact the engine reads. Batched: the facts of
 * all the members are loaded in one set of queries and the verdicts written in one statement.
 *
 * The cases are locked first (FOR NO KEY UPDATE, in id order, so two refreshes never deadlock
 * on each other): two transactions refreshing one case — two changes, or a change and the hourly
 * job, on one instance or two — take turns, and the second reads the facts the first committed.
 * Without it each computes from its own snapshot and the last to write may store a verdict that
 * misses the other's fact. `skipLocked` (the hourly job) leaves a case a transaction holds and
 * returns it, to be done after without holding other locks.
 */
export async function refreshCaseEligibility(
  tx: Executor,
  caseIds: readonly string[],
  onDate: IsoDate,
  options: { readonly skipLocked?: boolean } = {},
): Promise<string[]> {
  const ids = [...new Set(caseIds)].sort();
  const skipped: string[] = [];
  for (let i = 0; i < ids.length; i += 500) skipped.push(...(await refreshBatch(tx, ids.slice(i, i + 500), onDate, options.skipLocked ?? false)));
  return skipped;
}

async function refreshBatch(tx: Executor, ids: readonly string[], onDate: IsoDate, skipLocked: boolean): Promise<string[]> {
  const locking = tx.selectFrom('cases').select(['id', 'country_code']).where('id', '=', anyOf(ids, 'uuid')).orderBy('id').forNoKeyUpdate();
  const cases = await (skipLocked ? locking.skipLocked() : locking).execute();
  const countryOf = new Map(cases.map((c) => [c.id, c.country_code]));
  const skipped = skipLocked ? ids.filter((id) => !countryOf.has(id)) : [];
  const lockedIds = cases.map((c) => c.id);
  if (lockedIds.length === 0) return skipped;
  const members = await tx
    .selectFrom('case_members')
    .select(['case_id', 'person_id', 'transfer_agreed'])
    .where('case_id', '=', anyOf(lockedIds, 'uuid'))
    .where('left_at', 'is', null)
    .orderBy('case_id')
    .orderBy('person_id')
    .execute();
  const facts = await loadMemberFacts(
    tx,
    members.map((m) => ({ caseId: m.case_id, personId: m.person_id, countryCode: countryOf.get(m.case_id) ?? '', transferAgreed: m.transfer_agreed })),
  );
  const rules = new Map<string, Awaited<ReturnType<typeof rulesFor>>>();
  for (const country of new Set(countryOf.values())) rules.set(country, await rulesFor(tx, country, onDate));
  const rows: { case_id: string; person_id: string; eligible: string; eligibility: string }[] = [];
  for (const [caseId, country] of countryOf) {
    const own = facts.filter((_, k) => members[k]?.case_id === caseId);
    if (own.length === 0) continue;
    const family = familyVerdict(own, rules.get(country) ?? { agreement: null }, onDate);
    for (const v of family.members) rows.push({ case_id: caseId, person_id: v.personId, eligible: String(v.eligible), eligibility: JSON.stringify(v) });
  }
  if (rows.length === 0) return skipped;
  await sql`
    update case_members cm set eligible = u.eligible, eligibility = u.eligibility::jsonb, evaluated_at = ${new Date()}, evaluated_for = ${onDate}::date
    from unnest((${arrayLiteral(rows.map((r) => r.case_id))}::text)::uuid[], (${arrayLiteral(rows.map((r) => r.person_id))}::text)::uuid[],
      (${arrayLiteral(rows.map((r) => r.eligible))}::text)::text[], (${arrayLiteral(rows.map((r) => r.eligibility))}::text)::text[]) as u(case_id, person_id, eligible, eligibility)
    where cm.case_id = u.case_id and cm.person_id = u.person_id`.execute(tx);
  return skipped;
}

/** The same, for the cases these people are on now (after a change to a person's facts). */
export async function refreshEligibilityOf(tx: Executor, personIds: readonly string[], onDate: IsoDate): Promise<void> {
  if (personIds.length === 0) return;
  const rows = await tx.selectFrom('case_members').select('case_id').where('person_id', 'in', [...personIds]).where('current', '=', true).execute();
  await refreshCaseEligibility(
    tx,
    rows.map((r) => r.case_id),
    onDate,
  );
}
