import { z } from 'zod';
import { anonymiseExpired } from '../../commands/anonymiser.ts';
import { loadConfig } from '../../config/env.ts';
import type { Db } from '../../db/database.ts';
import { today } from '../../registry/as-of.ts';

/**
 * Anonymises, once a day, the cases that ended more than HOMEWARD_RETENTION_DAYS ago and their members
 * (decision 0025), a batch of cases per transaction.
 * Idempotent: a case or person anonymised carries `anonymised_at` and is never chosen again, and each
 * batch locks its cases and people and checks them again under the lock; a second delivery (after the
 * first, or at the same time on another instance: it waits for the locks, then finds them done) changes
 * nothing. A delivery that dies half-way leaves whole batches done and the rest for the next one.
 */
export const anonymiseJob = {
  payload: z.strictObject({}),
  everySeconds: 24 * 3600,
  async handle(db: Db): Promise<void> {
    await anonymiseExpired(db, { asOf: today(), retentionDays: loadConfig().retentionDays });
  },
};
