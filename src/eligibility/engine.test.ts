import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CriterionOutcome } from '../domain/case-machine.ts';
import { ADULT_CRITERIA, CHILD_CRITERIA, type CriterionResult, type CriterionStatus, combine, evaluate, subjectOn } from './engine.ts';
import type { MemberFacts } from './facts.ts';
import { clearanceOf, consentOf, eligibleAdult, eligibleChild, FIXTURE_DATE } from './fixtures.ts';
import { ELIGIBILITY_MESSAGES, type EligibilityMessageCode } from './messages.ts';
import { BASE_RULES, type EligibilityRules, RULES_VERSION } from './rules.ts';

const ON = FIXTURE_DATE;
const criterionOf = (facts: MemberFacts, id: string, rules: EligibilityRules = BASE_RULES, on = ON): CriterionResult => {
  const found = evaluate(facts, rules, on).criteria.find((c) => c.id === id);
  assert.ok(found, `no criterion ${id}`);
  return found;
};
const withClearance = (facts: MemberFacts, agency: 'coordinator' | 'judiciary' | 'custody' | 'security', over: Parameters<typeof clearanceOf>[1]) => ({
  ...facts,
  clearances: facts.clearances.map((c) => (c.agency === agency ? clearanceOf(agency, over) : c)),
});

describe('the fixtures are eligible: every criterion holds', () => {
  test('a child', () => {
    const v = evaluate(eligibleChild(), BASE_RULES, ON);
    assert.equal(v.subject, 'child');
    assert.deepEqual(v.criteria.map((c) => c.id), [...CHILD_CRITERIA]);
    assert.deepEqual(v.criteria.filter((c) => c.status !== 'holds').map((c) => `${c.id}: ${c.message.text}`), []);
    assert.equal(v.eligible, true);
    assert.equal(v.rulesVersion, RULES_VERSION);
    assert.equal(v.agreementId, null);
    assert.deepEqual(v.age, { min: 9, max: 9 });
  });
  test('an adult', () => {
    const v = evaluate(eligibleAdult(), BASE_RULES, ON);
    assert.equal(v.subject, 'adult');
    assert.deepEqual(v.criteria.map((c) => c.id), [...ADULT_CRITERIA]);
    assert.deepEqual(v.criteria.filter((c) => c.status !== 'holds').map((c) => `${c.id}: ${c.message.text}`), []);
    assert.equal(v.eligible, true);
  });
});

/** One row: the criterion, a change to an eligible person's facts, the status and message code it gives. */
type Row = readonly [string, CriterionStatus, EligibilityMessageCode, (f: MemberFacts) => MemberFacts, (readonly string[])?];
const child = eligibleChild();
const same = (f: MemberFacts) => f;

const clearanceRows = (agency: 'coordinator' | 'judiciary' | 'custody' | 'security'): readonly Row[] => [
  ['approved, valid', 'holds', 'eligibility_clearance_approved', same],
  ['approved with conditions', 'holds', 'eligibility_clearance_approved_with_conditions', (f) => withClearance(f, agency, { decision: 'approve_with_conditions', conditions: ['escorted by a relative'] })],
  ['approved without an end date', 'holds', 'eligibility_clearance_approved', (f) => withClearance(f, agency, { validUntil: null })],
  ['valid through the day itself', 'holds', 'eligibility_clearance_approved', (f) => withClearance(f, agency, { validUntil: ON })],
  ['denied', 'fails', 'eligibility_clearance_denied', (f) => withClearance(f, agency, { decision: 'deny' })],
  ['expired: ask again', 'unknown', 'eligibility_clearance_expired', (f) => withClearance(f, agency, { validUntil: '2026-02-28' })],
  ['not asked yet', 'unknown', 'eligibility_clearance_missing', (f) => ({ ...f, clearances: f.clearances.filter((c) => c.agency !== agency) })],
];

