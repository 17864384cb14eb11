import type { Actor } from '../domain/actor.ts';
import { ageRange, type BirthDate, displayBirthDate, type IsoDate, kindOf } from '../domain/birth-date.ts';
import { availableTransitions, type CaseFacts, type CaseState, findTransition, userActor } from '../domain/case-machine.ts';
import { type Category, visibleCategories } from '../domain/categories.ts';
import { type CriterionResult, ELIGIBILITY_MESSAGES, type EligibilityVerdict } from '../eligibility/index.ts';
import type { CaseRow, MemberRow } from '../repositories/cases.ts';

/** The data category a criterion's status itself reveals (a failed "not convicted" tells of a conviction). */
const CRITERION_CATEGORY: Readonly<Record<string, Category>> = {
  not_convicted_or_served: 'legal',
  no_pending_proceedings: 'legal',
  sentence_served_or_transfer_agreed: 'legal',
  no_death_sentence: 'legal',
  no_crimes_against_humanity_flag: 'security',
  no_non_refoulement_concern: 'security',
};

/**
 * Whether the caller may see a criterion: the coordinator runs the process and sees every
 * criterion's status (not the evidence of categories it does not see); other roles see the
 * criteria of the categories they see.
 */
function seesCriterion(actor: Actor, id: string, categories: ReadonlySet<Category>): boolean {
  if (actor.role === 'coordinator') return true;
  return categories.has(CRITERION_CATEGORY[id] ?? 'case_status');
}

/** Why a determination is required (unaccompanied, separated from the mother) is welfare data: dropped for roles that do not see welfare. */
function messageFor(c: CriterionResult, categories: ReadonlySet<Category>): CriterionResult['message'] {
  if (categories.has('welfare') || !('why' in c.message.params)) return c.message;
  const { why: _why, ...params } = c.message.params;
  return c.message.code === 'eligibility_bid_missing' ? { code: 'eligibility_bid_required', params, text: ELIGIBILITY_MESSAGES.eligibility_bid_required } : { ...c.message, params };
}

function presentCriterion(c: CriterionResult, categories: ReadonlySet<Category>) {
  return {
    id: c.id,
    status: c.status,
    gate: c.gate,
    resolvedBy: c.resolvedBy,
    message: messageFor(c, categories),
    evidence: c.evidence.filter((e) => categories.has(e.category) || e.category === 'case_status').map((e) => ({ kind: e.kind, ref: e.ref, date: e.date, value: e.value })),
  };
}

/** A member's verdict as the caller may see it; the hidden criteria still count in `eligible`. */
export function presentVerdict(verdict: EligibilityVerdict, actor: Actor) {
  const categories = visibleCategories(actor.role, actor.sharedCategories);
  const shown = verdict.criteria.filter((c) => seesCriterion(actor, c.id, categories));
  return {
    eligible: verdict.eligible,
    subject: verdict.subject,
    onDate: verdict.onDate,
    rulesVersion: verdict.rulesVersion,
    agreementId: verdict.agreementId,
    criteria: shown.map((c) => presentCriterion(c, categories)),
    /** Criteria of categories the caller does not see (checks by other authorities), counted, not shown. */
    hiddenCriteria: verdict.criteria.length - shown.length,
  };
}

function birthOf(m: MemberRow): BirthDate {
  return { precision: m.birth_precision as BirthDate['precision'], earliest: m.birth_earliest, latest: m.birth_latest, text: m.birth_text ?? '' };
}

function presentMember(m: MemberRow, verdict: EligibilityVerdict | undefined, actor: Actor, asOf: IsoDate) {
  const birth = birthOf(m);
  return {
    personId: m.person_id,
    displayName: m.display_name,
    sex: m.sex,
    kind: kindOf(birth, asOf),
    age: ageRange(birth, asOf),
    birthDate: displayBirthDate(birth),
    role: m.role,
    joinedAt: m.joined_at.toISOString(),
    left: m.left_at ? { at: m.left_at.toISOString(), reason: m.left_reason ?? '' } : null,
    transferAgreed: m.transfer_agreed,
    verdict: verdict ? presentVerdict(verdict, actor) : null,
  };
}

