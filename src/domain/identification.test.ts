import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Evidence, identityConfidence, isOverdue, isSettled, nationalityStatusAfter } from './identification.ts';

const doc: Evidence = { kind: 'document', supports: true, dnaResult: null };
const interview: Evidence = { kind: 'interview', supports: true, dnaResult: null };
const dna = (dnaResult: Evidence['dnaResult']): Evidence => ({ kind: 'dna', supports: dnaResult === 'match', dnaResult });

describe('identity confidence', () => {
  test('nothing recorded is unverified', () => {
    assert.equal(identityConfidence([], false).level, 'unverified');
  });
  test('one support is preliminary; two independent supports are confirmed', () => {
    assert.equal(identityConfidence([doc], false).level, 'preliminary');
    assert.equal(identityConfidence([], true).level, 'preliminary');
    assert.equal(identityConfidence([doc, interview], false).level, 'confirmed');
    assert.equal(identityConfidence([interview], true).level, 'confirmed');
  });
  test('a DNA match confirms on its own; a DNA exclusion or a contrary finding holds it back', () => {
    assert.equal(identityConfidence([dna('match')], false).level, 'confirmed');
    assert.deepEqual(identityConfidence([dna('match')], false).reasons, ['dna_match']);
    assert.equal(identityConfidence([doc, interview, dna('no_match')], true).level, 'preliminary');
    assert.equal(identityConfidence([doc, interview, { kind: 'document', supports: false, dnaResult: null }], false).level, 'preliminary');
    assert.equal(identityConfidence([dna('inconclusive')], false).level, 'preliminary');
  });
});

describe('nationality verification', () => {
  test('an answer sets the nationality: confirmed → verified, not a national → rejected, more information → unchanged', () => {
    assert.equal(nationalityStatusAfter('confirmed'), 'verified');
    assert.equal(nationalityStatusAfter('not_national'), 'rejected');
    assert.equal(nationalityStatusAfter('more_information'), null);
    assert.equal(isSettled('more_information'), false);
    assert.equal(isSettled(null), false);
    assert.equal(isSettled('confirmed'), true);
  });
  test('a request is overdue after its due date while anyone on it is unsettled', () => {
    assert.equal(isOverdue({ dueOn: '2026-01-10', open: 2 }, '2026-01-10'), false);
    assert.equal(isOverdue({ dueOn: '2026-01-10', open: 2 }, '2026-01-11'), true);
    assert.equal(isOverdue({ dueOn: '2026-01-10', open: 0 }, '2026-02-01'), false);
  });
});
