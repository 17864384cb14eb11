import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { anchorAuditJob } from './handlers/audit-anchor.ts';
import { compactFiguresJob } from './handlers/figures-compact.ts';
import { refreshEligibilityJob } from './handlers/eligibility-refresh.ts';
import { probeJob } from './handlers/jobs-probe.ts';
import { matchingSweepJob } from './handlers/matching-sweep.ts';
import { anonymiseJob } from './handlers/retention-anonymise.ts';
import { purgeSessionsJob } from './handlers/sessions-purge.ts';

/**
 * A kind of background work: its payload schema and its handler. Delivery is
 * at least once (a worker that dies mid-job leaves it to be run again, a worker
 * that dies after the work but before marking it done too), so every handler
 * must be idempotent: running it twice, one after the other or at the same time
 * on two instances, has the effect of once. Each handler's comment says why it
 * is; docs/scaling.md lists them.
 */
export interface JobDefinition<P extends z.ZodType> {
  readonly payload: P;
  readonly handle: (db: Db, payload: z.infer<P>) => Promise<void>;
  /** Run on a schedule, every this many seconds, by whichever instance gets there first. */
  readonly everySeconds?: number;
}

export function defineJob<P extends z.ZodType>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

const JOBS = {
  'audit.anchor': anchorAuditJob,
  'sessions.purge': purgeSessionsJob,
  'matching.sweep': matchingSweepJob,
  'eligibility.refresh': refreshEligibilityJob,
  'jobs.probe': probeJob,
  'figures.compact': compactFiguresJob,
  'retention.anonymise': anonymiseJob,
} as const;

export type JobKind = keyof typeof JOBS;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOBS)[K]['payload']>;
export const JOB_KINDS = Object.keys(JOBS) as JobKind[];

export function jobDefinition<K extends JobKind>(kind: K): (typeof JOBS)[K] {
  return JOBS[kind];
}

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(JOBS, kind);
}

export const EmptyPayload = z.strictObject({});
