import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addDays, kindOf } from '../../../domain/birth-date.ts';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';
import { checkMatrix } from '../../../testing/matrix.ts';

/**
 * A small fixture, inserted directly (the API path to a completed movement is long and tested in
 * movements.test.ts): one facility of capacity 10;
 * - Russia: a completed flight that returned 12 children and 6 adults, handed over 3 days ago,
 *   their nationality verified 100 days before; 2 Russian women still held;
 * - Finland: a flight that returned 3 children, a mission's "confirmed" answer 50 days before;
 * - Tajikistan: 7 children held, 3 of them on two cases in `clearance`, 1 on a case in `assessment`.
 */
let t: TestApp;
let coordinator: Client;
let rus: Client;
const TODAY = new Date().toISOString().slice(0, 10);
const RETURNED_ON = addDays(TODAY, -3);
const MONTH = RETURNED_ON.slice(0, 7);
const CHILD_BIRTH = addDays(TODAY, -6 * 365);
let facilityId: string;
const ids: Record<string, string[]> = {};
let tjkCaseA = '';
let tjkCaseB = '';

const ok = (response: LightMyRequestResponse, status = 200) => {
  assert.equal(response.statusCode, status, response.body);
  return response.json();
};

let seq = 0;
async function person(country: string, birth: string, custody: { admitted: string; released?: string } | null, nationality: 'claimed' | 'verified' = 'claimed', decidedAt: string | null = null): Promise<string> {
  seq++;
  const db = t.database.db;
  const p = await db
    .insertInto('persons')
    .values({ display_name: `Figure Person ${seq}`, sex: 'female', birth_precision: 'exact', birth_earliest: birth, birth_latest: birth })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('person_nationalities').values({ person_id: p.id, country_code: country, status: nationality, decided_at: decidedAt ? new Date(decidedAt) : null }).execute();
  if (custody) {
    await db
      .insertInto('custody_episodes')
      .values({ person_id: p.id, facility_id: facilityId, admitted_on: custody.admitted, released_on: custody.released ?? null, release_reason: custody.released ? 'repatriated' : null })
      .execute();
  }
  return p.id;
}

