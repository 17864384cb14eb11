import { api, request } from './client';
import type { Page, User } from './types';

/** Shapes of movements' and invoices' JSON (see /api/v1/openapi.json: movements; src/routes/api/movements/movements.ts). */

export const MOVEMENT_STATUSES = ['planned', 'manifest_locked', 'departed', 'completed', 'cancelled'] as const;
export type MovementStatus = (typeof MOVEMENT_STATUSES)[number];
export type MovementKind = 'repatriation' | 'transfer';
export type MovementMode = 'air' | 'land';
export const ESCORT_ROLES = ['official', 'medical', 'child_protection', 'security', 'interpreter', 'other'] as const;
export type EscortRole = (typeof ESCORT_ROLES)[number];
export type TransitionName = 'lock' | 'unlock' | 'depart' | 'complete' | 'cancel';

export interface MovementSummary {
  readonly id: string;
  readonly reference: string;
  readonly kind: MovementKind;
  readonly mode: MovementMode;
  readonly countryCode: string | null;
  readonly fromPlace: string;
  readonly toPlace: string;
  readonly departureDate: string;
  readonly status: MovementStatus;
  readonly capacity: number;
  readonly passengers: number;
  readonly flightNumber: string | null;
  readonly carrier: string | null;
}

export interface FailedCheck {
  readonly check: string;
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly message: string;
}

export interface ManifestVerdict {
  readonly ok: boolean;
  readonly movement: readonly FailedCheck[];
  readonly passengers: readonly { readonly personId: string; readonly displayName: string; readonly failed: readonly FailedCheck[] }[];
}

export interface Passenger {
  readonly personId: string;
  readonly displayName: string;
  readonly latinName: string;
  readonly sex: string;
  readonly birthDate: string;
  readonly child: boolean;
  readonly caseId: string | null;
  readonly caseReference: string | null;
  readonly caseState: string | null;
  readonly escortId: string | null;
  readonly handover: Handover | null;
}

/** A recorded handover; `receipt` is the signed receipt attached, if any. */
export interface Handover {
  readonly receivedBy: string;
  readonly receivingAuthority: string | null;
  readonly receivedAt: string;
  readonly receipt: { readonly sha256: string; readonly contentType: string; readonly sizeBytes: number } | null;
}

export interface Escort {
  readonly id: string;
  readonly name: string;
  readonly role: EscortRole;
  readonly organisation: string | null;
}

export interface Movement {
  readonly id: string;
  readonly reference: string;
  readonly kind: MovementKind;
  readonly mode: MovementMode;
  readonly countryCode: string | null;
  readonly fromPlace: string;
  readonly toPlace: string;
  readonly carrier: string | null;
  readonly flightNumber: string | null;
  readonly departureDate: string;
  readonly capacity: number;
  readonly toFacilityId: string | null;
  readonly status: MovementStatus;
  readonly notes: string | null;
  readonly version: number;
  readonly seats: { readonly passengers: number; readonly escorts: number; readonly capacity: number; readonly children: number; readonly adults: number };
  readonly passengers: readonly Passenger[];
  readonly escorts: readonly Escort[];
  readonly checks: ManifestVerdict | null;
  /** The manifest kept as sent when it locked (cleared when it is unlocked). */
  readonly manifestSent: { readonly sha256: string; readonly storedAt: string } | null;
  readonly history: readonly {
    readonly transition: TransitionName;
    readonly from: MovementStatus;
    readonly to: MovementStatus;
    readonly reason: string | null;
    readonly at: string;
    readonly by: string | null;
    /** A lock: the manifest it kept as sent. */
    readonly manifestSha256?: string;
  }[];
  readonly invoice: { readonly id: string; readonly number: string } | null;
  readonly allowedActions: {
    readonly transitions: readonly { readonly name: TransitionName; readonly to: MovementStatus; readonly needsReason: boolean; readonly allowed: boolean }[];
    readonly editManifest: boolean;
    readonly handOver: boolean;
    readonly attachReceipt: boolean;
    readonly invoice: boolean;
  };
}

export interface NewMovement {
  readonly kind: MovementKind;
  readonly mode: MovementMode;
  readonly countryCode?: string;
  readonly fromPlace: string;
  readonly toPlace: string;
  readonly carrier?: string;
  readonly flightNumber?: string;
  readonly departureDate: string;
  readonly capacity: number;
  readonly toFacilityId?: string;
}

