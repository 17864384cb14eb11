import { z } from 'zod';
import { anchorAuditChains } from '../../audit/anchor.ts';
import type { Db } from '../../db/database.ts';

/** Ties the audit chains together every few minutes (idempotent: an unchanged state writes nothing). */
export const anchorAuditJob = {
  payload: z.strictObject({}),
  everySeconds: 300,
  async handle(db: Db): Promise<void> {
    await db.transaction().execute((tx) => anchorAuditChains(tx));
  },
};
