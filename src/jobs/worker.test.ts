import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { recordAudit } from '../audit/trail.ts';
import { verifyAuditTrail } from '../audit/verify.ts';
import { type Database, databaseFromUrl, type Db } from '../db/database.ts';
import { stopMatchingThread } from '../commands/candidateThread.ts';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../testing/database.ts';
import { enqueueJob } from './queue.ts';
import { JOB_KINDS, jobDefinition } from './registry.ts';
import { JobWorker } from './worker.ts';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = await createTestDatabase();
  db = database.db;
});
after(async () => {
  await database.destroy();
});
afterEach(async () => {
  // Each test leaves nothing due behind, so the next one's worker runs only its own jobs.
  const due = await db.selectFrom('jobs').select(['id', 'kind']).where('done_at', 'is', null).where('failed_at', 'is', null).where('run_at', '<=', new Date()).execute();
  assert.deepEqual(due, [], 'jobs left due');
});

const silent = pino({ level: 'silent' });
const worker = (on: Db = db, options = {}) => new JobWorker(on, silent, options);
const job = (id: number) => db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const jobByKey = (key: string) => db.selectFrom('jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirstOrThrow();
const anchorCount = async () => Number((await db.selectFrom('audit_anchors').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const audit = (action: string) => db.transaction().execute((tx) => recordAudit(tx, { action, entityType: 'test', actor: { system: 'test' } }));

/** Inserts a job row directly (as another process might have left it). */
async function insertJob(values: Record<string, unknown>): Promise<number> {
  const row = await db
    .insertInto('jobs')
    .values({ kind: 'sessions.purge', payload: JSON.stringify({}), ...values } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Makes the job due now, as if its back-off had passed. */
const makeDue = (id: number) => sql`update jobs set run_at = now() - interval '1 second' where id = ${id}`.execute(db);

describe('enqueueJob', () => {
  test('a job enqueued in a transaction that rolls back is not queued', async () => {
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await enqueueJob(tx, 'audit.anchor', {}, { dedupeKey: 'rolled-back', runAt: new Date(Date.now() + 3600_000) });
        assert.ok(await tx.selectFrom('jobs').select('id').where('dedupe_key', '=', 'rolled-back').executeTakeFirst(), 'visible inside');
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal(await db.selectFrom('jobs').select('id').where('dedupe_key', '=', 'rolled-back').executeTakeFirst(), undefined);
  });

  test('a job enqueued in a transaction that commits is queued once', async () => {
    const runAt = new Date(Date.now() + 3600_000);
    await db.transaction().execute((tx) => enqueueJob(tx, 'audit.anchor', {}, { dedupeKey: 'committed', runAt }));
    const row = await jobByKey('committed');
    assert.equal(row.kind, 'audit.anchor');
    assert.deepEqual(row.payload, {});
    assert.equal(row.attempts, 0);
    assert.equal(row.run_at.getTime(), runAt.getTime());
    assert.equal(row.done_at, null);
  });

  test('a dedupe key enqueued twice yields one job', async () => {
    const runAt = new Date(Date.now() + 3600_000);
    await enqueueJob(db, 'sessions.purge', {}, { dedupeKey: 'twice', runAt });
    await db.transaction().execute(async (tx) => {
      await enqueueJob(tx, 'sessions.purge', {}, { dedupeKey: 'twice', runAt });
      await enqueueJob(tx, 'audit.anchor', {}, { dedupeKey: 'twice', runAt });
    });
    const rows = await db.selectFrom('jobs').selectAll().where('dedupe_key', '=', 'twice').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.kind, 'sessions.purge');
  });

  test('a payload that does not match its schema is refused', async () => {
    await assert.rejects(enqueueJob(db, 'audit.anchor', { extra: 1 } as never, { dedupeKey: 'bad-payload' }));
    assert.equal(await db.selectFrom('jobs').select('id').where('dedupe_key', '=', 'bad-payload').executeTakeFirst(), undefined);
  });
});

describe('JobWorker', () => {
  test('runs a due job and marks it done; leaves jobs that are not due', async () => {
    await audit('before.anchor');
    const anchors = await anchorCount();
    await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'due-now' });
    await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'due-later', runAt: new Date(Date.now() + 3600_000) });
    const w = worker();
    assert.equal(await w.runOne(), true);
    assert.equal(await w.runOne(), false, 'nothing else is due');
    const done = await jobByKey('due-now');
    assert.ok(done.done_at instanceof Date);
    assert.equal(done.attempts, 1);
    assert.equal(done.locked_by, w.id);
    assert.equal(done.locked_until, null);
    assert.equal(done.last_error, null);
    assert.equal(await anchorCount(), anchors + 1, 'the handler ran');
    const later = await jobByKey('due-later');
    assert.equal(later.done_at, null);
    assert.equal(later.attempts, 0);
  });

  test('a job whose handler throws is retried later with back-off, and fails after max_attempts', async () => {
    const id = await insertJob({ kind: 'no.such.kind', max_attempts: 3 });
    const w = worker();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const startedAt = Date.now();
      assert.equal(await w.runOne(), true, `attempt ${attempt} runs`);
      const row = await job(id);
      assert.equal(row.attempts, attempt);
      assert.equal(row.last_error, 'unknown job kind no.such.kind');
      assert.equal(row.done_at, null);
      assert.equal(row.locked_until, null);
      if (attempt < 3) {
        assert.equal(row.failed_at, null, 'not given up yet');
        const delay = row.run_at.getTime() - startedAt;
        const backoff = 2 ** attempt * 5000;
        assert.ok(delay >= backoff - 1000 && delay <= backoff + 5000, `attempt ${attempt}: retried in ${delay} ms, expected about ${backoff}`);
        assert.equal(await w.runOne(), false, 'not retried before its back-off ends');
        await makeDue(id);
      } else {
        assert.ok(row.failed_at instanceof Date, 'given up after max_attempts');
      }
    }
    await makeDue(id);
    assert.equal(await w.runOne(), false, 'a failed job is not run again');
    assert.equal((await job(id)).attempts, 3);
  });

  test('a real handler that throws (the database refuses its write) is retried, and succeeds once the fault is gone', async () => {
    await audit('before.refused.anchor');
    const anchors = await anchorCount();
    await sql`create function test_refuse_anchor() returns trigger language plpgsql as $$ begin raise exception 'anchors refused for the test'; end $$`.execute(db);
    await sql`create trigger test_refuse_anchor before insert on audit_anchors for each row execute function test_refuse_anchor()`.execute(db);
    try {
      await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'refused-anchor' });
      assert.equal(await worker().runOne(), true);
      const failed = await jobByKey('refused-anchor');
      assert.equal(failed.attempts, 1);
      assert.match(failed.last_error ?? '', /anchors refused for the test/);
      assert.equal(failed.done_at, null);
      assert.equal(failed.failed_at, null);
      assert.ok(failed.run_at.getTime() > Date.now());
    } finally {
      await sql`drop trigger test_refuse_anchor on audit_anchors`.execute(db);
      await sql`drop function test_refuse_anchor()`.execute(db);
    }
    await makeDue((await jobByKey('refused-anchor')).id);
    assert.equal(await worker().runOne(), true);
    const done = await jobByKey('refused-anchor');
    assert.ok(done.done_at instanceof Date);
    assert.equal(done.attempts, 2);
    assert.equal(await anchorCount(), anchors + 1);
  });

  test('a payload that no longer parses fails the job with the reason', async () => {
    const id = await insertJob({ kind: 'sessions.purge', payload: JSON.stringify({ unexpected: true }), max_attempts: 1 });
    assert.equal(await worker().runOne(), true);
    const row = await job(id);
    assert.ok(row.failed_at instanceof Date);
    assert.match(row.last_error ?? '', /unexpected|unrecognized/i);
  });

  test('at least once: a job whose worker died is run again by another worker when the lease ends', async () => {
    await audit('before.dead.worker');
    const anchors = await anchorCount();
    const dead = await insertJob({ kind: 'audit.anchor', attempts: 1, locked_by: 'worker-dead', locked_until: sql`now() - interval '1 minute'` });
    const leased = await insertJob({ kind: 'audit.anchor', attempts: 1, locked_by: 'worker-alive', locked_until: sql`now() + interval '1 hour'` });
    const w = worker();
    assert.equal(await w.runOne(), true);
    assert.equal(await w.runOne(), false, 'a job under a live lease is not taken');
    const rerun = await job(dead);
    assert.ok(rerun.done_at instanceof Date);
    assert.equal(rerun.attempts, 2);
    assert.equal(rerun.locked_by, w.id);
    assert.equal(await anchorCount(), anchors + 1);
    const untouched = await job(leased);
    assert.equal(untouched.done_at, null);
    assert.equal(untouched.locked_by, 'worker-alive');
    await db.updateTable('jobs').set({ done_at: new Date() }).where('id', '=', leased).execute();
  });

  test('tick enqueues each periodic job once per slot and runs it', async () => {
    const periodic = JOB_KINDS.filter((k) => jobDefinition(k).everySeconds);
    assert.deepEqual(periodic.sort(), ['audit.anchor', 'eligibility.refresh', 'figures.compact', 'matching.sweep', 'retention.anonymise', 'sessions.purge']);
    const slots = (at: number) => periodic.map((k) => `${k}@${Math.floor(at / 1000 / jobDefinition(k).everySeconds!)}`);
    const before = slots(Date.now());
    const w = worker();
    assert.ok((await w.tick()) >= 2);
    await w.tick();
    const keys = [...new Set([...before, ...slots(Date.now())])];
    const rows = await db.selectFrom('jobs').selectAll().where('dedupe_key', 'in', keys).execute();
    assert.equal(rows.length, keys.length, 'one job per kind and slot');
    for (const row of rows) assert.ok(row.done_at instanceof Date, `${row.dedupe_key} ran`);
  });

  test('start runs due jobs in the background; stop waits for the job in hand', async () => {
    await audit('before.start');
    await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'background' });
    const w = worker(db, { pollMs: 20 });
    w.start();
    try {
      for (let i = 0; i < 200 && !(await jobByKey('background')).done_at; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await w.stop();
    }
    assert.ok((await jobByKey('background')).done_at instanceof Date);
  });
});

