import { recordAudit } from '../audit/trail.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { type CaseState, checkTransition, FINAL_STATES, MOVEMENT_ACTOR, userActor } from '../domain/case-machine.ts';
import { DomainError } from '../domain/errors.ts';
import { crashPoint } from '../testing/crash-point.ts';
import { caseFactsOf, evaluateCase, refreshCaseEligibility } from './caseEligibility.ts';
import { lockVisibleCase } from './caseOpener.ts';

export interface TransitionRequest {
  readonly to: CaseState;
  readonly reason?: string | undefined;
  /** The state the client saw; if the case has moved since, the request is refused (409) rather than applied to a state nobody looked at. */
  readonly from?: CaseState | undefined;
}

const isFinal = (state: string) => (FINAL_STATES as readonly string[]).includes(state);

/**
 * One transition, in one transaction: lock the case, check the machine's table and guards
 * against the facts recorded now, write the state and its history, keep memberships and
 * verdicts in step, audit. Two at once: the second waits for the lock, then finds the state
 * changed (409 `case_state_changed` when it said which state it saw, else the machine's 409).
 */
export async function transitionCase(db: Db, actor: Actor, asOf: IsoDate, caseId: string, request: TransitionRequest): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const c = await lockVisibleCase(tx, actor, asOf, caseId);
    // Anonymised after its retention period (decision 0025): what it was about is gone, so it cannot be reopened.
    if (c.anonymised_at) throw new DomainError('conflict', 'case_anonymised', 'the case was anonymised after its retention period and cannot be moved or reopened; open a new case');
    if (request.from && request.from !== c.state) {
      throw new DomainError('conflict', 'case_state_changed', `the case is now ${c.state}, not ${request.from}: someone else moved it; reload it and decide again`, [
        { path: 'body.from', message: `the case is now ${c.state}`, code: 'case_state_changed', params: { value: c.state } },
      ]);
    }
    await applyCaseTransition(tx, c, request.to, request.reason?.trim() || null, actor, asOf);
  });
}

/**
 * Applies one transition to a case already locked in this transaction: the machine's check
 * against the facts recorded now, the state, its history, memberships, verdicts, the audit
 * event. `bySystem`: the movement departing makes the transition, `actor` the person who
 * marked it departed (named in the audit trail).
 */
export async function applyCaseTransition(
  tx: Tx,
  c: { readonly id: string; readonly state: string; readonly country_code: string; readonly held_from: string | null },
  to: CaseState,
  reason: string | null,
  actor: Actor,
  asOf: IsoDate,
  bySystem: 'movement' | null = null,
): Promise<void> {
  const caseId = c.id;
  const evaluation = await evaluateCase(tx, c, asOf);
  const outcome = checkTransition(c.state as CaseState, to, caseFactsOf(c, evaluation, reason), bySystem ? MOVEMENT_ACTOR : userActor(actor));
  const now = new Date();
  await tx
    .updateTable('cases')
    .set((eb) => ({ state: outcome.state, held_from: outcome.heldFrom, state_changed_at: now, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', caseId)
    .execute();
  crashPoint('case-transition-state');
  // A closed, rejected or withdrawn case no longer holds its members; reopened, it holds them again.
  if (isFinal(outcome.state)) await tx.updateTable('case_members').set({ current: false }).where('case_id', '=', caseId).execute();
  if (outcome.transition.name === 'reopen') {
    const members = await tx.selectFrom('case_members').select('person_id').where('case_id', '=', caseId).where('left_at', 'is', null).execute();
    for (const m of members) {
      const other = await tx
        .selectFrom('case_members as cm')
        .innerJoin('cases as o', 'o.id', 'cm.case_id')
        .select('o.reference')
        .where('cm.person_id', '=', m.person_id)
        .where('cm.current', '=', true)
        .executeTakeFirst();
      if (other) throw new DomainError('conflict', 'already_on_case', `a member is now on case ${other.reference}: remove them there, or from this case, before reopening it`);
    }
    await tx.updateTable('case_members').set({ current: true }).where('case_id', '=', caseId).where('left_at', 'is', null).execute();
  }
  await tx
    .insertInto('case_transitions')
    .values({ case_id: caseId, transition: outcome.transition.name, from_state: c.state, to_state: outcome.state, reason, actor_user_id: actor.userId, actor_system: bySystem })
    .execute();
  await refreshCaseEligibility(tx, [caseId], asOf);
  await recordAudit(tx, {
    action: 'case.transitioned',
    entityType: 'case',
    entityId: caseId,
    actor,
    before: { state: c.state },
    after: { state: outcome.state, transition: outcome.transition.name, ...(bySystem ? { by: bySystem } : {}) },
    ...(reason ? { reason } : {}),
  });
}
