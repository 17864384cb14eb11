import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { type JobKind, type JobPayload, jobDefinition } from './registry.ts';

export interface EnqueueOptions {
  /**
   * At most one job with this key ever exists (a unique column): enqueueing it again does
   * nothing, from any instance. Periodic jobs use `kind@slot`, sweeps their ten-second bucket.
   */
  readonly dedupeKey?: string;
  readonly runAt?: Date;
}

/**
 * Queues background work. Call it with the transaction that makes the change
 * the job follows from: both commit or neither does, so no work is lost
 * between a commit and an enqueue.
 */
export async function enqueueJob<K extends JobKind>(
  tx: Executor,
  kind: K,
  payload: JobPayload<K>,
  options: EnqueueOptions = {},
): Promise<void> {
  const parsed = jobDefinition(kind).payload.parse(payload);
  await tx
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(parsed),
      dedupe_key: options.dedupeKey ?? null,
      // Due now by the database's clock, the one the workers compare with (not this machine's).
      run_at: options.runAt ?? sql<Date>`now()`,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
