import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, type ErrorDetail, invalid, notFound } from '../domain/errors.ts';
import { findMovementTransition, manifestChecks, type ManifestVerdict, type MovementStatus, type MovementTransition } from '../domain/movements.ts';
import { findVisibleCase } from '../repositories/cases.ts';
import { loadMovementFacts, movementVisibleTo } from '../repositories/movements.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { crashPoint } from '../testing/crash-point.ts';
import { applyCaseTransition } from './caseTransitioner.ts';
import { storeSentManifest } from './manifestSender.ts';
import { staleVersion } from './staleness.ts';

export interface NewMovement {
  readonly kind: 'repatriation' | 'transfer';
  readonly mode: 'air' | 'land';
  readonly countryCode?: string | undefined;
  readonly fromPlace: string;
  readonly toPlace: string;
  readonly carrier?: string | undefined;
  readonly flightNumber?: string | undefined;
  readonly departureDate: IsoDate;
  readonly capacity: number;
  readonly toFacilityId?: string | undefined;
  readonly notes?: string | undefined;
}

const MOVEMENT_ACTIONS = ['movement.created', 'movement.updated', 'movement.manifest_changed', 'movement.transitioned'];

/** Locks a movement the caller may see; 404 otherwise; 412 if the client read another version. */
export async function lockMovement(tx: Tx, actor: Actor, id: string, expected?: number) {
  const row = await tx.selectFrom('movements as m').selectAll('m').where('m.id', '=', id).where(movementVisibleTo(actor)).forUpdate().executeTakeFirst();
  if (!row) throw notFound('movement');
  if (expected !== undefined && row.version !== expected) throw await staleVersion(tx, 'movement', id, expected, row.version, MOVEMENT_ACTIONS);
  return row;
}

function refuseUnlessPlanned(status: string): void {
  if (status !== 'planned') throw new DomainError('conflict', 'manifest_not_open', `the manifest is ${status.replace('_', ' ')}: unlock it first to change it`);
}

async function bump(tx: Tx, id: string): Promise<void> {
  await tx.updateTable('movements').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', id).execute();
}

/** Plans a movement: a repatriation to a country, or a transfer between holding authorities. */
export async function planMovement(db: Db, actor: Actor, input: NewMovement): Promise<string> {
  if (input.kind === 'repatriation' && !input.countryCode) throw invalid('body.countryCode', 'is required for a repatriation');
  if (input.kind === 'transfer' && input.countryCode) throw invalid('body.countryCode', 'is only for a repatriation');
  if (input.kind === 'repatriation' && input.toFacilityId) throw invalid('body.toFacilityId', 'is only for a transfer');
  return db.transaction().execute(async (tx) => {
    if (input.countryCode && !(await tx.selectFrom('countries').select('code').where('code', '=', input.countryCode).executeTakeFirst())) {
      throw invalid('body.countryCode', `${input.countryCode} is not an ISO 3166 alpha-3 code`);
    }
    if (input.toFacilityId && !(await tx.selectFrom('facilities').select('id').where('id', '=', input.toFacilityId).executeTakeFirst())) throw invalid('body.toFacilityId', 'no such facility');
    const seq = await sql<{ n: string }>`select nextval('movement_reference_seq')::text as n`.execute(tx);
    const reference = `MOV-${input.departureDate.slice(0, 4)}-${String(seq.rows[0]?.n ?? '0').padStart(3, '0')}`;
    const row = await tx
      .insertInto('movements')
      .values({
        reference,
        kind: input.kind,
        mode: input.mode,
        country_code: input.countryCode ?? null,
        from_place: input.fromPlace,
        to_place: input.toPlace,
        carrier: input.carrier ?? null,
        flight_number: input.flightNumber ?? null,
        departure_date: input.departureDate,
        capacity: input.capacity,
        to_facility_id: input.toFacilityId ?? null,
        notes: input.notes ?? null,
        created_by: actor.userId,
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { action: 'movement.created', entityType: 'movement', entityId: row.id, actor, after: { reference, ...input } });
    return row.id;
  });
}

export interface MovementChanges {
  readonly carrier?: string | null | undefined;
  readonly flightNumber?: string | null | undefined;
  readonly departureDate?: IsoDate | undefined;
  readonly capacity?: number | undefined;
  readonly fromPlace?: string | undefined;
  readonly toPlace?: string | undefined;
  readonly notes?: string | null | undefined;
}

/** Changes a planned movement (If-Match). A locked manifest was checked for its date and seats: unlock it first. */
export async function updateMovement(db: Db, actor: Actor, id: string, expected: number, changes: MovementChanges): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id, expected);
    refuseUnlessPlanned(m.status);
    const set: Record<string, unknown> = {};
    if (changes.carrier !== undefined) set.carrier = changes.carrier;
    if (changes.flightNumber !== undefined) set.flight_number = changes.flightNumber;
    if (changes.departureDate !== undefined) set.departure_date = changes.departureDate;
    if (changes.capacity !== undefined) set.capacity = changes.capacity;
    if (changes.fromPlace !== undefined) set.from_place = changes.fromPlace;
    if (changes.toPlace !== undefined) set.to_place = changes.toPlace;
    if (changes.notes !== undefined) set.notes = changes.notes;
    await tx.updateTable('movements').set(set).where('id', '=', id).execute();
    await bump(tx, id);
    await recordAudit(tx, { action: 'movement.updated', entityType: 'movement', entityId: id, actor, after: changes });
  });
}

