import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../config/env.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { MigrationError } from '../db/migrator.ts';
import { DomainError } from '../domain/errors.ts';
import { registerLink } from './commands/link.ts';
import { CliError, parseOptions } from './errors.ts';

const AsOf = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'is not a real date')
  .optional();
const GenerateOptions = z.object({
  people: z.coerce.number({ error: 'must be a whole number of people' }).int('must be a whole number of people').min(1, 'must be at least 1').max(10_000_000, 'must be at most 10,000,000'),
  seed: z.string().min(1).max(100).optional(),
  password: z.string().optional(),
  asOf: AsOf,
});
const DemoOptions = z.object({ password: z.string().optional(), asOf: AsOf, demo: z.boolean().optional() });

// Each command's module is loaded when it runs, not at start: `homeward import` or `audit verify` need
// neither the server nor the other commands (a start took 3.5 s of CPU when everything was loaded).
function program(): Command {
  const cli = new Command('homeward')
    .description('Homeward: case management for repatriating foreign nationals, above all children, from detention')
    .showHelpAfterError('(run `homeward --help` for the commands)')
    .exitOverride();

  cli
    .command('serve')
    .description('run the server (web app and API) on PORT, default 3000')
    .option('--demo', 'load the demo data set first when the database is empty')
    .option('--password <password>', 'with --demo: the password of every demo user')
    .option('--as-of <date>', 'with --demo: the date the demo is set on (YYYY-MM-DD)')
    .action(async (raw) => (await import('./commands/serve.ts')).serve(parseOptions(DemoOptions, raw)));

  cli
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const { withRuntime } = await import('./runtime.ts');
      await withRuntime('homeward migrate', async () => {});
      console.log('database is up to date');
    });

  cli
    .command('demo')
    .description('load the demo data set into an empty database and create one user per role')
    .option('--password <password>', 'the password of every demo user (default: generated and printed once)')
    .option('--as-of <date>', 'the date the demo is set on (YYYY-MM-DD, default today)')
    .action(async (raw) => (await import('./commands/demo.ts')).demo(parseOptions(DemoOptions, raw)));

  cli
    .command('generate')
    .description('write a realistic synthetic population (families, custody, proceedings, cases at every stage, tracing, movements, fees, audit history) into an empty database, with the demo users; deterministic for a seed')
    .requiredOption('--people <n>', 'how many people')
    .option('--seed <seed>', 'the seed (default 1): the same seed and date give the same population')
    .option('--password <password>', 'the password of every user (default: generated and printed once)')
    .option('--as-of <date>', 'the date the population is set on (YYYY-MM-DD, default today)')
    .action(async (raw) => (await import('./commands/generate.ts')).generateCommand(parseOptions(GenerateOptions, raw)));

  cli
    .command('import')
    .description('import people (with family links and custody) from a CSV or XLSX file; all or nothing')
    .argument('<file>', 'a .csv (UTF-8) or .xlsx file in the template\'s columns (GET /api/v1/imports/template.csv)')
    .option('--dry-run', 'check every row and report, without writing anything')
    .action(async (file, options) => (await import('./commands/import.ts')).importFile(file, options));

  registerLink(cli);

  const user = cli.command('user').description('manage users');
  user
    .command('add')
    .description('add a user; the password is read from standard input')
    .requiredOption('--username <name>', 'lower-case login name')
    .addOption(new Option('--role <role>', 'the role').makeOptionMandatory())
    .option('--country <iso3>', 'for the embassy role: the ISO 3166 alpha-3 country')
    .option('--agency <name>', 'the agency the user works for (made if new)')
    .option('--display-name <name>', 'the name shown in the interface')
    .action(async (raw) => (await import('./commands/users.ts')).userAdd(raw));

  const token = cli.command('token').description('manage API tokens');
  token
    .command('create')
    .description('issue an API token for a user; printed once on standard output')
    .requiredOption('--username <name>', 'the user the token acts as')
    .option('--name <name>', 'what the token is for')
    .option('--scopes <list>', 'read, or read,write', 'read')
    .option('--expires-days <days>', 'days until it expires (1-365)', '90')
    .action(async (raw) => (await import('./commands/users.ts')).tokenCreate(raw));

  cli
    .command('anonymise')
    .description('anonymise the cases that ended more than HOMEWARD_RETENTION_DAYS ago, and their members (the daily retention job, now)')
    .option('--dry-run', 'list the cases and people that would be anonymised, and change nothing')
    .option('--as-of <date>', 'the day the period is counted back from (YYYY-MM-DD, default today)')
    .action(async (raw) => (await import('./commands/anonymise.ts')).anonymiseCommand(raw));

  cli
    .command('backup')
    .description('write an encrypted, verifiable backup of the whole database (key: HOMEWARD_ENCRYPTION_KEY, or HOMEWARD_BACKUP_PASSPHRASE)')
    .argument('<file>', 'the backup file to write (written as <file>.partial, renamed when complete)')
    .option('--verify', 'open and check an existing backup file instead, touching nothing')
    .action(async (file, options) => (await import('./commands/backup.ts')).backupCommand(file, options));

  cli
    .command('restore')
    .description('replace the database by a backup, after checking all of it')
    .argument('<file>', 'a file written by `homeward backup`')
    .option('--force', 'replace a database that holds data')
    .option('--check', 'only open and check the backup, touching nothing')
    .action(async (file, options) => (await import('./commands/backup.ts')).restoreCommand(file, options));

  const keys = cli.command('keys').description('the keys of the fields encrypted at rest: which key seals what, and rotation (decision 0027)');
  keys
    .command('status')
    .description('for every sealed column, how many values each key id seals and whether that key is at hand (no key or plaintext printed)')
    .action(async (raw) => (await import('./commands/keys.ts')).keysStatusCommand(raw));
  keys
    .command('rotate')
    .description('re-seal with HOMEWARD_ENCRYPTION_KEY every value sealed with another key (the old ones in HOMEWARD_ENCRYPTION_KEYS_PREVIOUS); resumable')
    .option('--dry-run', 'say what would be re-sealed, and change nothing')
    .option('--batch-size <n>', 'rows per transaction (1-10,000, default 500)')
    .action(async (raw) => (await import('./commands/keys.ts')).keysRotateCommand(raw));

  const audit = cli.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description('walk every chain and report the first altered, removed or inserted event')
    .action(async () => {
      const { verifyAuditTrail } = await import('../audit/verify.ts');
      const { withRuntime } = await import('./runtime.ts');
      const result = await withRuntime('homeward audit verify', async ({ database }) => verifyAuditTrail(database.db));
      if (!result.ok) throw new CliError(`audit trail BROKEN: ${result.problem}`);
      console.log(`audit trail verified: ${result.eventsChecked} events in ${result.chains} chains, ${result.anchorsChecked} anchors`);
    });
  return cli;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const known =
      error instanceof CliError ||
      error instanceof ConfigError ||
      error instanceof DataDirLockedError ||
      error instanceof MigrationError ||
      error instanceof DomainError;
    if (known) {
      process.stderr.write(`homeward: ${(error as Error).message}\n`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
      return;
    }
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '3D000' || code === '28P01') {
      process.stderr.write(`homeward: cannot reach the database in DATABASE_URL (${(error as Error).message})\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`homeward: unexpected error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  }
}