const CHILD_ROWS: Readonly<Record<(typeof CHILD_CRITERIA)[number], readonly Row[]>> = {
  nationality_confirmed: [
    ['verified by the mission', 'holds', 'eligibility_nationality_verified', same],
    ['claimed, not yet confirmed', 'unknown', 'eligibility_nationality_unverified', (f) => ({ ...f, nationality: 'claimed' })],
    ['not claimed', 'unknown', 'eligibility_nationality_not_claimed', (f) => ({ ...f, nationality: 'not_claimed' })],
    ['found not a national', 'fails', 'eligibility_nationality_rejected', (f) => ({ ...f, nationality: 'rejected' })],
  ],
  identity_confirmed: [
    ['document and interview', 'holds', 'eligibility_identity_confirmed', same],
    ['a DNA match alone', 'holds', 'eligibility_identity_confirmed', (f) => ({ ...f, identityEvidence: [{ id: 'dna', kind: 'dna', supports: true, dnaResult: 'match' }] })],
    ['a document contradicted by the interview', 'unknown', 'eligibility_identity_preliminary', (f) => ({ ...f, identityEvidence: [{ id: 'd', kind: 'document', supports: true, dnaResult: null }, { id: 'i', kind: 'interview', supports: false, dnaResult: null }] })],
    ['only the nationality verified', 'unknown', 'eligibility_identity_preliminary', (f) => ({ ...f, identityEvidence: [] })],
    ['nothing at all (the nationality only claimed)', 'unknown', 'eligibility_identity_unverified', (f) => ({ ...f, nationality: 'claimed', identityEvidence: [] }), ['nationality_confirmed']],
  ],
  not_convicted_or_served: [
    ['no proceedings', 'holds', 'eligibility_no_conviction', same],
    ['acquitted', 'holds', 'eligibility_no_conviction', (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'final', verdict: 'acquitted', sentence: null, sentenceStart: null }] })],
    [
      'sentence served',
      'holds',
      'eligibility_sentence_served',
      (f) => ({ ...f, birthRange: { earliest: '2009-01-01', latest: '2009-12-31' }, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'term', years: 1, months: 0, days: 0 }, sentenceStart: '2024-01-01' }] }),
    ],
    [
      'serving it',
      'fails',
      'eligibility_sentence_not_served',
      (f) => ({ ...f, birthRange: { earliest: '2009-01-01', latest: '2009-12-31' }, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'term', years: 5, months: 0, days: 0 }, sentenceStart: '2024-01-01' }] }),
    ],
    ['convicted, sentence not recorded', 'unknown', 'eligibility_sentence_unrecorded', (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: null, sentenceStart: null }] })],
  ],
  no_pending_proceedings: [
    ['none', 'holds', 'eligibility_no_pending_proceedings', same],
    ['a trial under way', 'fails', 'eligibility_proceedings_pending', (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'trial', verdict: 'pending', sentence: null, sentenceStart: null }] })],
    ['acquitted, but the prosecution appeals', 'fails', 'eligibility_proceedings_pending', (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'appeal', verdict: 'acquitted', sentence: null, sentenceStart: null }] })],
  ],
  guardian_identified: [
    ['verified', 'holds', 'eligibility_guardian_verified', same],
    ['named, not verified', 'unknown', 'eligibility_guardian_unverified', (f) => ({ ...f, guardian: { id: 'g', relation: 'aunt_uncle', verification: 'unverified', verifiedBy: null } })],
    ['none named', 'unknown', 'eligibility_guardian_missing', (f) => ({ ...f, guardian: null })],
    ['not accepted', 'fails', 'eligibility_guardian_rejected', (f) => ({ ...f, guardian: { id: 'g', relation: 'other', verification: 'rejected', verifiedBy: null } })],
  ],
  legal_assurances: [
    ['given', 'holds', 'eligibility_assurances_given', same],
    ['none', 'unknown', 'eligibility_assurances_missing', (f) => ({ ...f, assurances: [] })],
    ['withdrawn', 'unknown', 'eligibility_assurances_missing', (f) => ({ ...f, assurances: f.assurances.map((a) => ({ ...a, withdrawn: true })) })],
    ['given only after the date', 'unknown', 'eligibility_assurances_missing', (f) => ({ ...f, assurances: f.assurances.map((a) => ({ ...a, givenOn: '2026-04-01' })) })],
  ],
  consent: [
    ['given by the mother', 'holds', 'eligibility_consent_given', same],
    ['both parents deceased', 'holds', 'eligibility_consent_exempt', (f) => ({ ...f, consent: { records: [], custodians: [], exemption: { id: 'x', reason: 'both_parents_deceased', recordedOn: '2025-11-02' } } })],
    ['refused', 'fails', 'eligibility_consent_refused', (f) => ({ ...f, consent: { ...f.consent, records: [consentOf({ childIds: [f.personId], kind: 'refusal' })] } })],
    [
      'revoked',
      'fails',
      'eligibility_consent_revoked',
      (f) => ({ ...f, consent: { ...f.consent, records: [...f.consent.records, consentOf({ id: 'rev', childIds: [f.personId], kind: 'revocation', date: '2026-02-01' })] } }),
    ],
    ['no record', 'unknown', 'eligibility_consent_missing', (f) => ({ ...f, consent: { ...f.consent, records: [] } })],
    ['nobody with custody recorded', 'unknown', 'eligibility_consent_no_custodian', (f) => ({ ...f, consent: { records: [], custodians: [], exemption: null } })],
  ],
  best_interests: [
    ['not required: going home with the mother', 'holds', 'eligibility_bid_not_required', same],
    [
      'unaccompanied, determination for return',
      'holds',
      'eligibility_bid_return',
      (f) => ({ ...f, care: { ...f.care, unaccompanied: true }, bestInterests: { id: 'bid', outcome: 'return', decidedOn: '2026-02-10', status: 'final' } }),
    ],
    ['separated from the mother by going home, none yet', 'unknown', 'eligibility_bid_missing', (f) => ({ ...f, care: { ...f.care, mother: 'staying' } })],
    [
      'determination under review',
      'unknown',
      'eligibility_bid_pending',
      (f) => ({ ...f, care: { ...f.care, separated: true }, bestInterests: { id: 'bid', outcome: 'return', decidedOn: '2026-02-10', status: 'under_review' } }),
    ],
    [
      'determination against return',
      'fails',
      'eligibility_bid_not_return',
      (f) => ({ ...f, care: { ...f.care, mother: 'staying' }, bestInterests: { id: 'bid', outcome: 'not_return', decidedOn: '2026-02-10', status: 'final' } }),
    ],
  ],
  clearance_coordinator: clearanceRows('coordinator'),
  clearance_judiciary: clearanceRows('judiciary'),
  clearance_custody: clearanceRows('custody'),
  clearance_security: clearanceRows('security'),
  not_withheld: [
    ['not withheld', 'holds', 'eligibility_not_withheld', same],
    ['withheld from the home country', 'fails', 'eligibility_withheld', (f) => ({ ...f, withheldFromHomeCountry: true })],
  ],
};
const adult = eligibleAdult();
const served = eligibleAdult().proceedings;
const ADULT_ROWS: Readonly<Record<(typeof ADULT_CRITERIA)[number], readonly Row[]>> = {
  sentence_served_or_transfer_agreed: [
    ['served', 'holds', 'eligibility_sentence_served', same],
    ['never convicted', 'holds', 'eligibility_no_conviction', (f) => ({ ...f, proceedings: [] })],
    [
      'serving it, transfer agreed',
      'holds',
      'eligibility_transfer_agreed',
      (f) => ({ ...f, transferAgreed: true, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'term', years: 15, months: 0, days: 0 }, sentenceStart: '2019-06-01' }] }),
    ],
    ['serving it', 'fails', 'eligibility_sentence_not_served', (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'term', years: 15, months: 0, days: 0 }, sentenceStart: '2019-06-01' }] })],
    ['life imprisonment', 'fails', 'eligibility_sentence_without_release', (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'life' }, sentenceStart: '2019-06-01' }] })],
    ['awaiting trial', 'unknown', 'eligibility_outcome_pending', (f) => ({ ...f, proceedings: [...served, { id: 'p2', stage: 'trial', verdict: 'pending', sentence: null, sentenceStart: null }] })],
    ['sentence start not recorded', 'unknown', 'eligibility_sentence_unrecorded', (f) => ({ ...f, proceedings: served.map((p) => ({ ...p, sentenceStart: null })) })],
  ],
  no_death_sentence: [
    ['none', 'holds', 'eligibility_no_death_sentence', same],
    [
      'death commuted to a term',
      'holds',
      'eligibility_no_death_sentence',
      (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'death', commutedTo: { kind: 'term', years: 5, months: 0, days: 0 } }, sentenceStart: '2019-06-01' }] }),
    ],
    [
      'sentenced to death (a sentence never served, too)',
      'fails',
      'eligibility_death_sentence',
      (f) => ({ ...f, proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'death' }, sentenceStart: '2019-06-01' }] }),
      ['sentence_served_or_transfer_agreed'],
    ],
  ],
  no_crimes_against_humanity_flag: [
    ['screened, clear', 'holds', 'eligibility_no_cah_flag', same],
    ['flagged', 'fails', 'eligibility_cah_flag', (f) => ({ ...f, crimesAgainstHumanity: true })],
    ['not screened yet', 'unknown', 'eligibility_cah_not_screened', (f) => ({ ...f, crimesAgainstHumanity: null })],
  ],
  no_non_refoulement_concern: [
    ['none recorded', 'holds', 'eligibility_no_non_refoulement_concern', same],
    ['a concern recorded', 'fails', 'eligibility_non_refoulement_concern', (f) => ({ ...f, nonRefoulementConcern: true })],
  ],
  clearance_coordinator: CHILD_ROWS.clearance_coordinator,
  clearance_judiciary: CHILD_ROWS.clearance_judiciary,
  clearance_custody: CHILD_ROWS.clearance_custody,
  clearance_security: CHILD_ROWS.clearance_security,
  not_withheld: CHILD_ROWS.not_withheld,
};

