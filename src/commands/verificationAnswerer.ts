import { recordAudit } from '../audit/trail.ts';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { isSettled, nationalityStatusAfter, type VerificationAnswer } from '../domain/identification.ts';
import { personVisibleTo } from '../repositories/person-scope.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';

export interface VerificationAnswerInput {
  readonly personId: string;
  readonly answer: VerificationAnswer;
  readonly evidence?: string;
}

/**
 * The mission answers for one person: the answer is kept on the request and
 * decides the person's nationality (confirmed → verified, not a national →
 * rejected). An answer, once a decision, is final; "more information needed"
 * can be followed by a decision. The request is answered when everyone is settled.
 */
export async function answerVerification(tx: Tx, requestId: string, input: VerificationAnswerInput, actor: Actor, asOf: IsoDate): Promise<void> {
  const request = await tx
    .selectFrom('verification_requests')
    .select(['id', 'country_code', 'version'])
    .where('id', '=', requestId)
    .where('country_code', '=', actor.countryCode ?? '')
    .forUpdate()
    .executeTakeFirst();
  if (!request) throw notFound('verification request');
  const item = await tx
    .selectFrom('verification_items as vi')
    .innerJoin('persons as p', 'p.id', 'vi.person_id')
    .select(['vi.answer', 'vi.evidence', 'p.version'])
    .where('vi.request_id', '=', requestId)
    .where('vi.person_id', '=', input.personId)
    .where(personVisibleTo(actor, asOf))
    .forUpdate()
    .executeTakeFirst();
  if (!item) throw notFound('person on this request');
  if (isSettled(item.answer)) {
    throw new DomainError('conflict', 'already_answered', `this person was already answered (${item.answer}); the answer is final`, [{ path: 'body.personId', message: 'already answered' }]);
  }
  const now = new Date();
  await tx
    .updateTable('verification_items')
    .set((eb) => ({ answer: input.answer, evidence: input.evidence ?? null, answered_by: actor.userId, answered_at: now, version: eb('version', '+', 1) }))
    .where('request_id', '=', requestId)
    .where('person_id', '=', input.personId)
    .execute();
  const status = nationalityStatusAfter(input.answer);
  if (status) {
    await tx
      .updateTable('person_nationalities')
      .set({ status, source: `mission of ${request.country_code}`, decided_at: now })
      .where('person_id', '=', input.personId)
      .where('country_code', '=', request.country_code)
      .execute();
    await tx.updateTable('persons').set((eb) => ({ version: eb('version', '+', 1), updated_at: now })).where('id', '=', input.personId).execute();
  }
  const open = await tx
    .selectFrom('verification_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('request_id', '=', requestId)
    .where((eb) => eb.or([eb('answer', 'is', null), eb('answer', '=', 'more_information')]))
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('verification_requests')
    .set((eb) => ({ answered_at: Number(open.n) === 0 ? now : null, version: eb('version', '+', 1) }))
    .where('id', '=', requestId)
    .execute();
  await refreshEligibilityOf(tx, [input.personId], asOf);
  await recordAudit(tx, {
    action: 'verification.answered',
    entityType: 'person',
    entityId: input.personId,
    actor,
    before: { answer: item.answer },
    after: { answer: input.answer, evidence: input.evidence, nationality: status ? { countryCode: request.country_code, status } : undefined },
    context: { verificationRequestId: requestId },
  });
}
