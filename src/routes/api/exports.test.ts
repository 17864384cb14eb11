import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { addDays } from '../../domain/birth-date.ts';
import { ROLES, type Role } from '../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../testing/app.ts';
import { checkMatrix } from '../../testing/matrix.ts';

/**
 * The exports of the lists (issue 6) beyond the registry, cases, movements, ledger and figures: each the
 * list's own rows (its scoped query, its filters, its presenter) as CSV, XLSX or PDF, audited. Their
 * role × endpoint rows sit with their lists' matrices (verification-requests, match-candidates,
 * diplomacy, persons/access tests); users and audit events have theirs here.
 *
 * Fixture, inserted directly: for Tajikistan and Russia each a verification request, a tracing request,
 * a mission, a notification, a meeting with an action item, an agreement; a tracing candidate of the
 * Tajik request and a duplicate pair of Russians; two facilities. Some text starts with "=".
 */
let t: TestApp;
let coordinator: Client;
let tjk: Client;
let admin: Client;
let auditor: Client;
let custody: Client;
const TODAY = new Date().toISOString().slice(0, 10);
const DUE = addDays(TODAY, 5);

async function person(country: string, name: string): Promise<string> {
  const db = t.database.db;
  const p = await db.insertInto('persons').values({ display_name: name, sex: 'female', birth_precision: 'year', birth_earliest: '2015-01-01', birth_latest: '2015-12-31' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('person_nationalities').values({ person_id: p.id, country_code: country, status: 'claimed' }).execute();
  return p.id;
}

before(async () => {
  t = await createTestApp();
  const db = t.database.db;
  coordinator = await signInNew(t, 'coordinator');
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  admin = await signInNew(t, 'admin');
  auditor = await signInNew(t, 'auditor');
  custody = await signInNew(t, 'custody');
  const tjkChild = await person('TJK', 'Зарина Рахимова');
  const rusA = await person('RUS', 'Анна Кузнецова');
  const rusB = await person('RUS', 'Анна Кузнецова-Иванова');

  for (const [country, note, who] of [['TJK', '=HYPERLINK("http://x")', tjkChild], ['RUS', 'EXP-VR-RUS', rusA]] as const) {
    const vr = await db.insertInto('verification_requests').values({ country_code: country, note, due_on: DUE }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('verification_items').values({ request_id: vr.id, person_id: who }).execute();
  }
  const tracing: Record<string, string> = {};
  for (const [country, names] of [['TJK', ['=cmd|calc', 'Зарина']], ['RUS', ['EXP-TR-RUS']]] as const) {
    const row = await db
      .insertInto('tracing_requests')
      .values({ country_code: country, sought_names: [...names], enquirer_name: `Enquirer ${country}`, enquirer_relationship: 'grandmother', last_known_place: 'Baghdad' })
      .returning('id')
      .executeTakeFirstOrThrow();
    tracing[country] = row.id;
  }
  const explanation = (text: string) => JSON.stringify({ probability: 0.9, weight: 7.1, text, fields: [] });
  await db.insertInto('match_candidates').values({ kind: 'tracing', person_id: tjkChild, tracing_request_id: tracing.TJK, probability: 0.91234, explanation: explanation('EXP-MC-TJK names agree') }).execute();
  const [first, second] = [rusA, rusB].sort();
  await db.insertInto('match_candidates').values({ kind: 'duplicate', person_id: first as string, other_person_id: second as string, probability: 0.8, explanation: explanation('EXP-MC-RUS names agree') }).execute();
  await db.insertInto('facilities').values({ name: '=EXP Camp', kind: 'camp', holding_authority: 'Ministry of Justice', country_code: 'IRQ', capacity: 40 }).execute();
  await db.insertInto('facilities').values({ name: 'EXP Juvenile', kind: 'juvenile_facility', holding_authority: 'Ministry of Labour', country_code: 'IRQ', capacity: 10 }).execute();
  await db.insertInto('missions').values({ country_code: 'TJK', residency: 'resident', contact_name: 'EXP-MI-TJK', updated_at: new Date() }).execute();
  await db.insertInto('missions').values({ country_code: 'RUS', residency: 'non_resident', accredited_from: 'Embassy in Amman', contact_name: 'EXP-MI-RUS', updated_at: new Date() }).execute();
  for (const country of ['TJK', 'RUS']) {
    await db.insertInto('country_notifications').values({ country_code: country, sent_on: addDays(TODAY, -3), people_count: 4, children_count: 3, channel: `EXP-NO-${country}` }).execute();
    const meeting = await db.insertInto('country_meetings').values({ country_code: country, held_on: addDays(TODAY, -2), place: `EXP-ME-${country}`, participants: ['Delegation', 'Ministry'], decisions: ['Repatriate the children'] }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('meeting_action_items').values({ meeting_id: meeting.id, description: 'Send the list', owner: 'Ministry', due_on: addDays(TODAY, 7) }).execute();
    await db
      .insertInto('country_agreements')
      .values({ country_code: country, title: `EXP-AG-${country}`, valid_from: addDays(TODAY, -30), currency: 'USD', fee_per_child: '400.00', fee_per_adult: '600.00', documents_required: ['passport'], criteria: JSON.stringify([{ kind: 'max_age', years: 17, appliesTo: 'children' }]) })
      .execute();
  }
});
after(() => t.close());

const ok = (response: LightMyRequestResponse, type: RegExp) => {
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, type);
  return response;
};
const csvLines = (response: LightMyRequestResponse) => response.body.slice(1).trim().split('\r\n');
async function sheet(response: LightMyRequestResponse) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const ws = workbook.worksheets[0];
  assert.ok(ws);
  return ws;
}
async function exportEvents(action: string) {
  const rows = await t.database.db
    .selectFrom('audit_events as e')
    .innerJoin('audit_values as v', 'v.event_id', 'e.id')
    .select(['e.actor_role', 'e.entity_type', 'v.data'])
    .where('e.action', '=', action)
    .execute();
  return rows.map((r) => ({ role: r.actor_role, entityType: r.entity_type, data: JSON.stringify(r.data) }));
}

/** Each export: who asks, the header it starts with, a value of a row it must hold. */
const EXPORTS = [
  { url: '/api/v1/verification-requests/export', action: 'verification_requests.exported', as: () => coordinator, header: 'Country,Sent at (UTC),Sent by,Due on,People', holds: 'EXP-VR-RUS', file: 'verification-requests' },
  { url: '/api/v1/tracing-requests/export', action: 'tracing_requests.exported', as: () => coordinator, header: 'Sought,Country,Sex,Birth date', holds: 'EXP-TR-RUS', file: 'tracing-requests' },
  { url: '/api/v1/match-candidates/export', action: 'match_candidates.exported', as: () => coordinator, header: 'Kind,Status,Probability,Person', holds: 'EXP-MC-RUS', file: 'match-candidates' },
  { url: '/api/v1/facilities/export', action: 'facilities.exported', as: () => custody, header: 'Name,Kind,Holding authority,Agency,Country,Capacity,Occupancy,Over capacity', holds: 'EXP Juvenile', file: 'facilities' },
  { url: '/api/v1/missions/export', action: 'missions.exported', as: () => admin, header: 'Country,Residency,Accredited from', holds: 'EXP-MI-RUS', file: 'missions' },
  { url: '/api/v1/country-summaries/export', action: 'country_summaries.exported', as: () => coordinator, header: 'Code,Country,People held,Children held,Mission', holds: 'Embassy in Amman', file: 'countries' },
  { url: '/api/v1/countries/RUS/notifications/export', action: 'notifications.exported', as: () => coordinator, header: 'Sent on,People,Children,Channel', holds: 'EXP-NO-RUS', file: 'notifications-RUS' },
  { url: '/api/v1/countries/RUS/meetings/export', action: 'meetings.exported', as: () => coordinator, header: 'Held on,Place,Participants,Decisions,Action items', holds: 'EXP-ME-RUS', file: 'meetings-RUS' },
  { url: '/api/v1/countries/RUS/agreements/export', action: 'agreements.exported', as: () => coordinator, header: 'Title,Signed on,Valid from,Valid until,In force', holds: 'EXP-AG-RUS', file: 'agreements-RUS' },
  { url: '/api/v1/users/export', action: 'users.exported', as: () => admin, header: 'Username,Name,Role,Agency,Country,Two-factor login,Status,Created at (UTC)', holds: 'auditor-', file: 'users' },
  { url: '/api/v1/audit-events/export', action: 'audit_events.exported', as: () => auditor, header: 'Event,Occurred at (UTC),User,Role,Action', holds: 'user.created', file: 'audit-events' },
] as const;

describe('every list exports to CSV, XLSX and PDF', () => {
  for (const e of EXPORTS) {
    test(`${e.url}: CSV with human headings, XLSX, PDF; each audited with its row count`, async () => {
      const csv = ok(await e.as().request('GET', `${e.url}?format=csv`), /^text\/csv/);
      assert.match(csv.headers['content-disposition'] as string, new RegExp(`^attachment; filename="homeward-${e.file}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      const lines = csvLines(csv);
      assert.ok(lines[0]?.startsWith(e.header), lines[0]);
      assert.ok(csv.body.includes(e.holds), csv.body);
      const ws = await sheet(ok(await e.as().request('GET', `${e.url}?format=xlsx`), /spreadsheetml/));
      // The same rows as the CSV (the audit trail has one more by then: the CSV's export).
      assert.equal(ws.rowCount, lines.length + (e.action === 'audit_events.exported' ? 1 : 0), 'the same rows as the CSV');
      assert.equal(ws.getRow(1).font?.bold, true);
      const pdf = ok(await e.as().request('GET', `${e.url}?format=pdf`), /^application\/pdf/);
      assert.equal(pdf.rawPayload.subarray(0, 4).toString(), '%PDF');
      const events = await exportEvents(e.action);
      assert.deepEqual(events.map((x) => x.entityType), ['export', 'export', 'export']);
      assert.ok(events.some((x) => x.data.includes('"format":"xlsx"') && x.data.includes(`"rows":${ws.rowCount - 1}`)), JSON.stringify(events));
    });
  }

  test('a bad format is a 400 naming it', async () => {
    const response = await coordinator.request('GET', '/api/v1/tracing-requests/export?format=docx');
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(response.json().error.details.map((d: { path: string }) => d.path), ['querystring.format']);
  });
});

describe('the exports hold what the list holds', () => {
  test('the list’s filters apply, and are audited', async () => {
    const answered = ok(await coordinator.request('GET', '/api/v1/verification-requests/export?format=csv&state=answered'), /^text\/csv/);
    assert.equal(csvLines(answered).length, 1, 'the header only: none answered');
    const tjkOnly = ok(await coordinator.request('GET', '/api/v1/verification-requests/export?format=csv&state=open&countryCode=TJK'), /^text\/csv/);
    assert.equal(csvLines(tjkOnly).length, 2);
    const event = (await exportEvents('verification_requests.exported')).find((x) => x.data.includes('"countryCode":"TJK"'));
    assert.ok(event);
    assert.match(event.data, /"state":"open"/);
    assert.match(event.data, /"rows":1\b/);
    const camps = ok(await custody.request('GET', '/api/v1/facilities/export?format=csv&kind=juvenile_facility'), /^text\/csv/);
    assert.deepEqual(csvLines(camps).slice(1), ['EXP Juvenile,juvenile_facility,Ministry of Labour,,IRQ,10,0,no']);
    const rejected = ok(await coordinator.request('GET', '/api/v1/match-candidates/export?format=csv&status=rejected'), /^text\/csv/);
    assert.equal(csvLines(rejected).length, 1);
    const closed = ok(await coordinator.request('GET', '/api/v1/tracing-requests/export?format=csv&status=closed'), /^text\/csv/);
    assert.equal(csvLines(closed).length, 1);
    const admins = ok(await admin.request('GET', '/api/v1/users/export?format=csv&role=admin'), /^text\/csv/);
    assert.ok(csvLines(admins).slice(1).every((l) => l.split(',')[2] === 'admin'), admins.body);
    const exportsOnly = ok(await auditor.request('GET', '/api/v1/audit-events/export?format=csv&entityType=export'), /^text\/csv/);
    assert.ok(csvLines(exportsOnly).length > 1);
    assert.ok(csvLines(exportsOnly).slice(1).every((l) => l.split(',')[5] === 'export'), exportsOnly.body);
    const unknown = await coordinator.request('GET', '/api/v1/verification-requests/export?format=csv&colour=red');
    assert.equal(unknown.statusCode, 400, 'only the list’s own filters');
  });

  test("an embassy's exports hold only its own country's rows; another country's are a 404", async () => {
    for (const [url, own, other] of [
      ['/api/v1/verification-requests/export', 'HYPERLINK', 'EXP-VR-RUS'],
      ['/api/v1/tracing-requests/export', 'Enquirer TJK', 'EXP-TR-RUS'],
      ['/api/v1/match-candidates/export', 'EXP-MC-TJK', 'EXP-MC-RUS'],
      ['/api/v1/missions/export', 'EXP-MI-TJK', 'EXP-MI-RUS'],
      ['/api/v1/country-summaries/export', 'TJK', 'RUS'],
      ['/api/v1/countries/TJK/notifications/export', 'EXP-NO-TJK', 'EXP-NO-RUS'],
      ['/api/v1/countries/TJK/meetings/export', 'EXP-ME-TJK', 'EXP-ME-RUS'],
      ['/api/v1/countries/TJK/agreements/export', 'EXP-AG-TJK', 'EXP-AG-RUS'],
    ] as const) {
      const csv = ok(await tjk.request('GET', `${url}?format=csv`), /^text\/csv/);
      assert.ok(csv.body.includes(own), `${url}: ${csv.body}`);
      assert.ok(!csv.body.includes(other), `${url}: ${csv.body}`);
    }
    const asked = ok(await tjk.request('GET', '/api/v1/verification-requests/export?format=csv&countryCode=RUS'), /^text\/csv/);
    assert.equal(csvLines(asked).length, 1, 'the header only');
    for (const list of ['notifications', 'meetings', 'agreements']) assert.equal((await tjk.request('GET', `/api/v1/countries/RUS/${list}/export?format=csv`)).statusCode, 404);
    const event = (await exportEvents('match_candidates.exported')).find((x) => x.role === 'embassy');
    assert.ok(event);
    assert.match(event.data, /"rows":1\b/);
  });

  test('a cell starting with = is made inert; dates are dates', async () => {
    const vr = ok(await coordinator.request('GET', '/api/v1/verification-requests/export?format=csv&countryCode=TJK'), /^text\/csv/);
    const row = csvLines(vr)[1] ?? '';
    assert.match(row, /^TJK,\d{4}-\d{2}-\d{2} \d{2}:\d{2},,/, 'sent at: a date and a time');
    assert.ok(row.includes(`,${DUE},1,0,0,,no,"'=HYPERLINK(""http://x"")"`), row);
    const tracing = ok(await tjk.request('GET', '/api/v1/tracing-requests/export?format=csv'), /^text\/csv/);
    assert.ok(csvLines(tracing)[1]?.startsWith(`"'=cmd|calc; Зарина",TJK,`), tracing.body);
    const facilities = await sheet(ok(await custody.request('GET', '/api/v1/facilities/export?format=xlsx'), /spreadsheetml/));
    assert.ok(facilities.getColumn(1).values.includes("'=EXP Camp"), 'stored as text with its apostrophe');
    const ws = await sheet(ok(await coordinator.request('GET', '/api/v1/verification-requests/export?format=xlsx&countryCode=TJK'), /spreadsheetml/));
    const due = ws.getCell('D2');
    assert.ok(due.value instanceof Date, `a date cell: ${String(due.value)}`);
    assert.equal(due.value.toISOString().slice(0, 10), DUE);
    assert.equal(due.numFmt, 'yyyy-mm-dd');
    assert.ok(ws.getCell('B2').value instanceof Date);
    const agreements = await sheet(ok(await tjk.request('GET', '/api/v1/countries/TJK/agreements/export?format=xlsx'), /spreadsheetml/));
    assert.equal((agreements.getCell('C2').value as Date).toISOString().slice(0, 10), addDays(TODAY, -30));
    assert.equal(agreements.getCell('J2').value, 'at most 17 years old (children)');
  });
});

test('the role × endpoint matrix of the users and audit-events exports (the others sit with their lists)', async () => {
  const clients = new Map<Role, Client>();
  for (const role of ROLES) clients.set(role, await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {}));
  await checkMatrix(clients, [
    { method: 'GET', url: '/api/v1/users/export?format=csv', allow: { admin: 200 } },
    { method: 'GET', url: '/api/v1/audit-events/export?format=pdf', allow: { auditor: 200 } },
  ]);
  // And the static /export is not taken for a record's id.
  assert.equal((await admin.request('GET', '/api/v1/users/export?format=xlsx')).statusCode, 200);
});