export async function addEscort(db: Db, actor: Actor, id: string, escort: { name: string; role: string; organisation?: string | undefined }): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    refuseUnlessPlanned(m.status);
    const row = await tx.insertInto('movement_escorts').values({ movement_id: id, name: escort.name, role: escort.role, organisation: escort.organisation ?? null }).returning('id').executeTakeFirstOrThrow();
    await bump(tx, id);
    await recordAudit(tx, { action: 'movement.manifest_changed', entityType: 'movement', entityId: id, actor, after: { escortAdded: escort } });
    return row.id;
  });
}

export async function removeEscort(db: Db, actor: Actor, id: string, escortId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    refuseUnlessPlanned(m.status);
    const gone = await tx.deleteFrom('movement_escorts').where('id', '=', escortId).where('movement_id', '=', id).executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) throw notFound('escort');
    await bump(tx, id);
    await recordAudit(tx, { action: 'movement.manifest_changed', entityType: 'movement', entityId: id, actor, after: { escortRemoved: escortId } });
  });
}

/**
 * Adds an approved case to the manifest, in one transaction: every current member becomes a
 * passenger and the case moves to `scheduled`. A transfer takes people directly (`personIds`).
 */
export async function addToManifest(db: Db, actor: Actor, asOf: IsoDate, id: string, input: { caseId?: string | undefined; personIds?: readonly string[] | undefined }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    refuseUnlessPlanned(m.status);
    let personIds: string[];
    let caseId: string | null = null;
    if (input.caseId) {
      const c = await findVisibleCase(tx, actor, asOf, input.caseId);
      if (!c) throw invalid('body.caseId', 'no such case');
      if (m.kind === 'repatriation' && c.country_code !== m.country_code) throw invalid('body.caseId', `returns people to ${c.country_code}, not ${m.country_code}`);
      if (c.state !== 'approved') throw new DomainError('conflict', 'case_not_approved', `case ${c.reference} is ${c.state}: only an approved case goes on a manifest`);
      caseId = c.id;
      personIds = (await tx.selectFrom('case_members').select('person_id').where('case_id', '=', c.id).where('current', '=', true).execute()).map((r) => r.person_id);
    } else if (input.personIds && m.kind === 'transfer') {
      personIds = [...new Set(input.personIds)];
      for (const [i, pid] of personIds.entries()) if (!(await findVisiblePerson(tx, actor, asOf, pid))) throw invalid(`body.personIds.${i}`, 'no such person');
    } else {
      throw invalid(m.kind === 'repatriation' ? 'body.caseId' : 'body.personIds', m.kind === 'repatriation' ? 'is required: a repatriation carries approved cases' : 'is required');
    }
    for (const pid of personIds) {
      const other = await tx
        .selectFrom('movement_passengers as mp')
        .innerJoin('movements as o', 'o.id', 'mp.movement_id')
        .select('o.reference')
        .where('mp.person_id', '=', pid)
        .where('mp.active', '=', true)
        .executeTakeFirst();
      if (other) throw new DomainError('conflict', 'already_on_movement', `a passenger is already on movement ${other.reference}`);
      await tx
        .insertInto('movement_passengers')
        .values({ movement_id: id, person_id: pid, case_id: caseId })
        .onConflict((oc) => oc.columns(['movement_id', 'person_id']).doUpdateSet({ active: true, removed_at: null, case_id: caseId, added_at: new Date() }))
        .execute();
    }
    if (caseId) {
      const c = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
      await applyCaseTransition(tx, c, 'scheduled', null, actor, asOf);
    }
    await bump(tx, id);
    await recordAudit(tx, { action: 'movement.manifest_changed', entityType: 'movement', entityId: id, actor, after: { added: personIds, caseId } });
  });
}

