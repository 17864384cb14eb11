import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { recordAudit } from '../audit/trail.ts';
import type { BulkType } from '../db/bulk.ts';
import { prepareRows, writeRows } from '../db/copy.ts';
import type { Db, Tx } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { inverseRelation, type NewFamilyLinkSchema, type Relation } from '../domain/family.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';

type NewLink = z.output<typeof NewFamilyLinkSchema>;
const rule = (code: string, message: string, path = 'body.relation') => new DomainError('rule', code, message, [{ path, message }]);

/** Links two people in both directions at once, so the family reads the same from either side. */
export async function linkFamily(db: Db, actor: Actor, asOf: IsoDate, personId: string, link: NewLink, expected?: number): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const person = await findChangeablePerson(tx, actor, asOf, personId, expected);
    const relative = await findVisiblePerson(tx, actor, asOf, link.relativeId);
    if (!relative) throw invalid('body.relativeId', 'no such person');
    if (relative.id === person.id) throw invalid('body.relativeId', 'a person cannot be their own relative');
    const inverse = inverseRelation(link.relation, person.sex);
    if (!inverse) throw rule('sex_unknown', 'record this person’s sex first: it decides whether they are the mother or the father');
    if ((link.relation === 'mother' && relative.sex === 'male') || (link.relation === 'father' && relative.sex === 'female')) {
      throw rule('relation_contradicts_sex', `the relative is recorded as ${relative.sex}`);
    }
    const [parent, child] = link.relation === 'child' ? [person, relative] : link.relation === 'mother' || link.relation === 'father' ? [relative, person] : [null, null];
    if (parent && child && parent.birth_earliest >= child.birth_latest) {
      throw rule('parent_not_older', 'the parent was born after the child');
    }
    // One mother and one father at most.
    const parentRole: Relation | null = link.relation === 'mother' || link.relation === 'father' ? link.relation : link.relation === 'child' ? inverse : null;
    const parentOf = link.relation === 'child' ? relative.id : person.id;
    if (parentRole === 'mother' || parentRole === 'father') {
      const existing = await tx.selectFrom('family_links').select('id').where('person_id', '=', parentOf).where('relation', '=', parentRole).executeTakeFirst();
      if (existing) throw rule('parent_already_recorded', `a ${parentRole} is already recorded; remove that link first`);
    }
    const duplicate = await tx.selectFrom('family_links').select('id').where('person_id', '=', person.id).where('relative_id', '=', relative.id).where('relation', '=', link.relation).executeTakeFirst();
    if (duplicate) throw new DomainError('conflict', 'already_linked', 'this link is already recorded');
    const pairId = await insertFamilyPair(tx, { personId: person.id, relativeId: relative.id, relation: link.relation, inverse, verification: link.verification, confidence: link.confidence });
    await refreshEligibilityOf(tx, [person.id, relative.id], asOf);
    await recordAudit(tx, { action: 'family_link.created', entityType: 'person', entityId: person.id, actor, after: { ...link, pairId } });
    return pairId;
  });
}

export interface FamilyPair {
  readonly personId: string;
  readonly relativeId: string;
  readonly relation: Relation;
  readonly inverse: Relation;
  readonly verification: string;
  readonly confidence: number;
}

/** Writes a link and its inverse as one pair; the caller has checked it. */
export async function insertFamilyPair(tx: Tx, pair: FamilyPair): Promise<string> {
  const pairId = randomUUID();
  const common = { verification: pair.verification, confidence: pair.confidence, pair_id: pairId };
  await tx
    .insertInto('family_links')
    .values([
      { person_id: pair.personId, relative_id: pair.relativeId, relation: pair.relation, ...common },
      { person_id: pair.relativeId, relative_id: pair.personId, relation: pair.inverse, ...common },
    ])
    .execute();
  return pairId;
}

const FAMILY_LINK_COLUMNS = [
  ['id', 'uuid'],
  ['person_id', 'uuid'],
  ['relative_id', 'uuid'],
  ['relation', 'text'],
  ['verification', 'text'],
  ['confidence', 'numeric'],
  ['pair_id', 'uuid'],
] as const satisfies readonly (readonly [keyof DB['family_links'], BulkType])[];

/** Writes many checked pairs, both directions each (db/copy.ts: COPY on PostgreSQL, a few thousand rows per statement on PGlite). */
export async function insertFamilyPairs(tx: Tx, pairs: readonly FamilyPair[]): Promise<string[]> {
  const pairIds = pairs.map(() => randomUUID());
  const rows = pairs.flatMap((pair, i) => {
    const common = { verification: pair.verification, confidence: pair.confidence, pair_id: pairIds[i] as string };
    return [
      { id: randomUUID(), person_id: pair.personId, relative_id: pair.relativeId, relation: pair.relation, ...common },
      { id: randomUUID(), person_id: pair.relativeId, relative_id: pair.personId, relation: pair.inverse, ...common },
    ];
  });
  await writeRows(tx, prepareRows(tx, 'family_links', FAMILY_LINK_COLUMNS, rows));
  return pairIds;
}

/** Removes both directions of a link. */
export async function unlinkFamily(db: Db, actor: Actor, asOf: IsoDate, pairId: string, reason: string | undefined): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('family_links').selectAll().where('pair_id', '=', pairId).execute();
    const first = rows[0];
    if (!first) throw notFound('family link');
    for (const row of rows) if (!(await findVisiblePerson(tx, actor, asOf, row.person_id))) throw notFound('family link');
    await tx.deleteFrom('family_links').where('pair_id', '=', pairId).execute();
    await refreshEligibilityOf(tx, [...new Set(rows.flatMap((r) => [r.person_id, r.relative_id]))], asOf);
    await recordAudit(tx, {
      action: 'family_link.removed',
      entityType: 'person',
      entityId: first.person_id,
      actor,
      before: rows.map((r) => ({ person: r.person_id, relative: r.relative_id, relation: r.relation })),
      ...(reason ? { reason } : {}),
    });
  });
}
