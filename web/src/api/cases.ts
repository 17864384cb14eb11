import { api, request } from './client';
import type { AgeRange, PersonKind, Sex } from './registryTypes';
import type { Page, Role } from './types';

/** Shapes of repatriation cases' JSON (see /api/v1/openapi.json: cases; src/presenters/case.ts). */

/** The machine's states, in its order (src/domain/case-machine.ts CASE_STATES). */
export const CASE_STATES = [
  'identification',
  'nationality_verification',
  'assessment',
  'clearance',
  'approved',
  'scheduled',
  'departed',
  'handed_over',
  'closed',
  'on_hold',
  'rejected',
  'withdrawn',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const TRANSITION_NAMES = [
  'open',
  'start_verification',
  'start_assessment',
  'request_clearance',
  'approve',
  'schedule',
  'unschedule',
  'depart',
  'hand_over',
  'close',
  'hold',
  'resume',
  'reject',
  'withdraw',
  'reopen',
] as const;
export type TransitionName = (typeof TRANSITION_NAMES)[number];

export const CASE_KINDS = ['individual', 'family'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const MEMBER_ROLES = ['principal', 'mother', 'father', 'child', 'guardian', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export type Eligible = 'true' | 'false' | 'unknown';
export type CriterionStatus = 'holds' | 'fails' | 'unknown';

export interface Message {
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** The server's English text, for a code the app does not know. */
  readonly text: string;
}

export interface CaseSummary {
  readonly id: string;
  readonly reference: string;
  readonly countryCode: string;
  readonly kind: CaseKind;
  readonly state: CaseState;
  readonly heldFrom: CaseState | null;
  readonly title: string | null;
  readonly stateChangedAt: string;
  readonly createdAt: string;
  readonly version: number;
  readonly eligible: Eligible;
  readonly members: readonly {
    readonly personId: string;
    readonly displayName: string;
    readonly role: MemberRole;
    readonly kind: PersonKind;
    readonly eligible: Eligible | null;
  }[];
}

export interface EvidenceItem {
  readonly kind: string;
  readonly ref: string | null;
  readonly date: string | null;
  readonly value: string | null;
}

export interface Criterion {
  readonly id: string;
  readonly status: CriterionStatus;
  readonly gate: 'assessment' | 'clearance';
  readonly resolvedBy: readonly Role[];
  readonly message: Message;
  readonly evidence: readonly EvidenceItem[];
}

export interface Verdict {
  readonly eligible: boolean | 'unknown';
  readonly subject: 'child' | 'adult';
  readonly onDate: string;
  readonly rulesVersion: string;
  readonly agreementId: string | null;
  readonly criteria: readonly Criterion[];
  readonly hiddenCriteria: number;
}

export interface CaseMember {
  readonly personId: string;
  readonly displayName: string;
  readonly sex: Sex;
  readonly kind: PersonKind;
  readonly age: AgeRange | null;
  readonly birthDate: string;
  readonly role: MemberRole;
  readonly joinedAt: string;
  readonly left: { readonly at: string; readonly reason: string } | null;
  readonly transferAgreed: boolean;
  readonly verdict: Verdict | null;
}

/** Who makes a transition, as the case machine names them (src/domain/case-machine.ts, MOVERS). */
export type Mover = 'coordinator' | 'case_country_embassy' | 'movement';

export interface Closure {
  readonly code: string;
  readonly message: string;
  /** `case_transition_role_not_allowed`: who makes this transition. */
  readonly who?: readonly Mover[];
  readonly guard?: string;
  readonly guardCode?: string;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly criteria?: readonly { readonly personId: string; readonly id: string; readonly status: CriterionStatus }[];
}

export interface TransitionOption {
  readonly name: TransitionName;
  readonly to: CaseState;
  readonly allowed: boolean;
  /** The request must carry a reason (hold, reject, withdraw, reopen): the app asks for it before sending. */
  readonly needsReason: boolean;
  readonly closedBecause: readonly Closure[];
}

export interface HistoryEntry {
  readonly transition: TransitionName;
  readonly from: CaseState | null;
  readonly to: CaseState;
  readonly reason: string | null;
  readonly at: string;
  readonly by: string | null;
}

export interface Case extends Omit<CaseSummary, 'members'> {
  readonly members: readonly CaseMember[];
  readonly eligibility: { readonly eligible: boolean | 'unknown'; readonly blocking: readonly string[]; readonly blockingHidden: number };
  readonly transitions: readonly TransitionOption[];
  readonly history: readonly HistoryEntry[];
}

export interface CaseFilter {
  readonly state: CaseState | '';
  readonly countryCode: string;
  readonly eligible: Eligible | '';
  readonly q: string;
}

export interface BoardColumn {
  readonly state: CaseState;
  readonly count: number;
  readonly cases: readonly CaseSummary[];
}

export interface NewCase {
  readonly countryCode: string;
  readonly kind: CaseKind;
  readonly title?: string;
  readonly members: readonly { readonly personId: string; readonly role: MemberRole }[];
}

export interface Blocker {
  readonly criterion: string;
  readonly count: number;
  readonly fails: number;
  readonly unknown: number;
}
export interface CountryViewPart {
  readonly total: number;
  readonly eligible: number;
  readonly blocked: number;
  readonly failing: number;
  readonly blockers: readonly Blocker[];
}
export interface CountryEligibility {
  readonly countryCode: string;
  readonly onDate: string;
  readonly children: CountryViewPart;
  readonly adults: CountryViewPart;
  readonly byState: Readonly<Partial<Record<CaseState, number>>>;
}

// ---- the panels (consent, guardian, best interests, clearances, assurances) ----------------

export const CONSENT_KINDS = ['consent', 'refusal', 'revocation'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];
export const CONSENT_EXEMPTIONS = ['both_parents_deceased', 'no_parent_with_custody', 'court_order'] as const;
export type ConsentExemptionReason = (typeof CONSENT_EXEMPTIONS)[number];
export const GUARDIAN_RELATIONS = ['parent', 'grandparent', 'aunt_uncle', 'sibling', 'other_relative', 'foster', 'institution', 'other'] as const;
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number];
export const GUARDIAN_VERIFICATIONS = ['unverified', 'verified', 'rejected'] as const;
export type GuardianVerification = (typeof GUARDIAN_VERIFICATIONS)[number];
export const CLEARING_AGENCIES = ['coordinator', 'judiciary', 'custody', 'security'] as const;
export type ClearingAgency = (typeof CLEARING_AGENCIES)[number];
export const CLEARANCE_DECISIONS = ['approve', 'approve_with_conditions', 'deny'] as const;
export type ClearanceDecision = (typeof CLEARANCE_DECISIONS)[number];
export type EffectiveClearance = 'approved' | 'denied' | 'expired' | 'missing';
export const BID_OUTCOMES = ['return', 'not_return'] as const;
export type BidOutcome = (typeof BID_OUTCOMES)[number];
export const BIA_KINDS = ['short', 'comprehensive'] as const;
export type BiaKind = (typeof BIA_KINDS)[number];

export interface ConsentRecordView {
  readonly id: string;
  readonly kind: ConsentKind;
  readonly decidedOn: string;
  readonly language: string | null;
  /** The person who decided; id null when the caller may not see them. */
  readonly givenBy: { readonly id: string | null; readonly displayName: string | null };
  readonly witnessName: string | null;
  /** Witnessed by a child-protection officer (a record without one does not count). */
  readonly witnessed?: boolean;
  readonly hasDocument: boolean;
  readonly note?: string | null;
  readonly voided: { readonly at: string; readonly reason: string } | null;
  readonly childIds: readonly string[];
  /** This record is the one in force. */
  readonly counts?: boolean;
  /** Why it does not count: voided, after_date, not_witnessed, not_custodian. */
  readonly ignoredBecause?: string | null;
  readonly version?: number;
}

export interface GuardianView {
  readonly id: string;
  readonly fullName: string;
  readonly relation: GuardianRelation;
  readonly verification: GuardianVerification;
  readonly verifiedBy: string | null;
  readonly contact: string | null;
  readonly address: string | null;
  readonly countryCode: string | null;
  readonly version: number;
}

export interface DeterminationView {
  readonly id: string;
  readonly outcome: BidOutcome;
  readonly status: 'final' | 'under_review' | 'reopened';
  readonly decidedOn: string;
  readonly reviewOn: string | null;
  readonly version: number;
  /** Only for child protection (and, by its policy, whoever the server lets see it). */
  readonly content?: {
    readonly recommendation?: string | null;
    readonly reasoning?: string | null;
    readonly dissent?: string | null;
    readonly panel?: readonly { readonly name: string; readonly role?: string | null; readonly undertakingSignedOn: string }[];
  };
}

export interface AssessmentView {
  readonly id: string;
  readonly kind: BiaKind;
  readonly assessedOn: string;
  /** Child protection only. */
  readonly content?: { readonly summary: string | null; readonly recommendation: string | null };
}

export interface ClearanceView {
  readonly id: string;
  readonly agency: ClearingAgency;
  readonly decision: ClearanceDecision;
  readonly decidedOn: string;
  readonly validUntil: string | null;
  readonly conditions: readonly string[];
  /** Only for the coordinator and the agency that decided. */
  readonly reasons?: string | null;
  readonly current: boolean;
}

export interface MemberPanels {
  readonly personId: string;
  readonly displayName?: string;
  readonly subject?: 'child' | 'adult';
  /** Family data: absent for roles that do not see it. */
  readonly consent?: {
    readonly effective: { readonly status: 'given' | 'refused' | 'revoked' | 'none'; readonly recordId: string | null };
    readonly exempt?: boolean;
    readonly records: readonly ConsentRecordView[];
    readonly exemption: { readonly id?: string; readonly reason: ConsentExemptionReason; readonly recordedOn: string; readonly note?: string | null } | null;
  };
  readonly guardian?: GuardianView | null;
  readonly bestInterests?: {
    readonly required: boolean;
    /** Welfare data: absent for roles that do not see it. */
    readonly requiredBecause?: readonly string[];
    readonly determination: DeterminationView | null;
    readonly assessments?: readonly AssessmentView[];
  };
  readonly clearances?: readonly ClearanceView[];
  readonly effectiveClearances?: Readonly<Partial<Record<ClearingAgency, EffectiveClearance>>>;
  /** Coordinator, security, child protection only. */
  readonly nonRefoulement?: NonRefoulement;
}

export interface AssuranceView {
  readonly id: string;
  readonly personId: string | null;
  readonly type: string;
  readonly givenOn: string;
  readonly issuingAuthority: string;
  readonly hasDocument: boolean;
  readonly note: string | null;
  readonly withdrawnAt: string | null;
}

export interface CasePanels {
  readonly members: readonly MemberPanels[];
  readonly assurances: readonly AssuranceView[];
}

export interface ConsentInput {
  readonly givenBy: string;
  readonly kind: ConsentKind;
  readonly decidedOn: string;
  readonly language: string;
  readonly witnessName?: string;
  /** The coordinator names the child-protection officer who witnessed the decision. */
  readonly witnessUserId?: string;
  readonly childIds: readonly string[];
  readonly note?: string;
}
/** A child-protection officer who may be named as a consent record's witness. */
export interface Witness {
  readonly id: string;
  readonly displayName: string;
}
export interface NonRefoulement {
  readonly concern: boolean;
  readonly note: string | null;
}
export interface GuardianInput {
  readonly fullName: string;
  readonly relation: GuardianRelation;
  readonly contact?: string;
  readonly address?: string;
  readonly countryCode?: string;
  readonly verification?: GuardianVerification;
  readonly verifiedBy?: string;
}
export interface GuardianChange {
  readonly verification?: GuardianVerification;
  readonly verifiedBy?: string;
  readonly contact?: string;
  readonly address?: string;
}
export interface AssuranceInput {
  readonly type: string;
  readonly givenOn: string;
  readonly issuingAuthority: string;
  readonly personId?: string;
  readonly note?: string;
}
export interface DeterminationInput {
  readonly outcome: BidOutcome;
  readonly decidedOn: string;
  readonly recommendation: string;
  readonly reasoning: string;
  readonly dissent?: string;
  readonly reviewOn?: string;
  readonly panel: readonly { readonly name: string; readonly role?: string; readonly undertakingSignedOn: string }[];
}
export interface AssessmentInput {
  readonly kind: BiaKind;
  readonly assessedOn: string;
  readonly summary: string;
  readonly recommendation?: string;
}
export interface ClearanceInput {
  readonly personId: string;
  readonly decision: ClearanceDecision;
  readonly decidedOn: string;
  readonly validUntil?: string;
  readonly conditions?: readonly string[];
  readonly reasons: string;
}

const PAGE_SIZE = 50;

export const CASES_KEY = ['cases'] as const;
export const caseKey = (id: string) => [...CASES_KEY, 'one', id] as const;
export const casePanelsKey = (id: string) => [...CASES_KEY, 'panels', id] as const;
export const countryEligibilityKey = (code: string) => [...CASES_KEY, 'country', code] as const;

const enc = encodeURIComponent;
const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

export const casesApi = {
  list: (filter: Partial<CaseFilter>, cursor: string | null, limit = PAGE_SIZE) =>
    api.get<Page<CaseSummary>>('/cases', { limit, cursor, state: filter.state, countryCode: filter.countryCode, eligible: filter.eligible, q: filter.q?.trim() }),
  board: (countryCode: string, perState = 20) => api.get<{ columns: readonly BoardColumn[] }>('/cases/board', { countryCode, perState }),
  one: (id: string) => api.get<Case>(`/cases/${enc(id)}`),
  open: (input: NewCase) => api.post<Case>('/cases', input),
  transition: (id: string, to: CaseState, from: CaseState, reason?: string) =>
    api.post<Case>(`/cases/${enc(id)}/transitions`, { to, from, ...(reason ? { reason } : {}) }),
  addMembers: (id: string, version: number, members: NewCase['members']) =>
    request<Case>('POST', `/cases/${enc(id)}/members`, { body: { members }, headers: ifMatch(version) }),
  leave: (id: string, version: number, personId: string, reason: string) =>
    request<Case>('POST', `/cases/${enc(id)}/members/${enc(personId)}/leave`, { body: { reason }, headers: ifMatch(version) }),
  countryEligibility: (code: string) => api.get<CountryEligibility>(`/countries/${enc(code)}/eligibility`),

  panels: (id: string) => api.get<CasePanels>(`/cases/${enc(id)}/panels`),
  recordConsent: (input: ConsentInput) => api.post<unknown>('/consent-records', input),
  voidConsent: (id: string, reason: string) => api.post<unknown>(`/consent-records/${enc(id)}/void`, { reason }),
  recordExemption: (personId: string, input: { reason: ConsentExemptionReason; recordedOn: string; note?: string }) =>
    api.post<unknown>(`/persons/${enc(personId)}/consent-exemptions`, input),
  nameGuardian: (personId: string, input: GuardianInput) => api.post<unknown>(`/persons/${enc(personId)}/guardians`, input),
  changeGuardian: (id: string, version: number, input: GuardianChange) =>
    request<unknown>('PATCH', `/guardians/${enc(id)}`, { body: input, headers: ifMatch(version) }),
  addAssurance: (caseId: string, input: AssuranceInput) => api.post<unknown>(`/cases/${enc(caseId)}/assurances`, input),
  withdrawAssurance: (id: string, reason: string) => api.post<unknown>(`/assurances/${enc(id)}/withdraw`, { reason }),
  recordDetermination: (personId: string, input: DeterminationInput) =>
    api.post<unknown>(`/persons/${enc(personId)}/best-interests-determinations`, input),
  recordAssessment: (personId: string, input: AssessmentInput) =>
    api.post<unknown>(`/persons/${enc(personId)}/best-interests-assessments`, input),
  recordClearance: (caseId: string, input: ClearanceInput) => api.post<unknown>(`/cases/${enc(caseId)}/clearances`, input),
  witnesses: () => api.get<{ data: readonly Witness[] }>('/case-facts/witnesses'),
  attachConsentDocument: (id: string, file: Blob) => request<void>('POST', `/consent-records/${enc(id)}/document`, { body: file }),
  withdrawExemption: (id: string, reason: string) => api.post<unknown>(`/consent-exemptions/${enc(id)}/withdraw`, { reason }),
  reviewDetermination: (id: string, reason: string) => api.post<unknown>(`/best-interests-determinations/${enc(id)}/review`, { reason }),
  reopenDetermination: (id: string, reason: string) => api.post<unknown>(`/best-interests-determinations/${enc(id)}/reopen`, { reason }),
  attachAssuranceDocument: (id: string, file: Blob) => request<void>('POST', `/assurances/${enc(id)}/document`, { body: file }),
  setNonRefoulement: (personId: string, input: { concern: boolean; note?: string }) => api.put<unknown>(`/persons/${enc(personId)}/non-refoulement`, input),
  setTransferAgreed: (caseId: string, personId: string, agreed: boolean) => api.put<unknown>(`/cases/${enc(caseId)}/members/${enc(personId)}/transfer`, { agreed }),
};

/** Where a scanned document is downloaded (the browser sends the session cookie; each read is audited). */
export const consentDocumentUrl = (id: string): string => `/api/v1/consent-records/${enc(id)}/document`;
export const assuranceDocumentUrl = (id: string): string => `/api/v1/assurances/${enc(id)}/document`;
/** Scanned documents: a PDF, JPEG or PNG of at most 10 MB (the server checks the content). */
export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;
export const witnessesKey = [...CASES_KEY, 'witnesses'] as const;
/** States in which a family case still takes new members (before it is scheduled). */
export const MEMBERS_CHANGEABLE: readonly CaseState[] = ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved'];

/** Today in the user's time zone, as YYYY-MM-DD (the default date of a decision). */
export function localDay(offsetDays = 0): string {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

// ---- who may use which form (the server still decides every request) ------------------------

type HasRole = { readonly role: Role };
const roleIn = (user: HasRole, ...roles: Role[]) => roles.includes(user.role);
/** Opening cases and changing their members: the coordinator. */
export const mayOpenCase = (user: HasRole) => roleIn(user, 'coordinator');
export const mayManageMembers = (user: HasRole) => roleIn(user, 'coordinator');
/** The machine's movers: the coordinator, and an embassy for the handover of its country's cases. */
export const mayMoveCases = (user: HasRole) => roleIn(user, 'coordinator', 'embassy');
/** Consent is witnessed by child protection; the coordinator may record it too. */
export const mayRecordConsent = (user: HasRole) => roleIn(user, 'child_protection', 'coordinator');
/** The home country names the guardian and gives assurances, through its embassy or the coordinator. */
export const mayNameGuardian = (user: HasRole) => roleIn(user, 'embassy', 'coordinator');
/** Verifying a named guardian: also child protection. */
export const mayVerifyGuardian = (user: HasRole) => roleIn(user, 'embassy', 'coordinator', 'child_protection');
export const mayGiveAssurance = (user: HasRole) => roleIn(user, 'embassy', 'coordinator');
/** Best-interests work is child protection's. */
export const mayDetermineBestInterests = (user: HasRole) => roleIn(user, 'child_protection');
/** Each of the four agencies clears for itself: the caller's agency, or null. */
export const clearingAgencyOf = (user: HasRole): ClearingAgency | null =>
  (CLEARING_AGENCIES as readonly string[]).includes(user.role) ? (user.role as ClearingAgency) : null;
/** "How many of our children are eligible": the coordinator, and an embassy for its own country. */
/** The non-refoulement concern: the coordinator, security and child protection. */
export const mayRecordNonRefoulement = (user: HasRole) => roleIn(user, 'coordinator', 'security', 'child_protection');
/** A transfer of sentence agreed by the home country: the coordinator. */
export const mayAgreeTransfer = (user: HasRole) => roleIn(user, 'coordinator');
export const maySeeCountryView = (user: HasRole) => roleIn(user, 'coordinator', 'embassy');
