import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { couldBeUnder, type IsoDate } from '../domain/birth-date.ts';
import type { MovementFacts, PassengerFacts } from '../domain/movements.ts';
import { evaluate } from '../eligibility/index.ts';
import { loadMemberFacts, rulesFor } from './case-facts.ts';

/**
 * Which movements a caller may see, as a SQL condition on `m`: the coordinator and the custody
 * agency (who hand people over at the gate) all of them; an embassy the repatriations to its
 * own country. Deny by default.
 */
export function movementVisibleTo(actor: Actor): Expression<SqlBool> {
  switch (actor.role) {
    case 'coordinator':
    case 'custody':
      return sql<SqlBool>`true`;
    case 'embassy':
      return sql<SqlBool>`(m.kind = 'repatriation' and m.country_code = ${actor.countryCode ?? ''})`;
    default:
      return sql<SqlBool>`false`;
  }
}

export function findVisibleMovement(db: Executor, actor: Actor, id: string) {
  return db.selectFrom('movements as m').selectAll('m').where('m.id', '=', id).where(movementVisibleTo(actor)).executeTakeFirst();
}
export type MovementRow = NonNullable<Awaited<ReturnType<typeof findVisibleMovement>>>;

/** The active passengers of a movement with what a manifest shows of each. */
export function manifestRows(db: Executor, movementId: string) {
  return db
    .selectFrom('movement_passengers as mp')
    .innerJoin('persons as p', 'p.id', 'mp.person_id')
    .leftJoin('cases as c', 'c.id', 'mp.case_id')
    .select(['mp.person_id', 'mp.case_id', 'mp.escort_id', 'c.reference as case_reference', 'c.state as case_state'])
    .select(['p.display_name', 'p.sex', 'p.birth_precision', 'p.birth_earliest', 'p.birth_latest', 'p.birth_text'])
    .select(sql<string | null>`(select n.latin from person_names n where n.person_id = p.id and n.kind = 'primary' limit 1)`.as('latin_name'))
    .where('mp.movement_id', '=', movementId)
    .where('mp.active', '=', true)
    .orderBy('c.reference')
    .orderBy('p.birth_earliest')
    .orderBy('p.id')
    .execute();
}
export type ManifestRow = Awaited<ReturnType<typeof manifestRows>>[number];

/** Everything the pre-departure checks read, on the movement's departure date. */
export async function loadMovementFacts(db: Executor, movement: MovementRow, manifest?: readonly ManifestRow[]): Promise<MovementFacts> {
  const date = movement.departure_date;
  // The caller may already hold the manifest (the movement page does): not read twice.
  const rows = manifest ?? (await manifestRows(db, movement.id));
  const ids = rows.map((r) => r.person_id);
  const [escorts, documents, fitness, mothers] = await Promise.all([
    db.selectFrom('movement_escorts').select(['id', 'name', 'role']).where('movement_id', '=', movement.id).execute(),
    ids.length === 0 ? [] : db.selectFrom('identity_documents').select(['person_id', 'kind', 'expires_on']).where('person_id', 'in', ids).execute(),
    ids.length === 0
      ? []
      : db
          .selectFrom('medical_assessments')
          .select(['person_id', 'assessed_on', 'fit'])
          .where('person_id', 'in', ids)
          .where('assessed_on', '<=', date)
          .orderBy('person_id')
          .orderBy('assessed_on', 'desc')
          .orderBy('created_at', 'desc')
          .execute(),
    ids.length === 0 ? [] : db.selectFrom('family_links').select(['person_id', 'relative_id']).where('person_id', 'in', ids).where('relation', '=', 'mother').execute(),
  ]);
  const aboard = new Set(ids);
  const latestFitness = new Map<string, { assessedOn: IsoDate; fit: boolean }>();
  for (const f of fitness) if (!latestFitness.has(f.person_id)) latestFitness.set(f.person_id, { assessedOn: f.assessed_on, fit: f.fit });
  let verdicts = new Map<string, ReturnType<typeof evaluate>>();
  if (movement.kind === 'repatriation' && movement.country_code) {
    const memberships = await db.selectFrom('case_members').select(['case_id', 'person_id', 'transfer_agreed']).where('person_id', 'in', ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000']).where('current', '=', true).execute();
    const facts = await loadMemberFacts(
      db,
      memberships.map((m) => ({ caseId: m.case_id, personId: m.person_id, countryCode: movement.country_code as string, transferAgreed: m.transfer_agreed })),
    );
    const rules = await rulesFor(db, movement.country_code, date);
    // Eligibility re-computed on the departure date: a clearance valid today may have lapsed by then.
    verdicts = new Map(facts.map((f) => [f.personId, evaluate(f, rules, date)]));
  }
  const passengers: PassengerFacts[] = rows.map((r) => ({
    personId: r.person_id,
    displayName: r.display_name,
    child: couldBeUnder({ earliest: r.birth_earliest, latest: r.birth_latest }, 18, date),
    verdict: verdicts.get(r.person_id) ?? null,
    travelDocuments: documents.filter((d) => d.person_id === r.person_id).map((d) => ({ kind: d.kind, expiresOn: d.expires_on })),
    fitness: latestFitness.get(r.person_id) ?? null,
    motherOnBoard: mothers.some((m) => m.person_id === r.person_id && aboard.has(m.relative_id)),
    escortAssigned: r.escort_id !== null,
  }));
  return { kind: movement.kind as MovementFacts['kind'], departureDate: date, capacity: movement.capacity, escorts: escorts.map((e) => ({ name: e.name, role: e.role })), passengers };
}
