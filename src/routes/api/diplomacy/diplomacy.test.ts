import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { verifyAuditTrail } from '../../../audit/verify.ts';
import { addDays } from '../../../domain/birth-date.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { agreementInForce } from '../../../repositories/agreements.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix, type MatrixRow } from '../../../testing/matrix.ts';

let t: TestApp;
let coordinator: Client;
let tjk: Client;
let rus: Client;
let facilityId: string;
const TODAY = new Date().toISOString().slice(0, 10);
const YEAR = Number(TODAY.slice(0, 4));

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().error.code, code, response.body);
  return response.json().error as { message: string; details: { path: string; message: string }[] };
}
const paths = (response: LightMyRequestResponse) => (response.json().error.details as { path: string }[]).map((d) => d.path);

async function person(name: string, nationality: string, options: { born?: number; held?: boolean; withheld?: boolean; sex?: 'female' | 'male' } = {}) {
  const response = await coordinator.request('POST', '/api/v1/persons', {
    sex: options.sex ?? 'male',
    birthDate: { precision: 'year', year: options.born ?? YEAR - 8 },
    names: [{ fullName: name }],
    nationalities: [{ countryCode: nationality, status: 'claimed' }],
    ...(options.withheld ? { withheldFromEmbassy: true } : {}),
    ...(options.held === false ? {} : { custody: { facilityId, admittedOn: addDays(TODAY, -300) } }),
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id as string;
}

before(async () => {
  t = await createTestApp();
  coordinator = await signInNew(t, 'coordinator');
  tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
  rus = await signInNew(t, 'embassy', { countryCode: 'RUS' });
  const custody = await signInNew(t, 'custody', { agencyName: 'Corrective Directorate (diplomacy test)' });
  const facility = await custody.request('POST', '/api/v1/facilities', { name: 'Women’s Prison No. 7', kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 100 });
  assert.equal(facility.statusCode, 201, facility.body);
  facilityId = facility.json().id;
  // Tajikistan: a child recorded in Arabic, a woman in Cyrillic, a child in Latin; one child withheld; one released.
  await person('محمد عبد الرحيم', 'TJK');
  await person('Зарина Каримова', 'TJK', { born: YEAR - 30, sex: 'female' });
  await person('Farida Rahimova', 'TJK', { born: YEAR - 5, sex: 'female' });
  await person('Withheld Child', 'TJK', { withheld: true });
  await person('Not Held Anymore', 'TJK', { held: false });
  await person('Иван Петров', 'RUS');
});
after(() => t.close());

describe('a country’s overview', () => {
  test('counts nationals held and children (could be under 18); an embassy does not count those withheld from it', async () => {
    const mine = await coordinator.request('GET', '/api/v1/countries/TJK/overview');
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(mine.json().held, { people: 4, children: 3 });
    assert.equal(mine.json().names.en, 'Tajikistan');
    const theirs = await tjk.request('GET', '/api/v1/countries/TJK/overview');
    assert.deepEqual(theirs.json().held, { people: 3, children: 2 });
    assertError(await tjk.request('GET', '/api/v1/countries/RUS/overview'), 404, 'not_found');
    assertError(await coordinator.request('GET', '/api/v1/countries/XXX/overview'), 404, 'not_found');
    assertError(await coordinator.request('GET', '/api/v1/countries/tjk/overview'), 400, 'invalid_input');
    const list = (await coordinator.request('GET', '/api/v1/country-summaries')).json().data as { code: string; held: { people: number } }[];
    assert.equal(list.find((c) => c.code === 'TJK')?.held.people, 4);
    assert.equal(list.find((c) => c.code === 'RUS')?.held.people, 1);
    assert.deepEqual((await tjk.request('GET', '/api/v1/country-summaries')).json().data.map((c: { code: string }) => c.code), ['TJK']);
  });
});

describe('notifications', () => {
  let id: string;
  test('the coordinator notifies a country: a PDF of its nationals held (never anyone withheld), the date sent and the counts', async () => {
    assertError(await coordinator.request('POST', '/api/v1/countries/TJK/notifications', { sentOn: addDays(TODAY, 1) }), 400, 'invalid_input');
    assert.deepEqual(paths(await coordinator.request('POST', '/api/v1/countries/TJK/notifications', { sentOn: '2026-02-30' })), ['body.sentOn']);
    const sent = await coordinator.request('POST', '/api/v1/countries/TJK/notifications', { sentOn: addDays(TODAY, -2), channel: 'Note verbale', note: 'Second list this year.' });
    assert.equal(sent.statusCode, 201, sent.body);
    const n = sent.json();
    id = n.id;
    assert.deepEqual([n.peopleCount, n.childrenCount, n.acknowledgedOn, n.hasPdf, n.sentOn], [3, 2, null, true, addDays(TODAY, -2)]);

    const pdf = await tjk.request('GET', `/api/v1/notifications/${id}/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /nationals-TJK-/);
    const bytes = pdf.rawPayload;
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    mkdirSync('test-results/pdf', { recursive: true });
    writeFileSync('test-results/pdf/notification-api.pdf', bytes);
    const text = execFileSync('pdftotext', ['-layout', 'test-results/pdf/notification-api.pdf', '-'], { encoding: 'utf8' });
    assert.match(text, /Farida Rahimova/);
    assert.match(text, /Зарина Каримова/);
    assert.match(text, /[\u0600-\u06FF]{3,}/, 'the Arabic name is in the text');
    assert.doesNotMatch(text, /Withheld Child|Not Held Anymore|Иван Петров/);
    assert.match(text, /Women’s Prison No\. 7/);

    const events = await t.database.db.selectFrom('audit_events').select(['action']).where('entity_id', '=', id).execute();
    assert.deepEqual(events.map((e) => e.action).sort(), ['notification.created', 'notification.exported']);
    const shares = await t.database.db.selectFrom('audit_events').select('entity_id').where('action', '=', 'person.shared_with_embassy').execute();
    assert.ok(shares.length >= 3);
  });

  test('another country’s embassy sees none of it; the country’s own embassy acknowledges it once, with a date', async () => {
    assertError(await rus.request('GET', `/api/v1/notifications/${id}/pdf`), 404, 'not_found');
    assertError(await rus.request('GET', `/api/v1/notifications/${id}`), 404, 'not_found');
    assertError(await rus.request('GET', '/api/v1/countries/TJK/notifications'), 404, 'not_found');
    assertError(await rus.request('POST', `/api/v1/notifications/${id}/acknowledge`, { acknowledgedOn: TODAY }), 404, 'not_found');
    assertError(await tjk.request('POST', '/api/v1/countries/TJK/notifications', {}), 403, 'forbidden');
    const early = assertError(await tjk.request('POST', `/api/v1/notifications/${id}/acknowledge`, { acknowledgedOn: addDays(TODAY, -3) }), 400, 'invalid_input');
    assert.deepEqual(early.details.map((d) => d.path), ['body.acknowledgedOn']);
    assertError(await tjk.request('POST', `/api/v1/notifications/${id}/acknowledge`, { acknowledgedOn: TODAY }, { 'if-match': '"7"' }), 412, 'version_mismatch');
    const ack = await tjk.request('POST', `/api/v1/notifications/${id}/acknowledge`, { acknowledgedOn: TODAY }, { 'if-match': '"1"' });
    assert.equal(ack.statusCode, 200, ack.body);
    assert.deepEqual([ack.json().acknowledgedOn, ack.json().version], [TODAY, 2]);
    assertError(await coordinator.request('POST', `/api/v1/notifications/${id}/acknowledge`, { acknowledgedOn: TODAY }), 409, 'already_acknowledged');
    const listed = (await tjk.request('GET', '/api/v1/countries/TJK/notifications')).json().data as { id: string; acknowledgedOn: string }[];
    assert.equal(listed.find((x) => x.id === id)?.acknowledgedOn, TODAY);
    // The coordinator can acknowledge on the mission's behalf.
    const other = (await coordinator.request('POST', '/api/v1/countries/RUS/notifications', {})).json();
    assert.equal(other.peopleCount, 1);
    assert.equal((await coordinator.request('POST', `/api/v1/notifications/${other.id}/acknowledge`, { acknowledgedOn: TODAY })).statusCode, 200);
  });
});

describe('meetings and action items', () => {
  let meeting: { id: string; version: number; actionItems: { id: string; overdue: boolean; version: number; description: string }[] };
  test('the coordinator records a meeting with action items; an overdue open item is marked', async () => {
    const bad = await coordinator.request('POST', '/api/v1/countries/TJK/meetings', { heldOn: '2026-13-01', participants: [''], actionItems: [{ description: 'x' }] });
    assertError(bad, 400, 'invalid_input');
    assert.deepEqual(paths(bad).sort(), ['body.actionItems.0.owner', 'body.heldOn', 'body.participants.0']);
    const created = await coordinator.request('POST', '/api/v1/countries/TJK/meetings', {
      heldOn: addDays(TODAY, -20),
      place: 'Ministry of Foreign Affairs, Baghdad',
      participants: ['Legal directorate', 'Delegation of Tajikistan', 'Гульнора Саидова'],
      minutes: 'The delegation asked for the list of children and the state of nationality verification.',
      decisions: ['Tajikistan pays $400 per child', 'Next meeting in a month'],
      actionItems: [
        { description: 'Send the list of children', owner: 'Legal directorate', dueOn: addDays(TODAY, -5) },
        { description: 'Confirm guardians', owner: 'Embassy of Tajikistan', dueOn: addDays(TODAY, 10) },
      ],
    });
    assert.equal(created.statusCode, 201, created.body);
    meeting = created.json();
    assert.deepEqual(meeting.actionItems.map((i) => i.overdue), [true, false]);
    const overview = (await tjk.request('GET', '/api/v1/countries/TJK/overview')).json();
    assert.equal(overview.meetings[0].id, meeting.id);
    assert.deepEqual(overview.openActionItems.map((i: { overdue: boolean }) => i.overdue), [true, false]);
    const more = await coordinator.request('POST', `/api/v1/meetings/${meeting.id}/action-items`, { description: 'Arrange DNA tests', owner: 'Embassy of Tajikistan' });
    assert.equal(more.statusCode, 201, more.body);
    assert.equal(more.json().dueOn, null);
    assert.equal((await coordinator.request('GET', `/api/v1/meetings/${meeting.id}`)).json().actionItems.length, 3);
  });

  test('changes need the version read (If-Match); marking an item done clears overdue', async () => {
    assertError(await coordinator.request('PATCH', `/api/v1/meetings/${meeting.id}`, { minutes: 'Changed' }), 400, 'invalid_input');
    const changed = await coordinator.request('PATCH', `/api/v1/meetings/${meeting.id}`, { minutes: 'Corrected minutes.', decisions: ['Tajikistan pays $400 per child'] }, { 'if-match': '"1"' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual([changed.json().version, changed.json().minutes, changed.json().decisions.length], [2, 'Corrected minutes.', 1]);
    const stale = assertError(await coordinator.request('PATCH', `/api/v1/meetings/${meeting.id}`, { place: 'Elsewhere' }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    assert.match(stale.message, /meeting\.updated/);
    assertError(await coordinator.request('PATCH', `/api/v1/meetings/${meeting.id}`, {}, { 'if-match': '"2"' }), 400, 'invalid_input');

    const item = meeting.actionItems[0];
    assert.ok(item);
    assertError(await coordinator.request('PATCH', `/api/v1/action-items/${item.id}`, { doneOn: addDays(TODAY, 1) }, { 'if-match': '"1"' }), 400, 'invalid_input');
    const done = await coordinator.request('PATCH', `/api/v1/action-items/${item.id}`, { doneOn: TODAY }, { 'if-match': '"1"' });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual([done.json().doneOn, done.json().overdue, done.json().version], [TODAY, false, 2]);
    assertError(await coordinator.request('PATCH', `/api/v1/action-items/${item.id}`, { doneOn: null }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    const open = (await coordinator.request('GET', '/api/v1/countries/TJK/overview')).json().openActionItems as { id: string }[];
    assert.ok(!open.some((i) => i.id === item.id));
  });

  test('an embassy reads its own country’s meetings only, and changes none', async () => {
    assert.equal((await tjk.request('GET', `/api/v1/meetings/${meeting.id}`)).statusCode, 200);
    assert.equal((await tjk.request('GET', '/api/v1/countries/TJK/meetings')).json().data.length, 1);
    assertError(await rus.request('GET', `/api/v1/meetings/${meeting.id}`), 404, 'not_found');
    assertError(await rus.request('GET', '/api/v1/countries/TJK/meetings'), 404, 'not_found');
    assertError(await tjk.request('PATCH', `/api/v1/meetings/${meeting.id}`, { place: 'x' }, { 'if-match': '"2"' }), 403, 'forbidden');
    assertError(await tjk.request('POST', `/api/v1/meetings/${meeting.id}/action-items`, { description: 'x', owner: 'y' }), 403, 'forbidden');
  });
});

describe('agreements', () => {
  let agreement: { id: string; version: number };
  const tjkAgreement = {
    title: 'Memorandum on the return of children',
    signedOn: addDays(TODAY, -60),
    validFrom: addDays(TODAY, -60),
    currency: 'USD',
    feePerChild: '400',
    feePerAdult: '0',
    documentsRequired: ['birth_certificate'],
    conditions: 'Children travel with an escort from the embassy.',
    criteria: [{ kind: 'document_required', document: 'birth_certificate' }, { kind: 'max_age', years: 17, appliesTo: 'children' }],
  };

  test('the coordinator records an agreement; money is exact text; bad fields are named', async () => {
    const bad = await coordinator.request('POST', '/api/v1/countries/TJK/agreements', { ...tjkAgreement, currency: 'usd', feePerChild: '400.123', feePerAdult: 250, criteria: [{ kind: 'max_age' }, { kind: 'nationality' }] });
    assertError(bad, 400, 'invalid_input');
    assert.deepEqual(paths(bad).sort(), ['body.criteria.0.years', 'body.criteria.1.kind', 'body.currency', 'body.feePerAdult', 'body.feePerChild']);
    const backwards = await coordinator.request('POST', '/api/v1/countries/TJK/agreements', { ...tjkAgreement, validUntil: addDays(TODAY, -90) });
    assert.deepEqual(paths(backwards), ['body.validUntil']);
    const created = await coordinator.request('POST', '/api/v1/countries/TJK/agreements', tjkAgreement);
    assert.equal(created.statusCode, 201, created.body);
    agreement = created.json();
    const a = created.json();
    assert.deepEqual([a.feePerChild, a.feePerAdult, a.currency, a.inForce, a.hasDocument], ['400.00', '0.00', 'USD', true, false]);
    assert.deepEqual(a.criteria, tjkAgreement.criteria);
    const overview = (await tjk.request('GET', '/api/v1/countries/TJK/overview')).json();
    assert.equal(overview.agreementInForce.id, a.id);
    const summary = (await coordinator.request('GET', '/api/v1/country-summaries')).json().data.find((c: { code: string }) => c.code === 'TJK');
    assert.deepEqual(summary.agreementInForce, { id: a.id, title: tjkAgreement.title, currency: 'USD', feePerChild: '400.00', feePerAdult: '0.00' });
    assert.equal(summary.lastNotification.acknowledgedOn, TODAY);
  });

  test('changes need If-Match; a scanned copy can be attached; an embassy sees its own only', async () => {
    assertError(await coordinator.request('PATCH', `/api/v1/agreements/${agreement.id}`, { feePerAdult: '150.5' }, { 'if-match': '"9"' }), 412, 'version_mismatch');
    const changed = await coordinator.request('PATCH', `/api/v1/agreements/${agreement.id}`, { feePerAdult: '150.5', validUntil: addDays(TODAY, 365) }, { 'if-match': '"1"' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual([changed.json().feePerAdult, changed.json().version, changed.json().feePerChild], ['150.50', 2, '400.00']);
    assert.deepEqual(paths(await coordinator.request('PATCH', `/api/v1/agreements/${agreement.id}`, { validUntil: addDays(TODAY, -100) }, { 'if-match': '"2"' })), ['body.validUntil']);

    const scan = Buffer.from('%PDF-1.4\n% a scanned agreement\n%%EOF\n');
    assertError(await t.app.inject({ method: 'PUT', url: `/api/v1/agreements/${agreement.id}/document`, payload: Buffer.from('not a pdf'), headers: { cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrfToken, 'content-type': 'application/pdf', 'if-match': '"2"' } }), 400, 'content_type_mismatch');
    const attached = await t.app.inject({ method: 'PUT', url: `/api/v1/agreements/${agreement.id}/document`, payload: scan, headers: { cookie: coordinator.cookie, 'x-csrf-token': coordinator.csrfToken, 'content-type': 'application/pdf', 'if-match': '"2"' } });
    assert.equal(attached.statusCode, 200, attached.body);
    assert.deepEqual([attached.json().hasDocument, attached.json().version], [true, 3]);
    const read = await tjk.request('GET', `/api/v1/agreements/${agreement.id}/document`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.rawPayload, scan);

    assert.equal((await tjk.request('GET', `/api/v1/agreements/${agreement.id}`)).statusCode, 200);
    assertError(await rus.request('GET', `/api/v1/agreements/${agreement.id}`), 404, 'not_found');
    assertError(await rus.request('GET', `/api/v1/agreements/${agreement.id}/document`), 404, 'not_found');
    assertError(await rus.request('GET', '/api/v1/countries/TJK/agreements'), 404, 'not_found');
    assertError(await tjk.request('PATCH', `/api/v1/agreements/${agreement.id}`, { title: 'x' }, { 'if-match': '"3"' }), 403, 'forbidden');
  });

  test('agreementInForce picks the agreement whose validity covers the day, the latest to start first', async () => {
    const make = async (title: string, validFrom: string, validUntil: string | null, fee: string) => {
      const r = await coordinator.request('POST', '/api/v1/countries/KAZ/agreements', { title, validFrom, validUntil, currency: 'KZT', feePerChild: fee, feePerAdult: '0', criteria: title === 'B' ? [{ kind: 'guardian_relative' }] : [] });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().id as string;
    };
    const a = await make('A', '2020-01-01', '2022-12-31', '100');
    const b = await make('B', '2023-01-01', null, '200.25');
    const c = await make('C', '2024-06-01', '2024-12-31', '300');
    const db = t.database.db;
    assert.equal(await agreementInForce(db, 'KAZ', '2019-12-31'), null);
    assert.equal((await agreementInForce(db, 'KAZ', '2020-01-01'))?.id, a);
    assert.equal((await agreementInForce(db, 'KAZ', '2022-12-31'))?.id, a);
    assert.equal((await agreementInForce(db, 'KAZ', '2023-01-01'))?.id, b);
    assert.equal((await agreementInForce(db, 'KAZ', '2024-07-01'))?.id, c);
    assert.equal((await agreementInForce(db, 'KAZ', '2025-01-01'))?.id, b);
    assert.deepEqual(await agreementInForce(db, 'KAZ', '2023-06-01'), {
      id: b,
      countryCode: 'KAZ',
      criteria: [{ kind: 'guardian_relative' }],
      currency: 'KZT',
      feePerChild: '200.25',
      feePerAdult: '0.00',
      documentsRequired: [],
    });
    assert.equal(await agreementInForce(db, 'UZB', TODAY), null);
  });
});

describe('the role × endpoint matrix for countries and diplomacy', () => {
  test('each role reaches only what it may use, and every route has a row', async () => {
    const clients = new Map<Role, Client>();
    for (const role of ROLES) clients.set(role, await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {}));
    const rusNotification = (await coordinator.request('POST', '/api/v1/countries/RUS/notifications', {})).json().id as string;
    const tjkNotification = (await coordinator.request('POST', '/api/v1/countries/TJK/notifications', {})).json().id as string;
    const rusMeeting = (await coordinator.request('POST', '/api/v1/countries/RUS/meetings', { heldOn: TODAY, actionItems: [{ description: 'x', owner: 'y' }] })).json();
    const rusAgreement = (await coordinator.request('POST', '/api/v1/countries/RUS/agreements', { title: 'RUS', validFrom: TODAY, currency: 'RUB', feePerChild: '0', feePerAdult: '0' })).json().id as string;
    const item = rusMeeting.actionItems[0].id as string;
    const stale = { 'if-match': '"99"' };
    const rows: MatrixRow[] = [
      { method: 'GET', url: '/api/v1/country-summaries', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET', url: '/api/v1/country-summaries/export?format=csv', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET', url: '/api/v1/countries/TJK/overview', allow: { coordinator: 200, embassy: 200 } },
      { method: 'GET', url: '/api/v1/countries/RUS/overview', allow: { coordinator: 200, embassy: 404 } },
      { method: 'POST', url: '/api/v1/countries/TJK/notifications', body: { sentOn: addDays(TODAY, 5) }, allow: { coordinator: 400 } },
      { method: 'GET', url: '/api/v1/countries/RUS/notifications', allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: '/api/v1/countries/RUS/notifications/export?format=csv', allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: `/api/v1/notifications/${rusNotification}`, allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: `/api/v1/notifications/${rusNotification}/pdf`, allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: `/api/v1/notifications/${tjkNotification}/pdf`, allow: { coordinator: 200, embassy: 200 } },
      { method: 'POST', url: `/api/v1/notifications/${rusNotification}/acknowledge`, body: { acknowledgedOn: TODAY }, headers: stale, allow: { coordinator: 412, embassy: 404 } },
      { method: 'POST', url: '/api/v1/countries/RUS/meetings', body: { heldOn: 'soon' }, allow: { coordinator: 400 } },
      { method: 'GET', url: '/api/v1/countries/RUS/meetings', allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: '/api/v1/countries/RUS/meetings/export?format=csv', allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: `/api/v1/meetings/${rusMeeting.id}`, allow: { coordinator: 200, embassy: 404 } },
      { method: 'PATCH', url: `/api/v1/meetings/${rusMeeting.id}`, body: { place: 'x' }, headers: stale, allow: { coordinator: 412 } },
      { method: 'POST', url: `/api/v1/meetings/${rusMeeting.id}/action-items`, body: { description: '' }, allow: { coordinator: 400 } },
      { method: 'PATCH', url: `/api/v1/action-items/${item}`, body: { owner: 'z' }, headers: stale, allow: { coordinator: 412 } },
      { method: 'POST', url: '/api/v1/countries/RUS/agreements', body: { title: 'x' }, allow: { coordinator: 400 } },
      { method: 'GET', url: '/api/v1/countries/RUS/agreements', allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: '/api/v1/countries/RUS/agreements/export?format=csv', allow: { coordinator: 200, embassy: 404 } },
      { method: 'GET', url: `/api/v1/agreements/${rusAgreement}`, allow: { coordinator: 200, embassy: 404 } },
      { method: 'PATCH', url: `/api/v1/agreements/${rusAgreement}`, body: { title: 'y' }, headers: stale, allow: { coordinator: 412 } },
      { method: 'PUT', url: `/api/v1/agreements/${rusAgreement}/document`, body: { not: 'a file' }, headers: stale, allow: { coordinator: 415 } },
      { method: 'GET', url: `/api/v1/agreements/${rusAgreement}/document`, allow: { coordinator: 404, embassy: 404 } },
    ];
    await checkMatrix(clients, rows);
    const pattern = /^\/api\/v1\/(country-summaries|countries\/:code\/(overview|notifications|meetings|agreements)|notifications|meetings|action-items|agreements)\b/;
    const routes = t.app.routeTable.filter((r) => pattern.test(r.url)).map((r) => `${r.method} ${r.url}`);
    const covered = new Set(rows.map((r) => `${r.method} ${r.url.replace(/\?.*$/, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/countries\/[A-Z]{3}\//, 'countries/:code/')}`));
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
    assert.equal(routes.length, 23, routes.join('\n'));
    assert.equal((await verifyAuditTrail(t.database.db)).ok, true);
  });
});