describe('leases between instances', () => {
  const onlyPostgres = TEST_DB_KIND === 'postgres' ? false : 'PostgreSQL only: on PGlite a slow handler holds the one connection every other worker waits for';
  /** Makes the anchor job take about `seconds` (the trigger sleeps on insert), for the length of fn. */
  async function withSlowAnchors<T>(seconds: number, fn: () => Promise<T>): Promise<T> {
    await sql`create function test_slow_anchor() returns trigger language plpgsql as ${sql.lit(`begin perform pg_sleep(${seconds}); return new; end`)}`.execute(db);
    await sql`create trigger test_slow_anchor before insert on audit_anchors for each row execute function test_slow_anchor()`.execute(db);
    try {
      return await fn();
    } finally {
      await sql`drop trigger test_slow_anchor on audit_anchors`.execute(db);
      await sql`drop function test_slow_anchor()`.execute(db);
    }
  }

  test('a job that runs longer than its lease keeps it while its worker lives: no other worker runs it meanwhile', { skip: onlyPostgres }, async () => {
    const other = databaseFromUrl(database.url as string, 2);
    try {
      await audit('before.slow.anchor');
      const anchors = await anchorCount();
      await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'slow-anchor' });
      const slow = worker(db, { leaseSeconds: 1 });
      const second = worker(other.db, { leaseSeconds: 1 });
      await withSlowAnchors(2.5, async () => {
        const running = slow.runOne();
        const tries: boolean[] = [];
        const until = Date.now() + 2000;
        while (Date.now() < until) {
          tries.push(await second.runOne());
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(await running, true);
        assert.ok(tries.length >= 10 && tries.every((ran) => !ran), 'the lease was renewed: the second worker never got the job');
      });
      const row = await jobByKey('slow-anchor');
      assert.ok(row.done_at instanceof Date);
      assert.equal(row.attempts, 1);
      assert.equal(row.locked_by, slow.id);
      assert.equal(await anchorCount(), anchors + 1);
    } finally {
      await other.close();
    }
  });

  test('a worker that lost its lease records neither success nor failure over the worker that took the job', { skip: onlyPostgres }, async () => {
    await audit('before.lost.lease');
    await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'lost-lease' });
    const slow = worker(db, { leaseSeconds: 60 });
    await withSlowAnchors(1, async () => {
      const running = slow.runOne();
      await (async () => {
        for (let i = 0; i < 100 && (await jobByKey('lost-lease')).locked_by !== slow.id; i++) await new Promise((r) => setTimeout(r, 10));
      })();
      // As if its lease had ended and another instance had claimed the job.
      await db.updateTable('jobs').set({ locked_by: 'worker-took-over', locked_until: sql<Date>`now() + interval '1 hour'` }).where('dedupe_key', '=', 'lost-lease').execute();
      assert.equal(await running, true);
    });
    const row = await jobByKey('lost-lease');
    assert.equal(row.done_at, null, 'not marked done by the worker that lost it');
    assert.equal(row.locked_by, 'worker-took-over');
    assert.ok(row.locked_until && row.locked_until.getTime() > Date.now() + 3000_000, 'the new holder’s lease untouched');
    await db.updateTable('jobs').set({ done_at: new Date(), locked_until: null }).where('id', '=', row.id).execute();
  });

  test('a sweep that finds another sweep running is put back, without counting an attempt, and runs after it', { skip: onlyPostgres }, async () => {
    const holder = databaseFromUrl(database.url as string, 1);
    try {
      await enqueueJob(db, 'matching.sweep', {}, { dedupeKey: 'sweep-deferred' });
      await holder.db.connection().execute(async (conn) => {
        // Another instance's sweep holds the lock (src/db/advisory.ts: 730555, 2).
        await sql`select pg_advisory_lock(730555, 2)`.execute(conn);
        try {
          const startedAt = Date.now();
          assert.equal(await worker().runOne(), true);
          const row = await jobByKey('sweep-deferred');
          assert.equal(row.attempts, 0, 'not an attempt');
          assert.equal(row.last_error, null);
          assert.equal(row.done_at, null);
          assert.equal(row.locked_until, null);
          const delay = row.run_at.getTime() - startedAt;
          assert.ok(delay >= 3000 && delay <= 8000, `due again in ${delay} ms`);
          assert.equal(await worker().runOne(), false, 'not before its time');
        } finally {
          await sql`select pg_advisory_unlock(730555, 2)`.execute(conn);
        }
      });
      await makeDue((await jobByKey('sweep-deferred')).id);
      assert.equal(await worker().runOne(), true);
      const done = await jobByKey('sweep-deferred');
      assert.ok(done.done_at instanceof Date);
      assert.equal(done.attempts, 1);
    } finally {
      await holder.close();
      await stopMatchingThread();
    }
  });
});