/** Takes a case (or, on a transfer, a person) off the manifest; the case goes back to `approved`. */
export async function removeFromManifest(db: Db, actor: Actor, asOf: IsoDate, id: string, input: { caseId?: string | undefined; personId?: string | undefined }, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    refuseUnlessPlanned(m.status);
    let q = tx.updateTable('movement_passengers').set({ active: false, removed_at: new Date() }).where('movement_id', '=', id).where('active', '=', true);
    q = input.caseId ? q.where('case_id', '=', input.caseId) : q.where('person_id', '=', input.personId ?? '');
    const result = await q.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('passenger');
    if (input.caseId) {
      const c = await tx.selectFrom('cases').selectAll().where('id', '=', input.caseId).forUpdate().executeTakeFirstOrThrow();
      if (c.state === 'scheduled') await applyCaseTransition(tx, c, 'approved', reason, actor, asOf);
    }
    await bump(tx, id);
    await recordAudit(tx, { action: 'movement.manifest_changed', entityType: 'movement', entityId: id, actor, after: { removed: input }, reason });
  });
}

/** Assigns an escort of the movement to a passenger (a child travelling without the mother needs one). */
export async function assignEscort(db: Db, actor: Actor, id: string, personId: string, escortId: string | null): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    refuseUnlessPlanned(m.status);
    if (escortId && !(await tx.selectFrom('movement_escorts').select('id').where('id', '=', escortId).where('movement_id', '=', id).executeTakeFirst())) throw invalid('body.escortId', 'is not an escort of this movement');
    const result = await tx.updateTable('movement_passengers').set({ escort_id: escortId }).where('movement_id', '=', id).where('person_id', '=', personId).where('active', '=', true).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('passenger');
    await bump(tx, id);
    await recordAudit(tx, { action: 'movement.manifest_changed', entityType: 'movement', entityId: id, actor, after: { personId, escortId } });
  });
}

/** The pre-departure checks, as they stand now, for the departure date. */
export async function checkManifest(db: Db | Tx, actor: Actor, id: string): Promise<ManifestVerdict> {
  const m = await db.selectFrom('movements as m').selectAll('m').where('m.id', '=', id).where(movementVisibleTo(actor)).executeTakeFirst();
  if (!m) throw notFound('movement');
  return manifestChecks(await loadMovementFacts(db, m));
}

