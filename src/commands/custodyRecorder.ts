import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, forbidden, invalid, notFound } from '../domain/errors.ts';
import { mayManageFacility } from '../policies/facility.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';

export const RELEASE_REASONS = ['released', 'repatriated', 'deceased', 'deported', 'other'] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

/**
 * Admits a person to a facility. If they are held elsewhere, that episode ends
 * the same day as a transfer: current location and occupancy are derived from
 * these episodes, never typed in twice.
 */
export async function admitToFacility(db: Db, actor: Actor, asOf: IsoDate, personId: string, facilityId: string, admittedOn: IsoDate, expected?: number): Promise<void> {
  if (admittedOn > asOf) throw invalid('body.admittedOn', 'is in the future');
  await db.transaction().execute(async (tx) => {
    const person = await findChangeablePerson(tx, actor, asOf, personId, expected);
    const facility = await tx.selectFrom('facilities').select(['id', 'agency_id', 'name']).where('id', '=', facilityId).executeTakeFirst();
    if (!facility) throw invalid('body.facilityId', 'no such facility');
    if (!mayManageFacility(actor, facility.agency_id)) throw forbidden('a custody officer admits people to their own agency’s facilities only');
    if (admittedOn < person.birth_earliest) throw invalid('body.admittedOn', 'is before the person was born');
    const open = await tx.selectFrom('custody_episodes').selectAll().where('person_id', '=', personId).where('released_on', 'is', null).forUpdate().executeTakeFirst();
    if (open) {
      if (open.facility_id === facilityId) throw new DomainError('conflict', 'already_held_there', `the person is already held in ${facility.name}`);
      if (admittedOn < open.admitted_on) throw invalid('body.admittedOn', `is before the current admission (${open.admitted_on})`);
      await tx.updateTable('custody_episodes').set({ released_on: admittedOn, release_reason: 'transferred', version: open.version + 1 }).where('id', '=', open.id).execute();
    }
    await tx.insertInto('custody_episodes').values({ person_id: personId, facility_id: facilityId, admitted_on: admittedOn }).execute();
    await recordAudit(tx, {
      action: open ? 'custody.transferred' : 'custody.admitted',
      entityType: 'person',
      entityId: personId,
      actor,
      before: open ? { facilityId: open.facility_id } : undefined,
      after: { facilityId, admittedOn },
    });
  });
}

/** Ends the current custody episode (release, repatriation, death, deportation). */
export async function releaseFromCustody(db: Db, actor: Actor, asOf: IsoDate, personId: string, releasedOn: IsoDate, reason: ReleaseReason, expected?: number): Promise<void> {
  if (releasedOn > asOf) throw invalid('body.releasedOn', 'is in the future');
  await db.transaction().execute(async (tx) => {
    const person = await findChangeablePerson(tx, actor, asOf, personId, expected);
    const open = await tx
      .selectFrom('custody_episodes as ce')
      .innerJoin('facilities as f', 'f.id', 'ce.facility_id')
      .select(['ce.id', 'ce.admitted_on', 'ce.version', 'f.agency_id', 'ce.facility_id'])
      .where('ce.person_id', '=', personId)
      .where('ce.released_on', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!open) throw new DomainError('conflict', 'not_in_custody', 'the person is not held anywhere now');
    if (!mayManageFacility(actor, open.agency_id)) throw forbidden('a custody officer releases people from their own agency’s facilities only');
    if (releasedOn < open.admitted_on) throw invalid('body.releasedOn', `is before the admission (${open.admitted_on})`);
    await tx.updateTable('custody_episodes').set({ released_on: releasedOn, release_reason: reason, version: open.version + 1 }).where('id', '=', open.id).execute();
    await recordAudit(tx, { action: 'custody.released', entityType: 'person', entityId: personId, actor, after: { facilityId: open.facility_id, releasedOn, reason } });
  });
}
