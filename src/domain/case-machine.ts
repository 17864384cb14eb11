/**
 * The repatriation case state machine of DESIGN.md, pure: one transition table (data), who may
 * make each transition, and the named guard(s) each must pass. No I/O: a command loads the
 * case's facts, asks `checkTransition`, and writes what it returns; a presenter shows
 * `availableTransitions` so that the client knows what the caller may do next and why the
 * rest are closed. See docs/decisions/0015-case-machine-and-eligibility.md.
 *
 * Modelling choices:
 * - A new case is `from: null` (the "(new)" row), made by the transition `open`.
 * - "reopened" is not a state: it is the transition `reopen`, from `rejected`, `withdrawn` or
 *   `closed` to `identification`. The case's history (audit trail) says it was reopened.
 * - `on_hold` remembers the state it came from (`CaseFacts.heldFrom`, stored on the case):
 *   `hold` is one row per open state, `resume` one row per open state back from `on_hold`,
 *   guarded by `returns_to_held_state`. A case on hold may also be rejected or withdrawn if it
 *   was held before departure (guard `held_before_departure`).
 * - Departure is made by the system actor `movement` (the movement departing), not by a user.
 * - Every (from, to) pair appears at most once, so a request names only its target state.
 */
import type { Actor } from './actor.ts';
import { DomainError, type ErrorDetail } from './errors.ts';
import type { Role } from './roles.ts';

// ---- states ------------------------------------------------------------------------------

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

/** The states before the person leaves the country: DESIGN.md's "any state before `departed`". */
export const STATES_BEFORE_DEPARTURE = ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved', 'scheduled'] as const satisfies readonly CaseState[];

/**
 * DESIGN.md's "any open state" (from which a case can be put on hold): every state that is not
 * final (`closed`, `rejected`, `withdrawn`) and not `on_hold` itself. A departed case whose
 * handover stalls can be held too.
 */
export const OPEN_STATES = [...STATES_BEFORE_DEPARTURE, 'departed', 'handed_over'] as const satisfies readonly CaseState[];

/** States a case leaves only by `reopen`. */
export const FINAL_STATES = ['closed', 'rejected', 'withdrawn'] as const satisfies readonly CaseState[];

const isOneOf = <T extends string>(list: readonly T[], value: string | null): value is T => value !== null && (list as readonly string[]).includes(value);

// ---- who ---------------------------------------------------------------------------------

/**
 * Who may make a transition:
 * - `coordinator`: a user with the coordinator role;
 * - `case_country_embassy`: an embassy user bound to the country the case returns people to;
 * - `movement`: the system, when the movement carrying the case departs (no user makes it).
 */
export const MOVERS = ['coordinator', 'case_country_embassy', 'movement'] as const;
export type Mover = (typeof MOVERS)[number];

/** System processes that make transitions on their own. */
export const SYSTEM_ACTORS = ['movement'] as const;
export type SystemActor = (typeof SYSTEM_ACTORS)[number];

/** The one asking for a transition: a signed-in user (by role and bound country) or a system process. */
export type CaseActor =
  | { readonly kind: 'user'; readonly role: Role; readonly countryCode: string | null }
  | { readonly kind: 'system'; readonly system: SystemActor };

/** The case actor for a signed-in user or API token. */
export const userActor = (actor: Pick<Actor, 'role' | 'countryCode'>): CaseActor => ({ kind: 'user', role: actor.role, countryCode: actor.countryCode });
/** The actor of a movement's departure (the job or command that departs a movement). */
export const MOVEMENT_ACTOR: CaseActor = { kind: 'system', system: 'movement' };

function actorIs(mover: Mover, actor: CaseActor, facts: CaseFacts): boolean {
  switch (mover) {
    case 'coordinator':
      return actor.kind === 'user' && actor.role === 'coordinator';
    case 'case_country_embassy':
      return actor.kind === 'user' && actor.role === 'embassy' && actor.countryCode !== null && actor.countryCode === facts.countryCode;
    case 'movement':
      return actor.kind === 'system' && actor.system === 'movement';
  }
}

const MOVER_TEXT: Readonly<Record<Mover, string>> = {
  coordinator: 'the coordinator',
  case_country_embassy: "the embassy of the case's country",
  movement: 'the movement departing',
};

// ---- facts and guards --------------------------------------------------------------------

/**
 * One eligibility criterion as the guards read it; `src/eligibility` verdicts' criteria have this
 * shape (for a family case, the criteria of every member who goes, with `personId`).
 */
