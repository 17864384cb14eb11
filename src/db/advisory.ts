import { sql } from 'kysely';
import type { Db } from './database.ts';
import { isEmbedded } from './pglite-dialect.ts';

/**
 * PostgreSQL advisory-lock keys, one per thing that must happen in one place at a time across
 * every server instance on a database. Two 32-bit numbers: the first says "Homeward", the second what.
 * (The audit anchor's transaction-level lock, 7305550001, is the same idea in one bigint: anchor.ts.)
 */
const HOMEWARD = 730_555;
export const LOCKS = {
  /** The first start of an empty database: the first administrator, or the demo. */
  bootstrap: 1,
  /** The matching sweep: one at a time, so a sweep that read older data never commits after a newer one. */
  matchingSweep: 2,
} as const;
export type LockName = keyof typeof LOCKS;

/**
 * Runs `fn` holding a session-level advisory lock on a connection of its own: no other process (or
 * caller in this one) holds the same lock meanwhile, whatever connections `fn` itself uses. Waits for
 * the lock. A process that dies holding it drops its connection, and PostgreSQL releases the lock.
 * On PGlite (isEmbedded) no lock is taken: its process is the only one on the data directory (the
 * lock file of src/db/lock.ts), so there is nobody to exclude; and PGlite has one connection, which
 * a lock would hold while `fn` waits for that same connection.
 */
export async function withExclusiveLock<T>(db: Db, name: LockName, fn: () => Promise<T>): Promise<T> {
  if (isEmbedded(db)) return fn();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${HOMEWARD}::int, ${LOCKS[name]}::int)`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${HOMEWARD}::int, ${LOCKS[name]}::int)`.execute(conn);
    }
  });
}

/**
 * The same without waiting: runs `fn` and returns its result if the lock is free, or returns
 * `busy` at once if another holder has it.
 */
export async function ifExclusiveLockFree<T>(db: Db, name: LockName, fn: () => Promise<T>): Promise<{ busy: false; value: T } | { busy: true }> {
  if (isEmbedded(db)) return { busy: false, value: await fn() };
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${HOMEWARD}::int, ${LOCKS[name]}::int) as locked`.execute(conn);
    if (!rows[0]?.locked) return { busy: true as const };
    try {
      return { busy: false as const, value: await fn() };
    } finally {
      await sql`select pg_advisory_unlock(${HOMEWARD}::int, ${LOCKS[name]}::int)`.execute(conn);
    }
  });
}
