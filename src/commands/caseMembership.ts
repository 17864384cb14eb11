import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { STATES_BEFORE_DEPARTURE } from '../domain/case-machine.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { refreshCaseEligibility } from './caseEligibility.ts';
import { addMembers, lockVisibleCase, type NewCase } from './caseOpener.ts';
import { staleVersion } from './staleness.ts';

const changeable = (state: string) => (STATES_BEFORE_DEPARTURE as readonly string[]).includes(state) && state !== 'scheduled';

function refuseUnlessChangeable(state: string): void {
  if (!changeable(state)) throw new DomainError('conflict', 'case_members_frozen', `the members of a case cannot change once it is ${state}`);
}

/** Adds people to a family case before it is scheduled. */
export async function addCaseMembers(db: Db, actor: Actor, asOf: IsoDate, caseId: string, expected: number, members: NewCase['members']): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const c = await lockVisibleCase(tx, actor, asOf, caseId);
    if (c.version !== expected) throw await staleVersion(tx, 'case', caseId, expected, c.version, ['case.opened', 'case.transitioned', 'case.members_changed']);
    refuseUnlessChangeable(c.state);
    if (c.kind === 'individual') throw invalid('body.members', 'an individual case has one person: open a family case for a group');
    await addMembers(tx, actor, asOf, caseId, members, (i) => `body.members.${i}`);
    await tx.updateTable('cases').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', caseId).execute();
    await refreshCaseEligibility(tx, [caseId], asOf);
    await recordAudit(tx, { action: 'case.members_changed', entityType: 'case', entityId: caseId, actor, after: { added: members } });
  });
}

/**
 * A member who cannot go (a mother serving her sentence) leaves the case with a recorded
 * reason; she stays registered, and her children's verdicts now say she stays behind.
 */
export async function removeCaseMember(db: Db, actor: Actor, asOf: IsoDate, caseId: string, personId: string, expected: number, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const c = await lockVisibleCase(tx, actor, asOf, caseId);
    if (c.version !== expected) throw await staleVersion(tx, 'case', caseId, expected, c.version, ['case.opened', 'case.transitioned', 'case.members_changed']);
    refuseUnlessChangeable(c.state);
    const member = await tx.selectFrom('case_members').select(['left_at']).where('case_id', '=', caseId).where('person_id', '=', personId).executeTakeFirst();
    if (!member || member.left_at) throw notFound('case member');
    const remaining = await tx.selectFrom('case_members').select('person_id').where('case_id', '=', caseId).where('left_at', 'is', null).execute();
    if (remaining.length <= 1) throw new DomainError('conflict', 'last_member', 'the last person on a case cannot leave it: withdraw the case instead');
    await tx.updateTable('case_members').set({ left_at: new Date(), left_reason: reason, current: false, eligible: null, eligibility: null }).where('case_id', '=', caseId).where('person_id', '=', personId).execute();
    await tx.updateTable('cases').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', caseId).execute();
    await refreshCaseEligibility(tx, [caseId], asOf);
    await recordAudit(tx, { action: 'case.members_changed', entityType: 'case', entityId: caseId, actor, after: { left: personId }, reason });
  });
}
