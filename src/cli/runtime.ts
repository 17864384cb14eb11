import { type Config, loadConfig } from '../config/env.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { acquireDataDirLock, type DataDirLock } from '../db/lock.ts';
import { migrateToLatest } from '../db/migrator.ts';

export interface Runtime {
  readonly config: Config;
  readonly database: Database;
  close(): Promise<void>;
}

/**
 * Opens the configured database for one command: takes the embedded
 * database's lock first (refusing clearly if a server holds it), then brings
 * the schema up to date.
 */
export async function openRuntime(command: string): Promise<Runtime> {
  const config = loadConfig();
  let lock: DataDirLock | null = null;
  if (config.database.kind === 'pglite') lock = acquireDataDirLock(config.dataDir, command);
  try {
    const database = await openDatabase(config);
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      await database.close();
      throw error;
    }
    return {
      config,
      database,
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
export async function withRuntime<T>(command: string, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(command);
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
