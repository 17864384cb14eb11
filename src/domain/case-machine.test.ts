import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  availableTransitions,
  CASE_MESSAGES,
  CASE_STATES,
  type CaseActor,
  type CaseFacts,
  type CaseState,
  caseMessage,
  checkTransition,
  type CriterionOutcome,
  FINAL_STATES,
  findTransition,
  GUARD_NAMES,
  type GuardName,
  MOVEMENT_ACTOR,
  OPEN_STATES,
  STATES_BEFORE_DEPARTURE,
  TRANSITIONS,
  type TransitionRule,
  transitionsFrom,
  userActor,
} from './case-machine.ts';
import { DomainError, withCode } from './errors.ts';
import { ROLES } from './roles.ts';

const criterion = (id: string, status: CriterionOutcome['status'], gate: CriterionOutcome['gate'] = 'assessment'): CriterionOutcome => ({
  id,
  status,
  gate,
  personId: 'p1',
  message: { code: `eligibility_${id}`, params: {}, text: `${id} ${status}` },
});

const GOOD: CaseFacts = {
  countryCode: 'RUS',
  nationalityClaimed: true,
  nationalityConfirmed: true,
  eligibility: [criterion('consent', 'holds'), criterion('guardian_identified', 'holds'), criterion('clearance_security', 'holds', 'clearance')],
  onManifest: true,
  manifestLocked: true,
  handoverRecorded: true,
  reason: 'the family asked for it',
  heldFrom: null,
};

/** Facts under which every guard of the row holds. */
function factsFor(rule: TransitionRule): CaseFacts {
  return {
    ...GOOD,
    onManifest: rule.name !== 'unschedule',
    heldFrom: rule.from === 'on_hold' ? (rule.name === 'resume' ? rule.to : 'assessment') : null,
  };
}

/** The same facts with one guard broken. */
function breaking(guard: GuardName, facts: CaseFacts, rule: TransitionRule): CaseFacts {
  switch (guard) {
    case 'nationality_claimed':
      return { ...facts, nationalityClaimed: false };
    case 'nationality_confirmed':
      return { ...facts, nationalityConfirmed: false };
    case 'eligible_except_clearances':
    case 'eligible':
      return { ...facts, eligibility: [criterion('consent', 'fails'), criterion('clearance_security', 'holds', 'clearance')] };
    case 'on_manifest':
      return { ...facts, onManifest: false };
    case 'off_manifest':
      return { ...facts, onManifest: true };
    case 'manifest_locked':
      return { ...facts, manifestLocked: false };
    case 'handover_recorded':
      return { ...facts, handoverRecorded: false };
    case 'reason_given':
      return { ...facts, reason: '   ' };
    case 'returns_to_held_state':
      return { ...facts, heldFrom: OPEN_STATES.find((s) => s !== rule.to) ?? null };
    case 'held_before_departure':
      return { ...facts, heldFrom: 'departed' };
  }
}

const user = (role: (typeof ROLES)[number], countryCode: string | null = null): CaseActor => ({ kind: 'user', role, countryCode });
const COORDINATOR = user('coordinator');
const actorsFor = (rule: TransitionRule): CaseActor[] =>
  rule.who.map((m) => (m === 'coordinator' ? COORDINATOR : m === 'case_country_embassy' ? user('embassy', 'RUS') : MOVEMENT_ACTOR));
/** Every kind of actor the table could meet: each role (embassies of the case's country and another), and the system. */
const EVERY_ACTOR: readonly [string, CaseActor][] = [
  ...ROLES.filter((r) => r !== 'embassy').map((r) => [r, user(r)] as [string, CaseActor]),
  ['embassy of RUS', user('embassy', 'RUS')],
  ['embassy of TJK', user('embassy', 'TJK')],
  ['embassy without a country', user('embassy', null)],
  ['the movement', MOVEMENT_ACTOR],
];
const allows = (rule: TransitionRule, actor: CaseActor) => actorsFor(rule).some((a) => JSON.stringify(a) === JSON.stringify(actor));

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  assert.fail('expected a refusal');
}

const label = (rule: TransitionRule) => `${rule.name}: ${rule.from ?? '(new)'} → ${rule.to}`;

