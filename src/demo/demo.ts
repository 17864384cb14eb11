import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { DomainError } from '../domain/errors.ts';
import { generatePassword, passwordProblem } from '../security/passwords.ts';
import { createDemoUsers, type DemoUser } from './demo-users.ts';
import { loadCasesDemo } from './cases-demo.ts';
import { loadDiplomacyDemo } from './diplomacy-demo.ts';
import { loadIdentificationDemo } from './identification-demo.ts';
import { loadMovementsDemo } from './movements-demo.ts';
import { loadRegistryDemo } from './registry-demo.ts';

export interface DemoOptions {
  readonly password?: string | undefined;
  /** The date the demo is set on (default today); later capabilities date their data from it. */
  readonly asOf?: string | undefined;
}

export interface DemoResult {
  readonly users: DemoUser[];
  readonly password: string;
  readonly passwordGenerated: boolean;
  readonly asOf: string;
  readonly persons: number;
  readonly facilities: number;
}

/** True when the database holds nothing a person made: no users, no agencies. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await sql<{ n: number }>`select (select count(*) from users) + (select count(*) from agencies) as n`.execute(db);
  return Number(row.rows[0]?.n ?? 0) === 0;
}

/** Loads the demo data set into an empty database. Deterministic for a given as-of date. */
export async function loadDemo(db: Db, options: DemoOptions): Promise<DemoResult> {
  if (!(await isDatabaseEmpty(db))) {
    throw new DomainError('conflict', 'database_not_empty', 'the database already holds data; the demo loads only into an empty one');
  }
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const password = options.password ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new DomainError('invalid', 'weak_password', `--password ${problem}`);
  const users = await createDemoUsers(db, password);
  const custody = await db.selectFrom('users').select('agency_id').where('username', '=', 'demo-custody').executeTakeFirstOrThrow();
  const registry = await db.transaction().execute((tx) => loadRegistryDemo(tx, asOf, custody.agency_id));
  await db.transaction().execute((tx) => loadIdentificationDemo(tx, asOf));
  await db.transaction().execute((tx) => loadDiplomacyDemo(tx, asOf));
  // Cases last: their verdicts read the registry, identification and the countries' agreements.
  await db.transaction().execute((tx) => loadCasesDemo(tx, asOf));
  await db.transaction().execute((tx) => loadMovementsDemo(tx, asOf));
  // Fresh statistics after a bulk load, so the planner uses the search indexes (PGlite has no autovacuum).
  await sql`analyze`.execute(db);
  return { users, password, passwordGenerated: options.password === undefined, asOf, persons: registry.persons, facilities: registry.facilities };
}
