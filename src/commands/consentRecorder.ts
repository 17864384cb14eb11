import { recordAudit } from '../audit/trail.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import type { ConsentExemptionReason, ConsentKind } from '../eligibility/index.ts';
import { personVisibleTo } from '../repositories/person-scope.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';
import { findChangeableChild, isChild, refuseFuture, storeScan } from './factRecording.ts';

/** The relations (family_links: "the relative is the child's …") whose holder decides for the child. */
export const CUSTODIAN_RELATIONS = ['mother', 'father', 'guardian'] as const;

export interface NewConsent {
  /** The parent or legal guardian who decided. */
  readonly givenBy: string;
  readonly kind: ConsentKind;
  readonly decidedOn: IsoDate;
  readonly language: string;
  /** The witness's name as written on the form; for a child-protection officer recording it, their own name by default. */
  readonly witnessName?: string | undefined;
  /** The child-protection officer who witnessed it, when the coordinator enters the record; a child-protection officer is the witness themselves. */
  readonly witnessUserId?: string | undefined;
  readonly childIds: readonly string[];
  readonly note?: string | undefined;
}

/** Who witnessed: the officer recording it, or (for the coordinator) the officer named; a record without one does not count. */
async function witnessOf(tx: Tx, actor: Actor, input: NewConsent): Promise<{ userId: string | null; name: string }> {
  if (actor.role === 'child_protection') {
    if (input.witnessUserId && input.witnessUserId !== actor.userId) throw invalid('body.witnessUserId', 'must be you: a child-protection officer records the decisions they witnessed');
    const me = await tx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirstOrThrow();
    return { userId: actor.userId, name: input.witnessName ?? me.display_name };
  }
  if (input.witnessUserId) {
    const officer = await tx.selectFrom('users').select(['display_name', 'role', 'disabled_at']).where('id', '=', input.witnessUserId).executeTakeFirst();
    if (!officer || officer.role !== 'child_protection' || officer.disabled_at) throw invalid('body.witnessUserId', 'is not an active child-protection officer');
    return { userId: input.witnessUserId, name: input.witnessName ?? officer.display_name };
  }
  if (!input.witnessName) throw invalid('body.witnessName', 'is required: who witnessed the decision?');
  return { userId: null, name: input.witnessName };
}

/**
 * Records a parent's or legal guardian's decision (consent, refusal, revocation) for named
 * children, in one transaction with the children's new verdicts. The person deciding must be
 * the mother, father or legal guardian of every child on record (family links) and alive;
 * the children must be children. The witness is the child-protection officer recording it;
 * the coordinator may enter a record for an officer (naming them) — without a witnessing
 * officer a record is kept but does not count (src/eligibility/records.ts).
 */
export async function recordConsent(db: Db, actor: Actor, asOf: IsoDate, input: NewConsent): Promise<string> {
  refuseFuture('body.decidedOn', input.decidedOn, asOf);
  if (new Set(input.childIds).size !== input.childIds.length) throw invalid('body.childIds', 'names the same child twice');
  if (input.childIds.includes(input.givenBy)) throw invalid('body.givenBy', 'is one of the children: a child does not consent for themselves');
  return db.transaction().execute(async (tx) => {
    const giver = await findVisiblePerson(tx, actor, asOf, input.givenBy);
    if (!giver) throw invalid('body.givenBy', 'no such person');
    if (giver.merged_into) throw invalid('body.givenBy', 'was merged into another record: name that one');
    if (giver.vital_status !== 'alive') throw invalid('body.givenBy', `is recorded as ${giver.vital_status}: record a consent exemption instead`);
    for (const [i, childId] of input.childIds.entries()) {
      const child = await findVisiblePerson(tx, actor, asOf, childId);
      if (!child) throw invalid(`body.childIds.${i}`, 'no such person');
      if (child.merged_into) throw invalid(`body.childIds.${i}`, 'was merged into another record: name that one');
      if (!isChild(child, asOf)) throw invalid(`body.childIds.${i}`, 'is not a child: cannot be under 18 today');
    }
    const links = await tx
      .selectFrom('family_links')
      .select('person_id')
      .where('person_id', 'in', [...input.childIds])
      .where('relative_id', '=', input.givenBy)
      .where('relation', 'in', [...CUSTODIAN_RELATIONS])
      .execute();
    const linked = new Set(links.map((l) => l.person_id));
    const unlinked = input.childIds.map((id, i) => ({ id, i })).filter((c) => !linked.has(c.id));
    if (unlinked.length > 0) {
      const which = unlinked.map((c) => `body.childIds.${c.i}`).join(', ');
      throw new DomainError(
        'invalid',
        'invalid_input',
        `body.givenBy: ${giver.display_name} is not recorded as the mother, father or legal guardian of ${which}`,
        [{ path: 'body.givenBy', message: `is not recorded as the mother, father or legal guardian of ${which}: link them as family first`, code: 'not_custodian', params: { value: which } }],
      );
    }
    const witness = await witnessOf(tx, actor, input);
    const row = await tx
      .insertInto('consent_records')
      .values({
        given_by: input.givenBy,
        kind: input.kind,
        decided_on: input.decidedOn,
        language: input.language,
        witness_user_id: witness.userId,
        witness_name: witness.name,
        note: input.note ?? null,
        recorded_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.insertInto('consent_children').values(input.childIds.map((childId) => ({ consent_id: row.id, child_id: childId }))).execute();
    await recordAudit(tx, {
      action: 'consent.recorded',
      entityType: 'consent_record',
      entityId: row.id,
      actor,
      after: { ...input, witnessUserId: witness.userId, witnessName: witness.name },
    });
    await refreshEligibilityOf(tx, input.childIds, asOf);
    return row.id;
  });
}

/** A consent record, if the caller may see every child it names and the person who decided; else 404. */
async function findVisibleConsent(tx: Executor, actor: Actor, asOf: IsoDate, id: string, lock: boolean) {
  const query = tx.selectFrom('consent_records').selectAll().where('id', '=', id);
  const record = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!record) throw notFound('consent record');
  const children = (await tx.selectFrom('consent_children').select('child_id').where('consent_id', '=', id).execute()).map((c) => c.child_id);
  const people = [...children, record.given_by];
  const visible = await tx.selectFrom('persons as p').select('p.id').where('p.id', 'in', people).where(personVisibleTo(actor, asOf)).execute();
  if (new Set(visible.map((v) => v.id)).size !== new Set(people).size) throw notFound('consent record');
  return { record, children };
}

/** Attaches the scanned, signed form (a new version of the record). A voided record takes no document. */
export async function attachConsentDocument(db: Db, actor: Actor, asOf: IsoDate, id: string, data: Buffer, contentType: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { record, children } = await findVisibleConsent(tx, actor, asOf, id, true);
    if (record.voided_at) throw new DomainError('conflict', 'consent_voided', 'this consent record was voided: record the decision again and attach the form to the new record');
    const file = await storeScan(tx, data, contentType);
    await tx.updateTable('consent_records').set({ file_sha256: file.sha256, version: record.version + 1 }).where('id', '=', id).execute();
    await recordAudit(tx, { action: 'consent.document_attached', entityType: 'consent_record', entityId: id, actor, before: { sha256: record.file_sha256 }, after: file });
    await refreshEligibilityOf(tx, children, asOf);
  });
}

