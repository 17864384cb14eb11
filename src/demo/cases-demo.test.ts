import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, createTestApp, logInAs, type TestApp } from '../testing/app.ts';
import { loadDemo } from './demo.ts';

/** The seeds' situations, as the demo loads them, read through the API as the people who use it would. */
const PASSWORD = 'cases-demo-test-password-1';
let t: TestApp;
let coordinator: Client;
let tjk: Client;

interface Criterion {
  id: string;
  status: string;
}
interface CaseMember {
  personId: string;
  verdict: { eligible: boolean | 'unknown'; criteria: Criterion[] } | null;
}
interface CaseBody {
  id: string;
  state: string;
  title: string;
  countryCode: string;
  members: CaseMember[];
}

before(async () => {
  t = await createTestApp();
  await loadDemo(t.database.db, { password: PASSWORD });
  coordinator = await logInAs(t, 'demo-coordinator', PASSWORD);
  tjk = await logInAs(t, 'demo-embassy-tjk', PASSWORD);
});
after(() => t.close());

async function cases(query: string, client = coordinator): Promise<CaseBody[]> {
  const response = await client.request('GET', `/api/v1/cases?limit=500&${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
}
async function page(id: string, client = coordinator): Promise<CaseBody> {
  const response = await client.request('GET', `/api/v1/cases/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}
const criterion = (c: CaseBody, id: string) => c.members.flatMap((m) => m.verdict?.criteria ?? []).filter((k) => k.id === id);

test('Tajikistan: 75 of its 92 children eligible, and the view says what blocks the other 17', { timeout: 300_000 }, async () => {
  const view = await tjk.request('GET', '/api/v1/countries/TJK/eligibility');
  assert.equal(view.statusCode, 200, view.body);
  const children = view.json().children;
  assert.deepEqual([children.total, children.eligible, children.blocked], [92, 75, 17], JSON.stringify(children));
  const blockers = new Map((children.blockers as { criterion: string; count: number }[]).map((b) => [b.criterion, b.count]));
  for (const id of ['consent', 'nationality_confirmed', 'guardian_identified', 'best_interests']) assert.ok((blockers.get(id) ?? 0) > 0, `${id} blocks someone: ${JSON.stringify(children.blockers)}`);
  assert.equal((await coordinator.request('GET', '/api/v1/countries/TJK/eligibility')).json().children.eligible, 75);
});

test('a child whose mother refused consent fails on consent; a child alone with a determination holds', { timeout: 300_000 }, async () => {
  const tajik = await cases('countryCode=TJK');
  const refused = tajik.find((c) => c.title === 'Mother refused consent');
  assert.ok(refused);
  const consent = criterion(await page(refused.id), 'consent');
  assert.ok(consent.length > 0 && consent.every((k) => k.status === 'fails'), JSON.stringify(consent));
  const alone = tajik.find((c) => c.title.startsWith('Child alone'));
  assert.ok(alone, 'a child alone');
  const body = await page(alone.id);
  assert.equal(body.state, 'approved');
  assert.deepEqual(criterion(body, 'best_interests').map((k) => k.status), ['holds']);
  assert.deepEqual(criterion(body, 'consent').map((k) => k.status), ['holds'], 'an exemption on record: both parents deceased');
  assert.ok(body.members.every((m) => m.verdict?.eligible === true));
});

test('the Russian group of 33, with guardians and assurances, was returned (their cases closed); cases at every stage before departure', { timeout: 300_000 }, async () => {
  // Approved by cases-demo; the movements demo flies them home (src/demo/movements-demo.ts) and closes their cases.
  assert.deepEqual(await cases('countryCode=RUS&state=approved'), []);
  const russian = await cases('countryCode=RUS&state=closed');
  const children = russian.flatMap((c) => c.members);
  assert.equal(children.length, 33);
  const first = await page(russian[0]?.id ?? '');
  for (const id of ['guardian_identified', 'legal_assurances']) assert.ok(criterion(first, id).every((k) => k.status === 'holds'), id);
  const board = (await coordinator.request('GET', '/api/v1/cases/board')).json() as { columns: { state: string; count: number }[] };
  for (const state of ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved', 'on_hold']) {
    assert.ok((board.columns.find((c) => c.state === state)?.count ?? 0) > 0, `a case in ${state}`);
  }
});
