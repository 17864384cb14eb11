import { sql } from 'kysely';
import { recordAudit, type SystemActor } from '../audit/trail.ts';
import { recordAgreement } from '../commands/agreementRecorder.ts';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { addDays, type IsoDate } from '../domain/birth-date.ts';
import { manifestRows } from '../repositories/movements.ts';
import { storeDemoReceipt } from './receipts-demo.ts';

const SYSTEM: SystemActor = { system: 'demo' };

export interface MovementsDemoResult {
  readonly movements: number;
  readonly returned: number;
  readonly planned: { readonly id: string; readonly date: IsoDate; readonly passengers: number };
}

/** The August of the demo: the next 20 August on or after the as-of date (documented in decision 0020). */
export function augustFlightDate(asOf: IsoDate): IsoDate {
  const year = Number(asOf.slice(0, 4));
  const thisYear = `${year}-08-20`;
  return asOf <= thisYear ? thisYear : `${year + 1}-08-20`;
}

const at = (day: IsoDate, time = '10:00') => new Date(`${day}T${time}:00Z`);

interface Ctx {
  readonly tx: Tx;
  readonly asOf: IsoDate;
  readonly coordinator: string;
}

async function reference(tx: Tx, date: IsoDate): Promise<string> {
  const seq = await sql<{ n: string }>`select nextval('movement_reference_seq')::text as n`.execute(tx);
  return `MOV-${date.slice(0, 4)}-${String(seq.rows[0]?.n ?? '0').padStart(3, '0')}`;
}

async function movement(ctx: Ctx, m: { country: string; from: string; to: string; carrier: string; flight: string; date: IsoDate; capacity: number; status: string; notes?: string }) {
  const row = await ctx.tx
    .insertInto('movements')
    .values({
      reference: await reference(ctx.tx, m.date),
      kind: 'repatriation',
      mode: 'air',
      country_code: m.country,
      from_place: m.from,
      to_place: m.to,
      carrier: m.carrier,
      flight_number: m.flight,
      departure_date: m.date,
      capacity: m.capacity,
      status: m.status,
      notes: m.notes ?? null,
      created_by: ctx.coordinator,
      created_at: at(addDays(m.date, -45)),
      updated_at: new Date(),
    })
    .returning(['id', 'reference', 'flight_number'])
    .executeTakeFirstOrThrow();
  return row;
}

