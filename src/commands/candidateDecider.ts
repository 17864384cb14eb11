import { recordAudit } from '../audit/trail.ts';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { selectCandidates } from '../repositories/match-candidates.ts';
import { staleVersion } from './staleness.ts';

export type Decision = 'confirm' | 'reject';

/**
 * A person decides on a proposed pair, in one transaction that locks it. Reject:
 * remembered, so the pair is never proposed again. Confirm a tracing candidate:
 * the request is answered with that person. Confirm a duplicate: the later
 * registration is marked as repeating the earlier one (both stay, with their
 * history; merging them is a separate, deliberate step).
 */
export async function decideCandidate(tx: Tx, id: string, decision: Decision, reason: string | undefined, expected: number, actor: Actor, asOf: IsoDate): Promise<void> {
  const candidate = await selectCandidates(tx, actor, asOf).where('mc.id', '=', id).forUpdate('mc').executeTakeFirst();
  if (!candidate) throw notFound('match candidate');
  if (candidate.status !== 'proposed') throw new DomainError('conflict', 'already_decided', `this pair was already ${candidate.status}`);
  if (candidate.version !== expected) throw await staleVersion(tx, 'match_candidate', id, expected, candidate.version, ['match_candidate.decided']);
  const now = new Date();
  if (decision === 'confirm' && candidate.kind === 'tracing') {
    if (candidate.tracing_status !== 'open') throw new DomainError('conflict', 'not_open', `the tracing request is already ${candidate.tracing_status}`);
    await tx
      .updateTable('tracing_requests')
      .set((eb) => ({ status: 'found', found_person_id: candidate.person_id, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', candidate.tracing_id as string)
      .execute();
    await recordAudit(tx, { action: 'tracing.found', entityType: 'tracing_request', entityId: candidate.tracing_id, actor, after: { personId: candidate.person_id }, reason });
  }
  if (decision === 'confirm' && candidate.kind === 'duplicate') {
    const pair = await tx.selectFrom('persons').select(['id', 'created_at', 'duplicate_of']).where('id', 'in', [candidate.person_id, candidate.other_id as string]).forUpdate().execute();
    if (pair.some((p) => p.duplicate_of !== null)) throw new DomainError('conflict', 'already_duplicate', 'one of the two is already marked as a duplicate');
    const [kept, repeat] = [...pair].sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
    if (!kept || !repeat) throw notFound('person');
    await tx.updateTable('persons').set((eb) => ({ duplicate_of: kept.id, version: eb('version', '+', 1), updated_at: now })).where('id', '=', repeat.id).execute();
    await recordAudit(tx, { action: 'person.marked_duplicate', entityType: 'person', entityId: repeat.id, actor, after: { duplicateOf: kept.id }, reason });
  }
  await tx
    .updateTable('match_candidates')
    .set((eb) => ({ status: decision === 'confirm' ? 'confirmed' : 'rejected', decided_by: actor.userId, decided_at: now, reason: reason ?? null, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, { action: 'match_candidate.decided', entityType: 'match_candidate', entityId: id, actor, after: { decision, kind: candidate.kind, probability: candidate.probability }, reason });
}
