import type { Executor } from '../db/database.ts';
import { type JobKind, type JobPayload, jobDefinition } from './registry.ts';

export interface EnqueueOptions {
  /** At most one job with this key ever exists: enqueueing it again does nothing. */
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
      run_at: options.runAt ?? new Date(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
