import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CATEGORIES, type Category, EMBASSY_DEFAULT_CATEGORIES, geneticSummaryOnly, projectByCategory, visibleCategories } from './categories.ts';
import { ROLES, type Role } from './roles.ts';

// DESIGN.md "Who uses it", column "sees", over the data categories DESIGN.md names.
// `case_status` is not a data category there but the embassy default names it; it is
// checked on its own below.
const DESIGN_CATEGORIES = ['identity', 'family', 'custody', 'legal', 'security', 'welfare', 'best_interests', 'genetic'] as const;
const EXPECTED: Record<Role, readonly Category[]> = {
  // "all categories except security and best_interests content"
  coordinator: ['identity', 'family', 'custody', 'legal', 'welfare', 'genetic'],
  judiciary: ['identity', 'legal'],
  custody: ['identity', 'family', 'custody', 'welfare'],
  security: ['identity', 'family', 'legal', 'security'],
  embassy: ['identity', 'family'],
  child_protection: ['identity', 'family', 'welfare', 'best_interests', 'genetic'],
  admin: [],
  auditor: [],
};

const sorted = (values: Iterable<string>) => [...values].sort();

describe('the role × category table', () => {
  test('the categories are those of DESIGN.md, plus case status', () => {
    assert.deepEqual(sorted(CATEGORIES), sorted([...DESIGN_CATEGORIES, 'case_status']));
  });

  for (const role of ROLES) {
    test(`${role} sees exactly ${EXPECTED[role].join(', ') || 'nothing'}`, () => {
      const visible = visibleCategories(role);
      const design = [...visible].filter((c) => (DESIGN_CATEGORIES as readonly string[]).includes(c));
      assert.deepEqual(sorted(design), sorted(EXPECTED[role]));
    });
  }

  test('admin and auditor see no case data at all, not even case status', () => {
    assert.equal(visibleCategories('admin').size, 0);
    assert.equal(visibleCategories('auditor').size, 0);
  });

  test('every role that works on cases sees case status', () => {
    for (const role of ROLES.filter((r) => r !== 'admin' && r !== 'auditor')) {
      assert.ok(visibleCategories(role).has('case_status'), role);
    }
  });

  test('no one but security sees security; no one but child protection sees best interests', () => {
    for (const role of ROLES) {
      assert.equal(visibleCategories(role).has('security'), role === 'security', role);
      assert.equal(visibleCategories(role).has('best_interests'), role === 'child_protection', role);
    }
  });

  test('DNA results only for coordinator and child protection; others at most the summary', () => {
    for (const role of ROLES) {
      const full = role === 'coordinator' || role === 'child_protection';
      assert.equal(visibleCategories(role).has('genetic'), full, role);
      assert.equal(geneticSummaryOnly(role), !full, role);
    }
  });
});

describe('an embassy and its data-sharing agreement', () => {
  test('the default is identity, family and case status', () => {
    assert.deepEqual(sorted(EMBASSY_DEFAULT_CATEGORIES), ['case_status', 'family', 'identity']);
    assert.deepEqual(sorted(visibleCategories('embassy')), ['case_status', 'family', 'identity']);
  });

  test('an agreement replaces the default: it can widen it ...', () => {
    const visible = visibleCategories('embassy', ['identity', 'family', 'case_status', 'legal', 'welfare', 'custody']);
    assert.deepEqual(sorted(visible), sorted(['identity', 'family', 'case_status', 'legal', 'welfare', 'custody']));
  });

  test('... or narrow it', () => {
    assert.deepEqual(sorted(visibleCategories('embassy', ['identity'])), ['identity']);
    assert.equal(visibleCategories('embassy', []).size, 0);
  });

  test('never to security or best interests', () => {
    const visible = visibleCategories('embassy', [...CATEGORIES]);
    assert.equal(visible.has('security'), false);
    assert.equal(visible.has('best_interests'), false);
    assert.ok(visible.has('identity'));
  });

  test('never to the DNA result itself (special-category data, summary only outside coordinator and child protection)', () => {
    assert.equal(visibleCategories('embassy', ['identity', 'genetic']).has('genetic'), false);
    assert.equal(geneticSummaryOnly('embassy'), true);
  });

  test('an agreement widens no other role', () => {
    for (const role of ROLES.filter((r) => r !== 'embassy')) {
      assert.deepEqual(sorted(visibleCategories(role, [...CATEGORIES])), sorted(visibleCategories(role)), role);
    }
  });
});

describe('projectByCategory', () => {
  const record = {
    id: 'p-1',
    version: 3,
    givenName: 'Amina',
    motherId: 'p-2',
    facilityId: 'f-1',
    sentence: '5 years',
    screening: 'flagged',
    health: 'asthma',
    determination: 'return',
    dnaResult: '99.9%',
    caseState: 'assessment',
    secretNote: 'not mapped',
  };
  const fields = {
    id: 'always',
    version: 'always',
    givenName: 'identity',
    motherId: 'family',
    facilityId: 'custody',
    sentence: 'legal',
    screening: 'security',
    health: 'welfare',
    determination: 'best_interests',
    dnaResult: 'genetic',
    caseState: 'case_status',
  } as const;

  test('keeps the fields of visible categories and the "always" ones', () => {
    const out = projectByCategory(record, fields, visibleCategories('judiciary'));
    assert.deepEqual(out, { id: 'p-1', version: 3, givenName: 'Amina', sentence: '5 years', caseState: 'assessment' });
  });

  test('drops a field whose category is not mapped (deny by default)', () => {
    for (const role of ROLES) {
      assert.equal('secretNote' in projectByCategory(record, fields, visibleCategories(role)), false, role);
    }
    assert.equal('secretNote' in projectByCategory(record, fields, new Set(CATEGORIES)), false);
  });

  test('each role gets the fields of its categories, and no more', () => {
    for (const role of ROLES) {
      const visible = visibleCategories(role);
      const out = projectByCategory(record, fields, visible);
      const expected = Object.entries(fields)
        .filter(([, c]) => c === 'always' || visible.has(c))
        .map(([k]) => k);
      assert.deepEqual(sorted(Object.keys(out)), sorted(expected), role);
    }
    assert.deepEqual(projectByCategory(record, fields, visibleCategories('admin')), { id: 'p-1', version: 3 });
  });

  test('keeps null and undefined-valued fields of visible categories, and copies nothing else', () => {
    const out = projectByCategory({ id: 'x', givenName: null, screening: 's' }, { id: 'always', givenName: 'identity', screening: 'security' }, visibleCategories('embassy'));
    assert.deepEqual(out, { id: 'x', givenName: null });
  });
});
