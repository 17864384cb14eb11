import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { addDays } from '../../../domain/birth-date.ts';
import { CATEGORIES, visibleCategories } from '../../../domain/categories.ts';
import { CATEGORY_PURPOSES } from '../../../domain/purposes.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, clientsByRole, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix } from '../../../testing/matrix.ts';

// Decision 0025: every data category with its purpose and legal basis, and what the caller sees of it.
let t: TestApp;
let clients: Map<Role, Client>;
const TODAY = new Date().toISOString().slice(0, 10);

interface Answer {
  data: { category: string; purpose: string; legalBasis: string; legalBases: string[]; visible: boolean; addedByAgreement: boolean | null }[];
  agreementInForce: boolean | null;
}

before(async () => {
  t = await createTestApp();
  clients = await clientsByRole(t, ROLES);
});
after(() => t.close());

async function categoriesOf(client: Client): Promise<Answer> {
  const response = await client.request('GET', '/api/v1/data-categories');
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as Answer;
}

describe('GET /api/v1/data-categories', () => {
  test('every role may read it; nobody signed out', async () => {
    await checkMatrix(clients, [{ method: 'GET', url: '/api/v1/data-categories', allow: Object.fromEntries(ROLES.map((r) => [r, 200])) }]);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/data-categories' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error.code, 'unauthenticated');
  });

  test("each role's answer: every category with its purpose and basis, visible as its role allows", async () => {
    for (const role of ROLES) {
      const answer = await categoriesOf(clients.get(role)!);
      assert.deepEqual(answer.data.map((c) => c.category), [...CATEGORIES], role);
      const expected = visibleCategories(role);
      for (const c of answer.data) {
        const purpose = CATEGORY_PURPOSES[c.category as keyof typeof CATEGORY_PURPOSES];
        assert.equal(c.purpose, purpose.purpose);
        assert.equal(c.legalBasis, purpose.legalBasis);
        assert.deepEqual(c.legalBases, purpose.legalBases);
        assert.ok(c.purpose.length > 20 && c.legalBasis.length > 20, `${c.category} says why`);
        assert.equal(c.visible, expected.has(c.category as (typeof CATEGORIES)[number]), `${role} ${c.category}`);
      }
      if (role === 'embassy') {
        assert.equal(answer.agreementInForce, false);
        assert.ok(answer.data.every((c) => c.addedByAgreement === false));
      } else {
        assert.equal(answer.agreementInForce, null, role);
        assert.ok(answer.data.every((c) => c.addedByAgreement === null), role);
      }
    }
    // Spot checks against DESIGN.md's table.
    const visibleTo = async (role: Role) => (await categoriesOf(clients.get(role)!)).data.filter((c) => c.visible).map((c) => c.category);
    assert.deepEqual(await visibleTo('judiciary'), ['identity', 'legal', 'case_status']);
    assert.deepEqual(await visibleTo('embassy'), ['identity', 'family', 'case_status']);
    assert.deepEqual(await visibleTo('admin'), []);
    assert.ok((await visibleTo('child_protection')).includes('best_interests'));
    assert.ok(!(await visibleTo('coordinator')).includes('best_interests'));
  });

  test('an embassy with and without its agreement in force', async () => {
    const coordinator = clients.get('coordinator')!;
    const uzb = await signInNew(t, 'embassy', { countryCode: 'UZB' });
    const kaz = await signInNew(t, 'embassy', { countryCode: 'KAZ' });
    const created = await coordinator.request('POST', '/api/v1/countries/UZB/agreements', {
      title: 'Data-sharing memorandum (test)',
      validFrom: addDays(TODAY, -10),
      currency: 'USD',
      feePerChild: '0',
      feePerAdult: '0',
      dataCategories: ['identity', 'custody', 'welfare', 'case_status'],
    });
    assert.equal(created.statusCode, 201, created.body);

    const inForce = await categoriesOf(uzb);
    assert.equal(inForce.agreementInForce, true);
    const byCategory = new Map(inForce.data.map((c) => [c.category, c]));
    assert.deepEqual([...byCategory.values()].filter((c) => c.visible).map((c) => c.category), ['identity', 'custody', 'welfare', 'case_status']);
    assert.deepEqual([...byCategory.values()].filter((c) => c.addedByAgreement).map((c) => c.category), ['custody', 'welfare']);
    assert.equal(byCategory.get('family')?.visible, false, 'the agreement replaces the default: family is not in it');
    assert.equal(byCategory.get('security')?.visible, false);

    // Another country's embassy keeps the default.
    const other = await categoriesOf(kaz);
    assert.equal(other.agreementInForce, false);
    assert.deepEqual(other.data.filter((c) => c.visible).map((c) => c.category), ['identity', 'family', 'case_status']);

    // Ended: back to the default.
    const ended = await coordinator.request('PATCH', `/api/v1/agreements/${created.json().id}`, { validFrom: addDays(TODAY, -30), validUntil: addDays(TODAY, -1) }, { 'if-match': '"1"' });
    assert.equal(ended.statusCode, 200, ended.body);
    const after = await categoriesOf(uzb);
    assert.equal(after.agreementInForce, false);
    assert.deepEqual(after.data.filter((c) => c.visible).map((c) => c.category), ['identity', 'family', 'case_status']);
    assert.ok(after.data.every((c) => c.addedByAgreement === false));
  });

  test('the web app says the same in its four languages', () => {
    const load = (lang: string) => JSON.parse(fs.readFileSync(new URL(`../../../../web/src/i18n/${lang}.json`, import.meta.url), 'utf8')).dataProtection;
    const en = load('en');
    for (const c of CATEGORIES) {
      assert.equal(en.categories[c].purpose, CATEGORY_PURPOSES[c].purpose, `en ${c} purpose`);
      assert.equal(en.categories[c].legalBasis, CATEGORY_PURPOSES[c].legalBasis, `en ${c} legal basis`);
    }
    for (const lang of ['ar', 'ru', 'fr']) {
      const other = load(lang);
      for (const c of CATEGORIES) {
        for (const key of ['name', 'purpose', 'legalBasis']) {
          assert.ok(typeof other.categories[c][key] === 'string' && other.categories[c][key] !== en.categories[c][key], `${lang} ${c}.${key} is translated`);
        }
      }
    }
  });
});
