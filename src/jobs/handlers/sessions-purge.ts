import { z } from 'zod';
import type { Db } from '../../db/database.ts';

/**
 * Deletes sessions that ended more than a day ago.
 * Idempotent: a delete by a cut-off; a second delivery finds nothing left to delete.
 */
export const purgeSessionsJob = {
  payload: z.strictObject({}),
  everySeconds: 3600,
  async handle(db: Db): Promise<void> {
    const cutoff = new Date(Date.now() - 24 * 3600 * 1000);
    await db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
      .execute();
  },
};
