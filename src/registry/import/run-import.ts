import { sql } from 'kysely';
import { recordAudit, type SystemActor } from '../../audit/trail.ts';
import { type FamilyPair, insertFamilyPairs } from '../../commands/familyLinker.ts';
import { registerPeople } from '../../commands/personRegistrar.ts';
import { anyOf } from '../../db/bulk.ts';
import type { Db, Tx } from '../../db/database.ts';
import { crashPoint } from '../../testing/crash-point.ts';
import type { Actor } from '../../domain/actor.ts';
import type { IsoDate } from '../../domain/birth-date.ts';
import { type ImportPlan, type ImportProblem, type PlannedRow, planImport } from './plan.ts';
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

/** Where an import is: `checking` the rows against the template and the registry, `writing` them (a dry run writes, then rolls back). */
export type ImportPhase = 'checking' | 'writing';
export type Progress = (done: number, total: number, phase: ImportPhase) => void;

class RollBack extends Error {}

/**
 * Imports a table all-or-nothing: every row is checked, then written in one
 * transaction; any problem, or a dry run, rolls the whole transaction back, so
 * a dry run reports exactly what a real run would do and a failed import leaves
 * nothing behind. Rows whose external_ref is registered are skipped (re-import is harmless).
 * Writing takes the bulk path (registerPeople: registerPerson's rules in memory,
 * rows a batch at a time, one person.created audit event per person).
 */
export async function runImport(db: Db, table: Table, actor: Actor | SystemActor, asOf: IsoDate, options: { dryRun: boolean; onProgress?: Progress }): Promise<ImportReport> {
  options.onProgress?.(0, table.rows.length, 'checking');
  const plan = await planImport(db, table);
  options.onProgress?.(table.rows.length, table.rows.length, 'checking');
  const base = { dryRun: options.dryRun, total: plan.total, alreadyRegistered: plan.alreadyRegistered };
  if (plan.problems.length > 0) return { ...base, committed: false, created: 0, familyLinks: 0, problems: plan.problems };
  let outcome: { created: number; familyLinks: number; problems: ImportProblem[] } = { created: 0, familyLinks: 0, problems: [] };
  try {
    await db.transaction().execute(async (tx) => {
      outcome = await apply(tx, plan, actor, asOf, options.onProgress);
      if (outcome.problems.length > 0 || options.dryRun) throw new RollBack();
      await recordAudit(tx, { action: 'registry.imported', entityType: 'import', entityId: null, actor, after: { rows: plan.total, created: outcome.created, familyLinks: outcome.familyLinks } });
      crashPoint('import-before-commit');
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    return { ...base, committed: false, ...outcome };
  }
  crashPoint('import-committed');
  // Fresh statistics after a big import, so the planner keeps using the search indexes (PGlite has no autovacuum).
  if (outcome.created > 1000) await sql`analyze persons, person_names, person_nationalities, custody_episodes, family_links`.execute(db);
  return { ...base, committed: true, ...outcome };
}

/**
 * Rows per batch while writing: a progress report per batch — ten or more over an
 * import — and few statements (each has a fixed cost, high on the embedded database).
 */
const batchSizeFor = (rows: number) => Math.min(2000, Math.max(50, Math.ceil(rows / 10)));

/**
 * The bulk path: every row goes through registerPerson's rules in memory and is
 * written a batch at a time (registerPeople: COPY on PostgreSQL, INSERT … SELECT FROM unnest on PGlite —
 * db/copy.ts), then the family links in a
 * few more; parents outside the file are looked up in one query per few thousand.
 */
async function apply(tx: Tx, plan: ImportPlan, actor: Actor | SystemActor, asOf: IsoDate, onProgress?: Progress) {
  const problems: ImportProblem[] = [];
  const total = plan.rows.length;
  const { ids, refused } = await registerPeople(
    tx,
    plan.rows.map((r) => r.person),
    actor,
    asOf,
    // The last report (total) comes once the family links are written too.
    {
      batchSize: batchSizeFor(total),
      auditContext: (i) => ({ import: { row: (plan.rows[i] as PlannedRow).line } }),
      onBatch: (done) => {
        crashPoint('import-batch');
        if (done < total) onProgress?.(done, total, 'writing');
      },
    },
  );
  for (const { index, error } of refused) {
    const detail = error.details[0];
    problems.push({ row: (plan.rows[index] as PlannedRow).line, column: columnFor(detail?.path), message: detail?.message ?? error.message });
  }
  const created = new Map<string, { id: string; sex: string }>();
  plan.rows.forEach((row, i) => {
    const id = ids[i];
    if (id) created.set(row.person.externalRef as string, { id, sex: row.person.sex });
  });

  // Parents already registered before this import.
  const outside = [...new Set(plan.rows.flatMap((r) => [r.motherRef, r.fatherRef]).filter((ref): ref is string => !!ref && !created.has(ref)))];
  const registered = new Map<string, { id: string; sex: string }>();
  for (let i = 0; i < outside.length; i += 5000) {
    const rows = await tx.selectFrom('persons').select(['id', 'sex', 'external_ref']).where('external_ref', '=', anyOf(outside.slice(i, i + 5000))).execute();
    for (const r of rows) registered.set(r.external_ref as string, r);
  }
  const pairs: FamilyPair[] = [];
  for (const [i, row] of plan.rows.entries()) {
    const childId = ids[i];
    if (!childId) continue;
    for (const [relation, ref] of [['mother', row.motherRef], ['father', row.fatherRef]] as const) {
      if (!ref) continue;
      const parent = created.get(ref) ?? registered.get(ref);
      if (!parent) continue;
      if (parent.id === childId) {
        problems.push({ row: row.line, column: `${relation}_ref`, message: `a person cannot be their own ${relation}` });
        continue;
      }
      const expected = relation === 'mother' ? 'female' : 'male';
      if (parent.sex !== expected) {
        problems.push({ row: row.line, column: `${relation}_ref`, message: `${ref} is recorded as ${parent.sex}, not as a ${relation}` });
        continue;
      }
      // The child was created just now, so it has no mother or father recorded yet.
      pairs.push({ personId: childId, relativeId: parent.id, relation, inverse: 'child', verification: 'document', confidence: 0.8 });
    }
  }
  await insertFamilyPairs(tx, pairs);
  onProgress?.(total, total, 'writing');
  problems.sort((a, b) => a.row - b.row);
  return { created: created.size, familyLinks: pairs.length, problems };
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
