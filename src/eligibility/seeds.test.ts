/** The seeds' situations (DESIGN.md, issue 5), agreements, families, the country view, and the case machine reading verdicts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CaseFacts, checkTransition } from '../domain/case-machine.ts';
import { DomainError } from '../domain/errors.ts';
import { countryView, type EligibilityVerdict, evaluate, familyVerdict } from './engine.ts';
import type { MemberFacts } from './facts.ts';
import { clearanceOf, consentOf, eligibleAdult, eligibleChild, FIXTURE_DATE } from './fixtures.ts';
import { type AgreementCriterion, BASE_RULES, type EligibilityRules, RULES_VERSION } from './rules.ts';

const ON = FIXTURE_DATE;
const statusOf = (v: EligibilityVerdict, id: string) => v.criteria.find((c) => c.id === id)?.status;
const notHolding = (v: EligibilityVerdict) => v.criteria.filter((c) => c.status !== 'holds').map((c) => `${c.id}:${c.status}`);

/** A child of a country with one change. */
const childOf = (country: string, i: number, over: Partial<MemberFacts> = {}) => {
  const personId = `${country.toLowerCase()}-child-${i}`;
  return eligibleChild({ personId, homeCountry: country, consent: { records: [consentOf({ childIds: [personId], givenBy: `${country}-mother-${i}` })], custodians: [`${country}-mother-${i}`], exemption: null }, ...over });
};

describe('a Russian group with guardians and assurances, ready to fly', () => {
  const group = Array.from({ length: 33 }, (_, i) => childOf('RUS', i));

  test('all 33 hold on every criterion', () => {
    const verdicts = group.map((c) => evaluate(c, BASE_RULES, ON));
    assert.deepEqual(verdicts.flatMap(notHolding), []);
    assert.deepEqual(countryView(verdicts), { total: 33, eligible: 33, blocked: 0, failing: 0, blockers: [] });
  });

  test('as a family case (siblings together), the group is eligible and the case can be approved', () => {
    const family = familyVerdict(group.slice(0, 3), BASE_RULES, ON);
    assert.equal(family.eligible, true);
    assert.deepEqual(family.blocking, []);
    const facts: CaseFacts = { countryCode: 'RUS', nationalityClaimed: true, nationalityConfirmed: true, eligibility: family.criteria, onManifest: false, manifestLocked: false, handoverRecorded: false, reason: null, heldFrom: null };
    assert.equal(checkTransition('clearance', 'approved', facts, { kind: 'user', role: 'coordinator', countryCode: null }).state, 'approved');
  });
});

describe("Tajikistan's 92 children: 75 eligible, and what blocks the other 17", () => {
  const children: MemberFacts[] = Array.from({ length: 92 }, (_, i) => {
    const c = childOf('TJK', i);
    if (i >= 75 && i < 81) return { ...c, consent: { ...c.consent, records: [] } }; // 6: no consent yet
    if (i >= 81 && i < 85) return { ...c, consent: { ...c.consent, records: [consentOf({ childIds: [c.personId], givenBy: c.consent.custodians[0] ?? '', kind: 'refusal' })] } }; // 4 mothers refused
    if (i >= 85 && i < 88) return { ...c, guardian: null }; // 3: no guardian named
    if (i >= 88 && i < 90) return { ...c, nationality: 'claimed' }; // 2: nationality not yet confirmed
    if (i === 90) return { ...c, clearances: c.clearances.map((x) => (x.agency === 'security' ? clearanceOf('security', { decision: 'deny' }) : x)) };
    if (i === 91) return { ...c, assurances: [], clearances: c.clearances.map((x) => (x.agency === 'security' ? clearanceOf('security', { decision: 'deny' }) : x)) };
    return c;
  });
  const verdicts = children.map((c) => evaluate(c, BASE_RULES, ON));

  test('the country view: 75 eligible, 17 blocked, by criterion (a child counts under each)', () => {
    assert.deepEqual(countryView(verdicts), {
      total: 92,
      eligible: 75,
      blocked: 17,
      failing: 6,
      blockers: [
        { criterion: 'consent', count: 10, fails: 4, unknown: 6 },
        { criterion: 'guardian_identified', count: 3, fails: 0, unknown: 3 },
        { criterion: 'clearance_security', count: 2, fails: 2, unknown: 0 },
        { criterion: 'nationality_confirmed', count: 2, fails: 0, unknown: 2 },
        { criterion: 'legal_assurances', count: 1, fails: 0, unknown: 1 },
      ],
    });
  });

  test("with the agreement ($400 a child) requiring a birth certificate, those without one are held back too", () => {
    const rules: EligibilityRules = { agreement: { id: 'agr-tjk-2026', countryCode: 'TJK', criteria: [{ kind: 'document_required', document: 'birth_certificate' }] } };
    const withDocs = children.map((c, i) => (i < 70 ? { ...c, documents: [{ id: `bc-${i}`, kind: 'birth_certificate' }] } : c));
    const view = countryView(withDocs.map((c) => evaluate(c, rules, ON)));
    assert.equal(view.eligible, 70);
    assert.deepEqual(view.blockers.find((b) => b.criterion === 'agreement_document_birth_certificate'), { criterion: 'agreement_document_birth_certificate', count: 22, fails: 0, unknown: 22 });
  });
});

