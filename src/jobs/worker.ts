import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { enqueueJob } from './queue.ts';
import { JOB_KINDS, isJobKind, jobDefinition } from './registry.ts';

export interface WorkerOptions {
  readonly pollMs?: number;
  /** How long a claimed job is ours; past it, another worker may run it again. */
  readonly leaseSeconds?: number;
}

/**
 * Runs queued jobs. Claims one at a time with FOR UPDATE SKIP LOCKED, so
 * several server instances share the queue; a claim is a lease, so a job whose
 * worker died is picked up again when the lease ends (at-least-once).
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

  private async enqueuePeriodic(now = new Date()): Promise<void> {
    for (const kind of JOB_KINDS) {
      const every = jobDefinition(kind).everySeconds;
      if (!every) continue;
      const slot = Math.floor(now.getTime() / 1000 / every);
      await enqueueJob(this.db, kind, {}, { dedupeKey: `${kind}@${slot}` });
    }
  }

  /** Claims and runs one due job; false when none is due. */
  async runOne(): Promise<boolean> {
    const lease = this.options.leaseSeconds ?? 300;
    const job = await this.db.transaction().execute(async (tx) => {
      const next = await tx
        .selectFrom('jobs')
        .select(['id', 'kind', 'payload', 'attempts', 'max_attempts'])
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('run_at', '<=', new Date())
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())]))
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

    try {
      if (!isJobKind(job.kind)) throw new Error(`unknown job kind ${job.kind}`);
      const definition = jobDefinition(job.kind);
      const payload = definition.payload.parse(job.payload);
      await (definition.handle as (db: Db, payload: unknown) => Promise<void>)(this.db, payload);
      await this.db.updateTable('jobs').set({ done_at: new Date(), locked_until: null }).where('id', '=', job.id).execute();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = job.attempts >= job.max_attempts;
      const backoffSeconds = Math.min(3600, 2 ** job.attempts * 5);
      this.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job failed');
      await this.db
        .updateTable('jobs')
        .set({
          last_error: message.slice(0, 2000),
          locked_until: null,
          failed_at: giveUp ? new Date() : null,
          run_at: new Date(Date.now() + backoffSeconds * 1000),
        })
        .where('id', '=', job.id)
        .execute();
    }
    return true;
  }
}
