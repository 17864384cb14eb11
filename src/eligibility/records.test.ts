import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConsentRecord } from './facts.ts';
import { clearanceOf, consentOf } from './fixtures.ts';
import { effectiveClearance, effectiveConsent } from './records.ts';

const CHILD = { childId: 'c1', custodians: ['mother-1'], onDate: '2026-03-01' };
const rec = (over: Partial<ConsentRecord>) => consentOf({ childIds: ['c1'], ...over });
const pick = (records: ConsentRecord[], child = CHILD) => {
  const e = effectiveConsent(records, child);
  return [e.status, e.record?.id ?? null, e.ignored.map((i) => `${i.record.id}:${i.reason}`)];
};

describe('the effective consent: the latest valid record counts', () => {
  const cases: [string, ConsentRecord[], ReturnType<typeof pick>][] = [
    ['nothing recorded', [], ['none', null, []]],
    ['one consent', [rec({ id: 'a' })], ['given', 'a', []]],
    ['a refusal', [rec({ id: 'a', kind: 'refusal' })], ['refused', 'a', []]],
    ['consent, then revoked', [rec({ id: 'a', date: '2026-01-01' }), rec({ id: 'b', kind: 'revocation', date: '2026-02-01' })], ['revoked', 'b', []]],
    ['revoked, then consent again', [rec({ id: 'b', kind: 'revocation', date: '2026-02-01' }), rec({ id: 'a', date: '2026-01-01' }), rec({ id: 'c', date: '2026-02-15' })], ['given', 'c', []]],
    ['refused, then consented', [rec({ id: 'a', kind: 'refusal', date: '2025-12-01' }), rec({ id: 'b', date: '2026-01-20' })], ['given', 'b', []]],
    ['a voided later refusal does not count', [rec({ id: 'a' }), rec({ id: 'b', kind: 'refusal', date: '2026-02-01', voided: true })], ['given', 'a', ['b:voided']]],
    ['an unwitnessed record does not count', [rec({ id: 'a', witnessId: null })], ['none', null, ['a:not_witnessed']]],
    ['a father without custody does not decide', [rec({ id: 'a' }), rec({ id: 'b', kind: 'refusal', givenBy: 'father-1', date: '2026-02-01' })], ['given', 'a', ['b:not_custodian']]],
    ['a record after the date does not count yet', [rec({ id: 'a' }), rec({ id: 'b', kind: 'revocation', date: '2026-03-02' })], ['given', 'a', ['b:after_date']]],
    ['a record for other children is not this child\'s, and not listed', [rec({ id: 'a', childIds: ['c2', 'c3'] })], ['none', null, []]],
    ['the same day: the later recorded counts', [rec({ id: 'a', kind: 'refusal', recordedAt: '2026-01-10T09:00:00Z' }), rec({ id: 'b', recordedAt: '2026-01-10T15:00:00Z' })], ['given', 'b', []]],
    ['a perfect tie: the refusal wins, whatever the order', [rec({ id: 'b', kind: 'refusal' }), rec({ id: 'a' })], ['refused', 'b', []]],
    ['a perfect tie, the other order', [rec({ id: 'a' }), rec({ id: 'b', kind: 'refusal' })], ['refused', 'b', []]],
  ];
  for (const [name, records, expected] of cases) test(name, () => assert.deepEqual(pick(records), expected));

  test('one record may name several children; each child reads it', () => {
    const both = rec({ id: 'a', childIds: ['c1', 'c2'] });
    assert.equal(effectiveConsent([both], CHILD).status, 'given');
    assert.equal(effectiveConsent([both], { ...CHILD, childId: 'c2' }).status, 'given');
  });

  test('a legal guardian with custody decides like a parent', () => {
    assert.equal(effectiveConsent([rec({ id: 'a', givenBy: 'guardian-9' })], { ...CHILD, custodians: ['guardian-9'] }).status, 'given');
  });
});

describe('the effective clearance of an agency on a date', () => {
  const on = '2026-03-01';
  const cases: [string, Parameters<typeof clearanceOf>[1][], string, string | null][] = [
    ['none', [], 'missing', null],
    ['approved and valid', [{ id: 'a' }], 'approved', 'a'],
    ['valid through the day itself', [{ id: 'a', validUntil: on }], 'approved', 'a'],
    ['expired the day before: ask again', [{ id: 'a', validUntil: '2026-02-28' }], 'expired', 'a'],
    ['denied', [{ id: 'a', decision: 'deny' }], 'denied', 'a'],
    ['a denial does not expire', [{ id: 'a', decision: 'deny', validUntil: '2026-01-31' }], 'denied', 'a'],
    ['denied, then approved', [{ id: 'a', decision: 'deny', decidedOn: '2026-01-01' }, { id: 'b', decidedOn: '2026-02-01' }], 'approved', 'b'],
    ['approved, then denied', [{ id: 'b', decidedOn: '2026-02-01', decision: 'deny' }, { id: 'a', decidedOn: '2026-01-01' }], 'denied', 'b'],
    ['expired, then renewed', [{ id: 'a', decidedOn: '2025-01-01', validUntil: '2025-12-31' }, { id: 'b', decidedOn: '2026-02-20', validUntil: '2026-08-31' }], 'approved', 'b'],
    ['a decision after the date does not count yet', [{ id: 'a' }, { id: 'b', decidedOn: '2026-03-05', decision: 'deny' }], 'approved', 'a'],
    ['the same day: the stricter counts', [{ id: 'a', decision: 'approve' }, { id: 'b', decision: 'deny' }], 'denied', 'b'],
  ];
  for (const [name, records, status, id] of cases) {
    test(name, () => {
      const list = records.map((r) => clearanceOf('security', r));
      const e = effectiveClearance([...list, clearanceOf('judiciary', { id: 'other', decision: 'deny' })], 'security', on);
      assert.deepEqual([e.status, e.record?.id ?? null], [status, id]);
    });
  }
});