function runRows(kind: string, base: MemberFacts, rows: Readonly<Record<string, readonly Row[]>>) {
  describe(`every ${kind} criterion holds, fails and is unknown as its facts say`, () => {
    for (const [id, list] of Object.entries(rows)) {
      for (const [name, status, code, change, alsoMoves = []] of list) {
        test(`${id}: ${name} → ${status}`, () => {
          const facts = change(base);
          const verdict = evaluate(facts, BASE_RULES, ON);
          const c = verdict.criteria.find((x) => x.id === id);
          assert.ok(c, `${id} missing`);
          assert.equal(c.status, status, c.message.text);
          assert.equal(c.message.code, code);
          assert.ok(!c.message.text.includes('{{'), c.message.text);
          assert.ok(c.resolvedBy.length > 0);
          assert.equal(c.personId, facts.personId);
          // only this criterion moved; the verdict follows it
          assert.deepEqual(verdict.criteria.filter((x) => x.id !== id && x.status !== 'holds').map((x) => x.id), alsoMoves);
          if (alsoMoves.length === 0) assert.equal(verdict.eligible, combine([status]));
        });
      }
    }
    test('every criterion has rows for each status it can take, at least holds and fails or unknown', () => {
      for (const [id, list] of Object.entries(rows)) {
        const statuses = new Set(list.map((r) => r[1]));
        assert.ok(statuses.has('holds') && (statuses.has('fails') || statuses.has('unknown')), id);
      }
    });
  });
}
runRows('child', child, CHILD_ROWS);
runRows('adult', adult, ADULT_ROWS);

