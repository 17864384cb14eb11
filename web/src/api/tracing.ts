import { api, request } from './client';
import type { Sex } from './registryTypes';
import type { Page } from './types';

/** Shapes of tracing requests' and the review queue's JSON (see /api/v1/openapi.json: tracing-requests, match-candidates). */

export const TRACING_STATUSES = ['open', 'found', 'closed'] as const;
export type TracingStatus = (typeof TRACING_STATUSES)[number];
export const CANDIDATE_STATUSES = ['proposed', 'confirmed', 'rejected'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];
export const CANDIDATE_KINDS = ['duplicate', 'tracing'] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];
export type Decision = 'confirm' | 'reject';

export interface TracingRequest {
  readonly id: string;
  readonly countryCode: string;
  readonly status: TracingStatus;
  readonly sought: {
    readonly names: readonly string[];
    readonly sex: Sex;
    /** The date of birth or age as display text. */
    readonly birthDate: string | null;
    readonly motherName: string | null;
    readonly fatherName: string | null;
    readonly lastKnownPlace: string | null;
  };
  readonly enquirer: { readonly name: string; readonly relationship: string; readonly contact: string | null };
  readonly notes: string | null;
  readonly foundPersonId: string | null;
  /** Closed without a match: when, and why. */
  readonly closed: { readonly at: string; readonly reason: string } | null;
  /** Candidates waiting for review. */
  readonly proposedCandidates: number;
  readonly createdAt: string;
  readonly version: number;
}

/** A sought person's date of birth as the family knows it; "about N years old on DATE" included. */
export type SoughtBirthDate =
  | { readonly precision: 'exact'; readonly date: string }
  | { readonly precision: 'month'; readonly month: string }
  | { readonly precision: 'year'; readonly year: number }
  | { readonly precision: 'estimated'; readonly aboutYear: number }
  | { readonly precision: 'estimated'; readonly age: number; readonly onDate: string };

export interface NewTracingRequest {
  /** The coordinator names the country; an embassy's is its own. */
  readonly countryCode?: string;
  readonly sought: {
    readonly names: readonly string[];
    readonly sex: Sex;
    readonly birthDate?: SoughtBirthDate;
    readonly motherName?: string;
    readonly fatherName?: string;
    readonly lastKnownPlace?: string;
  };
  readonly enquirer: { readonly name: string; readonly relationship: string; readonly contact?: string };
  readonly notes?: string;
}

export interface CandidateSide {
  readonly id: string;
  readonly displayName: string;
  readonly sex: Sex;
  /** Display text; empty when unknown. */
  readonly birthDate: string;
}

export interface FieldContribution {
  /** The engine's field: given_name, family_name, father_name, birth_date, sex, … */
  readonly field: string;
  /** How the two values compare: same, alike, similar, different, unknown, … */
  readonly level: string;
  /** The person's value. */
  readonly left: string | null;
  /** The other registration's, or the sought person's. */
  readonly right: string | null;
  /** Bits: positive for, negative against. */
  readonly weight: number;
  readonly text: string;
}

export interface MatchCandidate {
  readonly id: string;
  readonly kind: CandidateKind;
  readonly status: CandidateStatus;
  readonly probability: number;
  readonly person: CandidateSide;
  /** The second registration, for a duplicate. */
  readonly other: CandidateSide | null;
  readonly tracingRequest: {
    readonly id: string;
    readonly countryCode: string;
    readonly status: string;
    readonly names: readonly string[];
    readonly sex: Sex;
    readonly birthDate: string | null;
    readonly motherName: string | null;
    readonly fatherName: string | null;
    readonly lastKnownPlace: string | null;
    readonly enquirer: { readonly name: string; readonly relationship: string };
  } | null;
  readonly explanation: {
    readonly probability: number;
    readonly weight: number;
    readonly text: string;
    readonly fields: readonly FieldContribution[];
  };
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly reason: string | null;
  readonly version: number;
}

export interface CandidateFilter {
  readonly status: CandidateStatus;
  readonly kind: CandidateKind | '';
  readonly tracingRequestId?: string;
}

const PAGE_SIZE = 50;
/** Review cards are large: fewer per page. */
const CANDIDATE_PAGE = 20;

export const TRACING_KEY = ['tracing-requests'] as const;
export const CANDIDATES_KEY = ['match-candidates'] as const;
export const tracingKey = (id: string) => [...TRACING_KEY, 'one', id] as const;

export const tracingApi = {
  requests: (status: TracingStatus | '', cursor: string | null, limit = PAGE_SIZE) =>
    api.get<Page<TracingRequest>>('/tracing-requests', { limit, cursor, status }),
  request: (id: string) => api.get<TracingRequest>(`/tracing-requests/${encodeURIComponent(id)}`),
  file: (input: NewTracingRequest) => api.post<TracingRequest>('/tracing-requests', input),
  close: (id: string, reason: string) => api.post<TracingRequest>(`/tracing-requests/${encodeURIComponent(id)}/close`, { reason }),
  candidates: (filter: CandidateFilter, cursor: string | null, limit = CANDIDATE_PAGE) =>
    api.get<Page<MatchCandidate>>('/match-candidates', { limit, cursor, status: filter.status, kind: filter.kind, tracingRequestId: filter.tracingRequestId }),
  /** Confirms or rejects a pair, with the version the card read. */
  decide: (candidate: MatchCandidate, decision: Decision, reason?: string) =>
    request<MatchCandidate>('POST', `/match-candidates/${encodeURIComponent(candidate.id)}/decision`, {
      body: { decision, ...(reason ? { reason } : {}) },
      headers: { 'If-Match': `"${candidate.version}"` },
    }),
};
