import { z } from 'zod';
import { FieldCryptoError } from '../../security/field-crypto.ts';
import { type FieldKeyring, keyringFromConfig } from '../../security/field-keys.ts';
import {
  DEFAULT_BATCH_SIZE,
  type KeyCount,
  KeyRotationRefused,
  type KeysStatus,
  type KeyStanding,
  keysStatus,
  notCurrent,
  type RotationResult,
  rotateKeys,
  rotationProblem,
} from '../../security/key-rotation.ts';
import { CliError, parseOptions } from '../errors.ts';
import { type Runtime, withRuntime } from '../runtime.ts';

/*
 * `homeward keys status` / `homeward keys rotate [--dry-run] [--batch-size N]` (decision 0027): which key
 * seals what, and re-sealing everything with the current key. Key ids only: no key and no plaintext is
 * ever printed.
 */

const AUDIT = 'audit trail (never re-sealed)';
const StatusOptions = z.strictObject({});
const RotateOptions = z.strictObject({
  dryRun: z.boolean().optional(),
  batchSize: z.coerce
    .number({ error: 'must be a whole number of rows' })
    .int('must be a whole number of rows')
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10,000')
    .default(DEFAULT_BATCH_SIZE),
});

function keyringOf(runtime: Runtime): FieldKeyring | null {
  return runtime.fieldKeys.keyring ?? keyringFromConfig(runtime.config, { create: false });
}

function standingText(keyring: FieldKeyring | null, standing: KeyStanding): string {
  switch (standing) {
    case 'current':
      return keyring?.source === 'key-file' ? `current (the key file ${keyring.file})` : 'current (HOMEWARD_ENCRYPTION_KEY)';
    case 'previous':
      return 'previous (HOMEWARD_ENCRYPTION_KEYS_PREVIOUS)';
    case 'key-file':
      return `key file (${keyring?.file})`;
    case 'missing':
      return 'MISSING';
    case 'plaintext':
      return 'not sealed yet';
  }
}

const countsText = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([id, n]) => `${id}: ${n}`)
    .join(', ');

function printStatus(status: KeysStatus, keyring: FieldKeyring | null): void {
  console.log(keyring ? `keyring: ${status.keyring.map((k) => `${k.id} ${standingText(keyring, k.origin)}`).join(', ')}` : 'keyring: no key is configured');
  const width = Math.max(...status.columns.map((c) => `${c.table}.${c.column}`.length), AUDIT.length) + 2;
  const ids = [...status.columns.flatMap((c) => c.keys), ...(status.audit ?? [])].map((k) => k.keyId ?? '-');
  const idWidth = Math.max(8, ...ids.map((id) => id.length)) + 2;
  const line = (where: string, k: KeyCount | null) => {
    if (!k) return console.log(`${where.padEnd(width)}${'-'.padEnd(idWidth)}${'0'.padStart(8)}`);
    const opens = k.opens === false ? ' — A VALUE DOES NOT OPEN WITH IT (another key under this id?)' : '';
    console.log(`${where.padEnd(width)}${(k.keyId ?? '-').padEnd(idWidth)}${String(k.values).padStart(8)}  ${standingText(keyring, k.standing)}${opens}`);
  };
  console.log(`${'column'.padEnd(width)}${'key id'.padEnd(idWidth)}${'values'.padStart(8)}  key`);
  for (const c of status.columns) {
    if (c.keys.length === 0) line(`${c.table}.${c.column}`, null);
    for (const k of c.keys) line(`${c.table}.${c.column}`, k);
  }
  for (const k of status.audit ?? []) line(AUDIT, k);
}

/** `homeward keys status`: every sealed column's values by key id, and whether each key is at hand. */
export async function keysStatusCommand(raw: Record<string, unknown>): Promise<void> {
  parseOptions(StatusOptions, raw);
  await withRuntime('homeward keys status', async (runtime) => {
    const keyring = keyringOf(runtime);
    const status = await keysStatus(runtime.database.db, keyring);
    printStatus(status, keyring);
    const problem = rotationProblem(status);
    if (problem) throw new CliError(problem);
    const others = notCurrent(status);
    const total = Object.values(others).reduce((a, b) => a + b, 0);
    if (total > 0) console.log(`${total} value(s) are not sealed with the current key ${status.current} (${countsText(others)}): \`homeward keys rotate\` re-seals them`);
    else if (keyring) {
      console.log(`every sealed value is under the current key ${keyring.current.id}`);
      for (const id of [...keyring.origins.keys()].filter((id) => id !== keyring.current.id)) console.log(retireLine(keyring, id, status));
    }
  });
}