describe('how the criteria read', () => {
  test('who can resolve each, and which gate it belongs to', () => {
    const v = evaluate(eligibleChild(), BASE_RULES, ON);
    const who = Object.fromEntries(v.criteria.map((c) => [c.id, c.resolvedBy.join('+')]));
    assert.deepEqual(who, {
      nationality_confirmed: 'embassy',
      identity_confirmed: 'embassy',
      not_convicted_or_served: 'judiciary',
      no_pending_proceedings: 'judiciary',
      guardian_identified: 'embassy',
      legal_assurances: 'embassy',
      consent: 'child_protection',
      best_interests: 'child_protection',
      clearance_coordinator: 'coordinator',
      clearance_judiciary: 'judiciary',
      clearance_custody: 'custody',
      clearance_security: 'security',
      not_withheld: 'coordinator',
    });
    assert.deepEqual(v.criteria.filter((c) => c.gate === 'clearance').map((c) => c.id), ['clearance_coordinator', 'clearance_judiciary', 'clearance_custody', 'clearance_security']);
  });

  test('the evidence names the records, by data category; a determination by its outcome only', () => {
    const facts = eligibleChild({ care: { unaccompanied: true, separated: false, mother: 'deceased' }, bestInterests: { id: 'bid-7', outcome: 'return', decidedOn: '2026-02-10', status: 'final' } });
    const bid = criterionOf(facts, 'best_interests');
    assert.deepEqual(bid.evidence, [
      { kind: 'care', ref: null, date: null, value: 'unaccompanied', category: 'welfare' },
      { kind: 'best_interests_determination', ref: 'bid-7', date: '2026-02-10', value: 'return', category: 'case_status' },
    ]);
    const consent = criterionOf(eligibleChild(), 'consent');
    assert.deepEqual(consent.evidence, [{ kind: 'consent_record', ref: 'consent-1', date: '2026-01-10', value: 'consent', category: 'family' }]);
    const identity = criterionOf(eligibleChild({ identityEvidence: [{ id: 'dna-1', kind: 'dna', supports: true, dnaResult: 'match' }] }), 'identity_confirmed');
    assert.equal(identity.evidence[0]?.category, 'genetic');
  });

  test('the verdict is a CriterionOutcome list for the case machine', () => {
    const outcomes: readonly CriterionOutcome[] = evaluate(eligibleChild(), BASE_RULES, ON).criteria;
    assert.equal(outcomes.length, CHILD_CRITERIA.length);
  });

  test('every message code is snake_case and every message is used by some row above', () => {
    const used = new Set([...Object.values(CHILD_ROWS), ...Object.values(ADULT_ROWS)].flat().map((r) => r[2]));
    for (const code of Object.keys(ELIGIBILITY_MESSAGES)) assert.match(code, /^[a-z][a-z_]*$/);
    const agreementCodes = ['eligibility_document_on_record', 'eligibility_document_missing', 'eligibility_within_max_age', 'eligibility_over_max_age', 'eligibility_age_uncertain', 'eligibility_guardian_is_relative', 'eligibility_guardian_not_relative'];
    // Written by the presenter, not the engine: the determination's reason left out for roles that do not see welfare.
    const presenterCodes = ['eligibility_bid_required'];
    assert.deepEqual(Object.keys(ELIGIBILITY_MESSAGES).filter((c) => !used.has(c as EligibilityMessageCode) && !agreementCodes.includes(c) && !presenterCodes.includes(c)), []);
  });

  test('eligible: false if any criterion fails, unknown if none fails and some are unknown', () => {
    assert.equal(combine(['holds', 'unknown', 'fails']), false);
    assert.equal(combine(['holds', 'unknown']), 'unknown');
    assert.equal(combine(['holds']), true);
    const both = eligibleChild({ guardian: null, withheldFromHomeCountry: true });
    assert.equal(evaluate(both, BASE_RULES, ON).eligible, false);
    assert.equal(evaluate(eligibleChild({ guardian: null }), BASE_RULES, ON).eligible, 'unknown');
  });
});

describe('child or adult on the date', () => {
  test('someone who could be under 18 is a child; only someone certainly 18 is an adult', () => {
    assert.equal(subjectOn({ birthRange: { earliest: '2007-06-01', latest: '2009-06-01' } }, ON), 'child');
    assert.equal(subjectOn({ birthRange: { earliest: '2008-03-01', latest: '2008-03-01' } }, ON), 'adult');
    assert.equal(subjectOn({ birthRange: { earliest: '2008-03-02', latest: '2008-03-02' } }, ON), 'child');
    assert.equal(subjectOn({ birthRange: null }, ON), 'child');
  });

  test('the date decides: on a later departure date the same person may be an adult', () => {
    const facts = eligibleChild({ birthRange: { earliest: '2008-01-01', latest: '2008-06-30' } });
    assert.equal(evaluate(facts, BASE_RULES, '2026-03-01').subject, 'child');
    assert.equal(evaluate(facts, BASE_RULES, '2026-07-01').subject, 'adult');
  });
});
