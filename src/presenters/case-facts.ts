import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { visibleCategories } from '../domain/categories.ts';
import type { Role } from '../domain/roles.ts';
import { bestInterestsRequiredBecause, CLEARING_AGENCIES, type ClearanceRecord, type ClearingAgency, effectiveClearance, effectiveConsent, subjectOn } from '../eligibility/index.ts';
import type { Panels } from '../repositories/case-panels.ts';

/** Roles that see the non-refoulement concern and its note (a security matter child protection raises too). */
const NON_REFOULEMENT_ROLES: readonly Role[] = ['coordinator', 'security', 'child_protection'];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type GuardianRow = Panels['guardians'][number];

/** The receiving guardian as the API shows it (family data). */
export function presentGuardian(g: GuardianRow) {
  return {
    id: g.id,
    childId: g.child_id,
    fullName: g.full_name,
    relation: g.relation,
    verification: g.verification,
    verifiedBy: g.verified_by,
    contact: g.contact,
    address: g.address,
    countryCode: g.country_code,
    superseded: g.superseded_at !== null,
    recordedAt: g.created_at.toISOString(),
    version: g.version,
  };
}

/**
 * The case page's panels, as the caller may see them (docs/decisions/0018-case-facts-api.md):
 * - consent and guardian are `family` data: left out for roles that do not see it;
 * - best interests: everyone who sees the case sees whether a determination is required, its
 *   outcome, status and dates (case status); the content (recommendation, reasoning, dissent,
 *   panel, assessments' summaries) only child protection; why one is required (care facts)
 *   only roles that see `welfare`;
 * - clearances: an embassy sees each agency's effective status only; other roles the
 *   decisions, with the reasons only for the coordinator and the agency that decided;
 * - the non-refoulement concern: coordinator, security and child protection.
 */
export function presentPanels(p: Panels, actor: Actor, asOf: IsoDate) {
  const categories = visibleCategories(actor.role, actor.sharedCategories);
  const family = categories.has('family');
  const content = categories.has('best_interests');
  const welfare = categories.has('welfare');
  const embassy = actor.role === 'embassy';
  const seesReasons = (agency: string) => actor.role === 'coordinator' || actor.role === agency;

  const members = p.members.map((m) => {
    const id = m.person_id;
    const f = p.facts.get(id);
    if (!f) throw new Error(`no facts loaded for ${id}`);
    const subject = subjectOn(f, asOf);

    const consent = () => {
      const effective = effectiveConsent(f.consent.records, { childId: id, custodians: f.consent.custodians, onDate: asOf });
      const ignored = new Map(effective.ignored.map((i) => [i.record.id, i.reason]));
      const exemption = p.exemptions.find((e) => e.child_id === id);
      return {
        effective: { status: effective.status, recordId: effective.record?.id ?? null },
        exempt: exemption !== undefined && exemption.recorded_on <= asOf,
        records: p.consent
          .filter((r) => r.child_id === id)
          .map((r) => ({
            id: r.id,
            kind: r.kind,
            decidedOn: r.decided_on,
            language: r.language,
            givenBy: { id: p.givers.has(r.given_by) ? r.given_by : null, displayName: p.givers.get(r.given_by) ?? null },
            witnessName: r.witness_name,
            witnessed: r.witness_user_id !== null,
            hasDocument: r.file_sha256 !== null,
            note: r.note,
            voided: r.voided_at ? { at: r.voided_at.toISOString(), reason: r.voided_reason ?? '' } : null,
            childIds: r.child_ids.filter((c) => p.seenChildren.has(c)),
            counts: effective.record?.id === r.id,
            ignoredBecause: ignored.get(r.id) ?? null,
            recordedAt: r.created_at.toISOString(),
            version: r.version,
          })),
        exemption: exemption ? { id: exemption.id, reason: exemption.reason, recordedOn: exemption.recorded_on, note: exemption.note } : null,
      };
    };

    const guardian = p.guardians.find((g) => g.child_id === id);
    const determination = p.determinations.find((d) => d.child_id === id);
    const why = subject === 'child' ? bestInterestsRequiredBecause(f.care) : null;
    const bestInterests = {
      required: why !== null,
      ...(welfare ? { requiredBecause: why ? [why] : [] } : {}),
      determination: determination
        ? {
            id: determination.id,
            outcome: determination.outcome,
            status: determination.status,
            decidedOn: determination.decided_on,
            reviewOn: determination.review_on,
            version: determination.version,
            ...(content
              ? {
                  content: {
                    recommendation: determination.recommendation,
                    reasoning: determination.reasoning,
                    dissent: determination.dissent,
                    panel: p.panel.filter((x) => x.determination_id === determination.id).map((x) => ({ name: x.name, role: x.role, undertakingSignedOn: x.undertaking_signed_on })),
                  },
                }
              : {}),
          }
        : null,
      assessments: p.assessments
        .filter((a) => a.child_id === id)
        .map((a) => ({ id: a.id, kind: a.kind, assessedOn: a.assessed_on, ...(content ? { content: { summary: a.summary, recommendation: a.recommendation } } : {}) })),
    };

    const records: readonly ClearanceRecord[] = f.clearances;
    const effective = Object.fromEntries(CLEARING_AGENCIES.map((agency) => [agency, effectiveClearance(records, agency, asOf)])) as Record<ClearingAgency, ReturnType<typeof effectiveClearance>>;
    const currentIds = new Set(Object.values(effective).map((e) => e.record?.id));
    const clearances = p.clearances
      .filter((c) => c.person_id === id)
      .map((c) => ({
        id: c.id,
        agency: c.agency,
        decision: c.decision,
        decidedOn: c.decided_on,
        validUntil: c.valid_until,
        conditions: c.conditions,
        ...(seesReasons(c.agency) ? { reasons: c.reasons } : {}),
        current: currentIds.has(c.id),
        recordedAt: c.created_at.toISOString(),
      }));
    const person = p.persons.find((x) => x.id === id);

    return {
      personId: id,
      displayName: m.display_name,
      role: m.role,
      subject,
      ...(family ? { consent: consent(), guardian: guardian ? presentGuardian(guardian) : null } : {}),
      bestInterests,
      ...(embassy ? {} : { clearances }),
      effectiveClearances: Object.fromEntries(CLEARING_AGENCIES.map((agency) => [agency, effective[agency].status])) as Record<ClearingAgency, 'approved' | 'denied' | 'expired' | 'missing'>,
      ...(NON_REFOULEMENT_ROLES.includes(actor.role) && person ? { nonRefoulement: { concern: person.non_refoulement_concern, note: person.non_refoulement_note } } : {}),
    };
  });

  return {
    members,
    assurances: p.assurances.map((a) => ({
      id: a.id,
      personId: a.person_id,
      type: a.type,
      givenOn: a.given_on,
      issuingAuthority: a.issuing_authority,
      hasDocument: a.file_sha256 !== null,
      note: a.note,
      withdrawnAt: iso(a.withdrawn_at),
      recordedAt: a.created_at.toISOString(),
    })),
  };
}
