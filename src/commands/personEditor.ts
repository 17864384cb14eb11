import { recordAudit } from '../audit/trail.ts';
import { scheduleSweep } from './candidateFinder.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { futureBirthDateIssues, type IsoDate, toRange } from '../domain/birth-date.ts';
import { DomainError, forbidden, invalid, notFound } from '../domain/errors.ts';
import { allows } from '../policies/policy.ts';
import { personPolicy } from '../policies/person.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';
import type { UpdatePersonBody } from '../routes/api/persons/schema.ts';
import type { z } from 'zod';
import { staleVersion } from './staleness.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';
import { noteSealingKey, sealValue } from '../repositories/sealed-fields.ts';

type Changes = z.output<typeof UpdatePersonBody>;

/** Each part of a person belongs to the agency that answers for it. */
function requiredAction(field: keyof Changes) {
  switch (field) {
    case 'sex':
    case 'birthDate':
    case 'vitalStatus':
    case 'vitalDate':
      return 'updateIdentity' as const;
    case 'vulnerability':
      return 'updateWelfare' as const;
    case 'withheldFromEmbassy':
      return 'withhold' as const;
    case 'crimesAgainstHumanity':
    case 'securityNotes':
      return 'updateSecurity' as const;
    default:
      return null;
  }
}

/** Changes a person in one transaction: locks the row, checks the version, writes, audits. */
export async function updatePerson(db: Db, actor: Actor, asOf: IsoDate, id: string, expected: number, changes: Changes): Promise<void> {
  for (const field of Object.keys(changes) as (keyof Changes)[]) {
    const action = requiredAction(field);
    if (action && !allows(personPolicy, actor, action)) throw forbidden(`your role may not change ${field}`);
  }
  await db.transaction().execute(async (tx) => {
    const visible = await findChangeablePerson(tx, actor, asOf, id);
    const current = await tx.selectFrom('persons').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (current.version !== expected) throw await staleVersion(tx, 'person', id, expected, current.version);

    const set: Record<string, unknown> = {};
    if (changes.sex) set.sex = changes.sex;
    if (changes.birthDate) {
      const future = futureBirthDateIssues(changes.birthDate, asOf);
      if (future.length > 0) throw invalid(`body.birthDate.${future[0]?.path}`, future[0]?.message ?? 'is in the future');
      const birth = toRange(changes.birthDate);
      Object.assign(set, { birth_precision: birth.precision, birth_earliest: birth.earliest, birth_latest: birth.latest, birth_text: birth.text || null });
    }
    const vitalStatus = changes.vitalStatus ?? current.vital_status;
    if (changes.vitalStatus) set.vital_status = changes.vitalStatus;
    if (changes.vitalDate !== undefined) set.vital_date = changes.vitalDate;
    if (vitalStatus === 'alive' && (changes.vitalDate ?? (changes.vitalStatus ? null : current.vital_date))) {
      throw invalid('body.vitalDate', 'only for a person who died');
    }
    if (changes.vitalStatus === 'alive') set.vital_date = null;
    const v = changes.vulnerability;
    if (v) {
      if (v.unaccompanied !== undefined) set.unaccompanied = v.unaccompanied;
      if (v.separated !== undefined) set.separated = v.separated;
      if (v.orphan !== undefined) set.orphan = v.orphan;
      if (v.medicalNeeds !== undefined) set.medical_needs = v.medicalNeeds;
      if (v.notes !== undefined) set.welfare_notes = v.notes;
    }
    if (changes.withheldFromEmbassy !== undefined) set.withheld_from_embassy = changes.withheldFromEmbassy;
    if (changes.crimesAgainstHumanity !== undefined) set.crimes_against_humanity = changes.crimesAgainstHumanity;
    // Sealed at rest (decision 0024); the audit trail keeps the sealed values too, never the text.
    if (changes.securityNotes !== undefined) set.security_notes = sealValue('persons', 'security_notes', id, changes.securityNotes);
    if (typeof set.security_notes === 'string') await noteSealingKey(tx);
    if (Object.keys(set).length === 0) throw new DomainError('invalid', 'nothing_to_change', 'the request changes nothing');

    await tx.updateTable('persons').set({ ...set, version: current.version + 1, updated_at: new Date() }).where('id', '=', id).execute();
    const before = Object.fromEntries(Object.keys(set).map((k) => [k, (current as Record<string, unknown>)[k]]));
    await refreshEligibilityOf(tx, [id], asOf);
    await recordAudit(tx, { action: 'person.updated', entityType: 'person', entityId: id, actor, before, after: set, ...(changes.reason ? { reason: changes.reason } : {}) });
    if (changes.sex || changes.birthDate) await scheduleSweep(tx); // what matching compares has changed
  });
}