export interface CriterionOutcome {
  readonly id: string;
  readonly status: 'holds' | 'fails' | 'unknown';
  /** `clearance`: one of the four agencies' clearances, checked only from `clearance` on. */
  readonly gate: 'assessment' | 'clearance';
  readonly personId?: string | undefined;
  readonly message: { readonly code: string; readonly params: Readonly<Record<string, string | number>>; readonly text: string };
}

/** What the guards read about a case, loaded by the caller. For a family case: about every member who goes. */
export interface CaseFacts {
  /** The country the case returns people to (ISO alpha-3); its embassy may record the handover. */
  readonly countryCode: string | null;
  readonly nationalityClaimed: boolean;
  /** Confirmed by the home country's mission (nationality status `verified`). */
  readonly nationalityConfirmed: boolean;
  /** The eligibility criteria on the day (see `src/eligibility`); null when not evaluated. */
  readonly eligibility: readonly CriterionOutcome[] | null;
  readonly onManifest: boolean;
  readonly manifestLocked: boolean;
  readonly handoverRecorded: boolean;
  /** The reason sent with the request, if any. */
  readonly reason: string | null;
  /** The state the case was in when put on hold (stored on the case); null unless on hold. */
  readonly heldFrom: CaseState | null;
}

export const GUARD_NAMES = [
  'nationality_claimed',
  'nationality_confirmed',
  'eligible_except_clearances',
  'eligible',
  'on_manifest',
  'off_manifest',
  'manifest_locked',
  'handover_recorded',
  'reason_given',
  'returns_to_held_state',
  'held_before_departure',
] as const;
export type GuardName = (typeof GUARD_NAMES)[number];

type Params = Readonly<Record<string, string | number>>;
type GuardCheck = { readonly holds: true } | { readonly holds: false; readonly params: Params; readonly criteria: readonly CriterionOutcome[] };
const HOLDS: GuardCheck = { holds: true };
const failed = (params: Params = {}, criteria: readonly CriterionOutcome[] = []): GuardCheck => ({ holds: false, params, criteria });

function eligibilityGuard(facts: CaseFacts, gates: readonly CriterionOutcome['gate'][]): GuardCheck {
  if (facts.eligibility === null || facts.eligibility.length === 0) return failed({ criteria: 'none evaluated yet' });
  const blocking = facts.eligibility.filter((c) => gates.includes(c.gate) && c.status !== 'holds');
  return blocking.length === 0 ? HOLDS : failed({ criteria: [...new Set(blocking.map((c) => c.id))].join(', ') }, blocking);
}

/** The guards by name: what each checks, in one place. */
const GUARDS: Readonly<Record<GuardName, (facts: CaseFacts, rule: TransitionRule) => GuardCheck>> = {
  nationality_claimed: (f) => (f.nationalityClaimed ? HOLDS : failed()),
  nationality_confirmed: (f) => (f.nationalityConfirmed ? HOLDS : failed()),
  eligible_except_clearances: (f) => eligibilityGuard(f, ['assessment']),
  eligible: (f) => eligibilityGuard(f, ['assessment', 'clearance']),
  on_manifest: (f) => (f.onManifest ? HOLDS : failed()),
  off_manifest: (f) => (f.onManifest ? failed() : HOLDS),
  manifest_locked: (f) => (f.manifestLocked ? HOLDS : failed()),
  handover_recorded: (f) => (f.handoverRecorded ? HOLDS : failed()),
  reason_given: (f) => ((f.reason ?? '').trim().length > 0 ? HOLDS : failed()),
  returns_to_held_state: (f, rule) => (f.heldFrom === rule.to ? HOLDS : failed({ heldFrom: f.heldFrom ?? 'unknown', to: rule.to })),
  held_before_departure: (f, rule) => (isOneOf(STATES_BEFORE_DEPARTURE, f.heldFrom) ? HOLDS : failed({ heldFrom: f.heldFrom ?? 'unknown', to: rule.to })),
};

// ---- the table ---------------------------------------------------------------------------

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

/** One row of the table. `from: null` is a case not yet created. */
export interface TransitionRule {
  readonly name: TransitionName;
  readonly from: CaseState | null;
  readonly to: CaseState;
  readonly who: readonly Mover[];
  /** Every guard must hold. */
  readonly guards: readonly GuardName[];
}

const row = (name: TransitionName, from: CaseState | null, to: CaseState, who: readonly Mover[], guards: readonly GuardName[]): TransitionRule =>
  Object.freeze({ name, from, to, who, guards });
const COORDINATOR: readonly Mover[] = ['coordinator'];

