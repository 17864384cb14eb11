/**
 * Movements, pure: a repatriation to a home country or a transfer between holding
 * authorities, its statuses, and the pre-departure checks that gate its manifest. No I/O: a
 * command loads each passenger's facts on the departure date (their eligibility verdict
 * computed for that day, documents, medical fitness, escorts) and asks `manifestChecks`;
 * the manifest locks only when nothing fails, and otherwise every passenger and every failed
 * check is named.
 */
import type { CriterionResult, EligibilityVerdict } from '../eligibility/index.ts';
import type { IsoDate } from './birth-date.ts';
import { addDays } from './birth-date.ts';

export const MOVEMENT_KINDS = ['repatriation', 'transfer'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const MOVEMENT_MODES = ['air', 'land'] as const;
export const MOVEMENT_STATUSES = ['planned', 'manifest_locked', 'departed', 'completed', 'cancelled'] as const;
export type MovementStatus = (typeof MOVEMENT_STATUSES)[number];

export interface MovementTransition {
  readonly name: 'lock' | 'unlock' | 'depart' | 'complete' | 'cancel';
  readonly from: MovementStatus;
  readonly to: MovementStatus;
  /** A recorded decision: the request must give a reason. */
  readonly needsReason: boolean;
}

/** planned → manifest locked → departed → completed, or cancelled before departure; unlocking is a recorded decision. */
export const MOVEMENT_TRANSITIONS: readonly MovementTransition[] = Object.freeze([
  { name: 'lock', from: 'planned', to: 'manifest_locked', needsReason: false },
  { name: 'unlock', from: 'manifest_locked', to: 'planned', needsReason: true },
  { name: 'depart', from: 'manifest_locked', to: 'departed', needsReason: false },
  { name: 'complete', from: 'departed', to: 'completed', needsReason: false },
  { name: 'cancel', from: 'planned', to: 'cancelled', needsReason: true },
  { name: 'cancel', from: 'manifest_locked', to: 'cancelled', needsReason: true },
]);

export const findMovementTransition = (from: MovementStatus, name: MovementTransition['name']): MovementTransition | undefined =>
  MOVEMENT_TRANSITIONS.find((t) => t.from === from && t.name === name);

/** Documents a person may travel on, and how long before departure a fitness-to-travel check counts. */
export const TRAVEL_DOCUMENT_KINDS = ['passport', 'travel_document'] as const;
export const FITNESS_VALID_DAYS = 30;

export interface PassengerFacts {
  readonly personId: string;
  readonly displayName: string;
  /** Could be under 18 on the departure date (the protective reading of an uncertain birth date). */
  readonly child: boolean;
  /** The eligibility verdict computed for the departure date (repatriations only; null for transfers). */
  readonly verdict: EligibilityVerdict | null;
  readonly travelDocuments: readonly { readonly kind: string; readonly expiresOn: IsoDate | null }[];
  /** The latest medical assessment of fitness to travel, if any. */
  readonly fitness: { readonly assessedOn: IsoDate; readonly fit: boolean } | null;
  /** The child's mother travels on the same movement. */
  readonly motherOnBoard: boolean;
  /** An escort of the movement is assigned to this child. */
  readonly escortAssigned: boolean;
}

export interface MovementFacts {
  readonly kind: MovementKind;
  readonly departureDate: IsoDate;
  readonly capacity: number;
  readonly escorts: readonly { readonly name: string; readonly role: string }[];
  readonly passengers: readonly PassengerFacts[];
}

export const MANIFEST_CHECKS = ['eligibility', 'travel_document', 'medical_fitness', 'clearances_valid', 'consent_not_revoked', 'child_escorted', 'capacity', 'passengers'] as const;
export type ManifestCheck = (typeof MANIFEST_CHECKS)[number];

export interface FailedCheck {
  readonly check: ManifestCheck;
  /** Stable, for translation: `manifest_<check>` with params. */
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly message: string;
}

export interface ManifestVerdict {
  readonly ok: boolean;
  readonly movement: readonly FailedCheck[];
  readonly passengers: readonly { readonly personId: string; readonly displayName: string; readonly failed: readonly FailedCheck[] }[];
}

const CLEARANCE = /^clearance_/;
const fail = (check: ManifestCheck, message: string, params: Record<string, string | number> = {}): FailedCheck => ({ check, code: `manifest_${check}`, params, message });
const notHolding = (criteria: readonly CriterionResult[]) => criteria.filter((c) => c.status !== 'holds');

function passengerChecks(p: PassengerFacts, m: MovementFacts, escortCount: number): FailedCheck[] {
  const failed: FailedCheck[] = [];
  const repatriation = m.kind === 'repatriation';
  if (repatriation) {
    if (!p.verdict) {
      failed.push(fail('eligibility', 'eligibility was not computed for the departure date'));
    } else {
      const open = notHolding(p.verdict.criteria);
      // Clearances and consent are checks of their own, so that each says what to do.
      const others = open.filter((c) => !CLEARANCE.test(c.id) && c.id !== 'consent');
      if (others.length > 0) failed.push(fail('eligibility', `not eligible on ${m.departureDate}: ${others.map((c) => c.id).join(', ')}`, { date: m.departureDate, criteria: others.map((c) => c.id).join(', ') }));
      const clearances = open.filter((c) => CLEARANCE.test(c.id));
      if (clearances.length > 0) {
        failed.push(fail('clearances_valid', `clearance not valid on ${m.departureDate}: ${clearances.map((c) => c.id.replace(CLEARANCE, '')).join(', ')}`, { date: m.departureDate, agencies: clearances.map((c) => c.id.replace(CLEARANCE, '')).join(', ') }));
      }
      const consent = open.find((c) => c.id === 'consent');
      if (consent) failed.push(fail('consent_not_revoked', `consent ${consent.message.code.replace(/^eligibility_consent_/, '').replaceAll('_', ' ')}`, { status: consent.message.code }));
    }
    const document = p.travelDocuments.find((d) => (TRAVEL_DOCUMENT_KINDS as readonly string[]).includes(d.kind) && (d.expiresOn === null || d.expiresOn >= m.departureDate));
    if (!document) failed.push(fail('travel_document', `no passport or travel document valid on ${m.departureDate}`, { date: m.departureDate }));
  }
  if (!p.fitness) failed.push(fail('medical_fitness', 'no medical assessment of fitness to travel'));
  else if (!p.fitness.fit) failed.push(fail('medical_fitness', `found not fit to travel on ${p.fitness.assessedOn}`, { date: p.fitness.assessedOn }));
  else if (p.fitness.assessedOn < addDays(m.departureDate, -FITNESS_VALID_DAYS) || p.fitness.assessedOn > m.departureDate) {
    failed.push(fail('medical_fitness', `fitness assessed on ${p.fitness.assessedOn}, not within ${FITNESS_VALID_DAYS} days before departure`, { date: p.fitness.assessedOn, days: FITNESS_VALID_DAYS }));
  }
  if (p.child && !p.motherOnBoard && !(p.escortAssigned && escortCount > 0)) failed.push(fail('child_escorted', 'a child travelling without the mother needs an escort assigned'));
  return failed;
}

/** The pre-departure checks of a manifest on its departure date. */
export function manifestChecks(m: MovementFacts): ManifestVerdict {
  const movement: FailedCheck[] = [];
  if (m.passengers.length === 0) movement.push(fail('passengers', 'the manifest has no passengers'));
  const seats = m.passengers.length + m.escorts.length;
  if (seats > m.capacity) movement.push(fail('capacity', `${seats} seats needed (${m.passengers.length} passengers, ${m.escorts.length} escorts), ${m.capacity} available`, { needed: seats, capacity: m.capacity }));
  const passengers = m.passengers.map((p) => ({ personId: p.personId, displayName: p.displayName, failed: passengerChecks(p, m, m.escorts.length) }));
  return { ok: movement.length === 0 && passengers.every((p) => p.failed.length === 0), movement, passengers: passengers.filter((p) => p.failed.length > 0) };
}
