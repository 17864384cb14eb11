import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import type { DnaResult, EvidenceKind } from '../domain/identification.ts';
import type { Sentence, Stage, Verdict } from '../domain/sentence.ts';
import type {
  CareFacts,
  ClearanceDecision,
  ClearingAgency,
  ConsentExemptionReason,
  ConsentKind,
  EligibilityRules,
  GuardianRelation,
  MemberFacts,
  NationalityStatus,
} from '../eligibility/index.ts';
import { anyOf } from '../db/bulk.ts';
import { agreementInForce } from './agreements.ts';

/** A membership to load facts for: the person, on which case, returning to which country. */
export interface MemberRef {
  readonly caseId: string;
  readonly personId: string;
  readonly countryCode: string;
  readonly transferAgreed: boolean;
}

const groupBy = <T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> => {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
};

/**
 * Everything the eligibility engine reads about each member, loaded in a fixed number of
 * queries whatever the number of members (the country view asks for a whole country's
 * children at once). Pure data out: the engine decides.
 */
export async function loadMemberFacts(db: Executor, members: readonly MemberRef[]): Promise<MemberFacts[]> {
  if (members.length === 0) return [];
  const personIds = [...new Set(members.map((m) => m.personId))];
  const caseIds = [...new Set(members.map((m) => m.caseId))];
  const ids = anyOf(personIds, 'uuid');
  const [persons, nationalities, evidence, proceedings, guardians, assurances, consentRows, exemptions, parents, determinations, clearances, documents, currentMembers] = await Promise.all([
    db.selectFrom('persons').select(['id', 'birth_earliest', 'birth_latest', 'withheld_from_embassy', 'crimes_against_humanity', 'non_refoulement_concern', 'unaccompanied', 'separated']).where('id', '=', ids).execute(),
    db.selectFrom('person_nationalities').select(['person_id', 'country_code', 'status']).where('person_id', '=', ids).execute(),
    db.selectFrom('identity_evidence').select(['id', 'person_id', 'kind', 'supports', 'dna_result']).where('person_id', '=', ids).execute(),
    db.selectFrom('proceedings').select(['id', 'person_id', 'stage', 'verdict', 'sentence', 'sentence_start']).where('person_id', '=', ids).execute(),
    db.selectFrom('guardians').select(['id', 'child_id', 'relation', 'verification', 'verified_by']).where('child_id', '=', ids).where('superseded_at', 'is', null).execute(),
    db.selectFrom('legal_assurances').select(['id', 'case_id', 'person_id', 'type', 'given_on', 'issuing_authority', 'withdrawn_at']).where('case_id', '=', anyOf(caseIds, 'uuid')).execute(),
    db
      .selectFrom('consent_records as cr')
      .innerJoin('consent_children as cc', 'cc.consent_id', 'cr.id')
      .select(['cr.id', 'cr.kind', 'cr.decided_on', 'cr.created_at', 'cr.given_by', 'cr.witness_user_id', 'cr.language', 'cr.file_sha256', 'cr.voided_at'])
      .select(sql<string[]>`(select array_agg(x.child_id::text) from consent_children x where x.consent_id = cr.id)`.as('child_ids'))
      .select('cc.child_id')
      .where('cc.child_id', '=', ids)
      .execute(),
    db.selectFrom('consent_exemptions').select(['id', 'child_id', 'reason', 'recorded_on']).where('child_id', '=', ids).where('withdrawn_at', 'is', null).execute(),
    // Parents and legal guardians of each person, with whether the mother has died.
    db
      .selectFrom('family_links as fl')
      .innerJoin('persons as r', 'r.id', 'fl.relative_id')
      .select(['fl.person_id', 'fl.relative_id', 'fl.relation', 'r.vital_status'])
      .where('fl.person_id', '=', ids)
      .where('fl.relation', 'in', ['mother', 'father', 'guardian'])
      .execute(),
    db.selectFrom('best_interests_determinations').select(['id', 'child_id', 'outcome', 'decided_on', 'status']).where('child_id', '=', ids).where('superseded_at', 'is', null).execute(),
    db
      .selectFrom('clearances')
      .select(['id', 'case_id', 'person_id', 'agency', 'decision', 'decided_on', 'valid_until', 'conditions', 'created_at'])
      .where('case_id', '=', anyOf(caseIds, 'uuid'))
      .where('person_id', '=', ids)
      .execute(),
    db.selectFrom('identity_documents').select(['id', 'person_id', 'kind']).where('person_id', '=', ids).execute(),
    // Who else is on each case now (is the mother going home with the child?).
    db.selectFrom('case_members').select(['case_id', 'person_id']).where('case_id', '=', anyOf(caseIds, 'uuid')).where('left_at', 'is', null).execute(),
  ]);
  const person = new Map(persons.map((p) => [p.id, p]));
  const nationalityOf = groupBy(nationalities, (n) => n.person_id);
  const evidenceOf = groupBy(evidence, (e) => e.person_id);
  const proceedingsOf = groupBy(proceedings, (p) => p.person_id);
  const guardianOf = new Map(guardians.map((g) => [g.child_id, g]));
  const consentOf = groupBy(consentRows, (c) => c.child_id);
  const exemptionOf = new Map(exemptions.map((e) => [e.child_id, e]));
  const parentsOf = groupBy(parents, (p) => p.person_id);
  const determinationOf = new Map(determinations.map((d) => [d.child_id, d]));
  const onCase = new Set(currentMembers.map((m) => `${m.case_id}:${m.person_id}`));

  return members.map((m): MemberFacts => {
    const p = person.get(m.personId);
    if (!p) throw new Error(`case member ${m.personId} is not in the registry`);
    const nationality = (nationalityOf.get(m.personId) ?? []).find((n) => n.country_code === m.countryCode);
    const links = parentsOf.get(m.personId) ?? [];
    const mother = links.find((l) => l.relation === 'mother');
    const care: CareFacts = {
      unaccompanied: p.unaccompanied,
      separated: p.separated,
      mother: !mother ? 'unknown' : mother.vital_status !== 'alive' ? 'deceased' : onCase.has(`${m.caseId}:${mother.relative_id}`) ? 'returning_with_child' : 'staying',
    };
    const guardian = guardianOf.get(m.personId);
    const determination = determinationOf.get(m.personId);
    const exemption = exemptionOf.get(m.personId);
    const ownClearances = clearances.filter((c) => c.case_id === m.caseId && c.person_id === m.personId);
    const screened = ownClearances.some((c) => c.agency === 'security');
    return {
      personId: m.personId,
      birthRange: { earliest: p.birth_earliest, latest: p.birth_latest },
      homeCountry: m.countryCode,
      nationality: (nationality?.status as NationalityStatus | undefined) ?? 'not_claimed',
      identityEvidence: (evidenceOf.get(m.personId) ?? []).map((e) => ({ id: e.id, kind: e.kind as EvidenceKind, supports: e.supports, dnaResult: (e.dna_result as DnaResult | null) ?? null })),
      proceedings: (proceedingsOf.get(m.personId) ?? []).map((pr) => ({
        id: pr.id,
        stage: pr.stage as Stage,
        verdict: pr.verdict as Verdict,
        sentence: (pr.sentence ?? null) as Sentence | null,
        sentenceStart: pr.sentence_start,
      })),
      withheldFromHomeCountry: p.withheld_from_embassy,
      guardian: guardian ? { id: guardian.id, relation: guardian.relation as GuardianRelation, verification: guardian.verification as 'unverified' | 'verified' | 'rejected', verifiedBy: guardian.verified_by } : null,
      assurances: assurances
        .filter((a) => a.case_id === m.caseId && (a.person_id === null || a.person_id === m.personId))
        .map((a) => ({ id: a.id, type: a.type, givenOn: a.given_on, issuingAuthority: a.issuing_authority, withdrawn: a.withdrawn_at !== null })),
      consent: {
        records: (consentOf.get(m.personId) ?? []).map((c) => ({
          id: c.id,
          kind: c.kind as ConsentKind,
          date: c.decided_on,
          recordedAt: c.created_at.toISOString(),
          givenBy: c.given_by,
          childIds: c.child_ids,
          witnessId: c.witness_user_id,
          language: c.language,
          documentId: c.file_sha256,
          voided: c.voided_at !== null,
        })),
        custodians: links.filter((l) => l.vital_status === 'alive').map((l) => l.relative_id),
        exemption: exemption ? { id: exemption.id, reason: exemption.reason as ConsentExemptionReason, recordedOn: exemption.recorded_on } : null,
      },
      care,
      bestInterests: determination ? { id: determination.id, outcome: determination.outcome as 'return' | 'not_return', decidedOn: determination.decided_on, status: determination.status as 'final' | 'under_review' | 'reopened' } : null,
      // The flag counts once security has screened the person on this case; until then it is unknown.
      crimesAgainstHumanity: p.crimes_against_humanity ? true : screened ? false : null,
      nonRefoulementConcern: p.non_refoulement_concern,
      transferAgreed: m.transferAgreed,
      clearances: ownClearances.map((c) => ({
        id: c.id,
        agency: c.agency as ClearingAgency,
        decision: c.decision as ClearanceDecision,
        decidedOn: c.decided_on,
        validUntil: c.valid_until,
        conditions: c.conditions,
        recordedAt: c.created_at.toISOString(),
      })),
      documents: documents.filter((d) => d.person_id === m.personId).map((d) => ({ id: d.id, kind: d.kind })),
    };
  });
}

/** The rules for a country on a day: the base rules and the criteria of its agreement in force, if any. */
export async function rulesFor(db: Executor, countryCode: string, onDate: IsoDate): Promise<EligibilityRules> {
  const agreement = await agreementInForce(db, countryCode, onDate);
  return { agreement: agreement ? { id: agreement.id, countryCode: agreement.countryCode, criteria: agreement.criteria } : null };
}
