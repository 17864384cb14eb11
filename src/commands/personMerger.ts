import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { noteSealingKey, openValue, sealValue } from '../repositories/sealed-fields.ts';
import { scheduleSweep } from './candidateFinder.ts';
import { reindexPerson } from './personRegistrar.ts';
import { staleVersion } from './staleness.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';

export interface MergeReport {
  readonly survivorId: string;
  readonly mergedId: string;
  /** How many rows of each kind moved to the survivor. */
  readonly moved: Readonly<Record<string, number>>;
}

/** A mission's decision outweighs a claim; a confirmation outweighs a refusal made on the other record. */
const NATIONALITY_RANK: Readonly<Record<string, number>> = { claimed: 1, rejected: 2, verified: 3 };

const count = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint }[]) =>
  result.reduce((n, r) => n + Number(r.numUpdatedRows ?? r.numDeletedRows ?? r.numInsertedOrUpdatedRows ?? 0n), 0);

/**
 * Merges a registration confirmed as a duplicate into the record that stays, in one
 * transaction. Deliberate: the pair must have been confirmed in the review queue,
 * the caller names which record stays (If-Match on its version) and gives a reason.
 *
 * Kept for history: the merged record is not deleted. It keeps its own names and
 * facts and points at the survivor (`merged_into`); it leaves searches, lists and
 * the matching sweep, and can no longer be changed. Moved to the survivor: documents,
 * photos, identity evidence, custody episodes, proceedings, family links, places on
 * verification requests, answered tracing requests; its names become the survivor's
 * aliases; a nationality the survivor lacks is added, and where both hold one the
 * stronger status stays. Protective flags are kept if either record has them
 * (vulnerabilities, withheld from the embassy, the crimes-against-humanity flag),
 * notes are kept side by side, and a birth date the merged record knows more
 * precisely (inside the survivor's range) replaces the survivor's. Refused while both records are held somewhere:
 * one person cannot be in two places, and which episode is wrong is for custody to say.
 */
