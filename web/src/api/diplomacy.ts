import { api, request } from './client';
import type { Page } from './types';

/** Shapes of countries and diplomacy's JSON (see /api/v1/openapi.json: countries). */

export interface CountryNames {
  readonly en: string;
  readonly ar: string;
  readonly ru: string;
  readonly fr: string;
}

export interface HeldCounts {
  readonly people: number;
  /** Could be under 18 today. */
  readonly children: number;
}

export interface CountrySummary {
  readonly code: string;
  readonly names: CountryNames;
  readonly held: HeldCounts;
  readonly mission: { readonly residency: string; readonly accreditedFrom: string | null } | null;
  readonly lastNotification: { readonly id: string; readonly sentOn: string; readonly acknowledgedOn: string | null } | null;
  readonly agreementInForce: { readonly id: string; readonly title: string; readonly currency: string; readonly feePerChild: string; readonly feePerAdult: string } | null;
  readonly openActionItems: number;
  readonly overdueActionItems: number;
}

export interface Notification {
  readonly id: string;
  readonly countryCode: string;
  readonly sentOn: string;
  readonly acknowledgedOn: string | null;
  readonly peopleCount: number;
  readonly childrenCount: number;
  readonly channel: string | null;
  readonly note: string | null;
  readonly hasPdf: boolean;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly version: number;
}

export interface ActionItem {
  readonly id: string;
  readonly meetingId: string;
  readonly description: string;
  readonly owner: string;
  readonly dueOn: string | null;
  readonly doneOn: string | null;
  readonly overdue: boolean;
  readonly version: number;
}

export interface Meeting {
  readonly id: string;
  readonly countryCode: string;
  readonly heldOn: string;
  readonly place: string | null;
  readonly participants: readonly string[];
  readonly minutes: string | null;
  readonly decisions: readonly string[];
  readonly actionItems: readonly ActionItem[];
  readonly createdAt: string;
  readonly version: number;
}

export type AgreementCriterion =
  | { readonly kind: 'document_required'; readonly document: string; readonly appliesTo?: AppliesTo }
  | { readonly kind: 'max_age'; readonly years: number; readonly appliesTo?: AppliesTo }
  | { readonly kind: 'guardian_relative'; readonly appliesTo?: AppliesTo };
export type AppliesTo = 'children' | 'adults' | 'everyone';

export interface Agreement {
  readonly id: string;
  readonly countryCode: string;
  readonly title: string;
  readonly signedOn: string | null;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly inForce: boolean;
  readonly currency: string;
  /** Exact decimal text, e.g. "400.00". */
  readonly feePerChild: string;
  readonly feePerAdult: string;
  readonly documentsRequired: readonly string[];
  readonly conditions: string | null;
  readonly criteria: readonly AgreementCriterion[];
  readonly hasDocument: boolean;
  readonly createdAt: string;
  readonly version: number;
}

export interface CountryOverview {
  readonly code: string;
  readonly names: CountryNames;
  readonly mission: {
    readonly residency: string;
    readonly accreditedFrom: string | null;
    readonly address: string | null;
    readonly phone: string | null;
    readonly email: string | null;
    readonly contactName: string | null;
    readonly version: number;
  } | null;
  readonly held: HeldCounts;
  readonly notifications: readonly Notification[];
  readonly meetings: readonly Meeting[];
  readonly agreements: readonly Agreement[];
  readonly agreementInForce: Agreement | null;
  readonly openActionItems: readonly (ActionItem & { readonly meetingHeldOn: string })[];
}

export interface NotificationInput {
  readonly sentOn?: string;
  readonly channel?: string;
  readonly note?: string;
}

export interface ActionItemInput {
  readonly description: string;
  readonly owner: string;
  readonly dueOn?: string | null;
}

export interface MeetingInput {
  readonly heldOn: string;
  readonly place?: string;
  readonly participants: readonly string[];
  readonly minutes?: string;
  readonly decisions: readonly string[];
  readonly actionItems: readonly ActionItemInput[];
}

export interface AgreementInput {
  readonly title: string;
  readonly signedOn?: string | null;
  readonly validFrom: string;
  readonly validUntil?: string | null;
  readonly currency: string;
  readonly feePerChild: string;
  readonly feePerAdult: string;
  readonly documentsRequired: readonly string[];
  readonly conditions?: string | null;
  readonly criteria: readonly AgreementCriterion[];
}

export const COUNTRY_SUMMARIES_KEY = ['country-summaries'] as const;
export const overviewKey = (code: string) => ['country-overview', code] as const;

const enc = encodeURIComponent;
const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

export const notificationPdfUrl = (id: string): string => `/api/v1/notifications/${enc(id)}/pdf`;
export const agreementDocumentUrl = (id: string): string => `/api/v1/agreements/${enc(id)}/document`;

export const diplomacyApi = {
  summaries: (cursor: string | null) => api.get<Page<CountrySummary>>('/country-summaries', { limit: 500, cursor }),
  overview: (code: string) => api.get<CountryOverview>(`/countries/${enc(code)}/overview`),
  notifications: (code: string) => api.get<Page<Notification>>(`/countries/${enc(code)}/notifications`, { limit: 200 }),
  meetings: (code: string) => api.get<Page<Meeting>>(`/countries/${enc(code)}/meetings`, { limit: 100 }),
  notify: (code: string, input: NotificationInput) => api.post<Notification>(`/countries/${enc(code)}/notifications`, input),
  acknowledge: (id: string, acknowledgedOn: string, version: number) =>
    request<Notification>('POST', `/notifications/${enc(id)}/acknowledge`, { body: { acknowledgedOn }, headers: ifMatch(version) }),
  recordMeeting: (code: string, input: MeetingInput) => api.post<Meeting>(`/countries/${enc(code)}/meetings`, input),
  addActionItem: (meetingId: string, input: ActionItemInput) => api.post<ActionItem>(`/meetings/${enc(meetingId)}/action-items`, input),
  updateActionItem: (id: string, version: number, change: Partial<ActionItemInput> & { readonly doneOn?: string | null }) =>
    request<ActionItem>('PATCH', `/action-items/${enc(id)}`, { body: change, headers: ifMatch(version) }),
  recordAgreement: (code: string, input: AgreementInput) => api.post<Agreement>(`/countries/${enc(code)}/agreements`, input),
  updateAgreement: (id: string, version: number, change: Partial<AgreementInput>) =>
    request<Agreement>('PATCH', `/agreements/${enc(id)}`, { body: change, headers: ifMatch(version) }),
  attachAgreementDocument: (id: string, version: number, file: Blob) =>
    request<Agreement>('PUT', `/agreements/${enc(id)}/document`, { body: file, headers: ifMatch(version) }),
};