async function completedFlight(country: string, people: readonly string[]): Promise<string> {
  const db = t.database.db;
  seq++;
  const m = await db
    .insertInto('movements')
    .values({ reference: `FIG-${seq}`, kind: 'repatriation', mode: 'air', country_code: country, from_place: 'Baghdad', to_place: 'Home', departure_date: RETURNED_ON, capacity: 100, status: 'completed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const id of people) {
    await db.insertInto('movement_passengers').values({ movement_id: m.id, person_id: id, active: false }).execute();
    await db.insertInto('handovers').values({ movement_id: m.id, person_id: id, received_by: 'Receiving officer', received_at: new Date(`${RETURNED_ON}T10:00:00Z`) }).execute();
  }
  return m.id;
}

async function openCase(country: string, state: string, members: readonly string[]): Promise<string> {
  seq++;
  const c = await t.database.db.insertInto('cases').values({ reference: `FIG-C-${seq}`, country_code: country, kind: 'individual', state }).returning('id').executeTakeFirstOrThrow();
  for (const id of members) await t.database.db.insertInto('case_members').values({ case_id: c.id, person_id: id, role: 'child' }).execute();
  return c.id;
}

before(async () => {
  t = await createTestApp();
  const db = t.database.db;
  coordinator = await signInNew(t, 'coordinator');
  rus = await signInNew(t, 'embassy', { countryCode: 'RUS' });
  facilityId = ok(await coordinator.request('POST', '/api/v1/facilities', { name: 'Figures Test Facility', kind: 'prison', holdingAuthority: 'Ministry of Justice', countryCode: 'IRQ', capacity: 10 }), 201).id;
  const held = { admitted: addDays(TODAY, -400) };
  const returned = { admitted: addDays(TODAY, -400), released: RETURNED_ON };
  const verifiedAt = `${addDays(RETURNED_ON, -100)}T09:00:00Z`;
  ids.rusChildren = [];
  for (let i = 0; i < 12; i++) ids.rusChildren.push(await person('RUS', CHILD_BIRTH, returned, 'verified', verifiedAt));
  ids.rusAdults = [];
  for (let i = 0; i < 6; i++) ids.rusAdults.push(await person('RUS', '1990-05-05', returned, 'verified', verifiedAt));
  ids.rusHeld = [await person('RUS', '1988-01-01', held), await person('RUS', '1991-01-01', held)];
  ids.finChildren = [];
  for (let i = 0; i < 3; i++) ids.finChildren.push(await person('FIN', CHILD_BIRTH, returned));
  ids.tjkChildren = [];
  for (let i = 0; i < 7; i++) ids.tjkChildren.push(await person('TJK', CHILD_BIRTH, held));
  await completedFlight('RUS', [...ids.rusChildren, ...ids.rusAdults]);
  await completedFlight('FIN', ids.finChildren);
  // Finland's identification: the mission's answer, 50 days before the return.
  const request = await db.insertInto('verification_requests').values({ country_code: 'FIN', due_on: TODAY }).returning('id').executeTakeFirstOrThrow();
  for (const id of ids.finChildren) {
    await db.insertInto('verification_items').values({ request_id: request.id, person_id: id, answer: 'confirmed', answered_at: new Date(`${addDays(RETURNED_ON, -50)}T12:00:00Z`) }).execute();
  }
  const [a, b, c, d] = ids.tjkChildren as [string, string, string, string];
  tjkCaseA = await openCase('TJK', 'clearance', [a, b]);
  tjkCaseB = await openCase('TJK', 'clearance', [c]);
  await openCase('TJK', 'assessment', [d]);
  // Case A: a is cleared by the coordinator and the judiciary; b was denied by the judiciary, then approved by the coordinator.
  const clear = (caseId: string, personId: string, agency: string, decision: string, decidedOn: string, validUntil: string | null = null) =>
    db.insertInto('clearances').values({ case_id: caseId, person_id: personId, agency, decision, decided_on: decidedOn, valid_until: validUntil }).execute();
  await clear(tjkCaseA, a, 'coordinator', 'approve', addDays(TODAY, -5));
  await clear(tjkCaseA, a, 'judiciary', 'approve', addDays(TODAY, -5), addDays(TODAY, 30));
  await clear(tjkCaseA, b, 'judiciary', 'deny', addDays(TODAY, -5));
  await clear(tjkCaseA, b, 'coordinator', 'approve', addDays(TODAY, -4));
  // Case B: c's custody clearance has expired; a newer security approval replaced an older denial.
  await clear(tjkCaseB, c, 'custody', 'approve', addDays(TODAY, -60), addDays(TODAY, -1));
  await clear(tjkCaseB, c, 'security', 'deny', addDays(TODAY, -20));
  await clear(tjkCaseB, c, 'security', 'approve', addDays(TODAY, -10));
});
after(() => t.close());

type Dashboard = {
  people: { countryCode: string | null; kind: string; status: string; count: number }[];
  cases: { state: string; countryCode: string; count: number }[];
  returnsByMonth: { month: string; countryCode: string; people: number; children: number }[];
  occupancy: { facilityId: string; name: string; capacity: number; held: number }[];
  pendingClearances: { agency: string; countryCode: string; members: number }[];
  daysToReturn: { countryCode: string | null; people: number; median: number; p90: number }[];
  countries: Record<string, { en: string }>;
  scope: { countryCode: string | null };
};
const sum = <T>(rows: readonly T[], pick: (r: T) => number, where: (r: T) => boolean = () => true) => rows.filter(where).reduce((s, r) => s + pick(r), 0);

describe('the dashboard', () => {
  test('matches the fixture: people by nationality, kind and status; cases; returns; occupancy; clearances; days to return', async () => {
    const d = ok(await coordinator.request('GET', '/api/v1/figures/dashboard')) as Dashboard;
    assert.equal(d.scope.countryCode, null);
    const people = (country: string, status?: string, kind?: string) => sum(d.people, (r) => r.count, (r) => r.countryCode === country && (!status || r.status === status) && (!kind || r.kind === kind));
    const childKind = kindOf({ earliest: CHILD_BIRTH, latest: CHILD_BIRTH }, TODAY);
    assert.equal(childKind, 'child');
    assert.equal(people('RUS', 'returned', 'child'), 12);
    assert.equal(people('RUS', 'returned', 'adult'), 6);
    assert.equal(people('RUS', 'held', 'adult'), 2);
    assert.equal(people('FIN', 'returned', 'child'), 3);
    assert.equal(people('TJK', 'on_case'), 4);
    assert.equal(people('TJK', 'held'), 3);
    assert.equal(people('TJK'), 7);
    assert.equal(d.countries.RUS?.en, 'Russian Federation');

    assert.deepEqual(
      d.cases.map((c) => [c.state, c.countryCode, c.count]),
      [
        ['assessment', 'TJK', 1],
        ['clearance', 'TJK', 2],
      ],
    );
    assert.deepEqual(
      d.returnsByMonth.map((r) => [r.month, r.countryCode, r.people, r.children]),
      [
        [MONTH, 'FIN', 3, 3],
        [MONTH, 'RUS', 18, 12],
      ],
    );
    const facility = d.occupancy.find((f) => f.facilityId === facilityId);
    assert.deepEqual(facility && [facility.held, facility.capacity], [9, 10], 'the 2 Russian women and the 7 Tajik children; the returned are released');

    // a: cleared by coordinator and judiciary; b: coordinator only (the judiciary denied); c: only the newer security approval holds.
    const pending = Object.fromEntries(d.pendingClearances.map((p) => [p.agency, p.members]));
    assert.deepEqual(pending, { coordinator: 1, judiciary: 2, custody: 3, security: 2 });

    const days = new Map(d.daysToReturn.map((r) => [r.countryCode, r]));
    assert.deepEqual([days.get('RUS')?.people, days.get('RUS')?.median, days.get('RUS')?.p90], [18, 100, 100]);
    assert.deepEqual([days.get('FIN')?.people, days.get('FIN')?.median], [3, 50]);
    const all = days.get(null);
    assert.equal(all?.people, 21);
    assert.equal(all?.median, 100);
    assert.equal(all?.p90, 100);
  });

  test('an embassy sees only its own country', async () => {
    const d = ok(await rus.request('GET', '/api/v1/figures/dashboard')) as Dashboard;
    assert.equal(d.scope.countryCode, 'RUS');
    assert.deepEqual([...new Set(d.people.map((p) => p.countryCode))], ['RUS']);
    assert.equal(sum(d.people, (r) => r.count), 20);
    assert.deepEqual(d.cases, [], 'no Russian cases');
    assert.deepEqual(d.returnsByMonth.map((r) => r.countryCode), ['RUS']);
    assert.deepEqual(d.occupancy.map((f) => [f.name, f.held]), [['Figures Test Facility', 2]], 'its nationals only');
    assert.deepEqual(d.pendingClearances, []);
    assert.deepEqual(d.daysToReturn.map((r) => r.countryCode).sort(), [null, 'RUS'].sort());
    assert.deepEqual(Object.keys(d.countries).sort(), ['IRQ', 'RUS'], 'its own, and the country its nationals are held in');
    const tjk = await signInNew(t, 'embassy', { countryCode: 'TJK' });
    const other = ok(await tjk.request('GET', '/api/v1/figures/dashboard')) as Dashboard;
    assert.equal(sum(other.people, (r) => r.count), 7);
    assert.deepEqual(other.returnsByMonth, []);
    assert.deepEqual(Object.fromEntries(other.pendingClearances.map((p) => [p.agency, p.members])), { coordinator: 1, judiciary: 2, custody: 3, security: 2 });
  });

  test('the export is scoped and audited', async () => {
    const csv = await rus.request('GET', '/api/v1/figures/dashboard/export?format=csv');
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.ok(csv.body.includes('RUS'));
    assert.ok(!csv.body.includes('TJK') && !csv.body.includes('FIN'), 'nothing of other countries');
    const audit = await t.database.db
      .selectFrom('audit_events as e')
      .innerJoin('audit_values as v', 'v.event_id', 'e.id')
      .select(['e.actor_role', 'v.data'])
      .where('e.action', '=', 'figures.exported')
      .execute();
    assert.ok(audit.some((a) => a.actor_role === 'embassy' && JSON.stringify(a.data).includes('"dashboard"') && JSON.stringify(a.data).includes('"RUS"')), JSON.stringify(audit));
  });
});

type PublicTable = { id: string; rows: { countryCode: string | null; cells: string[]; total: string }[]; totals: string[]; grandTotal: string };

describe('public statistics', () => {
  test('small numbers are suppressed: Finland\'s 3 returns show "<5", and another cell is hidden so no total gives them back', async () => {
    const body = ok(await coordinator.request('GET', '/api/v1/figures/public'));
    assert.equal(body.asOf, TODAY);
    const returns = (body.tables as PublicTable[]).find((x) => x.id === 'returns')!;
    const fin = returns.rows.find((r) => r.countryCode === 'FIN')!;
    assert.deepEqual(fin.cells, ['<5', '0']);
    assert.equal(fin.total, '<5');
    const rusRow = returns.rows.find((r) => r.countryCode === 'RUS')!;
    // The children column's total (15) is published: Russia's 12 must be hidden, or 15 − 12 gives Finland's 3 back.
    assert.equal(returns.totals[0], '15');
    assert.equal(rusRow.cells[0], 'x');
    assert.equal(rusRow.total, 'x', "Russia's row total would give its children back (18 − 6)");
    // Nothing published is a number from 1 to 4.
    for (const table of body.tables as PublicTable[]) {
      for (const v of [...table.rows.flatMap((r) => [...r.cells, r.total]), ...table.totals, table.grandTotal]) {
        assert.ok(v === '<5' || v === 'x' || Number(v) === 0 || Number(v) >= 5, `${table.id}: ${v}`);
      }
    }
    const held = (body.tables as PublicTable[]).find((x) => x.id === 'held')!;
    assert.deepEqual(
      held.rows.map((r) => [r.countryCode, ...r.cells, r.total]),
      [
        ['RUS', 'x', '<5', '<5'],
        ['TJK', '7', 'x', 'x'],
      ],
    );
    assert.equal(held.grandTotal, '9');
  });

  test('as of a day before the flights, nobody had returned and everyone was held', async () => {
    const body = ok(await coordinator.request('GET', `/api/v1/figures/public?asOf=${addDays(RETURNED_ON, -1)}`));
    const returns = (body.tables as PublicTable[]).find((x) => x.id === 'returns')!;
    assert.deepEqual(returns.rows, []);
    const held = (body.tables as PublicTable[]).find((x) => x.id === 'held')!;
    assert.equal(held.grandTotal, '30');
    const future = await coordinator.request('GET', `/api/v1/figures/public?asOf=${addDays(TODAY, 2)}`);
    assert.equal(future.statusCode, 400);
    assert.equal((await coordinator.request('GET', '/api/v1/figures/public?asOf=2026-02-30')).statusCode, 400);
  });

  test('exports as CSV, XLSX and PDF, each audited', async () => {
    const before = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'figures.exported').executeTakeFirstOrThrow();
    const csv = await coordinator.request('GET', '/api/v1/figures/public/export?format=csv');
    assert.equal(csv.statusCode, 200, csv.body);
    assert.ok(csv.body.includes('<5'));
    assert.match(csv.headers['content-disposition'] as string, /homeward-public-figures-\d{4}-\d{2}-\d{2}\.csv/);
    const xlsx = await coordinator.request('GET', '/api/v1/figures/public/export?format=xlsx');
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const pdf = await coordinator.request('GET', '/api/v1/figures/public/export?format=pdf');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.equal((await coordinator.request('GET', '/api/v1/figures/public/export?format=doc')).statusCode, 400);
    const afterCount = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'figures.exported').executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n) - Number(before.n), 3);
  });
});

