import { z } from 'zod';
import { sweepCandidatesUnlessBusy } from '../../commands/candidateFinder.ts';
import type { Db } from '../../db/database.ts';
import { JobDeferred } from '../deferred.ts';
import type { JobDefinition } from '../registry.ts';

const Payload = z.strictObject({});

/**
 * Runs the matching engine over the registry and open tracing requests.
 * Idempotent: the review queue is brought to what the engine finds in the registry as it is
 * (upserts by pair, decided pairs never touched, undecided pairs no longer found withdrawn), so a
 * second delivery leaves it as the first did; it records one more `matching.swept` audit event,
 * which says a sweep ran, not that anything changed. Sweeps run one at a time across instances
 * (an advisory lock in sweepCandidates): a delivery that finds one running is put back and runs
 * after it, so two deliveries at once run one after the other.
 */
export const matchingSweepJob: JobDefinition<typeof Payload> = {
  payload: Payload,
  // A safety net for changes that queue no sweep of their own (a family link changes a mother's name, say).
  everySeconds: 3600,
  async handle(db: Db): Promise<void> {
    // A sweep running elsewhere may have read the registry before the change that queued this one:
    // this one still runs, after it. Put back rather than waited for, so this worker goes on meanwhile.
    if ((await sweepCandidatesUnlessBusy(db)) === null) throw new JobDeferred(5, 'a matching sweep is running on another instance');
  },
};
