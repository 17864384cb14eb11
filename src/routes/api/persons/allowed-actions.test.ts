import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../../domain/roles.ts';
import { type Client, createTestApp, signInNew, type TestApp } from '../../../testing/app.ts';

/** A person's page tells the web app which edit forms to offer: the person policy's actions for the caller's role. */
let t: TestApp;
let coordinator: Client;
let personId: string;

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  const created = await coordinator.request('POST', '/api/v1/persons', { sex: 'female', birthDate: { precision: 'year', year: 1990 }, names: [{ fullName: 'Amina Saidova' }], nationalities: [{ countryCode: 'TJK' }] });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(created.json().allowedActions, ['updateIdentity', 'updateWelfare', 'withhold', 'manageFamily', 'manageCustody', 'merge', 'recordEvidence']);
  personId = created.json().id;
});
after(() => t.close());

describe('allowed actions on a person', () => {
  const expected: [Role, string[]][] = [
    ['coordinator', ['updateIdentity', 'updateWelfare', 'withhold', 'manageFamily', 'manageCustody', 'merge', 'recordEvidence']],
    ['judiciary', ['manageProceedings']],
    ['security', ['updateSecurity']],
    ['embassy', ['recordEvidence']],
  ];
  for (const [role, actions] of expected) {
    test(`${role}: ${actions.join(', ') || 'none'}`, async () => {
      const client = role === 'coordinator' ? coordinator : await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {});
      const response = await client.request('GET', `/api/v1/persons/${personId}`);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json().allowedActions, actions);
    });
  }
});