/** A case in a list or on the board: its state, its members' stored verdicts in one word each. */
export function presentCaseSummary(c: CaseRow, members: readonly MemberRow[], asOf: IsoDate) {
  const current = members.filter((m) => !m.left_at);
  const eligible = current.length === 0 ? 'unknown' : current.every((m) => m.eligible === 'true') ? 'true' : current.some((m) => m.eligible === 'false') ? 'false' : 'unknown';
  return {
    id: c.id,
    reference: c.reference,
    countryCode: c.country_code,
    kind: c.kind as 'individual' | 'family',
    state: c.state as CaseState,
    heldFrom: c.held_from as CaseState | null,
    title: c.title,
    stateChangedAt: c.state_changed_at.toISOString(),
    createdAt: c.created_at.toISOString(),
    version: c.version,
    eligible: eligible as 'true' | 'false' | 'unknown',
    members: current.map((m) => ({ personId: m.person_id, displayName: m.display_name, role: m.role, kind: kindOf(birthOf(m), asOf), eligible: m.eligible })),
  };
}

export interface CaseHistoryRow {
  readonly transition: string;
  readonly from_state: string | null;
  readonly to_state: string;
  readonly reason: string | null;
  readonly occurred_at: Date;
  readonly actor_name: string | null;
  readonly actor_system: string | null;
}

/** The case page: members with their verdicts (computed now), the transitions the caller may make and why the others are closed, the history. */
export function presentCase(
  c: CaseRow,
  members: readonly MemberRow[],
  verdicts: ReadonlyMap<string, EligibilityVerdict>,
  family: { readonly eligible: boolean | 'unknown'; readonly blocking: readonly { readonly personId: string }[] },
  facts: CaseFacts,
  history: readonly CaseHistoryRow[],
  actor: Actor,
  asOf: IsoDate,
) {
  const seen = new Set(members.map((m) => m.person_id));
  const categories = visibleCategories(actor.role, actor.sharedCategories);
  return {
    ...presentCaseSummary(c, members, asOf),
    members: members.map((m) => presentMember(m, m.left_at ? undefined : verdicts.get(m.person_id), actor, asOf)),
    eligibility: {
      eligible: family.eligible,
      // Members the caller does not see are counted, not named.
      blocking: family.blocking.filter((b) => seen.has(b.personId)).map((b) => b.personId),
      blockingHidden: family.blocking.filter((b) => !seen.has(b.personId)).length,
    },
    transitions: availableTransitions(c.state as CaseState, facts, userActor(actor)).map((t) => ({
      name: t.name,
      to: t.to,
      allowed: t.allowed,
      /** The request must carry a reason (hold, reject, withdraw, reopen): a client asks for it before sending. */
      needsReason: findTransition(t.from, t.to)?.guards.includes('reason_given') ?? false,
      closedBecause: t.closedBecause.map((r) => ({
        code: r.code,
        message: r.message,
        ...('who' in r ? { who: r.who } : {}),
        ...('guard' in r ? { guard: r.guard, guardCode: r.guardCode, params: r.params } : {}),
        ...('criteria' in r && r.criteria
          ? { criteria: r.criteria.filter((k) => k.personId !== undefined && seen.has(k.personId) && seesCriterion(actor, k.id, categories)).map((k) => ({ personId: k.personId, id: k.id, status: k.status })) }
          : {}),
      })),
    })),
    history: history.map((h) => ({
      transition: h.transition,
      from: h.from_state,
      to: h.to_state,
      reason: h.reason,
      at: h.occurred_at.toISOString(),
      by: h.actor_name ?? h.actor_system ?? null,
    })),
  };
}
