import type { IsoDate } from '../domain/birth-date.ts';
import type { ClearanceRecord, ClearingAgency, ConsentRecord } from './facts.ts';

/** Why a consent record does not count for a child on a day. */
export const IGNORED_CONSENT_REASONS = ['voided', 'not_witnessed', 'not_custodian', 'other_child', 'after_date'] as const;
export type IgnoredConsentReason = (typeof IGNORED_CONSENT_REASONS)[number];

export interface EffectiveConsent {
  /** `given`: the latest valid record is a consent; `refused` / `revoked`: a refusal / revocation; `none`: no valid record. */
  readonly status: 'given' | 'refused' | 'revoked' | 'none';
  readonly record: ConsentRecord | null;
  /** The records that did not count, and why (shown beside the checklist so nobody wonders). */
  readonly ignored: readonly { readonly record: ConsentRecord; readonly reason: IgnoredConsentReason }[];
}

function whyIgnored(record: ConsentRecord, childId: string, custodians: readonly string[], onDate: IsoDate): IgnoredConsentReason | null {
  if (!record.childIds.includes(childId)) return 'other_child';
  if (record.voided) return 'voided';
  if (record.date > onDate) return 'after_date';
  if (!record.witnessId) return 'not_witnessed';
  if (!custodians.includes(record.givenBy)) return 'not_custodian';
  return null;
}

// On the same day and time, a refusal or revocation outranks a consent: the protective reading.
const RANK: Readonly<Record<ConsentRecord['kind'], number>> = { consent: 0, refusal: 1, revocation: 1 };

const later = (a: ConsentRecord, b: ConsentRecord): boolean =>
  a.date !== b.date ? a.date > b.date : (a.recordedAt ?? '') !== (b.recordedAt ?? '') ? (a.recordedAt ?? '') > (b.recordedAt ?? '') : RANK[a.kind] >= RANK[b.kind];

/**
 * The decision in force for one child on a day: the latest **valid** record counts. A record is
 * valid for the child if it names the child, is not voided, is dated on or before the day, was
 * witnessed (by a child-protection officer), and was made by a person with custody of the child.
 * Latest = the later date, then the later `recordedAt`; at a perfect tie a refusal or revocation
 * wins over a consent, then the later in the list. A revocation leaves no consent in force
 * (`revoked`) until a new consent is recorded.
 */
export function effectiveConsent(records: readonly ConsentRecord[], child: { readonly childId: string; readonly custodians: readonly string[]; readonly onDate: IsoDate }): EffectiveConsent {
  const ignored: { record: ConsentRecord; reason: IgnoredConsentReason }[] = [];
  let current: ConsentRecord | null = null;
  for (const record of records) {
    const reason = whyIgnored(record, child.childId, child.custodians, child.onDate);
    if (reason === 'other_child') continue;
    if (reason) ignored.push({ record, reason });
    else if (current === null || later(record, current)) current = record;
  }
  const status = current === null ? 'none' : current.kind === 'consent' ? 'given' : current.kind === 'refusal' ? 'refused' : 'revoked';
  return { status, record: current, ignored };
}

/** An agency's clearance as it stands on a day. */
export interface EffectiveClearance {
  /** `approved` (possibly with conditions), `denied`, `expired` (valid no longer: ask again) or `missing`. */
  readonly status: 'approved' | 'denied' | 'expired' | 'missing';
  readonly record: ClearanceRecord | null;
}

const RANK_CLEARANCE: Readonly<Record<ClearanceRecord['decision'], number>> = { approve: 0, approve_with_conditions: 1, deny: 2 };

/**
 * The latest decision of one agency made on or before the day counts (later `decidedOn`, then
 * later `recordedAt`, then the stricter decision). An approval is valid through `validUntil`
 * (null: until replaced); after it, the clearance is `expired` and must be asked for again. A
 * denial does not expire: it stands until the agency decides again.
 */
export function effectiveClearance(records: readonly ClearanceRecord[], agency: ClearingAgency, onDate: IsoDate): EffectiveClearance {
  let current: ClearanceRecord | null = null;
  for (const r of records) {
    if (r.agency !== agency || r.decidedOn > onDate) continue;
    if (
      current === null ||
      r.decidedOn > current.decidedOn ||
      (r.decidedOn === current.decidedOn && ((r.recordedAt ?? '') > (current.recordedAt ?? '') || ((r.recordedAt ?? '') === (current.recordedAt ?? '') && RANK_CLEARANCE[r.decision] >= RANK_CLEARANCE[current.decision])))
    ) {
      current = r;
    }
  }
  if (current === null) return { status: 'missing', record: null };
  if (current.decision === 'deny') return { status: 'denied', record: current };
  if (current.validUntil !== null && current.validUntil < onDate) return { status: 'expired', record: current };
  return { status: 'approved', record: current };
}
