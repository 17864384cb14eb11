import { recordAudit } from '../audit/trail.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { checkConviction, type ProceedingInput, releaseDate } from '../domain/sentence.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';
import { staleVersion } from './staleness.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';

/** Refuses what the law forbids, in words a clerk understands (422 with the rule's code). */
function enforceLimits(person: { birth_earliest: string; birth_latest: string }, input: ProceedingInput, asOf: IsoDate): void {
  if (input.actDate && input.actDate > asOf) throw invalid('body.actDate', 'is in the future');
  if (input.verdictDate && input.verdictDate > asOf) throw invalid('body.verdictDate', 'is in the future');
  if (input.actDate && input.actDate < person.birth_earliest) throw invalid('body.actDate', 'is before the person was born');
  if (!input.actDate) return;
  const violations = checkConviction({
    birthRange: { earliest: person.birth_earliest, latest: person.birth_latest },
    actDate: input.actDate,
    verdict: input.verdict,
    sentence: input.sentence ?? null,
  });
  const first = violations[0];
  if (first) throw new DomainError('rule', first.code, first.message, violations.map((v) => ({ path: `body.${v.path}`, message: v.message })));
}

function columns(input: ProceedingInput) {
  return {
    charge: input.charge.code,
    charge_text: input.charge.code === 'other' ? input.charge.text : (input.charge.note ?? null),
    act_date: input.actDate ?? null,
    court: input.court ?? null,
    stage: input.stage,
    verdict: input.verdict,
    verdict_date: input.verdictDate ?? null,
    sentence: input.sentence ? JSON.stringify(input.sentence) : null,
    sentence_start: input.sentenceStart ?? null,
    // Stored for filtering; always recomputed from the sentence by this use case.
    release_date: input.sentence && input.sentenceStart ? releaseDate(input.sentence, input.sentenceStart) : null,
    updated_at: new Date(),
  };
}

async function personFor(tx: Tx, actor: Actor, asOf: IsoDate, personId: string, expected?: number) {
  const person = await findChangeablePerson(tx, actor, asOf, personId, expected);
  return person;
}

export async function recordProceeding(db: Db, actor: Actor, asOf: IsoDate, personId: string, input: ProceedingInput, expected?: number): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const person = await personFor(tx, actor, asOf, personId, expected);
    enforceLimits(person, input, asOf);
    const row = await tx.insertInto('proceedings').values({ person_id: personId, ...columns(input) }).returning('id').executeTakeFirstOrThrow();
    await refreshEligibilityOf(tx, [personId], asOf);
    await recordAudit(tx, { action: 'proceeding.created', entityType: 'person', entityId: personId, actor, after: input });
    return row.id;
  });
}

export async function reviseProceeding(db: Db, actor: Actor, asOf: IsoDate, proceedingId: string, expected: number, input: ProceedingInput): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('proceedings').selectAll().where('id', '=', proceedingId).forUpdate().executeTakeFirst();
    if (!current) throw notFound('proceeding');
    const person = await personFor(tx, actor, asOf, current.person_id);
    if (current.version !== expected) throw await staleVersion(tx, 'person', person.id, expected, current.version, ['proceeding.created', 'proceeding.updated']);
    enforceLimits(person, input, asOf);
    await tx.updateTable('proceedings').set({ ...columns(input), version: current.version + 1 }).where('id', '=', proceedingId).execute();
    await refreshEligibilityOf(tx, [person.id], asOf);
    await recordAudit(tx, { action: 'proceeding.updated', entityType: 'person', entityId: person.id, actor, before: { ...current, created_at: undefined, updated_at: undefined }, after: input });
    return person.id;
  });
}
