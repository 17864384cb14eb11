import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { invalid, notFound } from '../domain/errors.ts';
import type { DnaResult, EvidenceKind } from '../domain/identification.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';

export interface NewEvidence {
  readonly kind: EvidenceKind;
  readonly observedOn: IsoDate;
  /** For a document or an interview: does it support the identity? DNA: the result decides. */
  readonly supports?: boolean | undefined;
  readonly summary?: string | undefined;
  readonly source?: string | undefined;
  readonly dna?: { readonly laboratory: string; readonly relativeId?: string | undefined; readonly relationship: string; readonly result: DnaResult } | undefined;
}

/**
 * Records evidence of who a person is. A DNA result is genetic data (the most
 * sensitive category): stored here, shown in full only to the roles that may see
 * it. The relative tested, when registered, must be someone the caller may see.
 */
export async function recordEvidence(db: Db, actor: Actor, asOf: IsoDate, personId: string, input: NewEvidence, expected?: number): Promise<string> {
  if (input.observedOn > asOf) throw invalid('body.observedOn', 'is in the future');
  if ((input.kind === 'dna') !== (input.dna !== undefined)) throw invalid('body.dna', input.kind === 'dna' ? 'is required for a DNA result' : 'only for a DNA result');
  if (input.kind !== 'dna' && input.supports === undefined) throw invalid('body.supports', 'is required: does the evidence support the identity?');
  return db.transaction().execute(async (tx) => {
    await findChangeablePerson(tx, actor, asOf, personId, expected);
    const relativeId = input.dna?.relativeId;
    if (relativeId) {
      if (relativeId === personId) throw invalid('body.dna.relativeId', 'a person cannot be their own relative');
      if (!(await findVisiblePerson(tx, actor, asOf, relativeId))) throw invalid('body.dna.relativeId', 'no such person');
    }
    const row = await tx
      .insertInto('identity_evidence')
      .values({
        person_id: personId,
        kind: input.kind,
        observed_on: input.observedOn,
        supports: input.dna ? input.dna.result === 'match' : (input.supports as boolean),
        summary: input.summary ?? null,
        source: input.source ?? null,
        laboratory: input.dna?.laboratory ?? null,
        relative_id: relativeId ?? null,
        relationship: input.dna?.relationship ?? null,
        dna_result: input.dna?.result ?? null,
        recorded_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('persons').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', personId).execute();
    await refreshEligibilityOf(tx, [personId], asOf);
    await recordAudit(tx, { action: 'person.evidence_recorded', entityType: 'person', entityId: personId, actor, after: { evidenceId: row.id, ...input } });
    return row.id;
  });
}
