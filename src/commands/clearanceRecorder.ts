import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { forbidden, invalid, notFound } from '../domain/errors.ts';
import { CLEARING_AGENCIES, type ClearanceDecision, type ClearingAgency } from '../eligibility/index.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { refreshCaseEligibility, refreshEligibilityOf } from './caseEligibility.ts';
import { currentMember, lockOpenCase, refuseFuture } from './factRecording.ts';
import { findChangeablePerson } from './personMerger.ts';

export interface NewClearance {
  readonly personId: string;
  readonly decision: ClearanceDecision;
  readonly decidedOn: IsoDate;
  /** Last day the approval is valid (inclusive); absent: until the agency decides again. A denial does not expire. */
  readonly validUntil?: IsoDate | undefined;
  readonly conditions?: readonly string[] | undefined;
  readonly reasons?: string | undefined;
}

/** The agency deciding is the caller's: one agency never decides for another. */
export function agencyOf(actor: Actor): ClearingAgency {
  const agency = (CLEARING_AGENCIES as readonly string[]).includes(actor.role) ? (actor.role as ClearingAgency) : null;
  if (!agency) throw forbidden('only the four clearing agencies decide clearances');
  return agency;
}

/**
 * One agency's decision on one person's return on a case: approve, approve with conditions
 * (at least one), or deny (with reasons; a denial does not expire). A new decision does not
 * replace the old row: the latest on or before the day counts (src/eligibility/records.ts).
 */
export async function recordClearance(db: Db, actor: Actor, asOf: IsoDate, caseId: string, input: NewClearance): Promise<string> {
  const agency = agencyOf(actor);
  refuseFuture('body.decidedOn', input.decidedOn, asOf);
  const conditions = input.conditions ?? [];
  if (input.decision === 'approve_with_conditions' && conditions.length === 0) throw invalid('body.conditions', 'name at least one condition for an approval with conditions');
  if (input.decision !== 'approve_with_conditions' && conditions.length > 0) throw invalid('body.conditions', 'only for an approval with conditions');
  if (input.decision === 'deny' && !input.reasons) throw invalid('body.reasons', 'is required for a denial: say why');
  if (input.decision === 'deny' && input.validUntil) throw invalid('body.validUntil', 'a denial does not expire: it stands until the agency decides again');
  if (input.validUntil && input.validUntil < input.decidedOn) throw invalid('body.validUntil', `is before the decision (${input.decidedOn})`);
  return db.transaction().execute(async (tx) => {
    await lockOpenCase(tx, actor, asOf, caseId);
    await currentMember(tx, actor, asOf, caseId, input.personId, 'body.personId');
    const row = await tx
      .insertInto('clearances')
      .values({
        case_id: caseId,
        person_id: input.personId,
        agency,
        decision: input.decision,
        decided_on: input.decidedOn,
        valid_until: input.validUntil ?? null,
        conditions: [...conditions],
        reasons: input.reasons ?? null,
        decided_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { action: 'clearance.recorded', entityType: 'case', entityId: caseId, actor, after: { clearanceId: row.id, agency, ...input } });
    await refreshCaseEligibility(tx, [caseId], asOf);
    return row.id;
  });
}

/**
 * Records (or lifts) a concern that the person could face persecution or the death penalty
 * at home. An adult with a concern on record is not eligible (non-refoulement).
 */
export async function setNonRefoulement(db: Db, actor: Actor, asOf: IsoDate, personId: string, input: { readonly concern: boolean; readonly note?: string | undefined }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const person = await findChangeablePerson(tx, actor, asOf, personId);
    await tx
      .updateTable('persons')
      .set((eb) => ({ non_refoulement_concern: input.concern, non_refoulement_note: input.note ?? null, version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', personId)
      .execute();
    await recordAudit(tx, {
      action: 'person.non_refoulement_set',
      entityType: 'person',
      entityId: personId,
      actor,
      before: { concern: person.non_refoulement_concern, hasNote: person.non_refoulement_note !== null },
      after: { concern: input.concern, hasNote: input.note !== undefined },
    });
    await refreshEligibilityOf(tx, [personId], asOf);
  });
}

/** The home country agreed (or no longer agrees) to take over a member's sentence: the adults' alternative to a sentence served. */
export async function setTransferAgreed(db: Db, actor: Actor, asOf: IsoDate, caseId: string, personId: string, agreed: boolean): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await lockOpenCase(tx, actor, asOf, caseId);
    const member = await tx.selectFrom('case_members').select('transfer_agreed').where('case_id', '=', caseId).where('person_id', '=', personId).where('left_at', 'is', null).executeTakeFirst();
    if (!member || !(await findVisiblePerson(tx, actor, asOf, personId))) throw notFound('case member');
    await tx.updateTable('case_members').set({ transfer_agreed: agreed }).where('case_id', '=', caseId).where('person_id', '=', personId).execute();
    await tx.updateTable('cases').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', caseId).execute();
    await recordAudit(tx, { action: 'case.transfer_set', entityType: 'case', entityId: caseId, actor, before: { personId, agreed: member.transfer_agreed }, after: { personId, agreed } });
    await refreshCaseEligibility(tx, [caseId], asOf);
  });
}
