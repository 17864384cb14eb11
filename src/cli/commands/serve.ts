import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Config } from '../../config/env.ts';
import { withExclusiveLock } from '../../db/advisory.ts';
import type { Db } from '../../db/database.ts';
import { createUser } from '../../commands/userCreator.ts';
import { isDatabaseEmpty, loadDemo } from '../../demo/demo.ts';
import { stopMatchingThread } from '../../commands/candidateThread.ts';
import { JobWorker } from '../../jobs/worker.ts';
import { buildApp } from '../../server/app.ts';
import { openRuntime } from '../runtime.ts';
import { CliError } from '../errors.ts';
import { printDemoCredentials } from './demo.ts';

export interface ServeOptions {
  readonly demo?: boolean;
  readonly password?: string;
  readonly asOf?: string;
}

/**
 * `homeward serve`: migrate, load the demo or make a first administrator when
 * the database is empty, run the job worker and the HTTP server, and shut
 * down cleanly on SIGTERM (in-flight requests finish, the database closes).
 */
export async function serve(options: ServeOptions): Promise<void> {
  const startedAt = performance.now();
  // Refused if the database holds sensitive fields sealed with a key that is not configured (decision 0024).
  const runtime = await openRuntime('homeward serve', { sealedFields: 'require' });
  const { config, database } = runtime;
  const log = pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
  });

  // Several instances may start at once on one empty PostgreSQL database: one of them does the
  // first start (under an advisory lock); the others then find the database no longer empty.
  await withExclusiveLock(database.db, 'bootstrap', () => firstStart(database.db, config, options));

  const worker = new JobWorker(database.db, log.child({ component: 'jobs' }), { leaseSeconds: config.jobLeaseSeconds });
  const app = await buildApp({ database, config, log });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await runtime.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`port ${config.port} is in use by another program; set PORT to another port`);
    }
    throw error;
  }
  worker.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port, database: database.kind, worker: worker.id, startupMs: Math.round(performance.now() - startedAt) }, 'homeward is serving');
  console.log(`Homeward is running at http://localhost:${port} (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL server'})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    // A connection busy when the signal came is kept alive after its answer (a browser
    // holds it for minutes): close each one as soon as it falls idle, or close() waits for it.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await app.close().finally(() => clearInterval(sweep));
      // Handlers of clients that went away run on after their connections closed: the database stays open for them.
      await app.handlersSettled();
      // The matching thread goes first: a sweep in hand fails at once and is run again later
      // (jobs are delivered at least once and the sweep is idempotent), instead of holding the shutdown.
      const stopping = worker.stop();
      await stopMatchingThread();
      await stopping;
      await runtime.close();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** The first start of an empty database: the demo (--demo), or the first administrator. */
async function firstStart(db: Db, config: Config, options: ServeOptions): Promise<void> {
  if (options.demo) {
    if (await isDatabaseEmpty(db)) {
      const result = await loadDemo(db, { password: options.password, asOf: options.asOf });
      printDemoCredentials(result, path.join(config.dataDir, 'demo-credentials.txt'));
    } else {
      const saved = path.join(config.dataDir, 'demo-credentials.txt');
      console.log(
        `The database already holds data; the demo is not loaded again.${fs.existsSync(saved) ? ` Demo sign-in details: ${saved}` : ''}`,
      );
    }
  } else if (await isDatabaseEmpty(db)) {
    const { oneTimePassword } = await createUser(
      db,
      { username: 'admin', role: 'admin', agencyName: 'Homeward Administration', displayName: 'Administrator' },
      { system: 'bootstrap' },
    );
    console.log(
      [
        '',
        'First start: the database is empty.',
        `  Sign in at http://localhost:${config.port} as "admin" with the one-time password: ${oneTimePassword}`,
        '  It is shown only now. Create the other users from the Users page or with `homeward user add`.',
        '  To explore with demo data instead, start on an empty data directory with `npx homeward serve --demo`.',
        '',
      ].join('\n'),
    );
  }
}
