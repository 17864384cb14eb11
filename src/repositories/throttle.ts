import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

/**
 * Counts one more hit against `key` in a sliding-reset window and returns the
 * count and any lock. One atomic upsert, so concurrent requests (and several
 * server instances) count correctly.
 */
export async function countHit(db: Executor, key: string, windowMinutes: number): Promise<{ hits: number; lockedUntil: Date | null }> {
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_started_at: sql`now()` })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when login_throttle.window_started_at < now() - make_interval(mins => ${windowMinutes})
                      then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql`case when login_throttle.window_started_at < now() - make_interval(mins => ${windowMinutes})
                      then now() else login_throttle.window_started_at end`,
      }),
    )
    .returning(['failures', 'locked_until'])
    .executeTakeFirstOrThrow();
  return { hits: row.failures, lockedUntil: row.locked_until };
}

export async function lockKey(db: Executor, key: string, minutes: number): Promise<Date> {
  const row = await db
    .updateTable('login_throttle')
    .set({ locked_until: sql`now() + make_interval(mins => ${minutes})`, failures: 0 })
    .where('key', '=', key)
    .returning('locked_until')
    .executeTakeFirstOrThrow();
  return row.locked_until as Date;
}

export async function lockedUntil(db: Executor, key: string): Promise<Date | null> {
  const row = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('key', '=', key)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function clearKey(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
