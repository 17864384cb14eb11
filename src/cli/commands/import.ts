import fs from 'node:fs';
import path from 'node:path';
import { today } from '../../registry/as-of.ts';
import { MAX_CLI_IMPORT_BYTES, MAX_CLI_IMPORT_ROWS } from '../../registry/import/columns.ts';
import { readTable } from '../../registry/import/read-table.ts';
import { runImport } from '../../registry/import/run-import.ts';
import { CliError } from '../errors.ts';
import { withRuntime } from '../runtime.ts';

/** `homeward import FILE [--dry-run]`: people from a CSV or XLSX file, all or nothing. */
export async function importFile(file: string, options: { dryRun?: boolean }): Promise<void> {
  if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`, 2);
  const format = path.extname(file).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
  if (fs.statSync(file).size > MAX_CLI_IMPORT_BYTES) throw new CliError(`${file} is larger than ${MAX_CLI_IMPORT_BYTES / 1024 / 1024} MB; split it`, 2);
  const table = await readTable(fs.readFileSync(file), format, { maxBytes: MAX_CLI_IMPORT_BYTES, maxRows: MAX_CLI_IMPORT_ROWS });
  const tty = process.stderr.isTTY;
  const report = await withRuntime('homeward import', ({ database }) =>
    runImport(database.db, table, { system: 'cli-import' }, today(), {
      dryRun: options.dryRun ?? false,
      onProgress: (done, total, phase) => {
        if (phase === 'checking') {
          if (done === 0) process.stderr.write(`checking ${total} rows…\n`);
          return;
        }
        const verb = options.dryRun ? 'trying' : 'importing';
        const line = `${verb}: ${done}/${total} rows (${Math.round((done / total) * 100)}%)`;
        if (tty) process.stderr.write(`\r${line}`);
        else if (done === total || done % 5000 < 250) process.stderr.write(`${line}\n`);
      },
    }),
  );
  if (tty) process.stderr.write('\n');
  for (const p of report.problems) console.log(`row ${p.row}, column ${p.column}: ${p.message}`);
  const summary = `${report.total} rows: ${report.created} new people, ${report.alreadyRegistered} already registered, ${report.familyLinks} family links`;
  if (report.problems.length > 0) throw new CliError(`${report.problems.length} problem(s); nothing was imported (${summary})`);
  console.log(report.committed ? `imported — ${summary}` : `dry run, nothing written — ${summary}`);
}
