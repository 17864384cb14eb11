import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { assembleFullName, type NameInput } from '../domain/person.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';
import { latinOf, recordedScript } from '../registry/search-index.ts';
import { scheduleSweep } from './candidateFinder.ts';
import { reindexPerson } from './personRegistrar.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';

/** Adds a name (another rendering, an alias, a kunya); a new primary name demotes the old one to an alias. */
export async function addName(db: Db, actor: Actor, asOf: IsoDate, personId: string, name: NameInput, expected?: number): Promise<string> {
  return db.transaction().execute(async (tx) => {
    await findChangeablePerson(tx, actor, asOf, personId, expected);
    await tx.selectFrom('persons').select('id').where('id', '=', personId).forUpdate().execute();
    const full = assembleFullName(name);
    if (name.kind === 'primary') await tx.updateTable('person_names').set({ kind: 'alias' }).where('person_id', '=', personId).where('kind', '=', 'primary').execute();
    const row = await tx
      .insertInto('person_names')
      .values({
        person_id: personId,
        kind: name.kind,
        script: recordedScript(full),
        given_name: name.givenName ?? null,
        father_name: name.fatherName ?? null,
        grandfather_name: name.grandfatherName ?? null,
        family_name: name.familyName ?? null,
        full_name: full,
        latin: latinOf(full),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await reindexPerson(tx, personId);
    await scheduleSweep(tx);
    await tx.updateTable('persons').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', personId).execute();
    await recordAudit(tx, { action: 'person.updated', entityType: 'person', entityId: personId, actor, after: { addedName: name } });
    return row.id;
  });
}

/** Removes a name; the last name of a person cannot go, and a removed primary is replaced by the oldest other name. */
export async function removeName(db: Db, actor: Actor, asOf: IsoDate, personId: string, nameId: string, expected?: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await findChangeablePerson(tx, actor, asOf, personId, expected);
    await tx.selectFrom('persons').select('id').where('id', '=', personId).forUpdate().execute();
    const names = await tx.selectFrom('person_names').selectAll().where('person_id', '=', personId).orderBy('created_at').execute();
    const target = names.find((n) => n.id === nameId);
    if (!target) throw notFound('name');
    if (names.length === 1) throw new DomainError('rule', 'last_name', 'a person keeps at least one name; add the right one first');
    await tx.deleteFrom('person_names').where('id', '=', nameId).execute();
    if (target.kind === 'primary') {
      const next = names.find((n) => n.id !== nameId);
      if (next) await tx.updateTable('person_names').set({ kind: 'primary' }).where('id', '=', next.id).execute();
    }
    await reindexPerson(tx, personId);
    await scheduleSweep(tx);
    await tx.updateTable('persons').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', personId).execute();
    await recordAudit(tx, { action: 'person.updated', entityType: 'person', entityId: personId, actor, before: { removedName: target.full_name } });
  });
}

/**
 * Records a claimed nationality, or withdraws a claim. Verification is the
 * home country's answer (the identification workflow), so this never marks one verified.
 */
export async function setNationalityClaim(db: Db, actor: Actor, asOf: IsoDate, personId: string, countryCode: string, claimed: boolean, expected?: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await findChangeablePerson(tx, actor, asOf, personId, expected);
    if (!(await tx.selectFrom('countries').select('code').where('code', '=', countryCode).executeTakeFirst())) {
      throw invalid('params.countryCode', `${countryCode} is not an ISO 3166 alpha-3 country code`);
    }
    const current = await tx.selectFrom('person_nationalities').selectAll().where('person_id', '=', personId).where('country_code', '=', countryCode).executeTakeFirst();
    if (claimed) {
      if (current) throw new DomainError('conflict', 'already_recorded', `a ${countryCode} nationality is already recorded (${current.status})`);
      await tx.insertInto('person_nationalities').values({ person_id: personId, country_code: countryCode, status: 'claimed', source: 'registry' }).execute();
    } else {
      if (!current) throw notFound('nationality');
      if (current.status === 'verified') throw new DomainError('rule', 'nationality_verified', 'a nationality confirmed by the home country is not withdrawn here');
      await tx.deleteFrom('person_nationalities').where('person_id', '=', personId).where('country_code', '=', countryCode).execute();
    }
    await tx.updateTable('persons').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', personId).execute();
    await refreshEligibilityOf(tx, [personId], asOf);
    await recordAudit(tx, { action: 'person.updated', entityType: 'person', entityId: personId, actor, after: { nationality: countryCode, claimed } });
  });
}