describe('the handlers are idempotent', () => {
  test('jobs.probe delivered three times, two of them at once on two workers, leaves one event', async () => {
    const probeEvents = async () => Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'jobs.probe_ran').where('entity_id', '=', 'probe-1').executeTakeFirstOrThrow()).n);
    for (let i = 0; i < 3; i++) await enqueueJob(db, 'jobs.probe', { probe: 'probe-1' }, { dedupeKey: `probe-1-${i}` });
    const pools: Database[] = database.url ? [databaseFromUrl(database.url, 2), databaseFromUrl(database.url, 2)] : [database, database];
    try {
      assert.equal(await worker().runOne(), true);
      assert.equal(await probeEvents(), 1);
      assert.deepEqual(await Promise.all(pools.map((p) => worker(p.db).runOne())), [true, true]);
    } finally {
      if (database.url) await Promise.all(pools.map((p) => p.close()));
    }
    assert.equal(await probeEvents(), 1);
    for (let i = 0; i < 3; i++) assert.ok((await jobByKey(`probe-1-${i}`)).done_at instanceof Date);
    assert.equal((await verifyAuditTrail(db)).problem, null);
  });

  test('audit.anchor twice without new audit events writes one anchor', async () => {
    await audit('anchor.idempotent');
    const anchors = await anchorCount();
    await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'anchor-1' });
    await enqueueJob(db, 'audit.anchor', {}, { dedupeKey: 'anchor-2' });
    const w = worker();
    assert.equal(await w.runOne(), true);
    assert.equal(await w.runOne(), true);
    assert.ok((await jobByKey('anchor-2')).done_at);
    assert.equal(await anchorCount(), anchors + 1);
    assert.equal((await verifyAuditTrail(db)).problem, null);
  });

  test('sessions.purge removes sessions over a day past their end, and twice is once', async () => {
    const user = await db.insertInto('users').values({ username: 'purge-user', display_name: 'p', role: 'coordinator', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
    const session = (id: string, expires: Date, revoked: Date | null = null) => ({ id, user_id: user.id, csrf_token: 'c', expires_at: expires, revoked_at: revoked });
    await db
      .insertInto('sessions')
      .values([
        session('expired-2-days', hoursAgo(48)),
        session('revoked-2-days', hoursAgo(-1), hoursAgo(48)),
        session('expired-1-hour', hoursAgo(1)),
        session('revoked-1-hour', hoursAgo(-1), hoursAgo(1)),
        session('live', hoursAgo(-1)),
      ])
      .execute();
    const remaining = async () => (await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).orderBy('id').execute()).map((r) => r.id);
    await enqueueJob(db, 'sessions.purge', {}, { dedupeKey: 'purge-1' });
    const w = worker();
    assert.equal(await w.runOne(), true);
    const once = await remaining();
    assert.deepEqual(once, ['expired-1-hour', 'live', 'revoked-1-hour']);
    await enqueueJob(db, 'sessions.purge', {}, { dedupeKey: 'purge-2' });
    assert.equal(await w.runOne(), true);
    assert.deepEqual(await remaining(), once);
    assert.ok((await jobByKey('purge-2')).done_at);
  });
});

