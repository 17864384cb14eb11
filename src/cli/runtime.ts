import { type Config, loadConfig } from '../config/env.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { acquireDataDirLock, type DataDirLock } from '../db/lock.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { finishInterruptedRestore } from '../db/restore-swap.ts';
import { type FieldKeysStatus, prepareFieldKeys } from '../repositories/sealed-fields.ts';
import { CliError } from './errors.ts';

export interface Runtime {
  readonly config: Config;
  readonly database: Database;
  /** The keys of the sealed fields, checked against the database (decision 0024). */
  readonly fieldKeys: FieldKeysStatus;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /**
   * `require`: the command reads or writes sealed fields — refused when the database holds values
   * sealed with a key that is not configured; the key file is made when no key is set and nothing is
   * sealed yet. `check` (default): the keys are checked and set up when they fit, never refused.
   */
  readonly sealedFields?: 'require' | 'check';
}

/**
 * Opens the configured database for one command: takes the embedded
 * database's lock first (refusing clearly if a server holds it), then brings
 * the schema up to date.
 */
export async function openRuntime(command: string, options: RuntimeOptions = {}): Promise<Runtime> {
  const config = loadConfig();
  let lock: DataDirLock | null = null;
  if (config.database.kind === 'pglite') lock = acquireDataDirLock(config.dataDir, command);
  try {
    // A restore killed while it swapped the embedded database's directories is finished (or undone) first.
    if (config.database.kind === 'pglite') finishInterruptedRestore(config.dataDir);
    const database = await openDatabase(config);
    let fieldKeys: FieldKeysStatus;
    try {
      await migrateToLatest(database.db);
      const require = options.sealedFields === 'require';
      fieldKeys = await prepareFieldKeys(database.db, config, { create: require });
      if (require && fieldKeys.problem) throw new CliError(`${command}: ${fieldKeys.problem}`);
      if (require && fieldKeys.keyring?.source === 'key-file') {
        console.log(
          `Sensitive fields are sealed with the key file ${fieldKeys.keyring.file} (key ${fieldKeys.keyring.current.id}): fine for a demo, no protection for a stolen disk. Set HOMEWARD_ENCRYPTION_KEY for real data (decision 0024).`,
        );
      }
      if (fieldKeys.sealedNow > 0) console.log(`Sealed ${fieldKeys.sealedNow} sensitive values written before encryption at rest (key ${fieldKeys.keyring?.current.id}).`);
    } catch (error) {
      await database.close();
      throw error;
    }
    return {
      config,
      database,
      fieldKeys,
      async close() {
        await database.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Runs `fn` with an open runtime and always closes it. */
export async function withRuntime<T>(command: string, fn: (runtime: Runtime) => Promise<T>, options: RuntimeOptions = {}): Promise<T> {
  const runtime = await openRuntime(command, options);
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** Reads all of standard input (for passwords given to `user add`). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
