import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { checkTransition, userActor } from '../domain/case-machine.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { caseVisibleTo } from '../repositories/cases.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { refreshCaseEligibility } from './caseEligibility.ts';

export const MEMBER_ROLES = ['principal', 'mother', 'father', 'child', 'guardian', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface NewCase {
  readonly countryCode: string;
  readonly kind: 'individual' | 'family';
  readonly title?: string | undefined;
  readonly members: readonly { readonly personId: string; readonly role: MemberRole }[];
}

/** Adds people to a case, refusing anyone already on another open case (by name, so the officer can find it). */
export async function addMembers(tx: Tx, actor: Actor, asOf: IsoDate, caseId: string, members: NewCase['members'], pathOf: (i: number) => string): Promise<void> {
  for (const [i, m] of members.entries()) {
    const person = await findVisiblePerson(tx, actor, asOf, m.personId);
    if (!person) throw invalid(`${pathOf(i)}.personId`, 'no such person');
    if (person.merged_into) throw invalid(`${pathOf(i)}.personId`, 'was merged into another record: add that one');
    const other = await tx
      .selectFrom('case_members as cm')
      .innerJoin('cases as c', 'c.id', 'cm.case_id')
      .select(['c.reference', 'c.id'])
      .where('cm.person_id', '=', m.personId)
      .where('cm.current', '=', true)
      .executeTakeFirst();
    if (other && other.id !== caseId) {
      throw new DomainError('conflict', 'already_on_case', `${person.display_name} is already on case ${other.reference}`, [
        { path: `${pathOf(i)}.personId`, message: `is already on case ${other.reference}`, code: 'already_on_case', params: { value: other.reference } },
      ]);
    }
    await tx
      .insertInto('case_members')
      .values({ case_id: caseId, person_id: m.personId, role: m.role })
      .onConflict((oc) => oc.columns(['case_id', 'person_id']).doUpdateSet({ role: m.role, left_at: null, left_reason: null, current: true, joined_at: new Date() }))
      .execute();
  }
}

/**
 * Opens a case for one person or a family group (a mother with her children; children alone),
 * in one transaction: the case, its members, the transition `open`, the first verdict, the audit event.
 */
export async function openCase(db: Db, actor: Actor, asOf: IsoDate, input: NewCase): Promise<string> {
  checkTransition(null, 'identification', { countryCode: input.countryCode, nationalityClaimed: false, nationalityConfirmed: false, eligibility: null, onManifest: false, manifestLocked: false, handoverRecorded: false, reason: null, heldFrom: null }, userActor(actor));
  if (input.kind === 'individual' && input.members.length !== 1) throw invalid('body.members', 'an individual case has exactly one person: open a family case for a group');
  const ids = input.members.map((m) => m.personId);
  if (new Set(ids).size !== ids.length) throw invalid('body.members', 'names the same person twice');
  return db.transaction().execute(async (tx) => {
    const country = await tx.selectFrom('countries').select('code').where('code', '=', input.countryCode).executeTakeFirst();
    if (!country) throw invalid('body.countryCode', `${input.countryCode} is not an ISO 3166 alpha-3 code`);
    const seq = await sql<{ n: string }>`select nextval('case_reference_seq')::text as n`.execute(tx);
    const reference = `${input.countryCode}-${asOf.slice(0, 4)}-${String(seq.rows[0]?.n ?? '0').padStart(4, '0')}`;
    const row = await tx
      .insertInto('cases')
      .values({ reference, country_code: input.countryCode, kind: input.kind, state: 'identification', title: input.title ?? null, opened_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addMembers(tx, actor, asOf, row.id, input.members, (i) => `body.members.${i}`);
    await tx.insertInto('case_transitions').values({ case_id: row.id, transition: 'open', from_state: null, to_state: 'identification', actor_user_id: actor.userId }).execute();
    await refreshCaseEligibility(tx, [row.id], asOf);
    await recordAudit(tx, { action: 'case.opened', entityType: 'case', entityId: row.id, actor, after: { reference, ...input } });
    return row.id;
  });
}

/** Locks a case the caller may see; 404 otherwise. */
export async function lockVisibleCase(tx: Tx, actor: Actor, asOf: IsoDate, id: string) {
  const row = await tx.selectFrom('cases as c').selectAll('c').where('c.id', '=', id).where(caseVisibleTo(actor, asOf)).forUpdate().executeTakeFirst();
  if (!row) throw notFound('case');
  return row;
}
