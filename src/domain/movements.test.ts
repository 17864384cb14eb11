import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BASE_RULES, evaluate } from '../eligibility/index.ts';
import { allClearances, clearanceOf, consentOf, eligibleChild, FIXTURE_DATE } from '../eligibility/fixtures.ts';
import { addDays } from './birth-date.ts';
import { findMovementTransition, type ManifestCheck, manifestChecks, type MovementFacts, type PassengerFacts } from './movements.ts';

const DEPARTS = addDays(FIXTURE_DATE, 10);

function passenger(over: Partial<PassengerFacts> = {}, facts = eligibleChild()): PassengerFacts {
  return {
    personId: facts.personId,
    displayName: 'Zarina (fixture)',
    child: true,
    verdict: evaluate(facts, BASE_RULES, DEPARTS),
    travelDocuments: [{ kind: 'travel_document', expiresOn: addDays(DEPARTS, 90) }],
    fitness: { assessedOn: addDays(DEPARTS, -3), fit: true },
    motherOnBoard: false,
    escortAssigned: true,
    ...over,
  };
}
const flight = (passengers: PassengerFacts[], over: Partial<MovementFacts> = {}): MovementFacts => ({
  kind: 'repatriation',
  departureDate: DEPARTS,
  capacity: 40,
  escorts: [{ name: 'Escort (fixture)', role: 'official' }],
  passengers,
  ...over,
});
const failedChecks = (m: MovementFacts): ManifestCheck[] => manifestChecks(m).passengers.flatMap((p) => p.failed.map((f) => f.check));

describe('the manifest locks only when every check passes', () => {
  test('an eligible, documented, fit, escorted child: nothing fails', () => {
    const verdict = manifestChecks(flight([passenger()]));
    assert.deepEqual([verdict.ok, verdict.passengers, verdict.movement], [true, [], []]);
  });

  test('each failing check names the passenger and the check', () => {
    const cases: [string, PassengerFacts, ManifestCheck][] = [
      ['eligibility re-computed on the departure date', passenger({}, eligibleChild({ guardian: null })), 'eligibility'],
      ['no travel document', passenger({ travelDocuments: [] }), 'travel_document'],
      ['travel document expired by departure', passenger({ travelDocuments: [{ kind: 'passport', expiresOn: addDays(DEPARTS, -1) }] }), 'travel_document'],
      ['a birth certificate is not a travel document', passenger({ travelDocuments: [{ kind: 'birth_certificate', expiresOn: null }] }), 'travel_document'],
      ['no medical fitness recorded', passenger({ fitness: null }), 'medical_fitness'],
      ['found unfit', passenger({ fitness: { assessedOn: DEPARTS, fit: false } }), 'medical_fitness'],
      ['fitness too old', passenger({ fitness: { assessedOn: addDays(DEPARTS, -45), fit: true } }), 'medical_fitness'],
      ['a clearance expired before the day', passenger({}, eligibleChild({ clearances: [...allClearances().filter((c) => c.agency !== 'security'), clearanceOf('security', { validUntil: addDays(DEPARTS, -1) })] })), 'clearances_valid'],
      ['consent revoked', passenger({}, eligibleChild({ consent: { ...eligibleChild().consent, records: [...eligibleChild().consent.records, consentOf({ kind: 'revocation', childIds: [eligibleChild().personId], date: addDays(FIXTURE_DATE, 1) })] } })), 'consent_not_revoked'],
      ['a child alone without an escort', passenger({ escortAssigned: false }), 'child_escorted'],
    ];
    for (const [what, p, check] of cases) {
      const verdict = manifestChecks(flight([p]));
      assert.equal(verdict.ok, false, what);
      assert.deepEqual(failedChecks(flight([p])), [check], what);
      assert.equal(verdict.passengers[0]?.personId, p.personId, `${what}: the passenger is named`);
      assert.match(verdict.passengers[0]?.failed[0]?.message ?? '', /\w/);
    }
  });

  test('a child with the mother on board needs no other escort; the escort must exist', () => {
    assert.equal(manifestChecks(flight([passenger({ escortAssigned: false, motherOnBoard: true })])).ok, true);
    assert.deepEqual(failedChecks(flight([passenger()], { escorts: [] })), ['child_escorted']);
  });

  test('seats within capacity (passengers and escorts); an empty manifest does not lock', () => {
    const many = Array.from({ length: 4 }, (_, i) => passenger({ personId: `p${i}` }));
    const over = manifestChecks(flight(many, { capacity: 4 }));
    assert.deepEqual(over.movement.map((f) => [f.check, f.params.needed, f.params.capacity]), [['capacity', 5, 4]]);
    assert.deepEqual(manifestChecks(flight([])).movement.map((f) => f.check), ['passengers']);
  });

  test('a transfer between holding authorities needs no eligibility or travel document', () => {
    assert.equal(manifestChecks(flight([passenger({ verdict: null, travelDocuments: [] })], { kind: 'transfer' })).ok, true);
  });

  test('statuses: unlocking and cancelling are recorded decisions; nothing leaves departed but completion', () => {
    assert.equal(findMovementTransition('planned', 'lock')?.to, 'manifest_locked');
    assert.equal(findMovementTransition('manifest_locked', 'unlock')?.needsReason, true);
    assert.equal(findMovementTransition('departed', 'cancel'), undefined);
    assert.equal(findMovementTransition('planned', 'depart'), undefined);
    assert.equal(findMovementTransition('departed', 'complete')?.to, 'completed');
  });
});
