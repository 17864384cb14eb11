import { sql } from 'kysely';
import { z } from 'zod';
import { refreshCaseEligibility } from '../../commands/caseEligibility.ts';
import type { Db } from '../../db/database.ts';
import { today } from '../../registry/as-of.ts';

const BATCH = 200;

/**
 * Re-computes the stored verdicts of the open cases on today's date, those not computed for today
 * already. A change to a fact re-computes at once (in its own transaction); this catches what
 * changes with time alone:
 * a clearance expires, a child turns 18, a sentence is served, an agreement comes into force.
 * Idempotent: it overwrites each stored verdict with a pure function of the facts and the date, so a
 * second delivery writes the same values. Each batch locks its cases (refreshCaseEligibility), so a
 * refresh never stores a verdict computed from facts older than a concurrent change's.
 */
export const refreshEligibilityJob = {
  payload: z.strictObject({}),
  everySeconds: 3600,
  async handle(db: Db): Promise<void> {
    const asOf = today();
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      // Only the cases with a member whose verdict was computed for another day (or never): a verdict
      // computed today, by a change to its facts or an earlier run, is today's (migration 0016).
      const rows = await db
        .selectFrom('cases')
        .select('id')
        .where('state', 'not in', ['closed', 'rejected', 'withdrawn'])
        .where('id', '>', after)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('case_members as cm')
              .select(sql.lit(1).as('one'))
              .whereRef('cm.case_id', '=', 'cases.id')
              .where('cm.left_at', 'is', null)
              .where((w) => w.or([w('cm.evaluated_for', 'is', null), w('cm.evaluated_for', '<>', asOf)])),
          ),
        )
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) return;
      // A case a request holds is left to the end of the batch and done alone: the job then waits
      // for it holding no other case, so it can never be half of a deadlock with that request.
      const busy = await db.transaction().execute((tx) =>
        refreshCaseEligibility(
          tx,
          rows.map((r) => r.id),
          asOf,
          { skipLocked: true },
        ),
      );
      for (const id of busy) await db.transaction().execute((tx) => refreshCaseEligibility(tx, [id], asOf));
      after = rows[rows.length - 1]?.id ?? after;
    }
  },
};
