/**
 * The eligibility engine, pure: from one person's facts, the rules and a date to a verdict that
 * explains itself — every criterion with holds / fails / unknown, its evidence, who can resolve
 * it, and a message code. See docs/decisions/0015-case-machine-and-eligibility.md.
 *
 * - `holds`: the facts on record satisfy it.
 * - `fails`: a fact on record stands against it (a refusal, a denial, a death sentence, a
 *   rejected nationality, withholding): only a new decision changes it.
 * - `unknown`: the fact that would decide is not on record yet (no answer, no record, an expired
 *   clearance, an age that may be either side of a limit): someone has to act.
 * Eligible = every criterion holds; false if any fails; 'unknown' if none fails but some are unknown.
 */
import { AGE_OF_MAJORITY, type AgeRange, ageRange, couldBeUnder, type IsoDate } from '../domain/birth-date.ts';
import type { Category } from '../domain/categories.ts';
import { identityConfidence } from '../domain/identification.ts';
import type { Role } from '../domain/roles.ts';
import { describeSentence, effectiveSentence, isPending, releaseDate } from '../domain/sentence.ts';
import { CLEARING_AGENCIES, type ClearingAgency, type ConsentExemptionReason, type MemberFacts, RELATIVE_GUARDIANS } from './facts.ts';
import { type EligibilityMessageCode, type Message, type MessageParams, message } from './messages.ts';
import { effectiveClearance, effectiveConsent } from './records.ts';
import { AGREEMENT_CRITERION_KINDS, type AgreementCriterion, agreementCriterionId, type EligibilityRules, RULES_VERSION } from './rules.ts';

// ---- results -----------------------------------------------------------------------------

export type CriterionStatus = 'holds' | 'fails' | 'unknown';
export type Eligible = boolean | 'unknown';

export const CHILD_CRITERIA = [
  'nationality_confirmed',
  'identity_confirmed',
  'not_convicted_or_served',
  'no_pending_proceedings',
  'guardian_identified',
  'legal_assurances',
  'consent',
  'best_interests',
  'clearance_coordinator',
  'clearance_judiciary',
  'clearance_custody',
  'clearance_security',
  'not_withheld',
] as const;
export const ADULT_CRITERIA = [
  'sentence_served_or_transfer_agreed',
  'no_death_sentence',
  'no_crimes_against_humanity_flag',
  'no_non_refoulement_concern',
  'clearance_coordinator',
  'clearance_judiciary',
  'clearance_custody',
  'clearance_security',
  'not_withheld',
] as const;
/** A base criterion id, or an agreement's (`agreement_…`, see agreementCriterionId). */
export type CriterionId = (typeof CHILD_CRITERIA)[number] | (typeof ADULT_CRITERIA)[number] | `agreement_${string}`;