/** Strikes out a record entered in error (it is kept, and never counts again). A change of mind is a revocation, not a void. */
export async function voidConsent(db: Db, actor: Actor, asOf: IsoDate, id: string, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { record, children } = await findVisibleConsent(tx, actor, asOf, id, true);
    if (record.voided_at) throw new DomainError('conflict', 'already_voided', 'this consent record was already voided');
    await tx.updateTable('consent_records').set({ voided_at: new Date(), voided_reason: reason, version: record.version + 1 }).where('id', '=', id).execute();
    await recordAudit(tx, { action: 'consent.voided', entityType: 'consent_record', entityId: id, actor, before: { kind: record.kind, decidedOn: record.decided_on }, reason });
    await refreshEligibilityOf(tx, children, asOf);
  });
}

/** The scanned form, if the caller may see the record; reading it is audited. */
export async function readConsentDocument(db: Db, actor: Actor, asOf: IsoDate, id: string) {
  const { record } = await findVisibleConsent(db, actor, asOf, id, false);
  if (!record.file_sha256) throw notFound('consent document');
  const file = await db.selectFrom('files').select(['content_type', 'data', 'sha256']).where('sha256', '=', record.file_sha256).executeTakeFirstOrThrow();
  await db.transaction().execute((tx) => recordAudit(tx, { action: 'consent.document_read', entityType: 'consent_record', entityId: id, actor, context: { sha256: file.sha256 } }));
  return { contentType: file.content_type, data: Buffer.from(file.data), sha256: file.sha256 };
}

export interface NewExemption {
  readonly reason: ConsentExemptionReason;
  readonly recordedOn: IsoDate;
  readonly note?: string | undefined;
}

/** No consent is needed for this child (both parents deceased, no parent with custody, a court order). One at a time. */
export async function recordExemption(db: Db, actor: Actor, asOf: IsoDate, childId: string, input: NewExemption): Promise<string> {
  refuseFuture('body.recordedOn', input.recordedOn, asOf);
  return db.transaction().execute(async (tx) => {
    await findChangeableChild(tx, actor, asOf, childId);
    await tx.selectFrom('persons').select('id').where('id', '=', childId).forUpdate().execute();
    const current = await tx.selectFrom('consent_exemptions').select(['id', 'reason']).where('child_id', '=', childId).where('withdrawn_at', 'is', null).executeTakeFirst();
    if (current) throw new DomainError('conflict', 'exemption_on_record', `an exemption (${current.reason}) is already on record for this child: withdraw it first`);
    const row = await tx
      .insertInto('consent_exemptions')
      .values({ child_id: childId, reason: input.reason, recorded_on: input.recordedOn, note: input.note ?? null, recorded_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { action: 'consent.exemption_recorded', entityType: 'person', entityId: childId, actor, after: { exemptionId: row.id, ...input } });
    await refreshEligibilityOf(tx, [childId], asOf);
    return row.id;
  });
}

/** Withdraws an exemption (consent is needed again); the reason is kept in the audit trail. */
export async function withdrawExemption(db: Db, actor: Actor, asOf: IsoDate, id: string, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const exemption = await tx.selectFrom('consent_exemptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!exemption || !(await findVisiblePerson(tx, actor, asOf, exemption.child_id))) throw notFound('consent exemption');
    if (exemption.withdrawn_at) throw new DomainError('conflict', 'already_withdrawn', 'this exemption was already withdrawn');
    await tx.updateTable('consent_exemptions').set({ withdrawn_at: new Date() }).where('id', '=', id).execute();
    await recordAudit(tx, { action: 'consent.exemption_withdrawn', entityType: 'person', entityId: exemption.child_id, actor, before: { exemptionId: id, reason: exemption.reason }, reason });
    await refreshEligibilityOf(tx, [exemption.child_id], asOf);
  });
}