test('two workers draining one queue at once run each job exactly once', async () => {
  // On PostgreSQL each worker has its own connections, so they really compete for jobs.
  const pools: Database[] = database.url ? [databaseFromUrl(database.url, 3), databaseFromUrl(database.url, 3)] : [database, database];
  try {
    await audit('before.drain');
    const anchors = await anchorCount();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await insertJob({ kind: i % 2 ? 'audit.anchor' : 'sessions.purge', dedupe_key: `drain-${i}` }));
    const workers = pools.map((p) => worker(p.db));
    const drain = async (w: JobWorker) => {
      let n = 0;
      while (await w.runOne()) n++;
      return n;
    };
    const counts = await Promise.all(workers.map(drain));
    assert.equal(counts[0]! + counts[1]!, 40, `runs: ${counts.join(' + ')}`);
    const rows = await db.selectFrom('jobs').selectAll().where('id', 'in', ids).execute();
    for (const row of rows) {
      assert.ok(row.done_at instanceof Date, `job ${row.id} done`);
      assert.equal(row.attempts, 1, `job ${row.id} ran once`);
      assert.equal(row.last_error, null);
    }
    const byWorker = workers.map((w) => rows.filter((r) => r.locked_by === w.id).length);
    assert.deepEqual(byWorker, counts, 'each worker ran exactly the jobs it claimed');
    if (database.url) assert.ok(byWorker.every((n) => n > 0), `both workers took jobs: ${byWorker.join(', ')}`);
    assert.equal(await anchorCount(), anchors + 1, 'twenty anchor jobs, one new state, one anchor');
  } finally {
    if (database.url) await Promise.all(pools.map((p) => p.close()));
  }
});
