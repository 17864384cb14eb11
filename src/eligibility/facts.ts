/**
 * The facts the eligibility engine reads about one person, as plain data. The caller loads them
 * (from the registry, consent records, guardians, assurances, best interests, clearances) and
 * the engine decides; nothing here reads a database or the clock.
 */
import type { BirthRange, IsoDate } from '../domain/birth-date.ts';
import type { Evidence } from '../domain/identification.ts';
import type { Sentence, Stage, Verdict } from '../domain/sentence.ts';

/** The person's nationality of the home country the case returns them to. */
export const NATIONALITY_STATUSES = ['not_claimed', 'claimed', 'verified', 'rejected'] as const;
export type NationalityStatus = (typeof NATIONALITY_STATUSES)[number];

/** A piece of identity evidence (`src/domain/identification.ts`), with its record id. */
export interface IdentityEvidenceFact extends Evidence {
  readonly id: string;
}

export interface ProceedingFact {
  readonly id: string;
  readonly stage: Stage;
  readonly verdict: Verdict;
  /** As pronounced, with its commutations; null if not recorded (or not convicted). */
  readonly sentence: Sentence | null;
  readonly sentenceStart: IsoDate | null;
}

/** What the receiving guardian is to the child. All but `foster`, `institution` and `other` are relatives. */
export const GUARDIAN_RELATIONS = ['parent', 'grandparent', 'aunt_uncle', 'sibling', 'other_relative', 'foster', 'institution', 'other'] as const;
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number];
export const RELATIVE_GUARDIANS: readonly GuardianRelation[] = ['parent', 'grandparent', 'aunt_uncle', 'sibling', 'other_relative'];

/** The receiving guardian named by the home country, and whether the relationship was verified. */
export interface GuardianFact {
  readonly id: string;
  readonly relation: GuardianRelation;
  /** `rejected`: found not to be who they said, or unsuitable. */
  readonly verification: 'unverified' | 'verified' | 'rejected';
  /** How it was verified (document, dna, embassy…), shown as evidence. */
  readonly verifiedBy: string | null;
}

/** A legal assurance given by the home country for the child's rights. */
export interface AssuranceFact {
  readonly id: string;
  readonly type: string;
  readonly givenOn: IsoDate;
  readonly issuingAuthority: string;
  readonly withdrawn: boolean;
}

/** A parent's or legal guardian's decision for named children (see `effectiveConsent`). */
export const CONSENT_KINDS = ['consent', 'refusal', 'revocation'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export interface ConsentRecord {
  readonly id: string;
  readonly kind: ConsentKind;
  /** The day the decision was made. */
  readonly date: IsoDate;
  /** When it was recorded (ISO timestamp), to order two records of one day; optional. */
  readonly recordedAt?: string | null | undefined;
  /** The person who decided (a parent or legal guardian). */
  readonly givenBy: string;
  readonly childIds: readonly string[];
  /** The child-protection officer who witnessed it; a record without a witness is not valid. */
  readonly witnessId: string | null;
  readonly language?: string | null | undefined;
  readonly documentId?: string | null | undefined;
  /** Struck out as entered in error; never counts. */
  readonly voided: boolean;
}

/** Why no consent is needed: there is nobody who could give it, or a court dispensed with it. */
export const CONSENT_EXEMPTIONS = ['both_parents_deceased', 'no_parent_with_custody', 'court_order'] as const;
export type ConsentExemptionReason = (typeof CONSENT_EXEMPTIONS)[number];

export interface ConsentExemption {
  readonly id: string;
  readonly reason: ConsentExemptionReason;
  readonly recordedOn: IsoDate;
}

export interface ConsentFacts {
  readonly records: readonly ConsentRecord[];
  /** The people with custody of the child (parent or legal guardian): only their decisions count. */
  readonly custodians: readonly string[];
  readonly exemption: ConsentExemption | null;
}

/**
 * Where the child stands with respect to care. `mother`: is she going home with the child
 * (in the case and eligible), staying (alive, e.g. serving her sentence), deceased, or unknown.
 */
export interface CareFacts {
  readonly unaccompanied: boolean;
  readonly separated: boolean;
  readonly mother: 'returning_with_child' | 'staying' | 'deceased' | 'unknown';
}

/** The outcome of a best-interests determination (never its content: the panel's reasons stay with child protection). */
export interface BestInterestsFact {
  readonly id: string;
  /** `return`: going home is in the child's best interests. */
  readonly outcome: 'return' | 'not_return';
  readonly decidedOn: IsoDate;
  /** Under review or reopened: the outcome may change, and does not count meanwhile. */
  readonly status: 'final' | 'under_review' | 'reopened';
}

/** The four agencies whose clearance every case needs. */
export const CLEARING_AGENCIES = ['coordinator', 'judiciary', 'custody', 'security'] as const;
export type ClearingAgency = (typeof CLEARING_AGENCIES)[number];
export const CLEARANCE_DECISIONS = ['approve', 'approve_with_conditions', 'deny'] as const;
export type ClearanceDecision = (typeof CLEARANCE_DECISIONS)[number];

export interface ClearanceRecord {
  readonly id: string;
  readonly agency: ClearingAgency;
  readonly decision: ClearanceDecision;
  readonly decidedOn: IsoDate;
  /** Last day it is valid (inclusive); null: until replaced. A denial stands until replaced, whatever this says. */
  readonly validUntil: IsoDate | null;
  readonly conditions: readonly string[];
  /** To order two decisions of one day (ISO timestamp); optional. */
  readonly recordedAt?: string | null | undefined;
}

/** A document on record for the person, by kind (`birth_certificate`, `passport`, …). */
export interface DocumentFact {
  readonly id: string;
  readonly kind: string;
}

/** Everything the engine reads about one person on one case. Every field is required: a forgotten fact must not pass silently. */
export interface MemberFacts {
  readonly personId: string;
  /** null: no date of birth at all (treated as a child, the protective reading). */
  readonly birthRange: BirthRange | null;
  /** The country of return (ISO alpha-3). */
  readonly homeCountry: string;
  readonly nationality: NationalityStatus;
  readonly identityEvidence: readonly IdentityEvidenceFact[];
  readonly proceedings: readonly ProceedingFact[];
  readonly withheldFromHomeCountry: boolean;
  // children
  readonly guardian: GuardianFact | null;
  readonly assurances: readonly AssuranceFact[];
  readonly consent: ConsentFacts;
  readonly care: CareFacts;
  readonly bestInterests: BestInterestsFact | null;
  // adults
  /** The security screening's flag; null: not screened yet. */
  readonly crimesAgainstHumanity: boolean | null;
  /** A concern recorded that the person could face persecution or the death penalty at home. */
  readonly nonRefoulementConcern: boolean;
  /** The home country agreed to take over the sentence (transfer of a sentenced person). */
  readonly transferAgreed: boolean;
  // everyone
  readonly clearances: readonly ClearanceRecord[];
  readonly documents: readonly DocumentFact[];
}