describe('the statement', () => {
  test('says the published figures in four languages and never prints a number under 5', async () => {
    const texts: Record<string, string> = {};
    for (const language of ['en', 'ar', 'ru', 'fr']) {
      const s = ok(await coordinator.request('GET', `/api/v1/figures/statement?language=${language}`));
      texts[language] = s.text;
      assert.equal(s.language, language);
      assert.ok(s.text.includes(s.dateText), 'the date is in the text');
      const numbers = s.text.replace(s.dateText, '').match(/\p{Nd}+/gu) ?? [];
      for (const n of numbers) assert.ok(Number(n) === 5 || Number(n) >= 5, `${language}: ${n} in "${s.text}"`);
      // 15 children returned (published); 2 nationalities: "fewer than 5"; the held children's total is hidden ("x"): "5 or more".
      assert.equal(s.figures.childrenReturned, '15');
    }
    assert.equal(texts.en, `As of ${ok(await coordinator.request('GET', '/api/v1/figures/statement')).dateText}, 15 children of fewer than 5 nationalities have been returned to their home countries; 5 or more children remain in custody.`);
    assert.ok(texts.ar?.includes('أقل من 5'));
    assert.ok(texts.ru?.includes('менее 5'));
    assert.ok(texts.fr?.includes('moins de 5'));
    const early = ok(await coordinator.request('GET', `/api/v1/figures/statement?asOf=${addDays(RETURNED_ON, -1)}`));
    assert.match(early.text, /no children have yet been returned/);
    assert.equal((await coordinator.request('GET', '/api/v1/figures/statement?language=de')).statusCode, 400);
  });
});

test('the role × endpoint matrix covers every figures route', async () => {
  const clients = new Map<Role, Client>();
  for (const role of ROLES) clients.set(role, await signInNew(t, role, role === 'embassy' ? { countryCode: 'TJK' } : {}));
  await checkMatrix(clients, [
    { method: 'GET', url: '/api/v1/figures/dashboard', allow: { coordinator: 200, embassy: 200 } },
    { method: 'GET', url: '/api/v1/figures/dashboard/export?format=xlsx', allow: { coordinator: 200, embassy: 200 } },
    { method: 'GET', url: '/api/v1/figures/public', allow: { coordinator: 200 } },
    { method: 'GET', url: '/api/v1/figures/public/export?format=csv', allow: { coordinator: 200 } },
    { method: 'GET', url: '/api/v1/figures/statement?language=ar', allow: { coordinator: 200 } },
  ]);
});
