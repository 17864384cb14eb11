import { randomUUID } from 'node:crypto';
import { type ExpressionBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { JobDeferred } from './deferred.ts';
import { enqueueJob } from './queue.ts';
import { JOB_KINDS, isJobKind, jobDefinition } from './registry.ts';

export interface WorkerOptions {
  readonly pollMs?: number;
  /**
   * How long a claimed job is ours without a sign of life; past it, another worker may run it
   * again. While the handler runs the lease is renewed every third of it, so only a worker that
   * died (or lost the database) lets a job go.
   */
  readonly leaseSeconds?: number;
}

export const DEFAULT_LEASE_SECONDS = 300;

/**
 * Runs queued jobs. Claims one at a time with FOR UPDATE SKIP LOCKED, so
 * several server instances share the queue; a claim is a lease, so a job whose
 * worker died is picked up again when the lease ends (at-least-once).
 * Every time is the database's clock (`now()`), never this machine's: instances
 * whose clocks differ still agree on what is due, whose lease has ended and
 * which periodic slot it is.
 */
export class JobWorker {
  readonly id = `worker-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: WorkerOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Finishes the job in hand, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error) => this.log.error({ err: error }, 'job worker tick failed'))
        .finally(() => {
          this.running = null;
          this.schedule(this.options.pollMs ?? 1000);
        });
    }, delay);
  }

  /** Enqueues due periodic jobs, then drains the queue. Returns the number of jobs run. */
  async tick(): Promise<number> {
    await this.enqueuePeriodic();
    let ran = 0;
    while (!this.stopped && (await this.runOne())) ran++;
    return ran;
  }

  /**
   * Each periodic kind once per slot of its period, whichever instance gets there first: the
   * dedupe key (`kind@slot`, unique in the table) makes the others' inserts do nothing.
   */
  private async enqueuePeriodic(): Promise<void> {
    const { rows } = await sql<{ epoch: number }>`select extract(epoch from now())::float8 as epoch`.execute(this.db);
    const epoch = Number(rows[0]?.epoch);
    for (const kind of JOB_KINDS) {
      const every = jobDefinition(kind).everySeconds;
      if (!every) continue;
      const slot = Math.floor(epoch / every);
      await enqueueJob(this.db, kind, {}, { dedupeKey: `${kind}@${slot}` });
    }
  }

  /** Claims and runs one due job; false when none is due. */
  async runOne(): Promise<boolean> {
    const lease = this.options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    const job = await this.db.transaction().execute(async (tx) => {
      const next = await tx
        .selectFrom('jobs')
        .select(['id', 'kind', 'payload', 'attempts', 'max_attempts'])
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('run_at', '<=', sql<Date>`now()`)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
        .orderBy('run_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!next) return null;
      await tx
        .updateTable('jobs')
        .set({
          attempts: next.attempts + 1,
          locked_by: this.id,
          locked_until: sql<Date>`now() + make_interval(secs => ${lease})`,
        })
        .where('id', '=', next.id)
        .execute();
      return { ...next, attempts: next.attempts + 1 };
    });
    if (!job) return false;

    const heartbeat = this.keepLease(job.id, lease);
    let outcome: { error: null } | { error: string } | { deferSeconds: number };
    try {
      if (!isJobKind(job.kind)) throw new Error(`unknown job kind ${job.kind}`);
      const definition = jobDefinition(job.kind);
      const payload = definition.payload.parse(job.payload);
      await (definition.handle as (db: Db, payload: unknown) => Promise<void>)(this.db, payload);
      outcome = { error: null };
    } catch (error) {
      outcome = error instanceof JobDeferred ? { deferSeconds: error.seconds } : { error: error instanceof Error ? error.message : String(error) };
    } finally {
      await heartbeat.stop();
    }

    // Only while the job is still ours: a worker that lost its lease (it could not reach the
    // database for longer than the lease) must not overwrite what the worker that took it over records.
    const ours = (eb: ExpressionBuilder<DB, 'jobs'>) => eb.and([eb('id', '=', job.id), eb('locked_by', '=', this.id), eb('done_at', 'is', null)]);
    let recorded: bigint;
    if ('deferSeconds' in outcome) {
      // Not an attempt: the job goes back as it was, due again shortly.
      recorded = (
        await this.db
          .updateTable('jobs')
          .set({ attempts: job.attempts - 1, locked_until: null, run_at: sql<Date>`now() + make_interval(secs => ${outcome.deferSeconds})` })
          .where(ours)
          .executeTakeFirst()
      ).numUpdatedRows;
    } else if (outcome.error === null) {
      recorded = (await this.db.updateTable('jobs').set({ done_at: sql<Date>`now()`, locked_until: null }).where(ours).executeTakeFirst()).numUpdatedRows;
    } else {
      const giveUp = job.attempts >= job.max_attempts;
      const backoffSeconds = Math.min(3600, 2 ** job.attempts * 5);
      this.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: outcome.error }, 'job failed');
      recorded = (
        await this.db
          .updateTable('jobs')
          .set({
            last_error: outcome.error.slice(0, 2000),
            locked_until: null,
            failed_at: giveUp ? sql<Date>`now()` : null,
            run_at: sql<Date>`now() + make_interval(secs => ${backoffSeconds})`,
          })
          .where(ours)
          .executeTakeFirst()
      ).numUpdatedRows;
    }
    if (recorded === 0n) this.log.warn({ jobId: job.id, kind: job.kind }, 'job lease lost while it ran: another worker has it (handlers are idempotent)');
    return true;
  }

  /** Renews the lease of the job in hand every third of the lease, until stopped. */
  private keepLease(jobId: number, leaseSeconds: number): { stop(): Promise<void> } {
    let inFlight: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        inFlight = inFlight.then(async () => {
          try {
            const renewed = await this.db
              .updateTable('jobs')
              .set({ locked_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
              .where('id', '=', jobId)
              .where('locked_by', '=', this.id)
              .where('done_at', 'is', null)
              .executeTakeFirst();
            if (renewed.numUpdatedRows === 0n) this.log.warn({ jobId }, 'job lease lost while it ran');
          } catch (error) {
            this.log.warn({ jobId, err: error instanceof Error ? error.message : String(error) }, 'could not renew a job lease');
          }
        });
      },
      Math.max(200, (leaseSeconds * 1000) / 3),
    );
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
        // A renewal in flight lands before the outcome is written, never after it.
        await inFlight;
      },
    };
  }
}