/** The 422 of a manifest that does not lock: one detail per passenger and failed check. */
function checksFailed(verdict: ManifestVerdict): DomainError {
  const details: ErrorDetail[] = [
    ...verdict.movement.map((f) => ({ path: `movement.${f.check}`, message: f.message, code: f.code, params: f.params })),
    ...verdict.passengers.flatMap((p) => p.failed.map((f) => ({ path: `passengers.${p.personId}.${f.check}`, message: `${p.displayName}: ${f.message}`, code: f.code, params: { ...f.params, name: p.displayName } }))),
  ];
  const people = verdict.passengers.length;
  return new DomainError('rule', 'manifest_checks_failed', `the manifest cannot be locked: ${details.length} check${details.length === 1 ? '' : 's'} failed${people ? ` for ${people} passenger${people === 1 ? '' : 's'}` : ''}`, details);
}

async function record(tx: Tx, actor: Actor, m: { id: string; status: string }, t: MovementTransition, reason: string | null, checks: ManifestVerdict | null, manifestSha256: string | null = null): Promise<void> {
  await tx.updateTable('movements').set((eb) => ({ status: t.to, version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', m.id).execute();
  await tx
    .insertInto('movement_events')
    .values({ movement_id: m.id, transition: t.name, from_status: m.status, to_status: t.to, reason, checks: checks ? JSON.stringify(checks) : null, manifest_sha256: manifestSha256, actor_user_id: actor.userId })
    .execute();
  await recordAudit(tx, {
    action: 'movement.transitioned',
    entityType: 'movement',
    entityId: m.id,
    actor,
    before: { status: m.status },
    after: { status: t.to, transition: t.name, ...(manifestSha256 ? { manifestSha256 } : {}) },
    ...(reason ? { reason } : {}),
  });
}

function transitionOf(status: string, name: MovementTransition['name'], reason: string | null): MovementTransition {
  const t = findMovementTransition(status as MovementStatus, name);
  if (!t) throw new DomainError('conflict', 'movement_transition_not_allowed', `a movement that is ${status.replace('_', ' ')} cannot be ${name === 'lock' ? 'locked' : `${name}ed`.replace('eed', 'ed')}`);
  if (t.needsReason && !reason) throw invalid('body.reason', 'is required: unlocking or cancelling is a recorded decision');
  return t;
}

/**
 * Locks the manifest, only when every pre-departure check passes (else 422 naming each passenger
 * and check); in the same transaction the manifest is kept as sent to the home country.
 */
export async function lockManifest(db: Db, actor: Actor, asOf: IsoDate, id: string, expected?: number): Promise<ManifestVerdict> {
  const verdict = await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id, expected);
    const t = transitionOf(m.status, 'lock', null);
    const verdict = manifestChecks(await loadMovementFacts(tx, m));
    if (!verdict.ok) throw checksFailed(verdict);
    const sent = await storeSentManifest(tx, m, asOf, new Date());
    crashPoint('manifest-lock-stored');
    await record(tx, actor, m, t, null, verdict, sent);
    return verdict;
  });
  crashPoint('manifest-lock-committed');
  return verdict;
}

/** Unlocks the manifest (a reason): the one sent is no longer current, but its lock event keeps it. */
export async function unlockManifest(db: Db, actor: Actor, id: string, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    const t = transitionOf(m.status, 'unlock', reason);
    await tx.updateTable('movements').set({ sent_manifest_sha256: null, sent_manifest_at: null }).where('id', '=', id).execute();
    await record(tx, actor, m, t, reason, null);
  });
}

/**
 * The movement departs, in one transaction: its cases move to `departed` (made by the movement,
 * the system actor of the case machine) and every passenger's custody episode closes on the
 * departure date (repatriated, or transferred).
 */