/** DESIGN.md's table, with "any open state" and "any state before departed" written out. */
export const TRANSITIONS: readonly TransitionRule[] = Object.freeze([
  row('open', null, 'identification', COORDINATOR, []),
  row('start_verification', 'identification', 'nationality_verification', COORDINATOR, ['nationality_claimed']),
  row('start_assessment', 'nationality_verification', 'assessment', COORDINATOR, ['nationality_confirmed']),
  row('request_clearance', 'assessment', 'clearance', COORDINATOR, ['eligible_except_clearances']),
  row('approve', 'clearance', 'approved', COORDINATOR, ['eligible']),
  row('schedule', 'approved', 'scheduled', COORDINATOR, ['on_manifest']),
  row('unschedule', 'scheduled', 'approved', COORDINATOR, ['off_manifest']),
  row('depart', 'scheduled', 'departed', ['movement'], ['manifest_locked']),
  row('hand_over', 'departed', 'handed_over', ['coordinator', 'case_country_embassy'], ['handover_recorded']),
  row('close', 'handed_over', 'closed', COORDINATOR, []),
  ...OPEN_STATES.map((state) => row('hold', state, 'on_hold', COORDINATOR, ['reason_given'])),
  ...OPEN_STATES.map((state) => row('resume', 'on_hold', state, COORDINATOR, ['returns_to_held_state'])),
  ...STATES_BEFORE_DEPARTURE.map((state) => row('reject', state, 'rejected', COORDINATOR, ['reason_given'])),
  row('reject', 'on_hold', 'rejected', COORDINATOR, ['reason_given', 'held_before_departure']),
  ...STATES_BEFORE_DEPARTURE.map((state) => row('withdraw', state, 'withdrawn', COORDINATOR, ['reason_given'])),
  row('withdraw', 'on_hold', 'withdrawn', COORDINATOR, ['reason_given', 'held_before_departure']),
  ...FINAL_STATES.map((state) => row('reopen', state, 'identification', COORDINATOR, ['reason_given'])),
]);

/** The row from `from` to `to`, if the table has one (there is at most one). */
export const findTransition = (from: CaseState | null, to: CaseState): TransitionRule | undefined => TRANSITIONS.find((t) => t.from === from && t.to === to);

/** The rows leaving a state (`null`: creating a case), in table order. */
export const transitionsFrom = (from: CaseState | null): readonly TransitionRule[] => TRANSITIONS.filter((t) => t.from === from);

// ---- messages ----------------------------------------------------------------------------

/**
 * The stable codes of the machine and their English text; `{{name}}` is a parameter (the
 * web app's i18next syntax). Codes are snake_case, as the API's error format requires.
 */
export const CASE_MESSAGES = {
  case_transition_not_in_table: 'A case cannot go from {{from}} to {{to}}.',
  case_transition_role_not_allowed: '{{transition}} is made only by {{who}}.',
  case_transition_guard_failed: '{{transition}} is not possible yet: {{guards}}.',
  case_guard_nationality_claimed: 'No nationality is claimed yet.',
  case_guard_nationality_confirmed: 'The mission has not confirmed the nationality yet.',
  case_guard_eligible_except_clearances: 'Eligibility criteria other than clearances do not all hold yet: {{criteria}}.',
  case_guard_eligible: 'Not every eligibility criterion holds yet: {{criteria}}.',
  case_guard_on_manifest: "The case is not on a movement's manifest.",
  case_guard_off_manifest: "The case is still on a movement's manifest; remove it from the manifest first.",
  case_guard_manifest_locked: "The movement's manifest is not locked.",
  case_guard_handover_recorded: 'No handover is recorded.',
  case_guard_reason_given: 'Give a reason.',
  case_guard_returns_to_held_state: 'A case on hold returns only to the state it came from ({{heldFrom}}).',
  case_guard_held_before_departure: 'The case was put on hold after departure ({{heldFrom}}); it can no longer go to {{to}}.',
} as const satisfies Readonly<Record<string, string>>;
export type CaseMessageCode = keyof typeof CASE_MESSAGES;

/** The code of a guard's failure message. */
export const guardCode = (guard: GuardName): CaseMessageCode => `case_guard_${guard}`;

/** A message in English, its `{{params}}` filled in. */
export const caseMessage = (code: CaseMessageCode, params: Params = {}): string =>
  CASE_MESSAGES[code].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));

// ---- asking --------------------------------------------------------------------------------