describe('the seeds, one child at a time', () => {
  test('a child whose mother refused consent fails on consent, and only on it', () => {
    const c = eligibleChild();
    const v = evaluate({ ...c, consent: { ...c.consent, records: [consentOf({ childIds: [c.personId], kind: 'refusal', date: '2026-02-03' })] } }, BASE_RULES, ON);
    assert.equal(v.eligible, false);
    assert.deepEqual(notHolding(v), ['consent:fails']);
    assert.equal(v.criteria.find((x) => x.id === 'consent')?.message.text, 'Consent refused on 2026-02-03.');
  });

  test('a child alone, both parents dead, with a best-interests determination for return: every criterion holds', () => {
    const alone = eligibleChild({
      care: { unaccompanied: true, separated: false, mother: 'deceased' },
      consent: { records: [], custodians: [], exemption: { id: 'ex-1', reason: 'both_parents_deceased', recordedOn: '2025-10-01' } },
      guardian: { id: 'g-aunt', relation: 'aunt_uncle', verification: 'verified', verifiedBy: 'embassy interview and documents' },
      bestInterests: { id: 'bid-1', outcome: 'return', decidedOn: '2026-02-12', status: 'final' },
    });
    const v = evaluate(alone, BASE_RULES, ON);
    assert.deepEqual(notHolding(v), []);
    assert.equal(v.eligible, true);
    // without the determination, the child waits for one
    const waiting = evaluate({ ...alone, bestInterests: null }, BASE_RULES, ON);
    assert.deepEqual(notHolding(waiting), ['best_interests:unknown']);
    assert.equal(waiting.criteria.find((x) => x.id === 'best_interests')?.message.text, 'A best-interests determination is required (unaccompanied) and none is recorded.');
  });

  test('an estimated birth range straddling 18 is read as a child: the child criteria apply', () => {
    // about 17 on the date: born between 2007-06-01 and 2009-06-01 → 16–18 on 2026-03-01
    const v = evaluate(eligibleChild({ birthRange: { earliest: '2007-06-01', latest: '2009-06-01' } }), BASE_RULES, ON);
    assert.equal(v.subject, 'child');
    assert.deepEqual(v.age, { min: 16, max: 18 });
    assert.ok(v.criteria.some((c) => c.id === 'consent'));
    assert.ok(!v.criteria.some((c) => c.id === 'no_death_sentence'));
    // and certainly 18: the adult criteria
    assert.equal(evaluate(eligibleAdult({ birthRange: { earliest: '2007-06-01', latest: '2008-02-01' } }), BASE_RULES, ON).subject, 'adult');
  });

  test('a revoked consent fails until a new consent is recorded', () => {
    const c = eligibleChild();
    const revoked = { ...c, consent: { ...c.consent, records: [...c.consent.records, consentOf({ id: 'rev-1', childIds: [c.personId], kind: 'revocation', date: '2026-02-20' })] } };
    const v = evaluate(revoked, BASE_RULES, ON);
    assert.deepEqual(notHolding(v), ['consent:fails']);
    assert.equal(v.criteria.find((x) => x.id === 'consent')?.message.code, 'eligibility_consent_revoked');
    // the verdict before the revocation still held
    assert.equal(evaluate(revoked, BASE_RULES, '2026-02-19').eligible, true);
    const again = { ...revoked, consent: { ...revoked.consent, records: [...revoked.consent.records, consentOf({ id: 'c-2', childIds: [c.personId], date: '2026-02-27' })] } };
    assert.equal(evaluate(again, BASE_RULES, ON).eligible, true);
  });

  test('an expired clearance is unknown: ask the agency again', () => {
    const c = eligibleChild();
    const v = evaluate({ ...c, clearances: c.clearances.map((x) => (x.agency === 'judiciary' ? clearanceOf('judiciary', { validUntil: '2026-02-15' }) : x)) }, BASE_RULES, ON);
    assert.equal(v.eligible, 'unknown');
    const judiciary = v.criteria.find((x) => x.id === 'clearance_judiciary');
    assert.deepEqual([judiciary?.status, judiciary?.message.code, judiciary?.resolvedBy], ['unknown', 'eligibility_clearance_expired', ['judiciary']]);
    assert.equal(judiciary?.message.text, 'The clearance of the High Judicial Council expired on 2026-02-15: ask for it again.');
  });

  test('a person withheld from the home country is not eligible for return to it, child or adult', () => {
    for (const facts of [eligibleChild({ withheldFromHomeCountry: true }), eligibleAdult({ withheldFromHomeCountry: true })]) {
      const v = evaluate(facts, BASE_RULES, ON);
      assert.equal(v.eligible, false);
      assert.deepEqual(notHolding(v), ['not_withheld:fails']);
    }
  });

  test('an adult sentenced to death, or flagged for crimes against humanity, is not eligible', () => {
    assert.equal(statusOf(evaluate(eligibleAdult({ proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'death' }, sentenceStart: '2018-01-01' }] }), BASE_RULES, ON), 'no_death_sentence'), 'fails');
    assert.deepEqual(notHolding(evaluate(eligibleAdult({ crimesAgainstHumanity: true }), BASE_RULES, ON)), ['no_crimes_against_humanity_flag:fails']);
  });
});

