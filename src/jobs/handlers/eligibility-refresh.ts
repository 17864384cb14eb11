import { z } from 'zod';
import { refreshCaseEligibility } from '../../commands/caseEligibility.ts';
import type { Db } from '../../db/database.ts';
import { today } from '../../registry/as-of.ts';

const BATCH = 200;

/**
 * Re-computes the stored verdicts of every open case on today's date. A change to a fact
 * re-computes at once (in its own transaction); this catches what changes with time alone:
 * a clearance expires, a child turns 18, a sentence is served, an agreement comes into force.
 * Idempotent: the verdicts depend only on the facts and the date.
 */
export const refreshEligibilityJob = {
  payload: z.strictObject({}),
  everySeconds: 3600,
  async handle(db: Db): Promise<void> {
    const asOf = today();
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await db
        .selectFrom('cases')
        .select('id')
        .where('state', 'not in', ['closed', 'rejected', 'withdrawn'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) return;
      await db.transaction().execute((tx) =>
        refreshCaseEligibility(
          tx,
          rows.map((r) => r.id),
          asOf,
        ),
      );
      after = rows[rows.length - 1]?.id ?? after;
    }
  },
};
