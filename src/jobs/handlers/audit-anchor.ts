import { z } from 'zod';
import { anchorAuditChains } from '../../audit/anchor.ts';
import type { Db } from '../../db/database.ts';

/**
 * Ties the audit chains together every few minutes.
 * Idempotent: the anchor is written under a transaction-level advisory lock and only when the
 * chains' heads differ from the last anchor's, so a second delivery (after the first, or at the
 * same time on another instance: it waits for the lock, then reads the first one's anchor) writes
 * nothing. A delivery after new events anchors the new state, which is the job's purpose, not a repeat.
 */
export const anchorAuditJob = {
  payload: z.strictObject({}),
  everySeconds: 300,
  async handle(db: Db): Promise<void> {
    await db.transaction().execute((tx) => anchorAuditChains(tx));
  },
};