describe("a country agreement's extra criteria", () => {
  const agreement = (criteria: AgreementCriterion[]): EligibilityRules => ({ agreement: { id: 'agr-rus-1', countryCode: 'RUS', criteria } });

  test('a document required: unknown without it, holds with it; the verdict names the agreement and the rules version', () => {
    const rules = agreement([{ kind: 'document_required', document: 'birth_certificate' }]);
    const without = evaluate(eligibleChild(), rules, ON);
    assert.deepEqual(notHolding(without), ['agreement_document_birth_certificate:unknown']);
    assert.deepEqual([without.agreementId, without.rulesVersion], ['agr-rus-1', RULES_VERSION]);
    assert.equal(without.criteria.at(-1)?.message.text, 'The agreement requires a birth_certificate; none is on record.');
    assert.equal(evaluate(eligibleChild({ documents: [{ id: 'bc', kind: 'birth_certificate' }] }), rules, ON).eligible, true);
    // documents apply to adults too, by default
    assert.deepEqual(notHolding(evaluate(eligibleAdult(), rules, ON)), ['agreement_document_birth_certificate:unknown']);
  });

  test('a maximum age: holds within, fails over, unknown when the range straddles it; children only by default', () => {
    const rules = agreement([{ kind: 'max_age', years: 12 }]);
    assert.equal(statusOf(evaluate(eligibleChild(), rules, ON), 'agreement_max_age'), 'holds'); // 9
    assert.equal(statusOf(evaluate(eligibleChild({ birthRange: { earliest: '2012-01-01', latest: '2012-01-01' } }), rules, ON), 'agreement_max_age'), 'fails'); // 14
    assert.equal(statusOf(evaluate(eligibleChild({ birthRange: { earliest: '2012-06-01', latest: '2014-06-01' } }), rules, ON), 'agreement_max_age'), 'unknown'); // 11–13
    assert.equal(statusOf(evaluate(eligibleChild({ birthRange: null }), rules, ON), 'agreement_max_age'), 'unknown');
    assert.equal(statusOf(evaluate(eligibleAdult(), rules, ON), 'agreement_max_age'), undefined);
  });

  test('the guardian must be a relative', () => {
    const rules = agreement([{ kind: 'guardian_relative' }]);
    assert.equal(statusOf(evaluate(eligibleChild(), rules, ON), 'agreement_guardian_relative'), 'holds');
    const foster = evaluate(eligibleChild({ guardian: { id: 'g', relation: 'foster', verification: 'verified', verifiedBy: 'embassy' } }), rules, ON);
    assert.deepEqual(notHolding(foster), ['agreement_guardian_relative:fails']);
    assert.equal(statusOf(evaluate(eligibleChild({ guardian: null }), rules, ON), 'agreement_guardian_relative'), 'unknown');
  });

  test("another country's agreement is a programming error", () => {
    assert.throws(() => evaluate(eligibleChild({ homeCountry: 'TJK' }), agreement([]), ON), RangeError);
  });
});

