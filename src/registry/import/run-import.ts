import { sql } from 'kysely';
import { recordAudit, type SystemActor } from '../../audit/trail.ts';
import { insertFamilyPair } from '../../commands/familyLinker.ts';
import { registerPerson } from '../../commands/personRegistrar.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { Actor } from '../../domain/actor.ts';
import type { IsoDate } from '../../domain/birth-date.ts';
import { DomainError } from '../../domain/errors.ts';
import { type ImportPlan, type ImportProblem, planImport } from './plan.ts';
import type { Table } from './read-table.ts';

export interface ImportReport {
  readonly dryRun: boolean;
  readonly committed: boolean;
  readonly total: number;
  readonly created: number;
  readonly alreadyRegistered: number;
  readonly familyLinks: number;
  readonly problems: ImportProblem[];
}

export type Progress = (done: number, total: number) => void;

class RollBack extends Error {}

/**
 * Imports a table all-or-nothing: every row is checked, then written in one
 * transaction; any problem, or a dry run, rolls the whole transaction back, so
 * a dry run reports exactly what a real run would do and a failed import leaves
 * nothing behind. Rows whose external_ref is registered are skipped (re-import is harmless).
 */
export async function runImport(db: Db, table: Table, actor: Actor | SystemActor, asOf: IsoDate, options: { dryRun: boolean; onProgress?: Progress }): Promise<ImportReport> {
  const plan = await planImport(db, table);
  const base = { dryRun: options.dryRun, total: plan.total, alreadyRegistered: plan.alreadyRegistered };
  if (plan.problems.length > 0) return { ...base, committed: false, created: 0, familyLinks: 0, problems: plan.problems };
  let outcome: { created: number; familyLinks: number; problems: ImportProblem[] } = { created: 0, familyLinks: 0, problems: [] };
  try {
    await db.transaction().execute(async (tx) => {
      outcome = await apply(tx, plan, actor, asOf, options.onProgress);
      if (outcome.problems.length > 0 || options.dryRun) throw new RollBack();
      await recordAudit(tx, { action: 'registry.imported', entityType: 'import', entityId: null, actor, after: { rows: plan.total, created: outcome.created, familyLinks: outcome.familyLinks } });
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    return { ...base, committed: false, ...outcome };
  }
  if (outcome.created > 1000) await sql`analyze persons`.execute(db);
  return { ...base, committed: true, ...outcome };
}

async function apply(tx: Tx, plan: ImportPlan, actor: Actor | SystemActor, asOf: IsoDate, onProgress?: Progress) {
  const problems: ImportProblem[] = [];
  const ids = new Map<string, { id: string; sex: string }>();
  let created = 0;
  for (const [i, row] of plan.rows.entries()) {
    try {
      // registerPerson checks everything before it writes, so a refused row leaves the transaction usable.
      const id = await registerPerson(tx, row.person, actor, asOf);
      ids.set(row.person.externalRef as string, { id, sex: row.person.sex });
      created += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const detail = error.details[0];
      problems.push({ row: row.line, column: columnFor(detail?.path), message: detail?.message ?? error.message });
    }
    if (onProgress && (i % 250 === 0 || i === plan.rows.length - 1)) onProgress(i + 1, plan.rows.length);
  }
  let familyLinks = 0;
  for (const row of plan.rows) {
    const child = ids.get(row.person.externalRef as string);
    if (!child) continue;
    for (const [relation, ref] of [['mother', row.motherRef], ['father', row.fatherRef]] as const) {
      if (!ref) continue;
      const parent = ids.get(ref) ?? (await tx.selectFrom('persons').select(['id', 'sex']).where('external_ref', '=', ref).executeTakeFirst());
      if (!parent) continue;
      const expected = relation === 'mother' ? 'female' : 'male';
      if (parent.sex !== expected) {
        problems.push({ row: row.line, column: `${relation}_ref`, message: `${ref} is recorded as ${parent.sex}, not as a ${relation}` });
        continue;
      }
      const existing = await tx.selectFrom('family_links').select('id').where('person_id', '=', child.id).where('relation', '=', relation).executeTakeFirst();
      if (existing) continue;
      await insertFamilyPair(tx, { personId: child.id, relativeId: parent.id, relation, inverse: 'child', verification: 'document', confidence: 0.8 });
      familyLinks += 1;
    }
  }
  return { created, familyLinks, problems };
}

function columnFor(path: string | undefined): string {
  if (!path) return 'row';
  if (path.includes('birthDate')) return 'birth_date';
  if (path.includes('admittedOn')) return 'admitted_on';
  if (path.includes('facilityId') || path.includes('custody')) return 'facility';
  if (path.includes('vitalDate')) return 'vital_date';
  if (path.includes('nationalities')) return 'nationality';
  if (path.includes('externalRef')) return 'external_ref';
  return path.replace(/^body\./, '');
}
