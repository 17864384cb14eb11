/**
 * The `homeward link` command alone: bin/homeward.js starts here for `link` so
 * the command does not load the server, the database drivers and the other
 * commands it never uses (about two seconds of start-up). main.ts registers the
 * same command for `homeward --help`.
 */
import { Command, CommanderError } from 'commander';
import { registerLink } from './commands/link.ts';
import { CliError } from './errors.ts';

export async function main(argv: string[]): Promise<void> {
  const cli = new Command('homeward').showHelpAfterError('(run `homeward link --help` for the options)').exitOverride();
  registerLink(cli);
  try {
    await cli.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`homeward: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`homeward: unexpected error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  }
}