describe('a family case', () => {
  const mother = eligibleAdult({
    personId: 'mother-1',
    proceedings: [{ id: 'p', stage: 'final', verdict: 'convicted', sentence: { kind: 'term', years: 15, months: 0, days: 0 }, sentenceStart: '2019-06-01' }],
  });
  const kids = [eligibleChild({ personId: 'k1', consent: { records: [consentOf({ childIds: ['k1', 'k2'] })], custodians: ['mother-1'], exemption: null } }), eligibleChild({ personId: 'k2', consent: { records: [consentOf({ childIds: ['k1', 'k2'] })], custodians: ['mother-1'], exemption: null } })];

  test('a mother serving her sentence blocks the group; the children do not', () => {
    const family = familyVerdict([mother, ...kids], BASE_RULES, ON);
    assert.equal(family.eligible, false);
    assert.deepEqual(family.blocking, [{ personId: 'mother-1', eligible: false, criteria: ['sentence_served_or_transfer_agreed'] }]);
    assert.deepEqual(family.members.map((m) => [m.personId, m.subject, m.eligible]), [['mother-1', 'adult', false], ['k1', 'child', true], ['k2', 'child', true]]);
    const facts: CaseFacts = { countryCode: 'RUS', nationalityClaimed: true, nationalityConfirmed: true, eligibility: family.criteria, onManifest: false, manifestLocked: false, handoverRecorded: false, reason: null, heldFrom: null };
    const error = (() => {
      try {
        checkTransition('assessment', 'clearance', facts, { kind: 'user', role: 'coordinator', countryCode: null });
      } catch (e) {
        return e as DomainError;
      }
      return null;
    })();
    assert.ok(error instanceof DomainError);
    assert.deepEqual(error.details.map((d) => [d.path, d.code]), [
      ['guard.eligible_except_clearances', 'case_guard_eligible_except_clearances'],
      ['eligibility.mother-1.sentence_served_or_transfer_agreed', 'eligibility_sentence_not_served'],
    ]);
    assert.equal(error.details[1]?.message, 'A sentence is not served yet: release on 2034-06-01.');
  });

  test('once she leaves the case, her children stay with a best-interests determination to be made', () => {
    const staying = kids.map((k) => ({ ...k, care: { ...k.care, mother: 'staying' as const } }));
    const family = familyVerdict(staying, BASE_RULES, ON);
    assert.equal(family.eligible, 'unknown');
    assert.deepEqual(family.blocking.map((b) => [b.personId, b.criteria]), [['k1', ['best_interests']], ['k2', ['best_interests']]]);
    const decided = staying.map((k) => ({ ...k, bestInterests: { id: `bid-${k.personId}`, outcome: 'return' as const, decidedOn: '2026-02-25', status: 'final' as const } }));
    assert.equal(familyVerdict(decided, BASE_RULES, ON).eligible, true);
  });

  test('an empty group is not eligible', () => {
    assert.equal(familyVerdict([], BASE_RULES, ON).eligible, 'unknown');
  });
});

describe('the verdict is a pure function of its inputs', () => {
  test('the same facts give the same verdict, and the facts are not changed', () => {
    const facts = eligibleChild({ guardian: null });
    const frozen = JSON.stringify(facts);
    assert.deepEqual(evaluate(facts, BASE_RULES, ON), evaluate(facts, BASE_RULES, ON));
    assert.equal(JSON.stringify(facts), frozen);
  });
});
