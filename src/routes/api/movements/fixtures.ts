/**
 * Test fixtures for the movement routes (not a test file): a child whose case is approved, a
 * repatriation planned for today, and one that has departed with that child on board.
 */
import type { Db } from '../../../db/database.ts';
import { addDays } from '../../../domain/birth-date.ts';
import type { Client, TestApp } from '../../../testing/app.ts';
import { TODAY, ok } from '../case-facts/fixtures.ts';

/** What the fixtures need: the app, a coordinator, and a facility the children are held in. */
export interface MovementWorld {
  readonly t: TestApp;
  readonly coordinator: Client;
  readonly facilityId: string;
}

export interface ApprovedChild {
  readonly personId: string;
  readonly caseId: string;
}

let seq = 0;
/**
 * A child whose case is approved: every fact the engine reads recorded (directly in the database,
 * as the case-facts API would), then the case moved through the machine by the API.
 */
export async function approvedChild(w: MovementWorld, country = 'TJK'): Promise<ApprovedChild> {
  seq++;
  const { coordinator } = w;
  const db = w.t.database.db;
  const person = ok(
    await coordinator.request('POST', '/api/v1/persons', {
      sex: 'female',
      birthDate: { precision: 'year', year: 2016 },
      names: [{ givenName: `Passenger${seq}`, familyName: 'Testova' }],
      nationalities: [{ countryCode: country }],
      custody: { facilityId: w.facilityId, admittedOn: addDays(TODAY, -300) },
    }),
    201,
  );
  const id = person.id as string;
  await recordChildFacts(db, id);
  const c = ok(await coordinator.request('POST', '/api/v1/cases', { countryCode: country, kind: 'individual', members: [{ personId: id, role: 'child' }] }), 201);
  await db.insertInto('legal_assurances').values({ case_id: c.id, type: 'rights of the child', given_on: addDays(TODAY, -15), issuing_authority: 'Ministry of Foreign Affairs' }).execute();
  for (const agency of ['coordinator', 'judiciary', 'custody', 'security']) {
    await db.insertInto('clearances').values({ case_id: c.id, person_id: id, agency, decision: 'approve', decided_on: addDays(TODAY, -2), valid_until: addDays(TODAY, 60) }).execute();
  }
  for (const to of ['nationality_verification', 'assessment', 'clearance', 'approved']) ok(await coordinator.request('POST', `/api/v1/cases/${c.id}/transitions`, { to }));
  return { personId: id, caseId: c.id };
}

/** A repatriation to Tajikistan by air, leaving today (the body's fields override). */
export const plan = async (coordinator: Client, body: Record<string, unknown> = {}) =>
  ok(
    await coordinator.request('POST', '/api/v1/movements', {
      kind: 'repatriation',
      mode: 'air',
      countryCode: 'TJK',
      fromPlace: 'Baghdad',
      toPlace: 'Dushanbe',
      carrier: 'Test Air',
      flightNumber: 'TA 101',
      departureDate: TODAY,
      capacity: 40,
      ...body,
    }),
    201,
  );

/**
 * A repatriation that has departed today with one approved child on board: a travel document,
 * a fitness check and an escort let the manifest lock. No handover is recorded yet.
 */
export async function departedWith(w: MovementWorld, child: ApprovedChild): Promise<string> {
  const { coordinator } = w;
  const id = (await plan(coordinator)).id as string;
  ok(await coordinator.request('POST', `/api/v1/movements/${id}/passengers`, { caseId: child.caseId }));
  ok(await coordinator.request('POST', `/api/v1/persons/${child.personId}/documents`, { kind: 'travel_document', countryCode: 'TJK', number: 'TD 1', expiresOn: addDays(TODAY, 30) }), 201);
  ok(await coordinator.request('POST', `/api/v1/persons/${child.personId}/fitness`, { assessedOn: TODAY, fit: true }), 201);
  const escorted = ok(await coordinator.request('POST', `/api/v1/movements/${id}/escorts`, { name: 'Escort (test)', role: 'official' }));
  ok(await coordinator.request('PUT', `/api/v1/movements/${id}/passengers/${child.personId}/escort`, { escortId: escorted.escorts[0].id }));
  ok(await coordinator.request('POST', `/api/v1/movements/${id}/lock`));
  ok(await coordinator.request('POST', `/api/v1/movements/${id}/depart`));
  return id;
}

/**
 * What a child alone needs before a case can pass its guard: the nationality verified, identity
 * evidence, a verified guardian, a consent exemption, a final best-interests determination with its panel.
 */
export async function recordChildFacts(db: Db, id: string): Promise<void> {
  await db.updateTable('person_nationalities').set({ status: 'verified' }).where('person_id', '=', id).execute();
  await db.insertInto('identity_evidence').values({ person_id: id, kind: 'document', observed_on: addDays(TODAY, -20), supports: true }).execute();
  await db.insertInto('guardians').values({ child_id: id, full_name: 'Grandmother (test)', relation: 'grandparent', verification: 'verified', verified_by: 'embassy' }).execute();
  await db.insertInto('consent_exemptions').values({ child_id: id, reason: 'both_parents_deceased', recorded_on: addDays(TODAY, -20) }).execute();
  const bid = await db.insertInto('best_interests_determinations').values({ child_id: id, status: 'final', outcome: 'return', decided_on: addDays(TODAY, -10) }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('best_interests_panel_members').values([1, 2, 3].map((position) => ({ determination_id: bid.id, position, name: `Member ${position}`, undertaking_signed_on: addDays(TODAY, -30) }))).execute();
}