export const EVIDENCE_KINDS = [
  'birth_range',
  'nationality',
  'identity_evidence',
  'identity_confidence',
  'proceeding',
  'transfer',
  'guardian',
  'assurance',
  'consent_record',
  'consent_exemption',
  'care',
  'best_interests_determination',
  'clearance',
  'withholding',
  'security_screening',
  'non_refoulement',
  'document',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * A fact the criterion rests on: a record (`ref`, its id) or a fact of the person. `category`
 * is the data category it belongs to, so that a presenter drops what the caller may not see.
 * A best-interests determination appears by outcome only, never its content.
 */
export interface EvidenceItem {
  readonly kind: EvidenceKind;
  readonly ref: string | null;
  readonly date: IsoDate | null;
  /** A short value: a status, a decision, a verdict ('verified', 'deny', 'convicted'…). */
  readonly value: string | null;
  readonly category: Category;
}

export interface CriterionResult {
  readonly id: CriterionId;
  readonly personId: string;
  readonly status: CriterionStatus;
  /** `clearance` for the four clearances (needed from the `clearance` state on); `assessment` for the rest. */
  readonly gate: 'assessment' | 'clearance';
  readonly evidence: readonly EvidenceItem[];
  /** The role(s) whose act can resolve it (or, once it holds, whose act it rests on). */
  readonly resolvedBy: readonly Role[];
  readonly message: Message;
}

export interface EligibilityVerdict {
  readonly personId: string;
  /** Child if the person could be under 18 on the date (or has no date of birth). */
  readonly subject: 'child' | 'adult';
  /** The age range on the date; null without a date of birth. */
  readonly age: AgeRange | null;
  readonly onDate: IsoDate;
  readonly eligible: Eligible;
  readonly criteria: readonly CriterionResult[];
  readonly rulesVersion: string;
  readonly agreementId: string | null;
}

// ---- building blocks ---------------------------------------------------------------------

type Finding = { readonly status: CriterionStatus; readonly code: EligibilityMessageCode; readonly params?: MessageParams; readonly evidence?: readonly EvidenceItem[] };

const ev = (kind: EvidenceKind, category: Category, ref: string | null, value: string | null = null, date: IsoDate | null = null): EvidenceItem => ({ kind, ref, date, value, category });

function result(facts: MemberFacts, id: CriterionId, resolvedBy: readonly Role[], part: Finding, gate: CriterionResult['gate'] = 'assessment'): CriterionResult {
  return { id, personId: facts.personId, status: part.status, gate, evidence: part.evidence ?? [], resolvedBy, message: message(part.code, part.params ?? {}) };
}

/** The worst status: fails over unknown over holds. */
export function combine(statuses: readonly CriterionStatus[]): Eligible {
  if (statuses.includes('fails')) return false;
  return statuses.includes('unknown') ? 'unknown' : true;
}

const AGENCY_NAMES: Readonly<Record<ClearingAgency, string>> = {
  coordinator: 'the foreign ministry',
  judiciary: 'the High Judicial Council',
  custody: 'the Ministry of Justice',
  security: 'the security agencies',
};

const EXEMPTION_TEXT: Readonly<Record<ConsentExemptionReason, string>> = {
  both_parents_deceased: 'both parents are deceased',
  no_parent_with_custody: 'no parent has custody',
  court_order: 'a court dispensed with consent',
};

// ---- criteria ----------------------------------------------------------------------------

function nationality(f: MemberFacts): Finding {
  const params = { country: f.homeCountry };
  const evidence = [ev('nationality', 'identity', null, f.nationality)];
  switch (f.nationality) {
    case 'verified':
      return { status: 'holds', code: 'eligibility_nationality_verified', params, evidence };
    case 'claimed':
      return { status: 'unknown', code: 'eligibility_nationality_unverified', params, evidence };
    case 'not_claimed':
      return { status: 'unknown', code: 'eligibility_nationality_not_claimed', params, evidence };
    case 'rejected':
      return { status: 'fails', code: 'eligibility_nationality_rejected', params, evidence };
  }
}

function identity(f: MemberFacts): Finding {
  const verdict = identityConfidence(f.identityEvidence, f.nationality === 'verified');
  const evidence = [
    ...f.identityEvidence.map((e) => ev('identity_evidence', e.kind === 'dna' ? 'genetic' : 'identity', e.id, e.kind === 'dna' ? e.dnaResult : e.supports ? 'supports' : 'contrary')),
    ev('identity_confidence', 'identity', null, `${verdict.level}: ${verdict.reasons.join(', ')}`),
  ];
  const code = verdict.level === 'confirmed' ? 'eligibility_identity_confirmed' : verdict.level === 'preliminary' ? 'eligibility_identity_preliminary' : 'eligibility_identity_unverified';
  return { status: verdict.level === 'confirmed' ? 'holds' : 'unknown', code, params: { level: verdict.level }, evidence };
}

/** The convictions on record and whether their sentences are served on the date. */
function sentences(f: MemberFacts, onDate: IsoDate): Finding {
  const convicted = f.proceedings.filter((p) => p.verdict === 'convicted');
  const evidence: EvidenceItem[] = [];
  let worst: Finding | null = null;
  let lastRelease: IsoDate | null = null;
  const rank = { holds: 0, unknown: 1, fails: 2 } as const;
  const consider = (p: Finding) => {
    if (worst === null || rank[p.status] > rank[worst.status]) worst = p;
  };
  for (const p of convicted) {
    if (!p.sentence || !p.sentenceStart) {
      evidence.push(ev('proceeding', 'legal', p.id, 'convicted'));
      consider({ status: 'unknown', code: 'eligibility_sentence_unrecorded' });
      continue;
    }
    const release = releaseDate(p.sentence, p.sentenceStart);
    evidence.push(ev('proceeding', 'legal', p.id, 'convicted', release));
    if (release === null) {
      consider({ status: 'fails', code: 'eligibility_sentence_without_release', params: { sentence: describeSentence(effectiveSentence(p.sentence)) } });
    } else if (onDate < release) {
      consider({ status: 'fails', code: 'eligibility_sentence_not_served', params: { date: release } });
    } else if (lastRelease === null || release > lastRelease) {
      lastRelease = release;
    }
  }
  if (worst !== null) return { ...(worst as Finding), evidence };
  if (convicted.length === 0) return { status: 'holds', code: 'eligibility_no_conviction', evidence: f.proceedings.map((p) => ev('proceeding', 'legal', p.id, p.verdict)) };
  return { status: 'holds', code: 'eligibility_sentence_served', params: { date: lastRelease ?? '' }, evidence };
}

function adultSentence(f: MemberFacts, onDate: IsoDate): Finding {
  if (f.transferAgreed) return { status: 'holds', code: 'eligibility_transfer_agreed', params: { country: f.homeCountry }, evidence: [ev('transfer', 'legal', null, 'agreed')] };
  const served = sentences(f, onDate);
  if (served.status === 'fails') return served;
  const pending = f.proceedings.filter(isPending);
  if (pending.length > 0) {
    return { status: 'unknown', code: 'eligibility_outcome_pending', params: { count: pending.length }, evidence: pending.map((p) => ev('proceeding', 'legal', p.id, p.verdict)) };
  }
  return served;
}

function pendingProceedings(f: MemberFacts): Finding {
  const pending = f.proceedings.filter(isPending);
  const evidence = pending.map((p) => ev('proceeding', 'legal', p.id, `${p.stage}/${p.verdict}`));
  return pending.length === 0 ? { status: 'holds', code: 'eligibility_no_pending_proceedings' } : { status: 'fails', code: 'eligibility_proceedings_pending', params: { count: pending.length }, evidence };
}

function guardian(f: MemberFacts): Finding {
  const g = f.guardian;
  if (!g) return { status: 'unknown', code: 'eligibility_guardian_missing' };
  const evidence = [ev('guardian', 'family', g.id, g.verification)];
  const params = { relation: g.relation, verifiedBy: g.verifiedBy ?? '' };
  if (g.verification === 'verified') return { status: 'holds', code: 'eligibility_guardian_verified', params, evidence };
  if (g.verification === 'rejected') return { status: 'fails', code: 'eligibility_guardian_rejected', params, evidence };
  return { status: 'unknown', code: 'eligibility_guardian_unverified', params, evidence };
}

function assurances(f: MemberFacts, onDate: IsoDate): Finding {
  const given = f.assurances.filter((a) => !a.withdrawn && a.givenOn <= onDate);
  const params = { country: f.homeCountry, count: given.length };
  const evidence = given.map((a) => ev('assurance', 'case_status', a.id, a.type, a.givenOn));
  return given.length > 0 ? { status: 'holds', code: 'eligibility_assurances_given', params, evidence } : { status: 'unknown', code: 'eligibility_assurances_missing', params };
}

function consent(f: MemberFacts, onDate: IsoDate): Finding {
  const { exemption, custodians, records } = f.consent;
  if (exemption && exemption.recordedOn <= onDate) {
    return { status: 'holds', code: 'eligibility_consent_exempt', params: { reason: EXEMPTION_TEXT[exemption.reason], exemption: exemption.reason }, evidence: [ev('consent_exemption', 'family', exemption.id, exemption.reason, exemption.recordedOn)] };
  }
  const effective = effectiveConsent(records, { childId: f.personId, custodians, onDate });
  const evidence = [
    ...(effective.record ? [ev('consent_record', 'family', effective.record.id, effective.record.kind, effective.record.date)] : []),
    ...effective.ignored.map((i) => ev('consent_record', 'family', i.record.id, `ignored: ${i.reason}`, i.record.date)),
  ];
  const date = effective.record?.date ?? '';
  switch (effective.status) {
    case 'given':
      return { status: 'holds', code: 'eligibility_consent_given', params: { date }, evidence };
    case 'refused':
      return { status: 'fails', code: 'eligibility_consent_refused', params: { date }, evidence };
    case 'revoked':
      return { status: 'fails', code: 'eligibility_consent_revoked', params: { date }, evidence };
    case 'none':
      return custodians.length === 0 ? { status: 'unknown', code: 'eligibility_consent_no_custodian', evidence } : { status: 'unknown', code: 'eligibility_consent_missing', evidence };
  }
}

/**
 * Why a best-interests determination is required, or null: the child is unaccompanied or
 * separated, or going home would separate the child from the mother (she stays, e.g. serving her
 * sentence — or it is not known whether she goes, the protective reading).
 */
export function bestInterestsRequiredBecause(care: MemberFacts['care']): 'unaccompanied' | 'separated' | 'separated_from_mother' | 'mother_unknown' | null {
  if (care.unaccompanied) return 'unaccompanied';
  if (care.separated) return 'separated';
  if (care.mother === 'staying') return 'separated_from_mother';
  if (care.mother === 'unknown') return 'mother_unknown';
  return null;
}

function bestInterests(f: MemberFacts, onDate: IsoDate): Finding {
  const why = bestInterestsRequiredBecause(f.care);
  const careEvidence = ev('care', 'welfare', null, why ?? `mother ${f.care.mother}`);
  if (why === null) return { status: 'holds', code: 'eligibility_bid_not_required', evidence: [careEvidence] };
  const d = f.bestInterests && f.bestInterests.decidedOn <= onDate ? f.bestInterests : null;
  if (!d) return { status: 'unknown', code: 'eligibility_bid_missing', params: { why }, evidence: [careEvidence] };
  // The outcome only: the determination's content is best_interests data, the outcome is case status.
  const evidence = [careEvidence, ev('best_interests_determination', 'case_status', d.id, d.status === 'final' ? d.outcome : d.status, d.decidedOn)];
  if (d.status !== 'final') return { status: 'unknown', code: 'eligibility_bid_pending', params: { status: d.status.replace('_', ' ') }, evidence };
  return d.outcome === 'return'
    ? { status: 'holds', code: 'eligibility_bid_return', params: { date: d.decidedOn }, evidence }
    : { status: 'fails', code: 'eligibility_bid_not_return', params: { date: d.decidedOn }, evidence };
}

function clearance(f: MemberFacts, agency: ClearingAgency, onDate: IsoDate): Finding {
  const c = effectiveClearance(f.clearances, agency, onDate);
  const base = { agency, agencyName: AGENCY_NAMES[agency] };
  if (!c.record) return { status: 'unknown', code: 'eligibility_clearance_missing', params: base };
  const r = c.record;
  const evidence = [ev('clearance', 'case_status', r.id, c.status === 'expired' ? `${r.decision} (expired)` : r.decision, r.decidedOn)];
  switch (c.status) {
    case 'denied':
      return { status: 'fails', code: 'eligibility_clearance_denied', params: { ...base, date: r.decidedOn }, evidence };
    case 'expired':
      return { status: 'unknown', code: 'eligibility_clearance_expired', params: { ...base, date: r.validUntil ?? '' }, evidence };
    default: {
      const validUntil = r.validUntil ?? 'replaced';
      return r.decision === 'approve_with_conditions'
        ? { status: 'holds', code: 'eligibility_clearance_approved_with_conditions', params: { ...base, validUntil, count: r.conditions.length }, evidence }
        : { status: 'holds', code: 'eligibility_clearance_approved', params: { ...base, validUntil }, evidence };
    }
  }
}

function notWithheld(f: MemberFacts): Finding {
  const params = { country: f.homeCountry };
  return f.withheldFromHomeCountry
    ? { status: 'fails', code: 'eligibility_withheld', params, evidence: [ev('withholding', 'case_status', null, 'withheld')] }
    : { status: 'holds', code: 'eligibility_not_withheld', params };
}

function deathSentence(f: MemberFacts): Finding {
  const death = f.proceedings.filter((p) => p.verdict === 'convicted' && p.sentence && effectiveSentence(p.sentence).kind === 'death');
  return death.length > 0
    ? { status: 'fails', code: 'eligibility_death_sentence', evidence: death.map((p) => ev('proceeding', 'legal', p.id, 'death')) }
    : { status: 'holds', code: 'eligibility_no_death_sentence' };
}

function crimesAgainstHumanity(f: MemberFacts): Finding {
  const evidence = [ev('security_screening', 'security', null, f.crimesAgainstHumanity === null ? 'not screened' : f.crimesAgainstHumanity ? 'flagged' : 'clear')];
  if (f.crimesAgainstHumanity === null) return { status: 'unknown', code: 'eligibility_cah_not_screened', evidence };
  return f.crimesAgainstHumanity ? { status: 'fails', code: 'eligibility_cah_flag', evidence } : { status: 'holds', code: 'eligibility_no_cah_flag', evidence };
}

function nonRefoulement(f: MemberFacts): Finding {
  return f.nonRefoulementConcern
    ? { status: 'fails', code: 'eligibility_non_refoulement_concern', evidence: [ev('non_refoulement', 'legal', null, 'concern')] }
    : { status: 'holds', code: 'eligibility_no_non_refoulement_concern' };
}

function agreementCriterion(f: MemberFacts, c: AgreementCriterion, onDate: IsoDate): Finding {
  switch (c.kind) {
    case 'document_required': {
      const docs = f.documents.filter((d) => d.kind === c.document);
      return docs.length > 0
        ? { status: 'holds', code: 'eligibility_document_on_record', params: { document: c.document }, evidence: docs.map((d) => ev('document', 'identity', d.id, d.kind)) }
        : { status: 'unknown', code: 'eligibility_document_missing', params: { document: c.document } };
    }
    case 'max_age': {
      if (!f.birthRange) return { status: 'unknown', code: 'eligibility_age_uncertain', params: { age: 'unknown', maxAge: c.years } };
      const age = ageRange(f.birthRange, onDate);
      const params = { age: age.min === age.max ? String(age.min) : `${age.min}–${age.max}`, maxAge: c.years };
      const evidence = [ev('birth_range', 'identity', null, `${f.birthRange.earliest}..${f.birthRange.latest}`)];
      if (age.max <= c.years) return { status: 'holds', code: 'eligibility_within_max_age', params, evidence };
      if (age.min > c.years) return { status: 'fails', code: 'eligibility_over_max_age', params, evidence };
      return { status: 'unknown', code: 'eligibility_age_uncertain', params, evidence };
    }
    case 'guardian_relative': {
      const g = f.guardian;
      if (!g) return { status: 'unknown', code: 'eligibility_guardian_missing' };
      const evidence = [ev('guardian', 'family', g.id, g.relation)];
      return RELATIVE_GUARDIANS.includes(g.relation)
        ? { status: 'holds', code: 'eligibility_guardian_is_relative', params: { relation: g.relation }, evidence }
        : { status: 'fails', code: 'eligibility_guardian_not_relative', params: { relation: g.relation }, evidence };
    }
  }
}

const AGREEMENT_RESOLVERS: Readonly<Record<AgreementCriterion['kind'], readonly Role[]>> = {
  document_required: ['embassy'],
  max_age: ['child_protection'],
  guardian_relative: ['embassy'],
};

// ---- the verdict -------------------------------------------------------------------------

/** Child or adult on the date: a child if the person could be under 18 (DESIGN.md, "Rules that must bite"). */
export const subjectOn = (facts: Pick<MemberFacts, 'birthRange'>, onDate: IsoDate): 'child' | 'adult' =>
  facts.birthRange === null || couldBeUnder(facts.birthRange, AGE_OF_MAJORITY, onDate) ? 'child' : 'adult';

/**
 * The verdict for one person on a date (today, or a movement's departure date) under the base
 * rules and the home country's agreement. Criteria come in a fixed order (CHILD_CRITERIA or
 * ADULT_CRITERIA, then the agreement's in its order).
 */
export function evaluate(facts: MemberFacts, rules: EligibilityRules, onDate: IsoDate): EligibilityVerdict {
  if (rules.agreement && rules.agreement.countryCode !== facts.homeCountry) {
    throw new RangeError(`the agreement ${rules.agreement.id} is with ${rules.agreement.countryCode}, not ${facts.homeCountry}`);
  }
  const subject = subjectOn(facts, onDate);
  const r = (id: CriterionId, resolvedBy: readonly Role[], part: Finding, gate?: CriterionResult['gate']) => result(facts, id, resolvedBy, part, gate);
  const clearances = CLEARING_AGENCIES.map((agency) => r(`clearance_${agency}`, [agency], clearance(facts, agency, onDate), 'clearance'));
  const criteria: CriterionResult[] =
    subject === 'child'
      ? [
          r('nationality_confirmed', ['embassy'], nationality(facts)),
          r('identity_confirmed', ['embassy'], identity(facts)),
          r('not_convicted_or_served', ['judiciary'], sentences(facts, onDate)),
          r('no_pending_proceedings', ['judiciary'], pendingProceedings(facts)),
          r('guardian_identified', ['embassy'], guardian(facts)),
          r('legal_assurances', ['embassy'], assurances(facts, onDate)),
          r('consent', ['child_protection'], consent(facts, onDate)),
          r('best_interests', ['child_protection'], bestInterests(facts, onDate)),
          ...clearances,
          r('not_withheld', ['coordinator'], notWithheld(facts)),
        ]
      : [
          r('sentence_served_or_transfer_agreed', ['judiciary', 'coordinator'], adultSentence(facts, onDate)),
          r('no_death_sentence', ['judiciary'], deathSentence(facts)),
          r('no_crimes_against_humanity_flag', ['security'], crimesAgainstHumanity(facts)),
          r('no_non_refoulement_concern', ['coordinator'], nonRefoulement(facts)),
          ...clearances,
          r('not_withheld', ['coordinator'], notWithheld(facts)),
        ];
  for (const extra of rules.agreement?.criteria ?? []) {
    const appliesTo = extra.appliesTo ?? AGREEMENT_CRITERION_KINDS[extra.kind].appliesTo;
    if (appliesTo !== 'everyone' && appliesTo !== (subject === 'child' ? 'children' : 'adults')) continue;
    criteria.push(r(agreementCriterionId(extra) as CriterionId, AGREEMENT_RESOLVERS[extra.kind], agreementCriterion(facts, extra, onDate)));
  }
  return {
    personId: facts.personId,
    subject,
    age: facts.birthRange ? ageRange(facts.birthRange, onDate) : null,
    onDate,
    eligible: combine(criteria.map((c) => c.status)),
    criteria,
    rulesVersion: RULES_VERSION,
    agreementId: rules.agreement?.id ?? null,
  };
}

// ---- families and countries --------------------------------------------------------------

export interface FamilyVerdict {
  /** The group goes only if every member does: false if any member fails, 'unknown' if any is unknown. */
  readonly eligible: Eligible;
  readonly members: readonly EligibilityVerdict[];
  /** The members who hold the group back, with the criteria that do not hold for each. */
  readonly blocking: readonly { readonly personId: string; readonly eligible: false | 'unknown'; readonly criteria: readonly CriterionId[] }[];
  /** Every member's criteria in one list (each with its personId): what the case machine's guards read. */
  readonly criteria: readonly CriterionResult[];
}

/**
 * The verdicts of a family case's members (a mother with her children, or children alone). A
 * member who cannot go (the mother serving her sentence) blocks the group until she leaves the
 * case with a recorded reason; her children's facts should then say `care.mother: 'staying'`,
 * which makes a best-interests determination required for them.
 */
export function familyVerdict(members: readonly MemberFacts[], rules: EligibilityRules, onDate: IsoDate): FamilyVerdict {
  const verdicts = members.map((m) => evaluate(m, rules, onDate));
  const blocking = verdicts.flatMap((v) =>
    v.eligible === true ? [] : [{ personId: v.personId, eligible: v.eligible, criteria: v.criteria.filter((c) => c.status !== 'holds').map((c) => c.id) }],
  );
  return {
    eligible: verdicts.length === 0 ? 'unknown' : combine(verdicts.map((v) => (v.eligible === true ? 'holds' : v.eligible === false ? 'fails' : 'unknown'))),
    members: verdicts,
    blocking,
    criteria: verdicts.flatMap((v) => v.criteria),
  };
}

export interface Blocker {
  readonly criterion: CriterionId;
  /** People for whom it does not hold (fails + unknown). */
  readonly count: number;
  readonly fails: number;
  readonly unknown: number;
}

export interface CountryView {
  readonly total: number;
  readonly eligible: number;
  /** Not eligible yet: total − eligible. */
  readonly blocked: number;
  /** Of the blocked, those with a criterion that fails (the rest are only unknown). */
  readonly failing: number;
  /** What blocks the others: each criterion with the people it holds back, most first. A person counts under each criterion that does not hold. */
  readonly blockers: readonly Blocker[];
}

/** "N of our children are eligible, and what blocks the others": an aggregation of verdicts (e.g. one country's children). */
export function countryView(verdicts: readonly EligibilityVerdict[]): CountryView {
  const byCriterion = new Map<CriterionId, { fails: number; unknown: number }>();
  for (const v of verdicts) {
    for (const c of v.criteria) {
      if (c.status === 'holds') continue;
      const entry = byCriterion.get(c.id) ?? { fails: 0, unknown: 0 };
      if (c.status === 'fails') entry.fails += 1;
      else entry.unknown += 1;
      byCriterion.set(c.id, entry);
    }
  }
  const blockers = [...byCriterion]
    .map(([criterion, n]) => ({ criterion, count: n.fails + n.unknown, fails: n.fails, unknown: n.unknown }))
    .sort((a, b) => b.count - a.count || (a.criterion < b.criterion ? -1 : a.criterion > b.criterion ? 1 : 0));
  const eligible = verdicts.filter((v) => v.eligible === true).length;
  return { total: verdicts.length, eligible, blocked: verdicts.length - eligible, failing: verdicts.filter((v) => v.eligible === false).length, blockers };
}