function retireLine(keyring: FieldKeyring, id: string, status: KeysStatus): string {
  const how = keyring.origins.get(id) === 'key-file' ? `delete the key file ${keyring.file}` : 'remove it from HOMEWARD_ENCRYPTION_KEYS_PREVIOUS';
  const history = (status.audit ?? []).find((k) => k.keyId === id)?.values ?? 0;
  const kept = history > 0 ? `; ${history} sealed value(s) of the audit trail's history stay under it (never re-sealed) and no longer open without it` : '';
  return `key ${id}: no value is left under it — safe to retire: ${how} (keep a copy offline as long as you keep backups made before its values were re-sealed${kept})`;
}

function printRotation(result: RotationResult, keyring: FieldKeyring): void {
  for (const c of result.columns) {
    const where = `${c.table}.${c.column}`;
    const meanwhile = c.changedMeanwhile > 0 ? `; ${c.changedMeanwhile} changed by another writer meanwhile, left as written` : '';
    console.log(c.resealed === 0 ? `${where}: nothing to re-seal${meanwhile}` : `${where}: ${result.dryRun ? 'would re-seal' : 're-sealed'} ${c.resealed} (${countsText(c.from)})${meanwhile}`);
  }
  if (result.dryRun) return;
  console.log(`re-sealed ${result.resealed} value(s) in all`);
  if (result.forgotten.length > 0) console.log(`forgotten as sealing keys of this database (they seal nothing now): ${result.forgotten.join(', ')}`);
  for (const [id, n] of Object.entries(result.remaining)) {
    console.log(`not yet safe to retire key ${id}: ${n} value(s) are still sealed with it (written during the run by an instance that still seals with it?): run \`homeward keys rotate\` again`);
  }
  if (Object.keys(result.remaining).length === 0) console.log(`every sealed value is under the current key ${result.to}`);
  for (const id of result.retirable) console.log(retireLine(keyring, id, result.after));
}

/** `homeward keys rotate [--dry-run] [--batch-size N]`: every value re-sealed with the current key. */
export async function keysRotateCommand(raw: Record<string, unknown>): Promise<void> {
  const options = parseOptions(RotateOptions, raw);
  await withRuntime('homeward keys rotate', async (runtime) => {
    const keyring = keyringOf(runtime);
    if (!keyring) throw new CliError('keys rotate: no encryption key is set: set HOMEWARD_ENCRYPTION_KEY to the key to rotate to, and the old one in HOMEWARD_ENCRYPTION_KEYS_PREVIOUS');
    const tty = process.stderr.isTTY;
    let result: RotationResult;
    try {
      result = await rotateKeys(runtime.database.db, keyring, {
        batchSize: options.batchSize,
        dryRun: options.dryRun ?? false,
        afterBatch: tty ? ({ table, column, resealed }) => void process.stderr.write(`\r${`${table}.${column}: ${resealed} re-sealed`.padEnd(72)}`) : undefined,
      });
    } catch (error) {
      if (error instanceof KeyRotationRefused) throw new CliError(`keys rotate refused: ${error.message}`);
      if (error instanceof FieldCryptoError) {
        throw new CliError(`keys rotate stopped: ${error.message}. The values re-sealed before it stay re-sealed, and both keys open them; run it again once this value is mended`);
      }
      throw error;
    } finally {
      if (tty) process.stderr.write('\n');
    }
    if (result.dryRun) console.log(`dry run, nothing changed: would re-seal ${result.resealed} value(s) with key ${result.to} ${standingText(keyring, 'current')}`);
    else console.log(`re-sealed with key ${result.to} ${standingText(keyring, 'current')}, ${options.batchSize} row(s) per transaction:`);
    printRotation(result, keyring);
  });
}
