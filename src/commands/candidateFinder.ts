import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import { ifExclusiveLockFree, withExclusiveLock } from '../db/advisory.ts';
import type { Db, Executor } from '../db/database.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { recordedRelatives, registryRecords, tracingRecords } from '../repositories/match-records.ts';
import type { Proposal } from './candidateProposals.ts';
import { proposeInThread } from './candidateThread.ts';

export { PROPOSAL_THRESHOLD } from './candidateProposals.ts';
const SWEEP_BUCKET_MS = 10_000;

export interface SweepReport {
  readonly records: number;
  readonly pairs: number;
  readonly duplicates: number;
  readonly tracing: number;
}

/**
 * Runs the matching engine over the whole registry and the open tracing requests
 * together (so that its model is learned from the whole population), and keeps
 * the review queue in step: new pairs are proposed, undecided ones get the new
 * probability and explanation, and undecided pairs the engine no longer finds
 * are withdrawn. Decided pairs are never touched: a rejected pair is never
 * proposed again. Idempotent: a second run with no change in between changes nothing.
 *
 * One sweep at a time, across every instance on the database (an advisory lock held from the
 * first read to the commit): otherwise a sweep that read the registry before a registration
 * could commit after one that read it later and withdraw the newer one's proposals.
 */
export async function sweepCandidates(db: Db): Promise<SweepReport> {
  return withExclusiveLock(db, 'matchingSweep', () => sweep(db));
}

/** The same, unless a sweep is running already (on any instance): then null at once, nothing done. */
export async function sweepCandidatesUnlessBusy(db: Db): Promise<SweepReport | null> {
  const result = await ifExclusiveLockFree(db, 'matchingSweep', () => sweep(db));
  return result.busy ? null : result.value;
}

async function sweep(db: Db): Promise<SweepReport> {
  const subjects = [...(await registryRecords(db)), ...(await tracingRecords(db))];
  const relatives = await recordedRelatives(db);
  // The engine works in a worker thread; the database stays here.
  const { pairs, proposals } = await proposeInThread(subjects, relatives);
  await db.transaction().execute(async (tx) => {
    // The database's clock, not this machine's: sweeps run one after another, possibly on
    // instances whose clocks differ, and each must stamp later than the one before it.
    const sweptAt = (await sql<{ now: Date }>`select now() as now`.execute(tx)).rows[0]!.now;
    for (let i = 0; i < proposals.length; i += 500) await upsert(tx, proposals.slice(i, i + 500), sweptAt);
    // Undecided pairs this run did not find again (not stamped by it) are withdrawn.
    await tx.deleteFrom('match_candidates').where('status', '=', 'proposed').where('updated_at', '<', sweptAt).execute();
    await recordAudit(tx, {
      action: 'matching.swept',
      entityType: 'match_candidates',
      entityId: null,
      actor: { system: 'matching' },
      context: { records: subjects.length, pairs, proposals: proposals.length },
    });
  });
  return { records: subjects.length, pairs, duplicates: proposals.filter((p) => p.kind === 'duplicate').length, tracing: proposals.filter((p) => p.kind === 'tracing').length };
}

async function upsert(tx: Executor, proposals: readonly Proposal[], sweptAt: Date): Promise<void> {
  for (const kind of ['duplicate', 'tracing'] as const) {
    const rows = proposals.filter((p) => p.kind === kind);
    if (rows.length === 0) continue;
    await tx
      .insertInto('match_candidates')
      .values(
        rows.map((p) => ({
          kind,
          person_id: p.personId,
          other_person_id: p.otherPersonId,
          tracing_request_id: p.tracingRequestId,
          probability: p.probability,
          explanation: JSON.stringify(p.explanation),
          updated_at: sweptAt,
        })),
      )
      .onConflict((oc) =>
        (kind === 'duplicate' ? oc.columns(['person_id', 'other_person_id']).where('kind', '=', 'duplicate') : oc.columns(['tracing_request_id', 'person_id']).where('kind', '=', 'tracing'))
          .doUpdateSet((eb) => ({ probability: eb.ref('excluded.probability'), explanation: eb.ref('excluded.explanation'), updated_at: eb.ref('excluded.updated_at') }))
          .where('match_candidates.status', '=', 'proposed'),
      )
      .execute();
  }
}

/**
 * Queues a sweep after a change that can make or unmake a match (a registration,
 * an edit of names or birth date, a tracing request), in the change's transaction.
 * Changes within the same ten seconds share one sweep, run when those seconds are over.
 */
export async function scheduleSweep(tx: Executor, now = Date.now()): Promise<void> {
  const runAt = new Date(Math.ceil((now + 1) / SWEEP_BUCKET_MS) * SWEEP_BUCKET_MS);
  await enqueueJob(tx, 'matching.sweep', {}, { dedupeKey: `matching.sweep:${runAt.toISOString()}`, runAt });
}
