import { recordAudit } from '../audit/trail.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import type { GuardianRelation } from '../eligibility/index.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';
import { findChangeableChild } from './factRecording.ts';
import { staleVersion } from './staleness.ts';

export const GUARDIAN_VERIFICATIONS = ['unverified', 'verified', 'rejected'] as const;
export type GuardianVerification = (typeof GUARDIAN_VERIFICATIONS)[number];

export interface NewGuardian {
  readonly fullName: string;
  readonly relation: GuardianRelation;
  readonly contact?: string | undefined;
  readonly address?: string | undefined;
  readonly countryCode?: string | undefined;
  readonly verification?: GuardianVerification | undefined;
  readonly verifiedBy?: string | undefined;
}

export interface GuardianChange {
  readonly verification?: GuardianVerification | undefined;
  readonly verifiedBy?: string | null | undefined;
  readonly contact?: string | null | undefined;
  readonly address?: string | null | undefined;
}

/** A decision on the relationship needs to say how it was made (a document, DNA, the embassy's inquiry…). */
function refuseUnexplained(verification: GuardianVerification, verifiedBy: string | null | undefined): void {
  if (verification !== 'unverified' && !verifiedBy) throw invalid('body.verifiedBy', `is required when the relationship is ${verification}: say how it was checked`);
}

/**
 * Names the person in the home country who receives the child. A child has one current
 * guardian: naming another supersedes the one on record (kept, with `superseded_at`). An
 * embassy names guardians for the children of its country (it sees only those); its country
 * is the guardian's country unless it says otherwise.
 */
export async function nameGuardian(db: Db, actor: Actor, asOf: IsoDate, childId: string, input: NewGuardian): Promise<string> {
  const verification = input.verification ?? 'unverified';
  refuseUnexplained(verification, input.verifiedBy);
  return db.transaction().execute(async (tx) => {
    await findChangeableChild(tx, actor, asOf, childId);
    // One at a time per child: the row lock orders two namings of the same child.
    await tx.selectFrom('persons').select('id').where('id', '=', childId).forUpdate().execute();
    const countryCode = input.countryCode ?? (actor.role === 'embassy' ? actor.countryCode : null);
    if (countryCode && !(await tx.selectFrom('countries').select('code').where('code', '=', countryCode).executeTakeFirst())) {
      throw invalid('body.countryCode', `${countryCode} is not an ISO 3166 alpha-3 code`);
    }
    const previous = await tx.selectFrom('guardians').select(['id', 'full_name']).where('child_id', '=', childId).where('superseded_at', 'is', null).executeTakeFirst();
    if (previous) await tx.updateTable('guardians').set({ superseded_at: new Date() }).where('id', '=', previous.id).execute();
    const row = await tx
      .insertInto('guardians')
      .values({
        child_id: childId,
        full_name: input.fullName,
        relation: input.relation,
        verification,
        verified_by: input.verifiedBy ?? null,
        contact: input.contact ?? null,
        address: input.address ?? null,
        country_code: countryCode,
        recorded_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      action: 'guardian.created',
      entityType: 'guardian',
      entityId: row.id,
      actor,
      after: { childId, ...input, verification, countryCode, supersedes: previous?.id ?? null },
    });
    await refreshEligibilityOf(tx, [childId], asOf);
    return row.id;
  });
}

/** A guardian, if the caller may see the child; else 404. */
export async function findVisibleGuardian(db: Executor, actor: Actor, asOf: IsoDate, id: string, lock = false) {
  const query = db.selectFrom('guardians').selectAll().where('id', '=', id);
  const guardian = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!guardian || !(await findVisiblePerson(db, actor, asOf, guardian.child_id))) throw notFound('guardian');
  return guardian;
}

/** Records how the relationship was verified and corrects the contact details (If-Match). A superseded guardian is history: 409. */
export async function updateGuardian(db: Db, actor: Actor, asOf: IsoDate, id: string, expected: number, change: GuardianChange): Promise<void> {
  if (Object.values(change).every((v) => v === undefined)) throw invalid('body', 'name at least one field to change');
  await db.transaction().execute(async (tx: Tx) => {
    const current = await findVisibleGuardian(tx, actor, asOf, id, true);
    if (current.version !== expected) throw await staleVersion(tx, 'guardian', id, expected, current.version);
    if (current.superseded_at) throw new DomainError('conflict', 'guardian_superseded', 'another guardian has been named for this child since: change the current one');
    const verification = change.verification ?? (current.verification as GuardianVerification);
    const verifiedBy = change.verifiedBy !== undefined ? change.verifiedBy : current.verified_by;
    refuseUnexplained(verification, verifiedBy);
    const set = {
      verification,
      verified_by: verifiedBy,
      ...(change.contact !== undefined ? { contact: change.contact } : {}),
      ...(change.address !== undefined ? { address: change.address } : {}),
    };
    await tx.updateTable('guardians').set({ ...set, version: current.version + 1 }).where('id', '=', id).execute();
    await recordAudit(tx, {
      action: 'guardian.updated',
      entityType: 'guardian',
      entityId: id,
      actor,
      before: { verification: current.verification, verifiedBy: current.verified_by, contact: current.contact, address: current.address },
      after: change,
    });
    await refreshEligibilityOf(tx, [current.child_id], asOf);
  });
}