export async function departMovement(db: Db, actor: Actor, asOf: IsoDate, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    const t = transitionOf(m.status, 'depart', null);
    if (m.departure_date > asOf) throw new DomainError('conflict', 'not_departure_day', `the movement is planned for ${m.departure_date}: change its date if it leaves earlier`);
    const passengers = await tx.selectFrom('movement_passengers').select(['person_id', 'case_id']).where('movement_id', '=', id).where('active', '=', true).execute();
    await record(tx, actor, m, t, null, null);
    for (const caseId of [...new Set(passengers.map((p) => p.case_id).filter((c): c is string => c !== null))].sort()) {
      const c = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
      await applyCaseTransition(tx, c, 'departed', null, actor, asOf, 'movement');
    }
    const ids = passengers.map((p) => p.person_id);
    if (ids.length > 0) {
      await tx
        .updateTable('custody_episodes')
        .set((eb) => ({ released_on: sql<string>`greatest(${m.departure_date}::date, admitted_on)`, release_reason: m.kind === 'repatriation' ? 'repatriated' : 'transferred', version: eb('version', '+', 1) }))
        .where('person_id', 'in', ids)
        .where('released_on', 'is', null)
        .execute();
    }
    await recordAudit(tx, { action: 'custody.released', entityType: 'movement', entityId: id, actor, after: { people: ids.length, reason: m.kind === 'repatriation' ? 'repatriated' : 'transferred', on: m.departure_date } });
  });
}

export interface NewHandover {
  readonly personId: string;
  readonly receivedBy: string;
  readonly receivingAuthority?: string | undefined;
  readonly receivedAt: string;
}

/**
 * Records who received a person for the home country (or the receiving authority of a
 * transfer). Once every member of a case is received, the case moves to `handed_over`.
 */
export async function recordHandover(db: Db, actor: Actor, asOf: IsoDate, id: string, input: NewHandover): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    if (m.status !== 'departed') throw new DomainError('conflict', 'not_departed', `the movement is ${m.status.replace('_', ' ')}: people are handed over once it has departed`);
    const passenger = await tx.selectFrom('movement_passengers').select(['case_id']).where('movement_id', '=', id).where('person_id', '=', input.personId).where('active', '=', true).executeTakeFirst();
    if (!passenger) throw invalid('body.personId', 'is not a passenger of this movement');
    const receivedOn = new Date(input.receivedAt).toISOString().slice(0, 10);
    if (receivedOn < m.departure_date) throw invalid('body.receivedAt', 'is before the departure');
    // Recorded once it has happened: a return counts in the figures from its day (decision 0031).
    if (receivedOn > asOf) throw invalid('body.receivedAt', 'is in the future');
    const existing = await tx.selectFrom('handovers').select('id').where('movement_id', '=', id).where('person_id', '=', input.personId).executeTakeFirst();
    if (existing) throw new DomainError('conflict', 'already_handed_over', 'this person’s handover is already recorded');
    const row = await tx
      .insertInto('handovers')
      .values({ movement_id: id, person_id: input.personId, received_by: input.receivedBy, receiving_authority: input.receivingAuthority ?? null, received_at: new Date(input.receivedAt), recorded_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bump(tx, id);
    await recordAudit(tx, { action: 'movement.handover_recorded', entityType: 'movement', entityId: id, actor, after: input });
    if (passenger.case_id) {
      const c = await tx.selectFrom('cases').selectAll().where('id', '=', passenger.case_id).forUpdate().executeTakeFirstOrThrow();
      const members = await tx.selectFrom('case_members').select('person_id').where('case_id', '=', c.id).where('left_at', 'is', null).execute();
      const received = new Set((await tx.selectFrom('handovers').select('person_id').where('movement_id', '=', id).execute()).map((h) => h.person_id));
      if (c.state === 'departed' && members.every((mm) => received.has(mm.person_id))) await applyCaseTransition(tx, c, 'handed_over', null, actor, asOf);
    }
    return row.id;
  });
}

/**
 * The 422 of a movement that does not complete: one detail per passenger with no handover recorded
 * (`handovers_missing`) or, once all are received, with no signed receipt attached
 * (`handover_receipts_missing`), each naming the person.
 */
