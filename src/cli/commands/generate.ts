import { loadConfig } from '../../config/env.ts';
import { acquireDataDirLock } from '../../db/lock.ts';
import { migrateToLatest } from '../../db/migrator.ts';
import { type BulkSession, openPGliteSession, openPostgresSession } from '../../generate/copy.ts';
import { generate } from '../../generate/generate.ts';
import { prepareFieldKeys } from '../../repositories/sealed-fields.ts';
import { passwordProblem } from '../../security/passwords.ts';
import { CliError } from '../errors.ts';
import { printDemoCredentials } from './demo.ts';

/** `homeward generate --people N [--seed S] [--password P] [--as-of D]`: a synthetic deployment in an empty database. */
export async function generateCommand(options: { people: number; seed?: string | undefined; password?: string | undefined; asOf?: string | undefined }): Promise<void> {
  // A weak password is refused before the database is opened (or made and migrated).
  const problem = options.password === undefined ? null : passwordProblem(options.password);
  if (problem) throw new CliError(`--password ${problem}`);
  const config = loadConfig();
  const lock = config.database.kind === 'pglite' ? acquireDataDirLock(config.dataDir, 'homeward generate') : null;
  let session: BulkSession | null = null;
  try {
    session = config.database.kind === 'postgres' ? await openPostgresSession(config.database.url) : await openPGliteSession(config.database.dataDir);
    await migrateToLatest(session.db);
    const keys = await prepareFieldKeys(session.db, config, { create: true });
    if (keys.problem) throw new CliError(keys.problem);
    console.log(`Generating ${options.people.toLocaleString('en')} people (seed ${options.seed ?? '1'}) into the ${session.kind === 'postgres' ? 'PostgreSQL' : 'embedded'} database…`);
    const result = await generate(session, { ...options, onProgress: (m) => console.log(m) });
    const tables = Object.entries(result.rows)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
      .join(', ');
    console.log(`Done in ${result.seconds.total.toFixed(1)} s (rows ${result.seconds.load.toFixed(1)} s, eligibility ${result.seconds.eligibility.toFixed(1)} s, statistics ${result.seconds.analyze.toFixed(1)} s).\nRows: ${tables}.`);
    const slowest = Object.entries(result.writing)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([t, sec]) => `${t} ${sec.toFixed(1)} s`)
      .join(', ');
    console.log(`Slowest tables to write: ${slowest}.`);
    printDemoCredentials({ users: result.users, password: result.password, passwordGenerated: result.passwordGenerated, asOf: result.asOf, persons: result.people, facilities: result.rows.facilities ?? 0 }, null);
  } finally {
    await session?.close();
    lock?.release();
  }
}
