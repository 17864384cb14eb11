import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';

/**
 * Folds the counts that writers appended to the figures' count tables (migration 0015) into one row
 * per key, so the dashboard sums a few thousand rows however many writes came since.
 * Idempotent: folding keeps every key's sum; a row is deleted by one fold only (a second fold at the
 * same time waits for the first's row locks and then finds those rows gone), so running it twice,
 * in turn or at once, leaves the same sums.
 */
export const compactFiguresJob = {
  payload: z.strictObject({}),
  everySeconds: 60,
  async handle(db: Db): Promise<void> {
    await sql`select figure_counts_compact()`.execute(db);
  },
};
