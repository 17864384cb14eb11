/**
 * Test fixtures for the case-facts routes (not a test file): a signed-in user of every role,
 * a facility of the custody agency, and children brought to a case in `assessment`.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { addDays, addYears } from '../../../domain/birth-date.ts';
import type { Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

export const TODAY = new Date().toISOString().slice(0, 10);
export const daysAgo = (days: number) => addDays(TODAY, -days);
export const yearsAgo = (years: number) => addYears(TODAY, -years);
export const UNKNOWN = '00000000-0000-4000-8000-000000000000';

export interface World {
  readonly t: TestApp;
  readonly coordinator: Client;
  readonly protection: Client;
  /** The embassy of Tajikistan (the fixtures' children are Tajik). */
  readonly embassy: Client;
  /** The embassy of Russia: sees none of them. */
  readonly rusEmbassy: Client;
  readonly judiciary: Client;
  readonly custody: Client;
  readonly security: Client;
  readonly facilityId: string;
  readonly clients: ReadonlyMap<Role, Client>;
}

export async function setUp(): Promise<World> {
  const t = await createTestApp();
  const coordinator = await signInNew(t, 'coordinator', { displayName: 'Coordinator Officer' });
  const protection = await signInNew(t, 'child_protection', { displayName: 'Amina Protection' });
  const embassy = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  const rusEmbassy = await signInNew(t, 'embassy', { countryCode: 'RUS' });
  const judiciary = await signInNew(t, 'judiciary');
  const custody = await signInNew(t, 'custody', { agencyName: 'Corrective Directorate Facts' });
  const security = await signInNew(t, 'security');
  const admin = await signInNew(t, 'admin');
  const auditor = await signInNew(t, 'auditor');
  const facility = await custody.request('POST', '/api/v1/facilities', { name: 'Women’s prison, facts', kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 500 });
  assert.equal(facility.statusCode, 201, facility.body);
  const clients = new Map<Role, Client>([
    ['coordinator', coordinator],
    ['judiciary', judiciary],
    ['custody', custody],
    ['security', security],
    ['embassy', embassy],
    ['child_protection', protection],
    ['admin', admin],
    ['auditor', auditor],
  ]);
  return { t, coordinator, protection, embassy, rusEmbassy, judiciary, custody, security, facilityId: facility.json().id, clients };
}

export function ok(response: LightMyRequestResponse, status = 200) {
  assert.equal(response.statusCode, status, `${response.statusCode} ${response.body}`);
  return response.statusCode === 204 ? null : response.json();
}

/** A refusal naming the field (its path in the details). */
export function refused(response: LightMyRequestResponse, status: number, path?: string) {
  assert.equal(response.statusCode, status, response.body);
  const error = response.json().error as { code: string; details: { path: string; message: string; code?: string }[] };
  if (path) assert.ok(error.details.some((d) => d.path === path), `expected a detail at ${path}: ${response.body}`);
  return error;
}

let seq = 0;
export async function register(w: World, body: Record<string, unknown>): Promise<string> {
  seq += 1;
  const response = await w.coordinator.request('POST', '/api/v1/persons', {
    sex: 'female',
    birthDate: { precision: 'exact', date: yearsAgo(7) },
    names: [{ givenName: `Facts${seq}`, familyName: 'Rahimova' }],
    nationalities: [{ countryCode: 'TJK', status: 'claimed' }],
    ...body,
  });
  return ok(response, 201).id;
}

export async function link(w: World, childId: string, relativeId: string, relation = 'mother') {
  ok(await w.coordinator.request('POST', `/api/v1/persons/${childId}/family-links`, { relativeId, relation }), 201);
}

export async function transition(w: World, caseId: string, to: string, client = w.coordinator) {
  return client.request('POST', `/api/v1/cases/${caseId}/transitions`, { to });
}

export interface CaseFixture {
  readonly caseId: string;
  readonly childId: string;
  readonly motherId: string;
}

/**
 * A Tajik child of 7 held with her mother in the custody agency's facility, identity and
 * nationality confirmed, on an individual case in `assessment` — the mother stays (she is not
 * on the case), so a best-interests determination is required.
 */