describe('the transition table', () => {
  test('each (from, to) pair appears once, so a request names only its target', () => {
    const pairs = TRANSITIONS.map((t) => `${t.from}→${t.to}`);
    assert.equal(new Set(pairs).size, pairs.length);
  });

  test('it is DESIGN.md\'s table with "any open state" and "any state before departed" written out', () => {
    assert.deepEqual(STATES_BEFORE_DEPARTURE, ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved', 'scheduled']);
    assert.deepEqual(OPEN_STATES, [...STATES_BEFORE_DEPARTURE, 'departed', 'handed_over']);
    const names = (name: string) => TRANSITIONS.filter((t) => t.name === name);
    assert.deepEqual(names('hold').map((t) => t.from), OPEN_STATES);
    assert.deepEqual(names('resume').map((t) => t.to), OPEN_STATES);
    assert.deepEqual(names('reject').map((t) => t.from), [...STATES_BEFORE_DEPARTURE, 'on_hold']);
    assert.deepEqual(names('withdraw').map((t) => t.from), [...STATES_BEFORE_DEPARTURE, 'on_hold']);
    assert.deepEqual(names('reopen').map((t) => [t.from, t.to]), FINAL_STATES.map((s) => [s, 'identification']));
    assert.equal(TRANSITIONS.length, 10 + 8 + 8 + 7 + 7 + 3);
    // the main line, row by row
    const line: [string, CaseState | null, CaseState, string[], GuardName[]][] = [
      ['open', null, 'identification', ['coordinator'], []],
      ['start_verification', 'identification', 'nationality_verification', ['coordinator'], ['nationality_claimed']],
      ['start_assessment', 'nationality_verification', 'assessment', ['coordinator'], ['nationality_confirmed']],
      ['request_clearance', 'assessment', 'clearance', ['coordinator'], ['eligible_except_clearances']],
      ['approve', 'clearance', 'approved', ['coordinator'], ['eligible']],
      ['schedule', 'approved', 'scheduled', ['coordinator'], ['on_manifest']],
      ['unschedule', 'scheduled', 'approved', ['coordinator'], ['off_manifest']],
      ['depart', 'scheduled', 'departed', ['movement'], ['manifest_locked']],
      ['hand_over', 'departed', 'handed_over', ['coordinator', 'case_country_embassy'], ['handover_recorded']],
      ['close', 'handed_over', 'closed', ['coordinator'], []],
    ];
    for (const [name, from, to, who, guards] of line) assert.deepEqual(findTransition(from, to), { name, from, to, who, guards });
  });

  test('every guard is used by some row, and has a message', () => {
    const used = new Set(TRANSITIONS.flatMap((t) => t.guards));
    assert.deepEqual([...used].sort(), [...GUARD_NAMES].sort());
    for (const g of GUARD_NAMES) assert.ok(CASE_MESSAGES[`case_guard_${g}`], g);
  });

  test('the table is frozen', () => {
    assert.ok(Object.isFrozen(TRANSITIONS));
    assert.ok(TRANSITIONS.every((t) => Object.isFrozen(t)));
  });
});

describe('every transition in the table is allowed to the right actor when its guards hold', () => {
  for (const rule of TRANSITIONS) {
    test(label(rule), () => {
      const facts = factsFor(rule);
      for (const actor of actorsFor(rule)) {
        const outcome = checkTransition(rule.from, rule.to, facts, actor);
        assert.equal(outcome.state, rule.to);
        assert.equal(outcome.transition, rule);
        assert.equal(outcome.heldFrom, rule.to === 'on_hold' ? rule.from : null);
        const option = availableTransitions(rule.from, facts, actor).find((o) => o.to === rule.to);
        assert.deepEqual(option, { name: rule.name, from: rule.from, to: rule.to, allowed: true, closedBecause: [] });
      }
    });
  }
});

describe('every other actor is refused with case_transition_role_not_allowed', () => {
  for (const rule of TRANSITIONS) {
    test(label(rule), () => {
      const facts = factsFor(rule);
      for (const [name, actor] of EVERY_ACTOR) {
        if (allows(rule, actor)) continue;
        const error = refusal(() => checkTransition(rule.from, rule.to, facts, actor));
        assert.equal(error.kind, 'forbidden', name);
        assert.equal(error.code, 'case_transition_role_not_allowed', name);
        const option = availableTransitions(rule.from, facts, actor).find((o) => o.to === rule.to);
        assert.equal(option?.allowed, false);
        assert.deepEqual(option?.closedBecause.map((c) => c.code), ['case_transition_role_not_allowed']);
      }
    });
  }

  test('departure is the movement\'s: not even the coordinator departs a case', () => {
    assert.equal(refusal(() => checkTransition('scheduled', 'departed', GOOD, COORDINATOR)).code, 'case_transition_role_not_allowed');
    assert.equal(checkTransition('scheduled', 'departed', GOOD, MOVEMENT_ACTOR).state, 'departed');
  });

  test('the handover is recorded by the coordinator or the embassy of the case\'s country only', () => {
    assert.equal(checkTransition('departed', 'handed_over', GOOD, userActor({ role: 'embassy', countryCode: 'RUS' })).state, 'handed_over');
    assert.equal(refusal(() => checkTransition('departed', 'handed_over', GOOD, user('embassy', 'TJK'))).code, 'case_transition_role_not_allowed');
    assert.equal(refusal(() => checkTransition('departed', 'handed_over', { ...GOOD, countryCode: null }, user('embassy', 'RUS'))).code, 'case_transition_role_not_allowed');
  });
});

describe('every guard that fails refuses with case_transition_guard_failed and its own code', () => {
  for (const rule of TRANSITIONS) {
    for (const guard of rule.guards) {
      test(`${label(rule)} — ${guard}`, () => {
        const facts = breaking(guard, factsFor(rule), rule);
        const actor = actorsFor(rule)[0] as CaseActor;
        const error = refusal(() => checkTransition(rule.from, rule.to, facts, actor));
        assert.equal(error.kind, 'rule');
        assert.equal(error.code, 'case_transition_guard_failed');
        assert.ok(error.details.some((d) => d.code === `case_guard_${guard}` && d.path === `guard.${guard}`), JSON.stringify(error.details));
        const option = availableTransitions(rule.from, facts, actor).find((o) => o.to === rule.to);
        assert.equal(option?.allowed, false);
        assert.ok(option?.closedBecause.some((c) => c.code === 'case_transition_guard_failed' && c.guard === guard));
      });
    }
  }
});

describe('every pair not in the table is refused with case_transition_not_in_table', () => {
  for (const from of [null, ...CASE_STATES] as const) {
    test(`from ${from ?? '(new)'}`, () => {
      let refused = 0;
      for (const to of CASE_STATES) {
        if (findTransition(from, to)) continue;
        for (const actor of [COORDINATOR, MOVEMENT_ACTOR, user('embassy', 'RUS')]) {
          const error = refusal(() => checkTransition(from, to, { ...GOOD, heldFrom: to }, actor));
          assert.equal(error.kind, 'conflict');
          assert.equal(error.code, 'case_transition_not_in_table');
          assert.deepEqual(error.details[0]?.params, { from: from ?? 'new', to });
        }
        refused += 1;
      }
      assert.equal(refused, CASE_STATES.length - transitionsFrom(from).length);
    });
  }

  test('in all, 13 × 12 pairs less the 43 rows', () => {
    let missing = 0;
    for (const from of [null, ...CASE_STATES]) for (const to of CASE_STATES) if (!findTransition(from, to)) missing += 1;
    assert.equal(missing, 13 * 12 - TRANSITIONS.length);
  });

  test('there is no state "reopened" and a case cannot stay where it is', () => {
    assert.ok(!(CASE_STATES as readonly string[]).includes('reopened'));
    for (const s of CASE_STATES) assert.equal(findTransition(s, s), undefined);
  });
});

describe('on hold, and reopening', () => {
  test('hold remembers the state, resume returns only to it', () => {
    const held = checkTransition('clearance', 'on_hold', GOOD, COORDINATOR);
    assert.equal(held.heldFrom, 'clearance');
    const facts = { ...GOOD, heldFrom: held.heldFrom };
    const options = availableTransitions('on_hold', facts, COORDINATOR);
    assert.deepEqual(options.filter((o) => o.allowed).map((o) => o.to), ['clearance', 'rejected', 'withdrawn']);
    const elsewhere = refusal(() => checkTransition('on_hold', 'approved', facts, COORDINATOR));
    assert.equal(elsewhere.code, 'case_transition_guard_failed');
    assert.deepEqual(elsewhere.details[0]?.params, { heldFrom: 'clearance', to: 'approved' });
    assert.equal(elsewhere.details[0]?.message, 'A case on hold returns only to the state it came from (clearance).');
    const resumed = checkTransition('on_hold', 'clearance', facts, COORDINATOR);
    assert.deepEqual([resumed.state, resumed.heldFrom, resumed.transition.name], ['clearance', null, 'resume']);
  });

  test('a case held after departure can be resumed, not rejected or withdrawn', () => {
    const facts = { ...GOOD, heldFrom: 'departed' as const };
    assert.equal(checkTransition('on_hold', 'departed', facts, COORDINATOR).state, 'departed');
    for (const to of ['rejected', 'withdrawn'] as const) {
      const error = refusal(() => checkTransition('on_hold', to, facts, COORDINATOR));
      assert.deepEqual(error.details.map((d) => d.code), ['case_guard_held_before_departure']);
    }
  });

  test('putting on hold, rejecting, withdrawing and reopening need a reason', () => {
    for (const [from, to] of [['assessment', 'on_hold'], ['approved', 'rejected'], ['scheduled', 'withdrawn'], ['closed', 'identification'], ['withdrawn', 'identification']] as const) {
      assert.equal(refusal(() => checkTransition(from, to, { ...GOOD, reason: null }, COORDINATOR)).details[0]?.code, 'case_guard_reason_given');
    }
    const reopened = checkTransition('rejected', 'identification', GOOD, COORDINATOR);
    assert.equal(reopened.transition.name, 'reopen');
  });

  test('a new case is opened by the coordinator only', () => {
    assert.deepEqual(availableTransitions(null, GOOD, COORDINATOR).map((o) => [o.name, o.to, o.allowed]), [['open', 'identification', true]]);
  });
});

describe('the eligibility guards', () => {
  const facts = (criteria: CriterionOutcome[] | null): CaseFacts => ({ ...GOOD, eligibility: criteria });

  test('to clearance, everything but the clearances must hold; to approved, everything', () => {
    const clearancesPending = facts([criterion('consent', 'holds'), criterion('clearance_security', 'unknown', 'clearance')]);
    assert.equal(checkTransition('assessment', 'clearance', clearancesPending, COORDINATOR).state, 'clearance');
    const error = refusal(() => checkTransition('clearance', 'approved', clearancesPending, COORDINATOR));
    assert.deepEqual(error.details.map((d) => [d.path, d.code]), [
      ['guard.eligible', 'case_guard_eligible'],
      ['eligibility.p1.clearance_security', 'eligibility_clearance_security'],
    ]);
    assert.deepEqual(error.details[0]?.params, { criteria: 'clearance_security' });
  });

  test('the closure lists the criteria that do not hold, failing or unknown', () => {
    const f = facts([criterion('consent', 'fails'), criterion('guardian_identified', 'unknown'), criterion('legal_assurances', 'holds')]);
    const [option] = availableTransitions('assessment', f, COORDINATOR).filter((o) => o.name === 'request_clearance');
    const closure = option?.closedBecause[0];
    assert.ok(closure && closure.code === 'case_transition_guard_failed');
    assert.deepEqual(closure.criteria.map((c) => c.id), ['consent', 'guardian_identified']);
    assert.equal(closure.message, 'Eligibility criteria other than clearances do not all hold yet: consent, guardian_identified.');
  });

  test('no verdict, or an empty one, does not pass', () => {
    for (const f of [facts(null), facts([])]) {
      assert.equal(refusal(() => checkTransition('assessment', 'clearance', f, COORDINATOR)).details[0]?.code, 'case_guard_eligible_except_clearances');
    }
  });

  test('role and guards are both reported in the options; the error names the role first', () => {
    const f = facts([criterion('consent', 'fails')]);
    const option = availableTransitions('clearance', f, user('judiciary')).find((o) => o.to === 'approved');
    assert.deepEqual(option?.closedBecause.map((c) => c.code), ['case_transition_role_not_allowed', 'case_transition_guard_failed']);
    assert.equal(refusal(() => checkTransition('clearance', 'approved', f, user('judiciary'))).code, 'case_transition_role_not_allowed');
  });
});

describe('messages and codes', () => {
  test('every code is snake_case, as the API error format requires, and every detail keeps its code through withCode', () => {
    for (const code of Object.keys(CASE_MESSAGES)) assert.match(code, /^[a-z][a-z_]*$/);
    const errors = [
      refusal(() => checkTransition('identification', 'approved', GOOD, COORDINATOR)),
      refusal(() => checkTransition('clearance', 'approved', GOOD, user('security'))),
      refusal(() => checkTransition('identification', 'nationality_verification', { ...GOOD, nationalityClaimed: false }, COORDINATOR)),
    ];
    for (const e of errors) for (const d of e.details) assert.match(d.code ?? '', /^[a-z][a-z_]*$/);
    // the errors.ts table knows the transition messages too
    for (const e of errors.slice(0, 2)) {
      const detail = e.details[0];
      assert.ok(detail);
      assert.equal(withCode({ path: detail.path, message: detail.message }).code, e.code);
    }
    assert.deepEqual(withCode({ path: 'body.to', message: caseMessage('case_transition_not_in_table', { from: 'new', to: 'closed' }) }).params, { from: 'new', to: 'closed' });
  });

  test('messages read in English', () => {
    assert.equal(refusal(() => checkTransition('identification', 'approved', GOOD, COORDINATOR)).message, 'A case cannot go from identification to approved.');
    assert.equal(refusal(() => checkTransition('scheduled', 'departed', GOOD, COORDINATOR)).message, 'depart is made only by the movement departing.');
    assert.equal(
      refusal(() => checkTransition('departed', 'handed_over', { ...GOOD, handoverRecorded: false }, COORDINATOR)).message,
      'hand_over is not possible yet: handover_recorded.',
    );
  });
});