async function escorts(ctx: Ctx, movementId: string, list: readonly [string, string, string][]): Promise<string[]> {
  const rows = await ctx.tx
    .insertInto('movement_escorts')
    .values(list.map(([name, role, organisation]) => ({ movement_id: movementId, name, role, organisation })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

async function events(ctx: Ctx, movementId: string, steps: readonly [string, string, string, IsoDate][]): Promise<void> {
  await ctx.tx
    .insertInto('movement_events')
    .values(steps.map(([transition, from, to, day]) => ({ movement_id: movementId, transition, from_status: from, to_status: to, actor_user_id: ctx.coordinator, occurred_at: at(day, '07:00') })))
    .execute();
}

/**
 * A past flight: every passenger on the manifest with escort, travel document and fitness,
 * departed (custody closed, repatriated), received by the home country (handovers, each with the
 * group's signed receipt), the cases handed over then closed — with the history rows the pages
 * read. Its manifest as sent is not kept (rendering the two would slow every demo load by over a
 * second): a completed demo flight shows no `manifestSent`.
 */
async function pastFlight(ctx: Ctx, m: { id: string; reference: string; flight_number: string | null }, date: IsoDate, cases: readonly { id: string; members: string[] }[], escortIds: readonly string[], receiver: { by: string; authority: string }): Promise<number> {
  const { tx } = ctx;
  const people = cases.flatMap((c) => c.members.map((p) => ({ caseId: c.id, personId: p })));
  await tx
    .insertInto('movement_passengers')
    .values(people.map((p, i) => ({ movement_id: m.id, person_id: p.personId, case_id: p.caseId, escort_id: escortIds[i % escortIds.length] ?? null, added_at: at(addDays(date, -20)) })))
    .execute();
  const ids = people.map((p) => p.personId);
  await tx.insertInto('identity_documents').values(ids.map((id, i) => ({ person_id: id, kind: 'travel_document', number: `${m.reference}-TD-${String(i + 1).padStart(2, '0')}`, expires_on: addDays(date, 90) }))).execute();
  await tx.insertInto('medical_assessments').values(ids.map((id) => ({ person_id: id, assessed_on: addDays(date, -4), fit: true, assessed_by: 'Facility physician (demo)', recorded_by: ctx.coordinator }))).execute();
  const receipt = await storeDemoReceipt(tx, { reference: m.reference, flight: m.flight_number ?? '', receivedAt: at(date, '16:30'), authority: receiver.authority, people: (await manifestRows(tx, m.id)).map((p) => p.latin_name ?? p.display_name) });
  await tx
    .insertInto('handovers')
    .values(ids.map((id) => ({ movement_id: m.id, person_id: id, received_by: receiver.by, receiving_authority: receiver.authority, received_at: at(date, '16:30'), receipt_sha256: receipt, recorded_by: ctx.coordinator })))
    .execute();
  await tx
    .updateTable('custody_episodes')
    .set((eb) => ({ released_on: sql<string>`greatest(${date}::date, admitted_on)`, release_reason: 'repatriated', version: eb('version', '+', 1) }))
    .where('person_id', 'in', ids)
    .where('released_on', 'is', null)
    .execute();
  const caseIds = cases.map((c) => c.id);
  await tx
    .insertInto('case_transitions')
    .values(
      caseIds.flatMap((id) => [
        { case_id: id, transition: 'schedule', from_state: 'approved', to_state: 'scheduled', actor_user_id: ctx.coordinator, occurred_at: at(addDays(date, -20)) },
        { case_id: id, transition: 'depart', from_state: 'scheduled', to_state: 'departed', actor_user_id: ctx.coordinator, actor_system: 'movement', occurred_at: at(date, '07:00') },
        { case_id: id, transition: 'hand_over', from_state: 'departed', to_state: 'handed_over', actor_user_id: ctx.coordinator, occurred_at: at(date, '16:30') },
        { case_id: id, transition: 'close', from_state: 'handed_over', to_state: 'closed', actor_user_id: ctx.coordinator, occurred_at: at(addDays(date, 14)) },
      ]),
    )
    .execute();
  await tx.updateTable('cases').set({ state: 'closed', held_from: null, state_changed_at: at(addDays(date, 14)), updated_at: new Date() }).where('id', 'in', caseIds).execute();
  // A closed case no longer holds its members.
  await tx.updateTable('case_members').set({ current: false }).where('case_id', 'in', caseIds).execute();
  await events(ctx, m.id, [
    ['lock', 'planned', 'manifest_locked', addDays(date, -3)],
    ['depart', 'manifest_locked', 'departed', date],
    ['complete', 'departed', 'completed', addDays(date, 1)],
  ]);
  return ids.length;
}

/** Children of a country not on any case, by mother (a family each), in the registry's order. */
async function freeFamilies(tx: Tx, country: string): Promise<string[][]> {
  const rows = await sql<{ id: string; mother: string | null }>`
    select c.id, ml.relative_id as mother
    from persons c left join family_links ml on ml.person_id = c.id and ml.relation = 'mother'
    where c.external_ref like ${`DEMO-${country}-C-%`} and not exists (select 1 from case_members cm where cm.person_id = c.id)
    order by c.external_ref`.execute(tx);
  const families = new Map<string, string[]>();
  for (const r of rows.rows) families.set(r.mother ?? r.id, [...(families.get(r.mother ?? r.id) ?? []), r.id]);
  return [...families.values()];
}

/**
 * The movements part of the demo, as the seeds tell it: the special flight that brought the
 * Russian group of 33 children home about four months ago; the 27 Kazakh children returned
 * about seven months ago, invoiced under Kazakhstan's agreement and partly paid; and the August
 * flight to Tajikistan, planned with approved Tajik cases on its manifest, which does not lock
 * yet — fitness to travel is assessed in the last 30 days, some children have no travel
 * document or escort yet, and one case's clearances lapse before the flight. Russia's protocol
 * charges no fee: its flight has no invoice.
 */
export async function loadMovementsDemo(tx: Tx, asOf: IsoDate): Promise<MovementsDemoResult> {
  const user = await tx.selectFrom('users').select(['id', 'username', 'agency_id']).where('username', '=', 'demo-coordinator').executeTakeFirstOrThrow();
  const ctx: Ctx = { tx, asOf, coordinator: user.id };
  const coordinator: Actor = { userId: user.id, username: user.username, role: 'coordinator', agencyId: user.agency_id, countryCode: null, via: 'session', scopes: ['read', 'write'], totpEnrollmentPending: false, passwordChangePending: false };
  const membersOf = async (caseIds: readonly string[]) => {
    const rows = caseIds.length === 0 ? [] : await tx.selectFrom('case_members').select(['case_id', 'person_id']).where('case_id', 'in', caseIds).where('current', '=', true).orderBy('person_id').execute();
    return caseIds.map((id) => ({ id, members: rows.filter((r) => r.case_id === id).map((r) => r.person_id) }));
  };

  // ---- the 33-child flight to Russia, about four months ago ----------------------------------------
  const rusDate = addDays(asOf, -120);
  const rusCases = (await tx.selectFrom('cases').select('id').where('country_code', '=', 'RUS').where('state', '=', 'approved').orderBy('reference').execute()).map((c) => c.id);
  // Their facts were recorded before the flight: move the dates of their story back.
  if (rusCases.length > 0) {
    await sql`update case_transitions set occurred_at = occurred_at - interval '150 days' where case_id in (${sql.join(rusCases)})`.execute(tx);
    await sql`update cases set created_at = created_at - interval '150 days' where id in (${sql.join(rusCases)})`.execute(tx);
    await tx.updateTable('clearances').set({ decided_on: addDays(rusDate, -30), valid_until: addDays(rusDate, 60) }).where('case_id', 'in', rusCases).execute();
    await tx.updateTable('legal_assurances').set({ given_on: addDays(rusDate, -45) }).where('case_id', 'in', rusCases).execute();
  }
  const rus = await membersOf(rusCases);
  const rusPeople = rus.flatMap((c) => c.members);
  if (rusPeople.length > 0) {
    await tx.updateTable('best_interests_determinations').set({ decided_on: addDays(rusDate, -40) }).where('child_id', 'in', rusPeople).execute();
    await tx.updateTable('identity_evidence').set({ observed_on: addDays(rusDate, -60) }).where('person_id', 'in', rusPeople).execute();
  }
  const rusFlight = await movement(ctx, { country: 'RUS', from: 'Baghdad', to: 'Moscow (Chkalovsky)', carrier: 'Special flight of the Russian Federation', flight: 'RSD 3310', date: rusDate, capacity: 60, status: 'completed', notes: 'Special flight arranged by the Russian side; children received by relatives named by the embassy.' });
  const rusEscorts = await escorts(ctx, rusFlight.id, [
    ['Анна Воронцова (демо)', 'official', 'Embassy of the Russian Federation'],
    ['Dr Samir Haddad (demo)', 'medical', 'Ministry of Health'],
    ['Noor Jabbar (demo)', 'child_protection', 'Child Protection Office'],
  ]);
  const rusReturned = await pastFlight(ctx, rusFlight, rusDate, rus, rusEscorts, { by: 'Консул Е. Сергеева (демо)', authority: 'Office of the Children’s Rights Commissioner, Russian Federation' });

  // ---- the 27-child flight to Kazakhstan, about seven months ago -------------------------------------
  const kazDate = addDays(asOf, -210);
  const families = await freeFamilies(tx, 'KAZ');
  const chosen: string[][] = [];
  let count = 0;
  for (const f of families) {
    if (count + f.length > 27) continue;
    chosen.push(f);
    count += f.length;
    if (count === 27) break;
  }
  const kazCases: string[] = [];
  for (const [i, family] of chosen.entries()) {
    const seq = await sql<{ n: string }>`select nextval('case_reference_seq')::text as n`.execute(tx);
    const opened = addDays(kazDate, -150 + i);
    const c = await tx
      .insertInto('cases')
      .values({ reference: `KAZ-${opened.slice(0, 4)}-${String(seq.rows[0]?.n ?? '0').padStart(4, '0')}`, country_code: 'KAZ', kind: family.length > 1 ? 'family' : 'individual', state: 'approved', title: 'Returned with the group of 27', opened_by: user.id, created_at: at(opened), state_changed_at: at(addDays(kazDate, -25)), updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.insertInto('case_members').values(family.map((p) => ({ case_id: c.id, person_id: p, role: 'child', joined_at: at(opened) }))).execute();
    const path: [string, string | null, string][] = [
      ['open', null, 'identification'],
      ['start_verification', 'identification', 'nationality_verification'],
      ['start_assessment', 'nationality_verification', 'assessment'],
      ['request_clearance', 'assessment', 'clearance'],
      ['approve', 'clearance', 'approved'],
    ];
    await tx.insertInto('case_transitions').values(path.map(([transition, from, to], step) => ({ case_id: c.id, transition, from_state: from, to_state: to, actor_user_id: user.id, occurred_at: at(addDays(opened, step * 25)) }))).execute();
    await tx.updateTable('person_nationalities').set({ status: 'verified', source: 'mission of KAZ', decided_at: at(addDays(kazDate, -90)) }).where('person_id', 'in', family).where('country_code', '=', 'KAZ').execute();
    for (const agency of ['coordinator', 'judiciary', 'custody', 'security']) {
      await tx.insertInto('clearances').values(family.map((p) => ({ case_id: c.id, person_id: p, agency, decision: 'approve', decided_on: addDays(kazDate, -30), valid_until: addDays(kazDate, 60), reasons: 'No objection.' }))).execute();
    }
    kazCases.push(c.id);
  }
  await recordAgreement(
    tx,
    coordinator,
    'KAZ',
    {
      title: 'Agreement on the return of Kazakh children (Zhusan)',
      signedOn: addDays(kazDate, -100),
      validFrom: addDays(kazDate, -100),
      validUntil: null,
      currency: 'USD',
      feePerChild: '250',
      feePerAdult: '0',
      documentsRequired: [],
      conditions: 'Kazakhstan meets the cost of the flight and pays USD 250 for each child returned.',
      criteria: [],
    },
    asOf,
  );
  const kazFlight = await movement(ctx, { country: 'KAZ', from: 'Baghdad', to: 'Almaty', carrier: 'Air Astana (charter)', flight: 'KC 7270', date: kazDate, capacity: 45, status: 'completed' });
  const kazEscorts = await escorts(ctx, kazFlight.id, [
    ['Aigerim Nurlanovna (demo)', 'official', 'Embassy of Kazakhstan'],
    ['Dr Layla Karim (demo)', 'medical', 'Ministry of Health'],
  ]);
  const kazReturned = await pastFlight(ctx, kazFlight, kazDate, await membersOf(kazCases), kazEscorts, { by: 'Consul A. Seitkali (demo)', authority: 'Ministry of Labour and Social Protection of Kazakhstan' });

  // Kazakhstan's invoice: 27 × USD 250 = 6,750.00; 4,000.00 received, 2,750.00 still owed.
  const agreement = await tx.selectFrom('country_agreements').select('id').where('country_code', '=', 'KAZ').executeTakeFirstOrThrow();
  const issuedOn = addDays(kazDate, 5);
  const invSeq = await sql<{ n: string }>`select nextval('invoice_number_seq')::text as n`.execute(tx);
  const invoice = await tx
    .insertInto('invoices')
    .values({ number: `INV-${issuedOn.slice(0, 4)}-${String(invSeq.rows[0]?.n ?? '0').padStart(4, '0')}`, movement_id: kazFlight.id, country_code: 'KAZ', agreement_id: agreement.id, currency: 'USD', issued_on: issuedOn, due_on: addDays(issuedOn, 90), total: `${kazReturned * 250}.00`, created_by: user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.insertInto('invoice_lines').values({ invoice_id: invoice.id, position: 1, description: `children returned on ${kazFlight.reference}`, count: kazReturned, unit_amount: '250.00', amount: `${kazReturned * 250}.00` }).execute();
  await tx.insertInto('payments').values({ invoice_id: invoice.id, received_on: addDays(issuedOn, 40), amount: '4000.00', reference: 'SWIFT KZ-2210 (demo)', recorded_by: user.id }).execute();

  // ---- the August flight to Tajikistan: planned, its manifest not ready to lock ----------------------
  const augDate = augustFlightDate(asOf);
  const approved = await membersOf((await tx.selectFrom('cases').select('id').where('country_code', '=', 'TJK').where('state', '=', 'approved').orderBy('reference').execute()).map((c) => c.id));
  const onBoard: typeof approved = [];
  let seats = 0;
  for (const c of approved) {
    if (seats >= 28) break;
    onBoard.push(c);
    seats += c.members.length;
  }
  const aug = await movement(ctx, { country: 'TJK', from: 'Baghdad', to: 'Dushanbe', carrier: 'Somon Air (charter)', flight: 'SZ 4820', date: augDate, capacity: 40, status: 'planned', notes: 'The second batch of about 30 children; Tajikistan meets the cost of the flight.' });
  const [official, medical] = await escorts(ctx, aug.id, [
    ['Dilnoza Saidova (demo)', 'official', 'Embassy of Tajikistan'],
    ['Dr Hassan Ali (demo)', 'medical', 'Ministry of Health'],
  ]);
  const augPeople = onBoard.flatMap((c, ci) => c.members.map((p) => ({ caseId: c.id, personId: p, ci })));
  const last = onBoard.length - 1;
  await tx
    .insertInto('movement_passengers')
    .values(augPeople.map((p, i) => ({ movement_id: aug.id, person_id: p.personId, case_id: p.caseId, escort_id: p.ci === last ? null : i % 2 === 0 ? (official ?? null) : (medical ?? null), added_at: at(addDays(asOf, -3)) })))
    .execute();
  // Travel documents issued by the embassy for all but the first two cases' children.
  const withDocuments = augPeople.filter((p) => p.ci >= 2);
  if (withDocuments.length > 0) {
    await tx.insertInto('identity_documents').values(withDocuments.map((p, i) => ({ person_id: p.personId, kind: 'travel_document', country_code: 'TJK', number: `TJK-TD-${String(4400 + i)}`, expires_on: addDays(augDate, 180) }))).execute();
  }
  // Clearances renewed up to the flight, except the second case's, which lapse (asOf + 180 days) before it.
  const renewed = onBoard.filter((_, i) => i !== 1).map((c) => c.id);
  if (renewed.length > 0) await tx.updateTable('clearances').set({ valid_until: addDays(augDate, 30) }).where('case_id', 'in', renewed).execute();
  const onBoardIds = onBoard.map((c) => c.id);
  if (onBoardIds.length > 0) {
    await tx.updateTable('cases').set({ state: 'scheduled', state_changed_at: at(addDays(asOf, -3)), updated_at: new Date() }).where('id', 'in', onBoardIds).execute();
    await tx.insertInto('case_transitions').values(onBoardIds.map((id) => ({ case_id: id, transition: 'schedule', from_state: 'approved', to_state: 'scheduled', actor_user_id: user.id, occurred_at: at(addDays(asOf, -3)) }))).execute();
  }

  await recordAudit(tx, { action: 'demo.movements_loaded', entityType: 'movement', entityId: null, actor: SYSTEM, context: { movements: 3, returned: rusReturned + kazReturned, august: augDate } });
  return { movements: 3, returned: rusReturned + kazReturned, planned: { id: aug.id, date: augDate, passengers: augPeople.length } };
}
