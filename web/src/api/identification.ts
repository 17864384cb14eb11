import { api, request } from './client';
import type { AgeRange, PersonKind, Sex } from './registryTypes';
import type { Page } from './types';

/** Shapes of nationality verification's JSON (see /api/v1/openapi.json: verification-requests, missions). */

export const VERIFICATION_ANSWERS = ['confirmed', 'not_national', 'more_information'] as const;
export type VerificationAnswer = (typeof VERIFICATION_ANSWERS)[number];
export const VERIFICATION_STATES = ['open', 'overdue', 'answered'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export const MISSION_RESIDENCIES = ['resident', 'non_resident'] as const;
export type MissionResidency = (typeof MISSION_RESIDENCIES)[number];

export interface VerificationRequest {
  readonly id: string;
  readonly countryCode: string;
  readonly note: string | null;
  /** YYYY-MM-DD */
  readonly dueOn: string;
  readonly sentAt: string;
  /** The display name of the coordinator who sent it. */
  readonly sentBy: string | null;
  /** Set once everyone on it is settled. */
  readonly answeredAt: string | null;
  readonly overdue: boolean;
  readonly version: number;
  /** The people on it that the caller may see. */
  readonly total: number;
  /** Decided: confirmed or not a national. */
  readonly settled: number;
  /** The mission asked for more: still open. */
  readonly moreInformation: number;
}

export interface VerificationItem {
  readonly person: {
    readonly id: string;
    readonly displayName: string;
    readonly latinName: string;
    readonly sex: Sex;
    readonly kind: PersonKind;
    /** The date of birth as display text. */
    readonly birthDate: string;
    readonly age: AgeRange | null;
  };
  readonly answer: VerificationAnswer | null;
  readonly evidence: string | null;
  readonly answeredAt: string | null;
  readonly answeredBy: string | null;
}

export interface VerificationRequestDetail extends VerificationRequest {
  readonly items: readonly VerificationItem[];
}

export interface NewVerificationRequest {
  readonly countryCode: string;
  readonly personIds: readonly string[];
  readonly dueOn: string;
  readonly note?: string;
}

export interface VerificationAnswerInput {
  readonly personId: string;
  readonly answer: VerificationAnswer;
  readonly evidence?: string;
}

export interface VerificationFilter {
  readonly state: VerificationState | '';
  readonly countryCode: string;
}

export interface Mission {
  readonly countryCode: string;
  readonly residency: MissionResidency;
  readonly accreditedFrom: string | null;
  readonly agency: { readonly id: string; readonly name: string } | null;
  readonly address: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly contactName: string | null;
  readonly notes: string | null;
  readonly version: number;
}

export interface MissionInput {
  readonly residency: MissionResidency;
  readonly accreditedFrom?: string | null;
  readonly agencyId?: string | null;
  readonly address?: string | null;
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly contactName?: string | null;
  readonly notes?: string | null;
}

const PAGE_SIZE = 50;
/** Missions are one per country at most: one page of the maximum size holds them. */
const ALL_MISSIONS = 500;

export const VERIFICATION_KEY = ['verification-requests'] as const;
export const MISSIONS_KEY = ['missions'] as const;
export const verificationKey = (id: string) => [...VERIFICATION_KEY, 'one', id] as const;

/** A settled person: the mission decided (more information leaves them open). */
export const isSettled = (answer: VerificationAnswer | null): boolean => answer === 'confirmed' || answer === 'not_national';

export const identificationApi = {
  requests: (filter: Partial<VerificationFilter>, cursor: string | null, limit = PAGE_SIZE) =>
    api.get<Page<VerificationRequest>>('/verification-requests', { limit, cursor, state: filter.state, countryCode: filter.countryCode }),
  request: (id: string) => api.get<VerificationRequestDetail>(`/verification-requests/${encodeURIComponent(id)}`),
  send: (input: NewVerificationRequest) => api.post<VerificationRequestDetail>('/verification-requests', input),
  answer: (id: string, input: VerificationAnswerInput) =>
    api.post<VerificationRequestDetail>(`/verification-requests/${encodeURIComponent(id)}/answers`, input),
  missions: () => api.get<Page<Mission>>('/missions', { limit: ALL_MISSIONS }),
  /** Records a mission (version null: none yet) or changes it, with the version the form read. */
  saveMission: (countryCode: string, version: number | null, input: MissionInput) =>
    request<Mission>('PUT', `/missions/${encodeURIComponent(countryCode)}`, {
      body: input,
      headers: version === null ? {} : { 'If-Match': `"${version}"` },
    }),
};