export interface Invoice {
  readonly id: string;
  readonly number: string;
  readonly movementId: string;
  readonly movementReference: string;
  readonly countryCode: string;
  readonly currency: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly lines: readonly { readonly position: number; readonly description: string; readonly count: number; readonly unitAmount: string; readonly amount: string }[];
  readonly total: string;
  readonly paid: string;
  readonly balance: string;
  readonly status: string;
  readonly payments: readonly { readonly id: string; readonly receivedOn: string; readonly amount: string; readonly reference: string | null }[];
  readonly version: number;
}

export interface Ledger {
  readonly invoices: readonly Invoice[];
  readonly balances: readonly { readonly countryCode: string; readonly currency: string; readonly total: string; readonly paid: string; readonly balance: string }[];
}

const enc = encodeURIComponent;

export const MOVEMENTS_KEY = ['movements'] as const;
export const movementKey = (id: string) => ['movements', 'one', id] as const;
export const INVOICES_KEY = ['invoices'] as const;

export const movementsApi = {
  list: (filter: { status?: string; countryCode?: string }, cursor: string | null, limit = 50) => api.get<Page<MovementSummary>>('/movements', { limit, cursor, status: filter.status, countryCode: filter.countryCode }),
  one: (id: string) => api.get<Movement>(`/movements/${enc(id)}`),
  plan: (input: NewMovement) => api.post<Movement>('/movements', input),
  addCase: (id: string, caseId: string) => api.post<Movement>(`/movements/${enc(id)}/passengers`, { caseId }),
  removeCase: (id: string, caseId: string, reason: string) => api.post<Movement>(`/movements/${enc(id)}/passengers/remove`, { caseId, reason }),
  addEscort: (id: string, escort: { name: string; role: EscortRole; organisation?: string }) => api.post<Movement>(`/movements/${enc(id)}/escorts`, escort),
  removeEscort: (id: string, escortId: string) => api.delete<Movement>(`/movements/${enc(id)}/escorts/${enc(escortId)}`),
  assignEscort: (id: string, personId: string, escortId: string | null) => api.put<Movement>(`/movements/${enc(id)}/passengers/${enc(personId)}/escort`, { escortId }),
  transition: (id: string, name: TransitionName, version: number, reason?: string) =>
    request<Movement>('POST', `/movements/${enc(id)}/${name}`, { body: reason ? { reason } : {}, headers: name === 'lock' ? { 'If-Match': `"${version}"` } : {} }),
  handOver: (id: string, input: { personId: string; receivedBy: string; receivingAuthority?: string; receivedAt: string }) => api.post<Movement>(`/movements/${enc(id)}/handovers`, input),
  /** The scanned signed receipt, sent as it is (PDF, JPEG or PNG; the server checks the content). */
  attachReceipt: (id: string, personId: string, file: Blob) => request<Movement>('PUT', `/movements/${enc(id)}/handovers/${enc(personId)}/receipt`, { body: file }),
  fitness: (personId: string, input: { assessedOn: string; fit: boolean; assessedBy?: string }) => api.post<{ id: string }>(`/persons/${enc(personId)}/fitness`, input),
  travelDocument: (personId: string, input: { kind: 'travel_document' | 'passport'; countryCode?: string; number: string; expiresOn: string }) => api.post<unknown>(`/persons/${enc(personId)}/documents`, input),
  issueInvoice: (id: string, input: { issuedOn: string; dueOn: string }) => api.post<Invoice>(`/movements/${enc(id)}/invoice`, input),
  invoices: () => api.get<Page<Invoice>>('/invoices', { limit: 200 }),
  invoice: (id: string) => api.get<Invoice>(`/invoices/${enc(id)}`),
  pay: (id: string, input: { receivedOn: string; amount: string; reference?: string }) => api.post<Invoice>(`/invoices/${enc(id)}/payments`, input),
  ledger: () => api.get<Ledger>('/ledger', { format: 'json' }),
};

export const manifestPdfUrl = (id: string) => `/api/v1/movements/${enc(id)}/manifest.pdf`;
/** The bytes kept when the manifest locked, exactly as sent to the home country. */
export const sentManifestUrl = (id: string) => `/api/v1/movements/${enc(id)}/manifest.pdf?version=sent`;
export const receiptUrl = (id: string, personId: string) => `/api/v1/movements/${enc(id)}/handovers/${enc(personId)}/receipt`;
export const LEDGER_CSV_URL = '/api/v1/ledger?format=csv';

/** The coordinator plans movements and keeps the invoices; an embassy reads its own. */
export const mayPlanMovements = (user: User) => user.role === 'coordinator';
export const maySeeInvoices = (user: User) => user.role === 'coordinator' || user.role === 'embassy';
/** Who records fitness to travel (the server allows coordinator, custody, child protection). */
export const mayRecordFitness = (user: User) => user.role === 'coordinator' || user.role === 'custody';
