import { recordAudit } from '../audit/trail.ts';
import type { Db, Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { findVisibleCase } from '../repositories/cases.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { refreshCaseEligibility } from './caseEligibility.ts';
import { currentMember, lockOpenCase, refuseFuture, storeScan } from './factRecording.ts';

export interface NewAssurance {
  /** What is guaranteed, in the authority's words (e.g. "no prosecution of children", "access to schooling"). */
  readonly type: string;
  readonly givenOn: IsoDate;
  readonly issuingAuthority: string;
  /** For one person on the case; absent: for everyone on it. */
  readonly personId?: string | undefined;
  readonly note?: string | undefined;
}

/**
 * Records an assurance the home country gave for a case (or one person on it). Given by the
 * country: its embassy records it (for its own country's cases only), or the coordinator who
 * received it in a note verbale.
 */
export async function recordAssurance(db: Db, actor: Actor, asOf: IsoDate, caseId: string, input: NewAssurance): Promise<string> {
  refuseFuture('body.givenOn', input.givenOn, asOf);
  return db.transaction().execute(async (tx) => {
    await lockOpenCase(tx, actor, asOf, caseId);
    if (input.personId) await currentMember(tx, actor, asOf, caseId, input.personId, 'body.personId');
    const row = await tx
      .insertInto('legal_assurances')
      .values({
        case_id: caseId,
        person_id: input.personId ?? null,
        type: input.type,
        given_on: input.givenOn,
        issuing_authority: input.issuingAuthority,
        note: input.note ?? null,
        recorded_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { action: 'assurance.recorded', entityType: 'case', entityId: caseId, actor, after: { assuranceId: row.id, ...input } });
    await refreshCaseEligibility(tx, [caseId], asOf);
    return row.id;
  });
}

/** An assurance, if the caller may see its case (and the person it is for, if any); else 404. */
export async function findVisibleAssurance(db: Executor, actor: Actor, asOf: IsoDate, id: string, lock = false) {
  const query = db.selectFrom('legal_assurances').selectAll().where('id', '=', id);
  const assurance = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!assurance || !(await findVisibleCase(db, actor, asOf, assurance.case_id))) throw notFound('assurance');
  if (assurance.person_id && !(await findVisiblePerson(db, actor, asOf, assurance.person_id))) throw notFound('assurance');
  return assurance;
}

/** Attaches the scanned assurance (a note verbale, a letter of the prosecutor general…). */
export async function attachAssuranceDocument(db: Db, actor: Actor, asOf: IsoDate, id: string, data: Buffer, contentType: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const assurance = await findVisibleAssurance(tx, actor, asOf, id, true);
    if (assurance.withdrawn_at) throw new DomainError('conflict', 'assurance_withdrawn', 'this assurance was withdrawn: record the new one and attach the document to it');
    const file = await storeScan(tx, data, contentType);
    await tx.updateTable('legal_assurances').set({ file_sha256: file.sha256 }).where('id', '=', id).execute();
    await recordAudit(tx, { action: 'assurance.document_attached', entityType: 'case', entityId: assurance.case_id, actor, before: { assuranceId: id, sha256: assurance.file_sha256 }, after: { assuranceId: id, ...file } });
    await refreshCaseEligibility(tx, [assurance.case_id], asOf);
  });
}

/** The country withdrew the assurance (or it was entered in error); it no longer counts. The reason is kept in the audit trail. */
export async function withdrawAssurance(db: Db, actor: Actor, asOf: IsoDate, id: string, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const assurance = await findVisibleAssurance(tx, actor, asOf, id, true);
    if (assurance.withdrawn_at) throw new DomainError('conflict', 'already_withdrawn', 'this assurance was already withdrawn');
    await tx.updateTable('legal_assurances').set({ withdrawn_at: new Date() }).where('id', '=', id).execute();
    await recordAudit(tx, { action: 'assurance.withdrawn', entityType: 'case', entityId: assurance.case_id, actor, before: { assuranceId: id, type: assurance.type }, reason });
    await refreshCaseEligibility(tx, [assurance.case_id], asOf);
  });
}

/** The scanned assurance, if the caller may see it; reading it is audited. */
export async function readAssuranceDocument(db: Db, actor: Actor, asOf: IsoDate, id: string) {
  const assurance = await findVisibleAssurance(db, actor, asOf, id);
  if (!assurance.file_sha256) throw notFound('assurance document');
  const file = await db.selectFrom('files').select(['content_type', 'data', 'sha256']).where('sha256', '=', assurance.file_sha256).executeTakeFirstOrThrow();
  await db.transaction().execute((tx) => recordAudit(tx, { action: 'assurance.document_read', entityType: 'case', entityId: assurance.case_id, actor, context: { assuranceId: id, sha256: file.sha256 } }));
  return { contentType: file.content_type, data: Buffer.from(file.data), sha256: file.sha256 };
}
