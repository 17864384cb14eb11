import fs from 'node:fs';
import pino from 'pino';
import type { DemoResult } from '../../demo/demo.ts';
import { loadDemo } from '../../demo/demo.ts';
import { JobWorker } from '../../jobs/worker.ts';
import { passwordProblem } from '../../security/passwords.ts';
import { CliError } from '../errors.ts';
import { withRuntime } from '../runtime.ts';

/** `homeward demo [--password P] [--as-of YYYY-MM-DD]`. */
export async function demo(options: { password?: string; asOf?: string }): Promise<void> {
  // A weak password is refused before the database is opened (or made and migrated).
  const problem = options.password === undefined ? null : passwordProblem(options.password);
  if (problem) throw new CliError(`--password ${problem}`);
  await withRuntime('homeward demo', async ({ database }) => {
    const result = await loadDemo(database.db, options);
    // The background jobs due now run here, once — the matching sweep fills the review queue, the
    // eligibility verdicts are refreshed, the trail gets its first anchor — so the data is whole when
    // it is first served, and a `homeward serve` started in the same hour finds them done.
    await new JobWorker(database.db, pino({ level: 'warn' }, pino.destination(2))).tick();
    printDemoCredentials(result, null);
  }, { sealedFields: 'require' });
}

export function printDemoCredentials(result: DemoResult, saveTo: string | null): void {
  const lines = [
    `Demo data loaded (as of ${result.asOf}): ${result.persons} people in ${result.facilities} facilities. Sign in with any of these users${result.passwordGenerated ? ' and the password below' : ''}:`,
    ...result.users.map((u) => `  ${u.username.padEnd(28)} ${u.role}`),
    result.passwordGenerated ? `Password (all demo users): ${result.password}` : 'Password: the one given with --password',
  ];
  console.log(`\n${lines.join('\n')}\n`);
  if (saveTo && result.passwordGenerated) {
    fs.writeFileSync(saveTo, `${lines.join('\n')}\n`, { mode: 0o600 });
    console.log(`(Also saved to ${saveTo}, readable only by you.)\n`);
  }
}