/** Why a transition is closed to this actor now. */
export type Closure =
  | {
      readonly code: 'case_transition_role_not_allowed';
      readonly who: readonly Mover[];
      readonly message: string;
    }
  | {
      readonly code: 'case_transition_guard_failed';
      readonly guard: GuardName;
      /** The guard's own code (`case_guard_<name>`) and the values its message names. */
      readonly guardCode: CaseMessageCode;
      readonly params: Params;
      readonly message: string;
      /** For the eligibility guards: the criteria that do not hold (fail or unknown). */
      readonly criteria: readonly CriterionOutcome[];
    };

/** A transition out of the current state: open to this actor now, or closed and why. */
export interface TransitionOption {
  readonly name: TransitionName;
  readonly from: CaseState | null;
  readonly to: CaseState;
  readonly allowed: boolean;
  /** Empty when allowed: the role first, then each failing guard in table order. */
  readonly closedBecause: readonly Closure[];
}

function closures(rule: TransitionRule, facts: CaseFacts, actor: CaseActor): Closure[] {
  const out: Closure[] = [];
  if (!rule.who.some((mover) => actorIs(mover, actor, facts))) {
    const who = rule.who.map((m) => MOVER_TEXT[m]).join(' or ');
    out.push({ code: 'case_transition_role_not_allowed', who: rule.who, message: caseMessage('case_transition_role_not_allowed', { transition: rule.name, who }) });
  }
  for (const guard of rule.guards) {
    const check = GUARDS[guard](facts, rule);
    if (check.holds) continue;
    const code = guardCode(guard);
    out.push({ code: 'case_transition_guard_failed', guard, guardCode: code, params: check.params, message: caseMessage(code, check.params), criteria: check.criteria });
  }
  return out;
}

/** Every transition from `state` (null: a case not yet created), allowed or closed and why. */
export function availableTransitions(state: CaseState | null, facts: CaseFacts, actor: CaseActor): readonly TransitionOption[] {
  return transitionsFrom(state).map((rule) => {
    const closedBecause = closures(rule, facts, actor);
    return { name: rule.name, from: rule.from, to: rule.to, allowed: closedBecause.length === 0, closedBecause };
  });
}

/** What to write when a transition is allowed: the new state, and the state to remember while on hold. */
export interface TransitionOutcome {
  readonly transition: TransitionRule;
  readonly state: CaseState;
  /** `from` when the case goes on hold; null otherwise (a case leaving `on_hold` forgets it). */
  readonly heldFrom: CaseState | null;
}

/**
 * Checks one transition, named by its target. Refuses, as a DomainError:
 * - a pair not in the table: 409 `case_transition_not_in_table` (also what the loser of two
 *   simultaneous transitions gets, once it sees the state the winner wrote);
 * - an actor who may not make it: 403 `case_transition_role_not_allowed`;
 * - a failing guard: 422 `case_transition_guard_failed`, one detail per failing guard (code
 *   `case_guard_<name>`) and, for the eligibility guards, one per criterion that does not hold
 *   (the criterion's own message code, path `eligibility.<criterion>` or
 *   `eligibility.<personId>.<criterion>`).
 */
export function checkTransition(from: CaseState | null, to: CaseState, facts: CaseFacts, actor: CaseActor): TransitionOutcome {
  const rule = findTransition(from, to);
  if (!rule) {
    const params = { from: from ?? 'new', to };
    const message = caseMessage('case_transition_not_in_table', params);
    throw new DomainError('conflict', 'case_transition_not_in_table', message, [{ path: 'body.to', message, code: 'case_transition_not_in_table', params }]);
  }
  const closed = closures(rule, facts, actor);
  const role = closed.find((c) => c.code === 'case_transition_role_not_allowed');
  if (role) {
    throw new DomainError('forbidden', role.code, role.message, [{ path: 'body.to', message: role.message, code: role.code, params: { transition: rule.name } }]);
  }
  const guards = closed.filter((c) => c.code === 'case_transition_guard_failed');
  if (guards.length > 0) {
    const details: ErrorDetail[] = [];
    for (const g of guards) {
      details.push({ path: `guard.${g.guard}`, message: g.message, code: g.guardCode, params: g.params });
      for (const c of g.criteria) {
        details.push({ path: c.personId ? `eligibility.${c.personId}.${c.id}` : `eligibility.${c.id}`, message: c.message.text, code: c.message.code, params: c.message.params });
      }
    }
    const message = caseMessage('case_transition_guard_failed', { transition: rule.name, guards: guards.map((g) => g.guard).join(', ') });
    throw new DomainError('rule', 'case_transition_guard_failed', message, details);
  }
  return { transition: rule, state: rule.to, heldFrom: rule.to === 'on_hold' ? from : null };
}
