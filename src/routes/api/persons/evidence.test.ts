import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

let t: TestApp;
let coordinator: Client;
let embassy: Client;
let protection: Client;
const TODAY = new Date().toISOString().slice(0, 10);

let seq = 0;
async function child(): Promise<string> {
  seq += 1;
  const response = await coordinator.request('POST', '/api/v1/persons', {
    sex: 'female',
    birthDate: { precision: 'estimated', aboutYear: 2017 },
    names: [{ givenName: `Evidence${seq}`, familyName: 'Child' }],
    nationalities: [{ countryCode: 'TJK', status: 'claimed' }],
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}
const record = (id: string, body: Record<string, unknown>, client = coordinator) => client.request('POST', `/api/v1/persons/${id}/evidence`, body);
const page = async (id: string, client = coordinator) => {
  const response = await client.request('GET', `/api/v1/persons/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as { identityConfidence: { level: string; reasons: string[] }; evidence: Record<string, unknown>[]; version: number };
};
const dna = (result: string) => ({ kind: 'dna', observedOn: TODAY, dna: { laboratory: 'Central Forensic Laboratory', relationship: 'maternal grandmother', result } });

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  embassy = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  protection = await signInNew(t, 'child_protection');
});
after(() => t.close());

describe('identity evidence', () => {
  test('a document and an embassy interview confirm an identity; each step is on the page', async () => {
    const id = await child();
    assert.equal((await page(id)).identityConfidence.level, 'unverified');
    assert.equal((await record(id, { kind: 'document', observedOn: TODAY, supports: true, summary: 'Birth certificate, Khujand' })).statusCode, 201);
    assert.equal((await page(id)).identityConfidence.level, 'preliminary');
    const interview = await record(id, { kind: 'interview', observedOn: TODAY, supports: true, source: 'Consul', summary: 'Knows her grandmother’s village' }, embassy);
    assert.equal(interview.statusCode, 201, interview.body);
    const after = await page(id);
    assert.equal(after.identityConfidence.level, 'confirmed');
    assert.deepEqual(after.identityConfidence.reasons, ['document', 'interview']);
    assert.deepEqual(after.evidence.map((e) => e.kind), ['document', 'interview']);
  });

  test('a DNA result is genetic data: in full for coordinator and child protection, only “kinship confirmed” for the embassy', async () => {
    const id = await child();
    assert.equal((await record(id, dna('match'))).statusCode, 201);
    assert.equal((await record(id, dna('no_match'))).statusCode, 201);
    const full = await page(id);
    assert.equal(full.evidence.length, 2);
    assert.deepEqual((full.evidence[0]?.dna as { laboratory: string }).laboratory, 'Central Forensic Laboratory');
    assert.equal((await page(id, protection)).evidence.length, 2);
    const seen = await page(id, embassy);
    assert.deepEqual(seen.evidence.map((e) => Object.keys(e).sort()), [['id', 'kind', 'kinshipConfirmed', 'observedOn', 'recordedBy']]);
    assert.ok(!JSON.stringify(seen).includes('Forensic'), 'no laboratory, relationship or result reaches the embassy');
    assert.ok(seen.identityConfidence.reasons.every((r) => r !== 'dna_excluded'));
  });

  test('bad evidence is refused with the field named; other roles may not record it', async () => {
    const id = await child();
    const error = async (body: Record<string, unknown>, path: string) => {
      const response = await record(id, body);
      assert.equal(response.statusCode, 400, response.body);
      assert.ok(response.json().error.details.some((d: { path: string }) => d.path === path), response.body);
    };
    await error({ kind: 'document', observedOn: '2999-01-01', supports: true }, 'body.observedOn');
    await error({ kind: 'dna', observedOn: TODAY }, 'body.dna');
    await error({ kind: 'interview', observedOn: TODAY }, 'body.supports');
    await error({ kind: 'document', observedOn: TODAY, supports: true, dna: dna('match').dna }, 'body.dna');
    await error({ ...dna('match'), dna: { ...dna('match').dna, relativeId: id } }, 'body.dna.relativeId');
    const judge = await signInNew(t, 'judiciary');
    assert.equal((await record(id, { kind: 'document', observedOn: TODAY, supports: true }, judge)).statusCode, 403);
    const rus = await signInNew(t, 'embassy', { countryCode: 'RUS' });
    assert.equal((await record(id, { kind: 'interview', observedOn: TODAY, supports: true }, rus)).statusCode, 404, 'another country’s embassy does not see the child');
    assert.equal((await page(id)).evidence.length, 0);
  });
});