export async function mergePersons(db: Db, actor: Actor, asOf: IsoDate, survivorId: string, mergedId: string, expected: number, reason: string): Promise<MergeReport> {
  if (survivorId === mergedId) throw invalid('body.mergedId', 'is the record that stays: name the other one');
  return db.transaction().execute(async (tx) => {
    for (const id of [survivorId, mergedId]) if (!(await findVisiblePerson(tx, actor, asOf, id))) throw notFound('person');
    // Both rows locked, in id order, so that two merges of the same pair cannot deadlock.
    const rows = await tx.selectFrom('persons').selectAll().where('id', 'in', [survivorId, mergedId]).orderBy('id').forUpdate().execute();
    const survivor = rows.find((r) => r.id === survivorId);
    const merged = rows.find((r) => r.id === mergedId);
    if (!survivor || !merged) throw notFound('person');
    if (survivor.version !== expected) throw await staleVersion(tx, 'person', survivorId, expected, survivor.version);
    if (survivor.merged_into || merged.merged_into) throw new DomainError('conflict', 'already_merged', 'one of the two records was already merged into another');
    if (merged.duplicate_of !== survivorId && survivor.duplicate_of !== mergedId) {
      throw new DomainError('conflict', 'not_confirmed_duplicate', 'these two records have not been confirmed as one person: confirm the pair in the review queue first');
    }
    const open = await tx.selectFrom('custody_episodes').select('person_id').where('person_id', 'in', [survivorId, mergedId]).where('released_on', 'is', null).execute();
    if (open.length > 1) {
      throw new DomainError('conflict', 'held_twice', 'both records are held in a facility now: custody must release the wrong episode before the records can be merged');
    }
    const cases = await tx.selectFrom('case_members').select('person_id').where('person_id', 'in', [survivorId, mergedId]).where('current', '=', true).execute();
    if (cases.length > 1) throw new DomainError('conflict', 'both_on_cases', 'both records are on open cases: remove one of them from its case before the records can be merged');
    const moved = await moveEverything(tx, survivorId, mergedId);
    const now = new Date();
    // A birth date the merged record knows more precisely, within what the survivor says, is kept.
    const narrower = merged.birth_earliest >= survivor.birth_earliest && merged.birth_latest <= survivor.birth_latest && (merged.birth_earliest > survivor.birth_earliest || merged.birth_latest < survivor.birth_latest);
    const birth = narrower ? { birth_precision: merged.birth_precision, birth_earliest: merged.birth_earliest, birth_latest: merged.birth_latest, birth_text: merged.birth_text } : {};
    const joinNotes = (a: string | null, b: string | null) => (a && b && a !== b ? `${a}\n\n— from the merged record —\n${b}` : (a ?? b));
    // Security notes are sealed to their row (decision 0024): both opened, joined, sealed to the survivor.
    const securityNotes = sealValue('persons', 'security_notes', survivorId, joinNotes(openValue('persons', 'security_notes', survivorId, survivor.security_notes), openValue('persons', 'security_notes', mergedId, merged.security_notes)));
    if (securityNotes !== null) await noteSealingKey(tx);
    await tx
      .updateTable('persons')
      .set((eb) => ({
        unaccompanied: survivor.unaccompanied || merged.unaccompanied,
        separated: survivor.separated || merged.separated,
        orphan: survivor.orphan || merged.orphan,
        medical_needs: survivor.medical_needs || merged.medical_needs,
        withheld_from_embassy: survivor.withheld_from_embassy || merged.withheld_from_embassy,
        crimes_against_humanity: survivor.crimes_against_humanity || merged.crimes_against_humanity,
        welfare_notes: joinNotes(survivor.welfare_notes, merged.welfare_notes),
        security_notes: securityNotes,
        ...birth,
        duplicate_of: null,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', survivorId)
      .execute();
    await tx
      .updateTable('persons')
      .set((eb) => ({ merged_into: survivorId, merged_at: now, duplicate_of: survivorId, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', mergedId)
      .execute();
    await reindexPerson(tx, survivorId);
    await refreshEligibilityOf(tx, [survivorId], asOf);
    await scheduleSweep(tx);
    await recordAudit(tx, { action: 'person.merged', entityType: 'person', entityId: survivorId, actor, after: { mergedFrom: mergedId, moved }, reason });
    await recordAudit(tx, { action: 'person.merged_into', entityType: 'person', entityId: mergedId, actor, after: { mergedInto: survivorId }, reason });
    return { survivorId, mergedId, moved };
  });
}

async function moveEverything(tx: Tx, to: string, from: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  // Names: the merged record keeps its own (its history); the survivor gains those it lacks, as aliases.
  const names = await sql`
    insert into person_names (person_id, kind, script, given_name, father_name, grandfather_name, family_name, full_name, latin)
    select ${to}, case when n.kind = 'primary' then 'alias' else n.kind end, n.script, n.given_name, n.father_name, n.grandfather_name, n.family_name, n.full_name, n.latin
    from person_names n
    where n.person_id = ${from}
      and not exists (select 1 from person_names s where s.person_id = ${to} and s.script = n.script and s.full_name = n.full_name)`.execute(tx);
  moved.names = Number(names.numAffectedRows ?? 0n);

  // Nationalities: the stronger status of the two stays on the survivor.
  const theirs = await tx.selectFrom('person_nationalities').selectAll().where('person_id', '=', from).execute();
  const ours = new Map((await tx.selectFrom('person_nationalities').selectAll().where('person_id', '=', to).execute()).map((n) => [n.country_code, n]));
  let nationalities = 0;
  for (const n of theirs) {
    const mine = ours.get(n.country_code);
    if (!mine) {
      await tx.insertInto('person_nationalities').values({ ...n, person_id: to }).execute();
      nationalities++;
    } else if ((NATIONALITY_RANK[n.status] ?? 0) > (NATIONALITY_RANK[mine.status] ?? 0)) {
      await tx.updateTable('person_nationalities').set({ status: n.status, source: n.source, decided_at: n.decided_at }).where('person_id', '=', to).where('country_code', '=', n.country_code).execute();
      nationalities++;
    }
  }
  await tx.deleteFrom('person_nationalities').where('person_id', '=', from).execute();
  moved.nationalities = nationalities;

  for (const table of ['identity_documents', 'photos', 'identity_evidence', 'custody_episodes', 'proceedings'] as const) {
    moved[table] = count([await tx.updateTable(table).set({ person_id: to }).where('person_id', '=', from).executeTakeFirst()]);
  }
  await tx.updateTable('identity_evidence').set({ relative_id: to }).where('relative_id', '=', from).execute();

  // Family links (stored both ways): a link between the two records goes; a link the survivor already has goes; the rest move.
  await tx
    .deleteFrom('family_links')
    .where((eb) => eb.or([eb.and([eb('person_id', '=', from), eb('relative_id', '=', to)]), eb.and([eb('person_id', '=', to), eb('relative_id', '=', from)])]))
    .execute();
  await sql`
    delete from family_links d
    where (d.person_id = ${from} or d.relative_id = ${from})
      and exists (select 1 from family_links s
        where s.person_id = case when d.person_id = ${from} then ${to}::uuid else d.person_id end
          and s.relative_id = case when d.relative_id = ${from} then ${to}::uuid else d.relative_id end
          and s.relation = d.relation)`.execute(tx);
  moved.family_links = count([
    await tx.updateTable('family_links').set({ person_id: to }).where('person_id', '=', from).executeTakeFirst(),
    await tx.updateTable('family_links').set({ relative_id: to }).where('relative_id', '=', from).executeTakeFirst(),
  ]);

  // A place on a verification request: the survivor's own place on the same request stays.
  await sql`delete from verification_items d where d.person_id = ${from} and exists (select 1 from verification_items s where s.request_id = d.request_id and s.person_id = ${to})`.execute(tx);
  moved.verification_items = count([await tx.updateTable('verification_items').set({ person_id: to }).where('person_id', '=', from).executeTakeFirst()]);
  moved.tracing_requests = count([await tx.updateTable('tracing_requests').set({ found_person_id: to }).where('found_person_id', '=', from).executeTakeFirst()]);
  // The case work: memberships (at most one is open, checked above), consent, guardians, best interests, clearances.
  await sql`delete from case_members d where d.person_id = ${from} and exists (select 1 from case_members s where s.case_id = d.case_id and s.person_id = ${to})`.execute(tx);
  moved.case_members = count([await tx.updateTable('case_members').set({ person_id: to }).where('person_id', '=', from).executeTakeFirst()]);
  await sql`delete from consent_children d where d.child_id = ${from} and exists (select 1 from consent_children s where s.consent_id = d.consent_id and s.child_id = ${to})`.execute(tx);
  await tx.updateTable('consent_children').set({ child_id: to }).where('child_id', '=', from).execute();
  await tx.updateTable('consent_records').set({ given_by: to }).where('given_by', '=', from).execute();
  for (const table of ['consent_exemptions', 'guardians', 'best_interests_determinations'] as const) {
    // The survivor's current one stays current; the merged record's becomes history beside it.
    const current = await tx.selectFrom(table).select('id').where('child_id', '=', to).where(table === 'consent_exemptions' ? 'withdrawn_at' : 'superseded_at', 'is', null).executeTakeFirst();
    if (current) {
      if (table === 'consent_exemptions') await tx.updateTable(table).set({ withdrawn_at: new Date() }).where('child_id', '=', from).where('withdrawn_at', 'is', null).execute();
      else await tx.updateTable(table).set({ superseded_at: new Date() }).where('child_id', '=', from).where('superseded_at', 'is', null).execute();
    }
    await tx.updateTable(table).set({ child_id: to }).where('child_id', '=', from).execute();
  }
  await tx.updateTable('best_interests_assessments').set({ child_id: to }).where('child_id', '=', from).execute();
  await tx.updateTable('legal_assurances').set({ person_id: to }).where('person_id', '=', from).execute();
  await tx.updateTable('clearances').set({ person_id: to }).where('person_id', '=', from).execute();
  // Undecided proposals about the merged record go (the next sweep looks again, for the survivor); decided ones stay as history.
  await tx
    .deleteFrom('match_candidates')
    .where('status', '=', 'proposed')
    .where((eb) => eb.or([eb('person_id', '=', from), eb('other_person_id', '=', from)]))
    .execute();
  return moved;
}

/** Refuses a change to a record merged into another: the survivor is the one to change. */
export function refuseIfMerged(person: { readonly merged_into: string | null }): void {
  if (person.merged_into) throw new DomainError('conflict', 'merged', 'this record was merged into another: change the record it was merged into');
}

/** The person a change is about: visible to the caller (else 404), not merged into another (else 409), at the version the client read if it says (else 412). */
export async function findChangeablePerson(tx: Tx, actor: Actor, asOf: IsoDate, id: string, expected?: number) {
  const person = await findVisiblePerson(tx, actor, asOf, id);
  if (!person) throw notFound('person');
  refuseIfMerged(person);
  if (expected !== undefined) {
    // The version the client read (If-Match): checked under the row's lock, so no change slips in between.
    const locked = await tx.selectFrom('persons').select('version').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (locked.version !== expected) throw await staleVersion(tx, 'person', id, expected, locked.version);
  }
  return person;
}
