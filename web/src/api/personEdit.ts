import { request } from './client';
import type { BirthDateInput, DnaResult, EvidenceKind, NameKind, Person, Relation, Sentence, Sex, Stage, Verdict, VitalStatus, Verification } from './registryTypes';

/** Changes to a person's own facts (PATCH); only the fields that changed are sent. */
export interface PersonChanges {
  sex?: Sex;
  birthDate?: BirthDateInput;
  vitalStatus?: VitalStatus;
  vitalDate?: string | null;
  vulnerability?: { unaccompanied?: boolean; separated?: boolean; orphan?: boolean; medicalNeeds?: boolean; notes?: string };
  withheldFromEmbassy?: boolean;
  crimesAgainstHumanity?: boolean;
  securityNotes?: string | null;
  reason?: string;
}

export interface NewName {
  readonly kind: NameKind;
  readonly givenName?: string;
  readonly fatherName?: string;
  readonly grandfatherName?: string;
  readonly familyName?: string;
  readonly fullName?: string;
}

export const DOCUMENT_KINDS = ['passport', 'national_id', 'birth_certificate', 'travel_document', 'other'] as const;
export interface NewDocument {
  readonly kind: (typeof DOCUMENT_KINDS)[number];
  readonly countryCode?: string;
  readonly number?: string;
  readonly issuedOn?: string;
  readonly expiresOn?: string;
}

export interface NewFamilyLink {
  readonly relativeId: string;
  readonly relation: Relation;
  readonly verification: Verification;
  readonly confidence: number;
}

/** What a custody officer may give as the reason a custody episode ended. */
export const END_OF_CUSTODY = ['released', 'repatriated', 'deceased', 'deported', 'other'] as const;

export interface NewProceeding {
  readonly charge: { readonly code: 'anti_terrorism_article_4' | 'illegal_entry' | 'membership' } | { readonly code: 'other'; readonly text: string };
  readonly court?: string;
  readonly stage: Stage;
  readonly verdict: Verdict;
  readonly actDate?: string;
  readonly verdictDate?: string;
  readonly sentence?: Sentence;
  readonly sentenceStart?: string;
}

export interface NewEvidence {
  readonly kind: EvidenceKind;
  readonly observedOn: string;
  readonly supports?: boolean;
  readonly summary?: string;
  readonly source?: string;
  readonly dna?: { readonly laboratory: string; readonly relationship: string; readonly result: DnaResult };
}

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Every write carries the version of the person it was based on. */
const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });
const base = (id: string) => `/persons/${encodeURIComponent(id)}`;

export const personEditApi = {
  /** Merges a confirmed duplicate into `survivorId` (If-Match: the survivor's version). */
  merge: (survivorId: string, version: number, mergedId: string, reason: string) =>
    request<Person>('POST', `${base(survivorId)}/merge`, { body: { mergedId, reason }, headers: ifMatch(version) }),
  update: (id: string, version: number, changes: PersonChanges) =>
    request<Person>('PATCH', base(id), { body: changes, headers: ifMatch(version) }),
  addName: (id: string, version: number, name: NewName) =>
    request<{ id: string }>('POST', `${base(id)}/names`, { body: name, headers: ifMatch(version) }),
  removeName: (id: string, version: number, nameId: string) =>
    request<void>('DELETE', `${base(id)}/names/${encodeURIComponent(nameId)}`, { headers: ifMatch(version) }),
  claimNationality: (id: string, version: number, countryCode: string) =>
    request<void>('PUT', `${base(id)}/nationalities/${encodeURIComponent(countryCode)}`, { headers: ifMatch(version) }),
  addDocument: (id: string, version: number, document: NewDocument) =>
    request<{ id: string }>('POST', `${base(id)}/documents`, { body: document, headers: ifMatch(version) }),
  addEvidence: (id: string, version: number, evidence: NewEvidence) =>
    request<{ id: string }>('POST', `${base(id)}/evidence`, { body: evidence, headers: ifMatch(version) }),
  addPhoto: (id: string, version: number, file: Blob) =>
    request<{ id: string }>('POST', `${base(id)}/photos`, { body: file, headers: ifMatch(version) }),
  linkFamily: (id: string, version: number, link: NewFamilyLink) =>
    request<{ linkId: string }>('POST', `${base(id)}/family-links`, { body: link, headers: ifMatch(version) }),
  admit: (id: string, version: number, facilityId: string, admittedOn: string) =>
    request<void>('POST', `${base(id)}/custody`, { body: { facilityId, admittedOn }, headers: ifMatch(version) }),
  release: (id: string, version: number, releasedOn: string, reason: (typeof END_OF_CUSTODY)[number]) =>
    request<void>('POST', `${base(id)}/custody/release`, { body: { releasedOn, reason }, headers: ifMatch(version) }),
  recordProceeding: (id: string, version: number, proceeding: NewProceeding) =>
    request<{ id: string }>('POST', `${base(id)}/proceedings`, { body: proceeding, headers: ifMatch(version) }),
};
