import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m0001 from '../migrations/0001_foundation.ts';
import * as m0002 from '../migrations/0002_registry.ts';
import * as m0003 from '../migrations/0003_identification.ts';
import * as m0004 from '../migrations/0004_tracing.ts';
import * as m0005 from '../migrations/0005_merge_and_closing.ts';
import * as m0006 from '../migrations/0006_cases.ts';
import * as m0007 from '../migrations/0007_movements.ts';
import * as m0008 from '../migrations/0008_sent_manifests.ts';
import * as m0009 from '../migrations/0009_data_protection.ts';
import * as m0010 from '../migrations/0010_nationality_order.ts';
import * as m0011 from '../migrations/0011_encryption.ts';
import * as m0012 from '../migrations/0012_retention.ts';
import * as m0013 from '../migrations/0013_person_figures.ts';
import * as m0014 from '../migrations/0014_sealed_totp.ts';
import * as m0015 from '../migrations/0015_figure_counts.ts';
import * as m0016 from '../migrations/0016_eligibility_evaluated_for.ts';
import * as m0017 from '../migrations/0017_figures_refreshed_set_wise.ts';
import * as m0018 from '../migrations/0018_case_embassy_flag.ts';
import * as m0019 from '../migrations/0019_exact_names.ts';

/** Every migration, in order. Add new files here; names sort by their number. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_registry': m0002,
  '0003_identification': m0003,
  '0004_tracing': m0004,
  '0005_merge_and_closing': m0005,
  '0006_cases': m0006,
  '0007_movements': m0007,
  '0008_sent_manifests': m0008,
  '0009_data_protection': m0009,
  '0010_nationality_order': m0010,
  '0011_encryption': m0011,
  '0012_retention': m0012,
  '0013_person_figures': m0013,
  '0014_sealed_totp': m0014,
  '0015_figure_counts': m0015,
  '0016_eligibility_evaluated_for': m0016,
  '0017_figures_refreshed_set_wise': m0017,
  '0018_case_embassy_flag': m0018,
  '0019_exact_names': m0019,
};

/** The names of the migrations this code knows, in order (a backup newer than the last is refused). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export class MigrationError extends Error {}

/** Applies pending migrations; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    migrationTableName: 'homeward_migrations',
    migrationLockTableName: 'homeward_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${(error as Error).message}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
