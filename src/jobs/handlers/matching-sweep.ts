import { z } from 'zod';
import { sweepCandidates } from '../../commands/candidateFinder.ts';
import type { Db } from '../../db/database.ts';
import type { JobDefinition } from '../registry.ts';

const Payload = z.strictObject({});

/** Runs the matching engine over the registry and open tracing requests; idempotent. */
export const matchingSweepJob: JobDefinition<typeof Payload> = {
  payload: Payload,
  // A safety net for changes that queue no sweep of their own (a family link changes a mother's name, say).
  everySeconds: 3600,
  async handle(db: Db): Promise<void> {
    await sweepCandidates(db);
  },
};