function refuseUnlessReceived(passengers: readonly { person_id: string; display_name: string; handover_id: string | null; receipt_sha256: string | null }[]): void {
  const plural = (n: number, one: string, many: string) => `${n} passenger${n === 1 ? one : many}`;
  const unreceived = passengers.filter((p) => p.handover_id === null);
  if (unreceived.length > 0) {
    throw new DomainError(
      'rule',
      'handovers_missing',
      `${plural(unreceived.length, ' has', 's have')} no handover recorded yet`,
      unreceived.map((p) => ({ path: `passengers.${p.person_id}.handover`, message: `${p.display_name}: no handover recorded`, code: 'handover_missing', params: { name: p.display_name } })),
    );
  }
  const unsigned = passengers.filter((p) => p.receipt_sha256 === null);
  if (unsigned.length > 0) {
    throw new DomainError(
      'rule',
      'handover_receipts_missing',
      `${plural(unsigned.length, ' has', 's have')} no signed handover receipt attached: attach each scanned receipt first`,
      unsigned.map((p) => ({ path: `passengers.${p.person_id}.receipt`, message: `${p.display_name}: no signed handover receipt attached`, code: 'handover_receipt_missing', params: { name: p.display_name } })),
    );
  }
}

/** Completes a departed movement once everyone is handed over with a signed receipt; a transfer opens each person's custody at the receiving facility. */
export async function completeMovement(db: Db, actor: Actor, asOf: IsoDate, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    const t = transitionOf(m.status, 'complete', null);
    const passengers = await tx
      .selectFrom('movement_passengers as mp')
      .innerJoin('persons as p', 'p.id', 'mp.person_id')
      .leftJoin('handovers as h', (j) => j.onRef('h.movement_id', '=', 'mp.movement_id').onRef('h.person_id', '=', 'mp.person_id'))
      .select(['mp.person_id', 'p.display_name', 'h.id as handover_id', 'h.receipt_sha256'])
      .where('mp.movement_id', '=', id)
      .where('mp.active', '=', true)
      .orderBy('p.display_name')
      .execute();
    refuseUnlessReceived(passengers);
    if (m.kind === 'transfer' && m.to_facility_id) {
      const arrived = asOf < m.departure_date ? m.departure_date : asOf;
      await tx.insertInto('custody_episodes').values(passengers.map((p) => ({ person_id: p.person_id, facility_id: m.to_facility_id as string, admitted_on: arrived }))).execute();
    }
    await record(tx, actor, m, t, null, null);
  });
}

/** Cancels a movement before it leaves: its cases go back to `approved`, its passengers are free for another. */
export async function cancelMovement(db: Db, actor: Actor, asOf: IsoDate, id: string, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, id);
    const t = transitionOf(m.status, 'cancel', reason);
    const passengers = await tx.selectFrom('movement_passengers').select(['case_id']).where('movement_id', '=', id).where('active', '=', true).execute();
    await tx.updateTable('movement_passengers').set({ active: false, removed_at: new Date() }).where('movement_id', '=', id).where('active', '=', true).execute();
    await record(tx, actor, m, t, reason, null);
    for (const caseId of [...new Set(passengers.map((p) => p.case_id).filter((c): c is string => c !== null))].sort()) {
      const c = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
      if (c.state === 'scheduled') await applyCaseTransition(tx, c, 'approved', `movement cancelled: ${reason}`, actor, asOf);
    }
  });
}

/** Fitness to travel, recorded by the medical service (custody), child protection or the coordinator. */
export async function recordFitness(db: Db, actor: Actor, asOf: IsoDate, personId: string, input: { assessedOn: IsoDate; fit: boolean; notes?: string | undefined; assessedBy?: string | undefined }): Promise<string> {
  if (input.assessedOn > asOf) throw invalid('body.assessedOn', 'is in the future');
  return db.transaction().execute(async (tx) => {
    if (!(await findVisiblePerson(tx, actor, asOf, personId))) throw notFound('person');
    const row = await tx
      .insertInto('medical_assessments')
      .values({ person_id: personId, assessed_on: input.assessedOn, fit: input.fit, notes: input.notes ?? null, assessed_by: input.assessedBy ?? null, recorded_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { action: 'person.fitness_recorded', entityType: 'person', entityId: personId, actor, after: input });
    return row.id;
  });
}
