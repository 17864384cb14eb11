/**
 * Shapes of the registry's JSON (persons and facilities). The server drops every field of a
 * data category the caller's role may not see, so all but identity are optional here.
 */

export const PERSON_KINDS = ['adult', 'juvenile', 'child'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];
export const SEXES = ['female', 'male', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
export const PRECISIONS = ['exact', 'month', 'year', 'estimated'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const FACILITY_KINDS = ['prison', 'juvenile_facility', 'camp', 'other'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export type VitalStatus = 'alive' | 'deceased' | 'executed';
export type Script = 'arabic' | 'cyrillic' | 'latin' | 'other';
export const RELEASE_REASONS = ['released', 'repatriated', 'deceased', 'deported', 'transferred', 'other'] as const;
export type NameKind = 'primary' | 'alias' | 'kunya' | 'birth';
export type Relation = 'mother' | 'father' | 'child' | 'sibling' | 'guardian' | 'ward' | 'caregiver' | 'cared_for';
export type Verification = 'unverified' | 'document' | 'dna' | 'testimony' | 'embassy';
export type Stage = 'investigation' | 'trial' | 'appeal' | 'cassation' | 'final';
export type Verdict = 'pending' | 'convicted' | 'acquitted' | 'dismissed';
export type Charge = 'anti_terrorism_article_4' | 'illegal_entry' | 'membership' | 'other';

export interface BirthDate {
  readonly precision: Precision;
  readonly earliest: string;
  readonly latest: string;
  /** What the source said, as recorded. */
  readonly text: string;
  readonly display: string;
}

export interface AgeRange {
  readonly min: number;
  readonly max: number;
}

interface PersonCore {
  readonly id: string;
  readonly version: number;
  readonly displayName: string;
  readonly latinName: string;
  readonly kind: PersonKind;
  readonly sex: Sex;
  readonly birthDate: BirthDate;
  readonly age: AgeRange;
  readonly vitalStatus: VitalStatus;
  readonly vitalDate: string | null;
  readonly externalRef?: string | null;
}

export interface PersonListItem extends PersonCore {
  readonly nationalities?: readonly { readonly countryCode: string }[];
  readonly currentFacility?: { readonly id: string; readonly name: string } | null;
}

export interface PersonName {
  readonly id: string;
  readonly kind: NameKind;
  readonly script: Script;
  readonly givenName: string | null;
  readonly fatherName: string | null;
  readonly grandfatherName: string | null;
  readonly familyName: string | null;
  readonly fullName: string;
  readonly latin: string;
}

export interface FamilyLink {
  readonly linkId: string;
  readonly relation: Relation;
  readonly verification: Verification;
  readonly confidence: number;
  readonly relative: {
    readonly id: string;
    readonly displayName: string;
    readonly vitalStatus: VitalStatus;
    readonly kind: PersonKind;
    /** Where the relative is held now (null: not in custody); absent for roles that do not see custody. */
    readonly currentFacility?: { readonly id: string; readonly name: string } | null;
  };
}

export interface CustodyEpisode {
  readonly id: string;
  readonly facility: { readonly id: string; readonly name: string };
  readonly admittedOn: string;
  readonly releasedOn: string | null;
  readonly releaseReason: string | null;
}

export type Sentence =
  | { readonly kind: 'term'; readonly years: number; readonly months: number; readonly days: number; readonly commutedTo?: Sentence }
  | { readonly kind: 'life' | 'death'; readonly commutedTo?: Sentence };

export interface Proceeding {
  readonly id: string;
  readonly charge: Charge;
  readonly chargeText: string | null;
  readonly actDate: string | null;
  readonly court: string | null;
  readonly stage: Stage;
  readonly verdict: Verdict;
  readonly verdictDate: string | null;
  readonly sentence: Sentence | null;
  /** The server's English description, used when the structured sentence cannot be read. */
  readonly sentenceText: string | null;
  readonly sentenceStart: string | null;
  readonly releaseDate: string | null;
}

export interface IdentityDocument {
  readonly id: string;
  readonly kind: string;
  readonly countryCode: string | null;
  readonly number: string | null;
  readonly holderNameIcao: string | null;
  readonly issuedOn: string | null;
  readonly expiresOn: string | null;
}

export interface Vulnerability {
  readonly unaccompanied: boolean;
  readonly separated: boolean;
  readonly orphan: boolean;
  readonly medicalNeeds: boolean;
  readonly notes: string | null;
}

/** The person policy's actions the caller's role may take (the server still decides each request). */
export type PersonAction = 'updateIdentity' | 'updateWelfare' | 'updateSecurity' | 'withhold' | 'manageFamily' | 'manageCustody' | 'manageProceedings' | 'recordEvidence' | 'merge';

export const EVIDENCE_KINDS = ['document', 'interview', 'dna'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const DNA_RESULTS = ['match', 'no_match', 'inconclusive'] as const;
export type DnaResult = (typeof DNA_RESULTS)[number];
export type ConfidenceReason = 'dna_match' | 'dna_excluded' | 'document' | 'interview' | 'nationality_verified' | 'contrary_evidence' | 'no_evidence';

/** One piece of identity evidence as the caller may see it (DNA details only for roles that see genetic data). */
export interface IdentityEvidence {
  readonly id: string;
  readonly kind: EvidenceKind;
  readonly observedOn: string;
  readonly recordedBy: string | null;
  readonly supports?: boolean;
  readonly kinshipConfirmed?: boolean;
  readonly summary?: string | null;
  readonly source?: string | null;
  readonly dna?: { readonly laboratory: string | null; readonly relativeId: string | null; readonly relationship: string | null; readonly result: DnaResult };
}

export interface PersonPhoto {
  readonly id: string;
  readonly takenOn: string | null;
  readonly url: string;
}

export interface Person extends PersonCore {
  readonly allowedActions?: readonly PersonAction[];
  readonly photos?: readonly PersonPhoto[];
  readonly names?: readonly PersonName[];
  readonly nationalities?: readonly { readonly countryCode: string; readonly status: 'claimed' | 'verified' | 'rejected'; readonly decidedAt: string | null }[];
  readonly documents?: readonly IdentityDocument[];
  readonly identityConfidence?: { readonly level: 'unverified' | 'preliminary' | 'confirmed'; readonly reasons: readonly ConfidenceReason[] };
  readonly evidence?: readonly IdentityEvidence[];
  /** This registration was confirmed to repeat that person's record. */
  readonly duplicateOf?: string | null;
  /** This record was merged into another (kept as history), and when. */
  readonly mergedInto?: string | null;
  readonly mergedAt?: string | null;
  /** Records merged into this one. */
  readonly mergedFrom?: readonly { readonly id: string; readonly displayName: string; readonly mergedAt: string | null }[];
  readonly family?: readonly FamilyLink[];
  readonly currentFacility?: { readonly id: string; readonly name: string; readonly kind: FacilityKind; readonly since: string } | null;
  readonly custody?: readonly CustodyEpisode[];
  readonly proceedings?: readonly Proceeding[];
  readonly vulnerability?: Vulnerability;
  readonly withheldFromEmbassy?: boolean;
  readonly crimesAgainstHumanity?: boolean;
  readonly securityNotes?: string | null;
}

/** The registry list's filters; empty strings mean "any". */
export interface PersonSearch {
  readonly q: string;
  readonly nationality: string;
  readonly facilityId: string;
  readonly kind: string;
  readonly sex: string;
  readonly ageMin: string;
  readonly ageMax: string;
  /** Only for roles that see legal data (the server refuses it to others). */
  readonly legalStatus: string;
}

export const LEGAL_STATUSES = ['none', 'pending', 'convicted', 'acquitted'] as const;

export type BirthDateInput =
  | { readonly precision: 'exact'; readonly date: string }
  | { readonly precision: 'month'; readonly month: string }
  | { readonly precision: 'year'; readonly year: number }
  | { readonly precision: 'estimated'; readonly aboutYear: number };

export interface NameInput {
  readonly kind: NameKind;
  readonly givenName?: string;
  readonly fatherName?: string;
  readonly familyName?: string;
}

export interface NewPerson {
  readonly sex: Sex;
  readonly birthDate: BirthDateInput;
  readonly names: readonly NameInput[];
  readonly nationalities: readonly { readonly countryCode: string; readonly status: 'claimed' }[];
  readonly custody?: { readonly facilityId: string; readonly admittedOn: string };
}

export interface Facility {
  readonly id: string;
  readonly name: string;
  readonly kind: FacilityKind;
  readonly holdingAuthority: string;
  readonly agency: { readonly id: string; readonly name: string } | null;
  readonly countryCode: string;
  readonly capacity: number;
  readonly occupancy: number;
  readonly overCapacity: boolean;
  readonly version: number;
}
