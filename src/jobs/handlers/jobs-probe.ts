import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../audit/trail.ts';
import type { Db } from '../../db/database.ts';
import type { JobDefinition } from '../registry.ts';

const Payload = z.strictObject({ probe: z.string().min(1).max(200) });

/**
 * A probe of the job queue: proves that some instance's worker runs jobs, by leaving one audit
 * event `jobs.probe_ran` whose entity is the probe's name. The multi-instance test counts them;
 * an operator can queue one (`insert into jobs (kind, payload) values ('jobs.probe', '{"probe":"…"}')`)
 * and look for it in the audit trail.
 *
 * Idempotent, and safe against two deliveries at once: under a transaction-level advisory lock
 * on the probe's name, the event is written only if it is not there yet. The lock makes a second
 * delivery wait for the first to commit; its check, a later statement, then sees the event.
 */
export const probeJob: JobDefinition<typeof Payload> = {
  payload: Payload,
  async handle(db: Db, payload: { probe: string }): Promise<void> {
    await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext('jobs.probe'), hashtext(${payload.probe}))`.execute(tx);
      const done = await tx
        .selectFrom('audit_events')
        .select('id')
        .where('entity_type', '=', 'job_probe')
        .where('entity_id', '=', payload.probe)
        .where('action', '=', 'jobs.probe_ran')
        .limit(1)
        .executeTakeFirst();
      if (done) return;
      await recordAudit(tx, { action: 'jobs.probe_ran', entityType: 'job_probe', entityId: payload.probe, actor: { system: 'jobs' } });
    });
  },
};
