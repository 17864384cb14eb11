import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MatchRecord } from '../matching/fields.ts';
import { generatePopulation } from '../matching/population.ts';
import type { SubjectRecord } from '../repositories/match-records.ts';
import { PROPOSAL_THRESHOLD, proposeCandidates } from './candidateProposals.ts';
import { proposeInThread, stopMatchingThread } from './candidateThread.ts';

const TODAY = new Date('2026-12-01T00:00:00Z');
const created = new Date('2026-01-01T00:00:00Z');

/** A registry of unrelated people (no duplicates) around the pairs under test, so that u is learned from something. */
function background(): SubjectRecord[] {
  const population = generatePopulation({ records: 600, seed: 'proposals-test', duplicateShare: 0 });
  return population.records.map((record, i) => ({ ref: { kind: 'person', id: `bg-${String(i).padStart(4, '0')}`, createdAt: created }, record }));
}

const child = (id: string, birth: string, extra: Partial<MatchRecord> = {}): SubjectRecord => ({
  ref: { kind: 'person', id, createdAt: created },
  record: { given_name: 'Zaynab', family_name: 'Qadirova', father_name: 'Rustam', mother_name: 'Malika', sex: 'f', birth_date: birth, nationality: 'TJK', ...extra },
});

function proposedPairs(subjects: SubjectRecord[], relatives = new Set<string>()): string[] {
  return proposeCandidates(subjects, relatives, TODAY)
    .proposals.filter((p) => !p.personId.startsWith('bg-'))
    .map((p) => `${p.personId}:${p.otherPersonId ?? p.tracingRequestId}`);
}

describe('the sweep proposes a pair only when the registry does not rule it out', () => {
  const people = background();

  test('two registrations of one child are proposed, above the review threshold, with an explanation', () => {
    const result = proposeCandidates([...people, child('a', '2015'), child('b', '2015-03-07', { given_name: 'Зайнаб', family_name: 'Кадырова' })], new Set(), TODAY);
    const pair = result.proposals.find((p) => p.personId === 'a' && p.otherPersonId === 'b');
    assert.ok(pair, 'the pair is proposed');
    assert.ok(pair.probability >= PROPOSAL_THRESHOLD);
    assert.match(pair.explanation.text, /given name/);
  });

  test('a child of eleven and a toddler of the same names are two people', () => {
    assert.deepEqual(proposedPairs([...people, child('a', '2015'), child('b', '2022-01-01..2024-12-31')]), []);
  });

  test('adults estimated a few years apart may still be one person', () => {
    const adult = (id: string, birth: string) => child(id, birth, { given_name: 'Malika', father_name: 'Said', mother_name: 'Gulnora' });
    assert.deepEqual(proposedPairs([...people, adult('a', '1986'), adult('b', '1980-01-01..1982-12-31')]), ['a:b']);
  });

  test('recorded relatives and a man and a woman are never proposed', () => {
    assert.deepEqual(proposedPairs([...people, child('a', '2015'), child('b', '2015')], new Set(['a:b'])), []);
    assert.deepEqual(proposedPairs([...people, child('a', '2015'), child('b', '2015', { sex: 'm' })]), []);
  });
});

test('the matching thread gives the same proposals as the engine run here', async () => {
  const subjects = [...background(), child('a', '2015'), child('b', '2015-03-07')];
  try {
    const here = proposeCandidates(subjects, new Set(), new Date());
    const there = await proposeInThread(subjects, new Set());
    assert.equal(there.pairs, here.pairs);
    assert.deepEqual(there.proposals, here.proposals);
  } finally {
    await stopMatchingThread();
  }
});