export async function childAtAssessment(w: World, options: { age?: number } = {}): Promise<CaseFixture> {
  const motherId = await register(w, { birthDate: { precision: 'exact', date: yearsAgo(31) } });
  const childId = await register(w, { birthDate: { precision: 'exact', date: yearsAgo(options.age ?? 7) } });
  await link(w, childId, motherId, 'mother');
  for (const id of [motherId, childId]) ok(await w.coordinator.request('POST', `/api/v1/persons/${id}/custody`, { facilityId: w.facilityId, admittedOn: daysAgo(400) }), 204);
  ok(await w.coordinator.request('POST', `/api/v1/persons/${childId}/evidence`, { kind: 'document', observedOn: daysAgo(30), supports: true, summary: 'Birth certificate, Khujand' }), 201);
  const opened = ok(await w.coordinator.request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId: childId, role: 'child' }] }), 201);
  const caseId = opened.id as string;
  ok(await transition(w, caseId, 'nationality_verification'));
  await w.t.database.db.updateTable('person_nationalities').set({ status: 'verified' }).where('person_id', '=', childId).where('country_code', '=', 'TJK').execute();
  ok(await transition(w, caseId, 'assessment'));
  return { caseId, childId, motherId };
}

/** A case page as the caller sees it. */
export async function casePage(w: World, caseId: string, client = w.coordinator) {
  return ok(await client.request('GET', `/api/v1/cases/${caseId}`)) as {
    state: string;
    members: { personId: string; verdict: { eligible: boolean | 'unknown'; criteria: { id: string; status: string; message: { code: string } }[] } }[];
  };
}

/** One criterion's status for one member on the case page (coordinator's view). */
export async function criterion(w: World, caseId: string, personId: string, id: string): Promise<string> {
  const page = await casePage(w, caseId);
  const member = page.members.find((m) => m.personId === personId);
  const found = member?.verdict.criteria.find((c) => c.id === id);
  assert.ok(found, `no criterion ${id} for ${personId}`);
  return found.status;
}

/** The statuses of several criteria at once. */
export async function criteria(w: World, caseId: string, personId: string, ids: readonly string[]): Promise<Record<string, string>> {
  const page = await casePage(w, caseId);
  const member = page.members.find((m) => m.personId === personId);
  return Object.fromEntries(ids.map((id) => [id, member?.verdict.criteria.find((c) => c.id === id)?.status ?? 'absent']));
}

/** A JSON answer, read loosely in tests. */
export type Json = any;

export async function panels(w: World, caseId: string, client = w.coordinator): Promise<Json> {
  return ok(await client.request('GET', `/api/v1/cases/${caseId}/panels`));
}

/** The consent of the mother, witnessed by the child-protection officer. */
export const consentBody = (f: CaseFixture, kind = 'consent', decidedOn = daysAgo(10)) => ({ givenBy: f.motherId, kind, decidedOn, language: 'Tajik', witnessName: 'Amina Protection', childIds: [f.childId] });

export const determinationBody = (outcome = 'return', decidedOn = daysAgo(5)) => ({
  outcome,
  decidedOn,
  recommendation: 'Return to the maternal grandmother in Khujand',
  reasoning: 'The grandmother is able and willing; the child knows her; schooling is arranged.',
  panel: [
    { name: 'Panel Chair', role: 'chair', undertakingSignedOn: daysAgo(20) },
    { name: 'Social Worker', role: 'social worker', undertakingSignedOn: daysAgo(20) },
    { name: 'Legal Officer', undertakingSignedOn: daysAgo(6) },
  ],
});

/** Everything a child needs but the clearances: a verified guardian, an assurance, consent, a best-interests determination. */
export async function readyForClearance(w: World, f: CaseFixture) {
  const guardian = ok(await w.embassy.request('POST', `/api/v1/persons/${f.childId}/guardians`, { fullName: 'Gulnora Rahimova', relation: 'grandparent', verification: 'verified', verifiedBy: 'embassy inquiry' }), 201);
  ok(await w.embassy.request('POST', `/api/v1/cases/${f.caseId}/assurances`, { type: 'no prosecution of children', givenOn: daysAgo(3), issuingAuthority: 'Prosecutor General of Tajikistan' }), 201);
  ok(await w.protection.request('POST', '/api/v1/consent-records', consentBody(f)), 201);
  ok(await w.protection.request('POST', `/api/v1/persons/${f.childId}/best-interests-determinations`, determinationBody()), 201);
  return { guardianId: guardian.id as string };
}

/** The four agencies approve. */
export async function clearAll(w: World, f: CaseFixture, body: Record<string, unknown> = {}) {
  for (const client of [w.coordinator, w.judiciary, w.custody, w.security]) {
    ok(await client.request('POST', `/api/v1/cases/${f.caseId}/clearances`, { personId: f.childId, decision: 'approve', decidedOn: daysAgo(1), reasons: 'no objection', ...body }), 201);
  }
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** A whole 1 × 1 PNG: scans are checked for their header and end chunks, not only their first bytes. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A multipart/form-data body with one file part. */
export function multipart(file: Buffer, type: string, name = 'scan.png'): { body: Buffer; headers: Record<string, string> } {
  const boundary = '----homeward-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nignored\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
